package pdf

import (
	"strconv"
	"unicode/utf8"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
)

// Annual composes the annual evaluation report: the summary on page 1, one
// section per benefit (annual figures against the ambitions, suggested
// ambitions, yearly bars per indicator), the change actions completed and
// still open, the benefits ready for the evaluation phase with its
// questions, and the data-quality notes.
func Annual(r report.AnnualReport) Document {
	doc := frame(r, r.Title, r.Subtitle, r.Header, r.Lang, r.T("annual.doc.subject", "year", r.YearText), r.GeneratedAt)
	ids := make([]string, 0, len(r.Benefits))
	for _, sec := range r.Benefits {
		ids = append(ids, sec.Benefit.ID)
	}
	doc.Author, doc.Keywords = authorOr(r.Organisation), keywords(r.Title, r.YearText, ids)
	b := annualCover(r)
	for i, sec := range r.Benefits {
		if i == 0 {
			b = append(b, PageBreak{})
		} else {
			b = append(b, sectionGap) // small benefits flow on; a heading never ends a page
		}
		b = append(b, annualSection(r, sec)...)
	}
	if r.Savings.Text != "" {
		b = append(b, sectionGap)
		b = append(b, annualSavings(r)...)
	}
	b = append(b, sectionGap)
	b = append(b, annualActions(r)...)
	if len(r.Evaluation) > 0 {
		// With no benefit in evaluation the cover says so; no page for it.
		b = append(b, sectionGap)
		b = append(b, annualEvaluation(r)...)
	}
	b = append(b, annualNotes(r)...)
	doc.Blocks = b
	return doc
}

// annualCover is page 1: the year, data per, the partial-year warning and
// the summary table.
func annualCover(r report.AnnualReport) []Block {
	ys := strconv.Itoa(r.Year)
	b := []Block{
		KeyFigures{Columns: 4, Items: []KeyFigure{
			{Label: r.T("annual.label.year"), Value: ys},
			{Label: r.T("annual.label.scope"), Value: r.Covers},
			{Label: r.T("annual.label.data_through"), Value: r.DataThroughText},
			{Label: r.T("label.made"), Value: r.DataPer},
		}},
	}
	if r.PartialText != "" {
		b = append(b, Paragraph{Text: r.PartialText, Style: Warning})
	}
	b = append(b,
		Paragraph{Text: r.Intro, Style: Muted},
		Heading{Level: 1, Text: r.T("annual.summary.heading", "year", ys)},
		Paragraph{Text: annualJoin(r.CountsText, r.MetText, r.ActionsText, annualEvalCount(r))},
	)
	if len(r.Summary) == 0 {
		return b
	}
	t := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("summary.col.benefit"), Width: 2.2},
			{Title: r.T("summary.col.indicator"), Width: 2.4},
			{Title: r.ValueHeading, Width: 1.15, Align: AlignRight},
			{Title: r.T("annual.col.ambition", "year", ys), Width: 1.15, Align: AlignRight},
			{Title: r.MetColumn, Width: 1.35, Align: AlignCenter},
			{Title: r.T("annual.col.suggested", "next", strconv.Itoa(r.Year+1)), Width: 1.15, Align: AlignRight},
		},
	}
	prev := ""
	shown := map[register.Status]bool{}
	for _, s := range r.Summary {
		shown[s.Status] = true
		benefit := Cell{Text: s.BenefitTitle, Bold: true}
		if s.BenefitID == prev {
			benefit = Cell{}
		}
		prev = s.BenefitID
		t.Rows = append(t.Rows, []Cell{
			benefit,
			{Text: s.IndicatorName},
			{Text: s.Value},
			{Text: s.Ambition, Muted: true},
			{Text: s.MetText, Status: s.Status},
			annualSuggestedCell(r, s),
		})
	}
	return append(b, t, statusLegend(r, shown))
}

// annualEvalCount words how many benefits are listed for the evaluation phase.
func annualEvalCount(r report.AnnualReport) string {
	if len(r.Evaluation) == 0 {
		return r.EvalNone
	}
	return r.T("annual.eval.count", "n", strconv.Itoa(len(r.Evaluation)))
}

// annualJoin joins the non-empty sentences with spaces.
func annualJoin(ss ...string) string {
	out := ""
	for _, s := range ss {
		if s == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += s
	}
	return out
}

// annualSection is one benefit: heading, meta, whether the final ambition is
// reached, and per indicator the annual figures with the yearly bars.
func annualSection(r report.AnnualReport, sec report.AnnualBenefit) []Block {
	b := []Block{
		Heading{Level: 1, Text: sec.Title},
		Paragraph{Text: sec.Meta},
	}
	if sec.Description != "" {
		b = append(b, Paragraph{Text: sec.Description, Style: Muted})
	}
	switch {
	case sec.FinalReached:
		b = append(b, StatusBadge{Status: register.Green, Text: sec.FinalText})
	case sec.FinalText != "":
		b = append(b, Paragraph{Text: sec.FinalText})
	}
	if sec.Evaluation != nil && !sec.FinalReached {
		b = append(b, Paragraph{Text: sec.Evaluation.Reason})
	}
	b = append(b, commentBlocks("", sec.Comment)...)
	if len(sec.Indicators) == 0 {
		b = append(b, Paragraph{Text: r.T("benefit.no_indicators"), Style: Muted})
	}
	for i, ai := range sec.Indicators {
		n := len(b)
		b = append(b, annualIndicator(r, ai)...)
		if i == 0 {
			b = keepIntroWithFirst(b, n)
		}
	}
	b = append(b, Paragraph{Text: sec.ActionsText, Style: Muted})
	return b
}

// annualIndicator is one indicator: status line, key figures and the
// yearly bars kept on one page, then the suggestion explained.
func annualIndicator(r report.AnnualReport, ai report.AnnualIndicator) []Block {
	figures := make([]KeyFigure, 0, len(ai.Figures))
	// Five figures fit on one row unless a value is too long for a fifth of
	// the width (kroner in the millions); then they go three to a row.
	cols := 5
	for _, f := range ai.Figures {
		kf := KeyFigure{Label: f.Label, Value: f.Value, Status: f.Status, Note: f.Note}
		if f.Status != "" {
			// A figure with a status carries its status word as the note: show it as a badge.
			kf.StatusText, kf.Note = f.Note, ""
		}
		figures = append(figures, kf)
		if utf8.RuneCountInString(f.Value) > 12 {
			cols = 3
		}
	}
	keep := []Block{
		Heading{Level: 2, Text: ai.Name},
		StatusBadge{Status: ai.Result.Status, Text: ai.StatusLine},
		KeyFigures{Columns: cols, Items: figures},
	}
	if bars, ok := annualBars(r, ai.Chart); ok {
		keep = append(keep,
			Chart{Height: 40, Title: annualChartTitle(ai.Chart), Spec: bars},
			Paragraph{Text: ai.Chart.Caption, Style: Muted},
		)
	}
	keep = append(keep, Paragraph{Text: annualJoin(ai.SuggestedText, ai.Coverage+".")})
	if ai.Warning != "" {
		keep = append(keep, Paragraph{Text: ai.Warning, Style: Warning})
	}
	return append([]Block{KeepTogether{Blocks: keep}}, commentBlocks("", ai.Comment)...)
}

// annualBars turns the yearly figures into a bar chart; ok is false when no
// year has a figure to draw.
func annualBars(r report.AnnualReport, ch report.AnnualChart) (Bars, bool) {
	bars := Bars{ValueLabel: ch.ValueLabel, TargetLabel: ch.TargetLabel, Dots: ch.Dots}
	if ch.Unit == "%" {
		bars.Max = 100
	}
	c := r.Catalog()
	if c != nil {
		unit, decimals := ch.Unit, ch.Decimals
		if annualLongUnit(unit) {
			// A long unit ("per 1000 innbyggere") on every tick and bar would
			// squeeze the plot; the chart title names it once instead.
			unit = ""
		}
		bars.FormatValue = func(v float64) string { return c.Value(v, unit, decimals) }
	}
	shown := false
	hasTarget := false
	for _, y := range ch.Years {
		bar := Bar{Label: y.Label, Status: y.Status, Target: y.Ambition}
		if y.Value == nil {
			bar.ValueText = y.ValueText
		}
		if y.Value != nil {
			bar.Value = *y.Value
			shown = true
			if c != nil && ch.Dots && y.Status != "" {
				// The word beside the colour: a dot's colour never stands alone.
				bar.ValueText = y.ValueText + " · " + c.Status(y.Status)
			}
		} else {
			bar.Status, bar.Empty = "", true
		}
		if y.Ambition != nil {
			hasTarget = true
		}
		bars.Items = append(bars.Items, bar)
	}
	if !hasTarget {
		bars.TargetLabel = ""
	}
	return bars, shown
}

// annualActions lists the change actions completed in the year and those
// still open, overdue ones marked, over all the report's benefits.
func annualActions(r report.AnnualReport) []Block {
	ys := strconv.Itoa(r.Year)
	b := []Block{
		Heading{Level: 1, Text: r.T("annual.actions.heading", "year", ys)},
		Paragraph{Text: r.ActionsText},
		Heading{Level: 2, Text: r.T("annual.actions.completed", "year", ys)},
	}
	completed := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("actions.col.title"), Width: 3},
			{Title: r.T("summary.col.benefit"), Width: 2.2},
			{Title: r.T("actions.col.responsible"), Width: 1.5},
			{Title: r.T("annual.actions.col.completed"), Width: 1.4},
		},
	}
	open := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("actions.col.title"), Width: 3},
			{Title: r.T("summary.col.benefit"), Width: 2.2},
			{Title: r.T("actions.col.responsible"), Width: 1.5},
			{Title: r.T("actions.col.due"), Width: 1.4},
			{Title: r.T("actions.col.status"), Width: 1.5, Align: AlignCenter},
		},
	}
	for _, sec := range r.Benefits {
		for _, a := range sec.Completed {
			done := Cell{Text: a.StatusText}
			if c := r.Catalog(); c != nil && !a.Action.CompletedOn.IsZero() {
				done.Text = c.Date(a.Action.CompletedOn)
			}
			if a.Late {
				done.Text += "\n" + r.T("annual.actions.late", "due", a.Due)
				done.Bold = true
			}
			completed.Rows = append(completed.Rows, []Cell{{Text: a.Title}, {Text: sec.Title, Muted: true}, {Text: a.Responsible}, done})
		}
		for _, a := range sec.Open {
			due, status := actionDueStatus(r, a)
			open.Rows = append(open.Rows, []Cell{{Text: a.Title}, {Text: sec.Title, Muted: true}, {Text: a.Responsible}, due, status})
		}
	}
	if len(completed.Rows) == 0 {
		b = append(b, Paragraph{Text: r.T("annual.actions.completed_none", "year", ys), Style: Muted})
	} else {
		b = append(b, completed)
	}
	b = append(b, Heading{Level: 2, Text: r.T("annual.actions.open")})
	if len(open.Rows) == 0 {
		return append(b, Paragraph{Text: r.T("annual.actions.open_none"), Style: Muted})
	}
	return append(b, open)
}

// annualEvaluation lists the benefits ready for the evaluation phase and the
// handbook's evaluation questions.
func annualEvaluation(r report.AnnualReport) []Block {
	b := []Block{
		Heading{Level: 1, Text: r.T("annual.eval.heading")},
		Paragraph{Text: r.EvalIntro},
	}
	if len(r.Evaluation) == 0 {
		b = append(b, Paragraph{Text: r.EvalNone, Style: Muted})
	} else {
		t := Table{
			RepeatHeader: true,
			Columns: []Column{
				{Title: r.T("summary.col.benefit"), Width: 3.2},
				{Title: r.T("annual.eval.col.owner"), Width: 1.5},
				{Title: r.T("annual.eval.col.reason"), Width: 2.6},
			},
		}
		for _, e := range r.Evaluation {
			t.Rows = append(t.Rows, []Cell{{Text: e.Title, Bold: true}, {Text: e.OwnerName}, {Text: e.Reason}})
		}
		b = append(b, t)
	}
	return append(b, KeepTogether{Blocks: []Block{
		Heading{Level: 2, Text: r.T("annual.eval.questions")},
		Bullets{Items: r.EvalQuestion},
	}})
}

// annualNotes closes the report with the data-quality notes.
func annualNotes(r report.AnnualReport) []Block {
	return notesSection(r, r.T("notes.heading"), r.T("notes.intro"), r.Notes)
}

// annualLongUnit reports whether a unit is too long to repeat on every tick.
func annualLongUnit(unit string) bool { return utf8.RuneCountInString(unit) > 3 }

// annualChartTitle is the chart's title, naming a long unit the bars leave out.
func annualChartTitle(ch report.AnnualChart) string {
	if annualLongUnit(ch.Unit) {
		return ch.Title + " (" + ch.Unit + ")"
	}
	return ch.Title
}

// annualSuggestedCell is the summary's suggestion, with the ambition
// registered for the next year under it when there is one.
func annualSuggestedCell(r report.AnnualReport, s report.AnnualRow) Cell {
	if s.Registered == "" {
		return Cell{Text: s.Suggested}
	}
	return Cell{Text: s.Suggested + "\n" + s.Registered}
}

// annualSavings is the year's realised savings, each counted once: the
// sentence, one row per kroner indicator, and the benefits left out.
func annualSavings(r report.AnnualReport) []Block {
	ys := strconv.Itoa(r.Year)
	sv := r.Savings
	t := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("summary.col.indicator"), Width: 3.4},
			{Title: r.ValueHeading, Width: 1.4, Align: AlignRight},
			{Title: r.T("annual.col.ambition", "year", ys), Width: 1.4, Align: AlignRight},
			{Title: r.T("summary.col.status"), Width: 1.1, Align: AlignCenter},
		},
	}
	for _, it := range sv.Items {
		t.Rows = append(t.Rows, []Cell{
			{Text: it.IndicatorName + "\n" + it.BenefitID + " " + shorten(it.BenefitTitle, shortTitle)},
			{Text: it.RealisedText},
			{Text: it.AmbitionText, Muted: true},
			{Text: it.StatusText, Status: it.Status},
		})
	}
	b := []Block{KeepTogether{Blocks: []Block{
		Heading{Level: 1, Text: r.T("annual.savings.heading", "year", ys)},
		Paragraph{Text: sv.Text},
		t,
	}}}
	if len(sv.Excluded) > 0 {
		var items []string
		for _, ex := range sv.Excluded {
			items = append(items, ex.BenefitID+" "+ex.BenefitTitle+": "+ex.Reason)
		}
		b = append(b, Heading{Level: 2, Text: r.T("annual.savings.excluded_heading")}, Bullets{Items: items})
	}
	return b
}
