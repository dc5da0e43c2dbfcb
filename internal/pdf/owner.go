package pdf

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
)

// Owner composes the monthly owner report: a summary on page 1, one section
// per benefit (ambitions, key figures and chart per indicator, per-unit
// breakdown, change actions, follow-up questions) and the data-quality notes.
func Owner(r report.OwnerReport) Document {
	doc := frame(r, r.Title, r.Subtitle, r.Header, r.Lang, r.T("doc.subject")+", "+r.PeriodText, r.GeneratedAt)
	ids := make([]string, 0, len(r.Benefits))
	for _, sec := range r.Benefits {
		ids = append(ids, sec.Benefit.ID)
	}
	doc.Author, doc.Keywords = authorOr(r.Organisation), keywords(r.Title, r.PeriodText, ids)
	b := ownerCover(r)
	for i, sec := range r.Benefits {
		if i == 0 {
			b = append(b, PageBreak{})
		} else {
			b = append(b, sectionGap) // small benefits flow on; a heading never ends a page
		}
		b = append(b, ownerSection(r, sec)...)
	}
	b = append(b, ownerNotes(r)...)
	doc.Blocks = b
	return doc
}

// ownerCover is page 1: who, which period, data per, the summary table.
func ownerCover(r report.OwnerReport) []Block {
	b := []Block{
		KeyFigures{Columns: 4, Items: []KeyFigure{
			{Label: r.T("label.recipient"), Value: r.Recipient.Name},
			{Label: r.T("label.period"), Value: r.PeriodText},
			{Label: r.T("label.data_through"), Value: r.LatestText},
			{Label: r.T("label.made"), Value: r.DataPer},
		}},
		Paragraph{Text: r.Intro, Style: Muted},
		Heading{Level: 1, Text: r.T("summary.heading")},
		Paragraph{Text: r.CountsText},
	}
	if len(r.Summary) == 0 {
		return b
	}
	t := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("summary.col.benefit"), Width: 2.2},
			{Title: r.T("summary.col.indicator"), Width: 2.4},
			{Title: r.T("summary.col.scope"), Width: 1.6},
			{Title: r.T("summary.col.value"), Width: 1.2, Align: AlignRight},
			{Title: r.T("summary.col.ambition"), Width: 1.2, Align: AlignRight},
			{Title: r.T("summary.col.status"), Width: 1.3, Align: AlignCenter},
		},
	}
	prev := ""
	for _, s := range r.Summary {
		benefit := Cell{Text: s.BenefitTitle, Bold: true}
		key := s.BenefitID + "\x00" + s.Scope
		if key == prev {
			benefit = Cell{}
		}
		prev = key
		t.Rows = append(t.Rows, []Cell{
			benefit,
			{Text: s.IndicatorName},
			{Text: s.ScopeName, Muted: true},
			{Text: s.Value},
			{Text: s.Ambition, Muted: true},
			{Text: s.StatusText, Status: s.Status},
		})
	}
	shown := map[register.Status]bool{}
	notJudged := false
	for _, s := range r.Summary {
		if s.NotJudged {
			notJudged = true
			continue
		}
		shown[s.Status] = true
	}
	l := statusLegend(r, shown)
	if notJudged {
		l.Items = append(l.Items, LegendItem{Status: register.NoAmbition, Text: r.T("legend.part_of_whole")})
	}
	return append(b, t, l)
}

// statusLegend explains a summary table's statuses: green, yellow and red
// always, and each other status only when the table shows it.
func statusLegend(r texter, shown map[register.Status]bool) Legend {
	l := Legend{Items: []LegendItem{
		{Status: register.Green, Text: r.T("legend.green")},
		{Status: register.Yellow, Text: r.T("legend.yellow")},
		{Status: register.Red, Text: r.T("legend.red")},
	}}
	for _, it := range []LegendItem{
		{Status: register.NoData, Text: r.T("legend.no_data")},
		{Status: register.Suppressed, Text: r.T("legend.suppressed")},
		{Status: register.NoAmbition, Text: r.T("legend.no_ambition")},
		{Status: register.Invalid, Text: r.T("legend.invalid")},
	} {
		if shown[it.Status] {
			l.Items = append(l.Items, it)
		}
	}
	return l
}

// ownerSection is one benefit: heading, role, ambitions, indicators, actions
// and, when something is not green, the handbook's follow-up questions.
func ownerSection(r report.OwnerReport, sec report.BenefitSection) []Block {
	b := []Block{
		Heading{Level: 1, Text: sec.Title},
		Paragraph{Text: sec.Role + ". " + sec.Meta},
	}
	if sec.Description != "" {
		b = append(b, Paragraph{Text: sec.Description, Style: Muted})
	}
	b = append(b, commentBlocks("", sec.Comment)...)
	if len(sec.Indicators) == 0 {
		b = append(b, Paragraph{Text: r.T("benefit.no_indicators"), Style: Muted})
	}
	for i, is := range sec.Indicators {
		n := len(b)
		b = append(b, ownerIndicator(r, is)...)
		if i == 0 {
			b = keepIntroWithFirst(b, n)
		}
	}
	if sec.NotMeasuredText != "" {
		b = append(b, Paragraph{Text: sec.NotMeasuredText, Style: Muted})
	}
	b = append(b, ownerActions(r, sec)...)
	if len(sec.FollowUp) > 0 {
		b = append(b, KeepTogether{Blocks: []Block{
			Heading{Level: 2, Text: r.T("followup.heading")},
			Paragraph{Text: sec.FollowUpIntro},
			Bullets{Items: sec.FollowUp},
			Paragraph{Text: r.T("followup.register.lead") + " " + sec.FollowUpAnswer},
		}})
	}
	return b
}

// keepIntroWithFirst joins a benefit's introduction b[:n] (heading, meta,
// description, comment) with the KeepTogether that starts its first
// indicator at b[n], so that the heading is never left alone at the foot of
// a page; b is returned as is when b[n] is not a KeepTogether.
func keepIntroWithFirst(b []Block, n int) []Block {
	k, ok := b[n].(KeepTogether)
	if !ok {
		return b
	}
	joined := KeepTogether{Blocks: append(append([]Block{}, b[:n]...), k.Blocks...)}
	return append([]Block{joined}, b[n+1:]...)
}

// ownerIndicator is one indicator: status and ambitions in words, key
// figures with the chart kept on one page, then the per-unit breakdown.
func ownerIndicator(r report.OwnerReport, is report.IndicatorSection) []Block {
	ambitions := is.FinalText + " " + is.YearText
	if is.RevisedText != "" {
		ambitions += " " + is.RevisedText
	}
	figures := make([]KeyFigure, 0, len(is.Figures))
	for _, f := range is.Figures {
		figures = append(figures, KeyFigure{Label: f.Label, Value: f.Value, Status: f.Status, Note: f.Note})
	}
	var outlook []string
	if is.ProgressText != "" {
		outlook = append(outlook, is.ProgressText)
	}
	if is.ForecastText != "" {
		outlook = append(outlook, is.ForecastText)
	}
	keep := []Block{
		Heading{Level: 2, Text: is.Name},
		StatusBadge{Status: is.Result.Status, Text: is.StatusLine},
		Paragraph{Text: ambitions},
		KeyFigures{Columns: 4, Items: figures},
	}
	if len(is.Chart.Points) > 0 {
		keep = append(keep, Chart{Height: 62, Title: unitTitle(r.Catalog(), is.Chart.Title, is.Chart.Unit), Spec: timeSeries(r, is.Chart)})
		if is.Chart.Caption != "" && (len(is.Chart.Bands) > 0 || is.Chart.PerPeriodShare) {
			keep = append(keep, Paragraph{Text: is.Chart.Caption, Style: Muted})
		}
	}
	b := []Block{KeepTogether{Blocks: keep}}
	if len(outlook) > 0 {
		b = append(b, Paragraph{Text: strings.Join(outlook, " ")})
	}
	b = append(b, commentBlocks("", is.Comment)...)
	if len(is.Breakdown) > 0 {
		t := Table{
			RepeatHeader: true,
			Columns: []Column{
				{Title: r.T("breakdown.col.unit"), Width: 3},
				{Title: r.T("breakdown.col.value"), Width: 1.2, Align: AlignRight},
				{Title: r.T("breakdown.col.status"), Width: 1.3, Align: AlignCenter},
			},
		}
		for _, u := range is.Breakdown {
			t.Rows = append(t.Rows, []Cell{{Text: u.Name}, {Text: u.Value}, {Text: u.StatusText, Status: u.Status}})
		}
		blocks := []Block{Heading{Level: 3, Text: unitTitle(r.Catalog(), r.T("breakdown.heading", "name", is.Name), is.Indicator.Unit)}}
		if bars, ok := breakdownBars(r, is); ok {
			blocks = append(blocks, Chart{Height: 8 + 6.5*float64(len(bars.Items)), Spec: bars})
		}
		// The heading stays with the chart (or the table's first rows); a long
		// table then runs on to the next page with its header repeated.
		b = append(b, KeepTogether{Blocks: blocks}, t)
	}
	return b
}

// breakdownBars draws the per-unit breakdown as status-coloured bars with
// the yearly green limit as a marker; ok is false when fewer than two units
// have a value to draw. Suppressed units show their word, not a bar.
func breakdownBars(r report.OwnerReport, is report.IndicatorSection) (Bars, bool) {
	bars := Bars{Horizontal: true, ValueLabel: r.T("chart.values"),
		Dots: is.Indicator.Aggregation != register.Sum}
	if is.Indicator.Unit == "%" {
		bars.Max = 100
	}
	c := r.Catalog()
	long := chartLongUnit(is.Indicator.Unit)
	if c != nil {
		unit, decimals := is.Indicator.Unit, is.Indicator.Decimals
		if long {
			// A long unit on every tick and bar would run the labels into
			// each other; the heading names it once instead.
			unit = ""
		}
		bars.FormatValue = func(v float64) string { return c.Value(v, unit, decimals) }
	}
	var target *float64
	if th := is.Result.Thresholds; th != nil && is.Result.Status != register.Invalid && !is.Result.PartOfWhole &&
		is.Indicator.Aggregation != register.Sum {
		g := th.GreenLimit
		target = &g
		bars.TargetLabel = r.T("chart.year_ambition")
	}
	drawn := 0
	for _, u := range is.Breakdown {
		bar := Bar{Label: u.Name, Status: u.Status, Target: target, ValueText: u.Value, Empty: u.Raw == nil}
		if u.Raw != nil {
			bar.Value = *u.Raw
			drawn++
			if long && bars.FormatValue != nil {
				bar.ValueText = bars.FormatValue(*u.Raw)
			}
			if u.Status != "" {
				// The word beside the colour: the chart reads in grey print too.
				bar.ValueText += " · " + u.StatusText
			}
		}
		bars.Items = append(bars.Items, bar)
	}
	return bars, drawn >= 2
}

// ownerActions is the benefit's change actions, overdue ones marked; the
// steering pack's benefit pages use it too.
func ownerActions(r texter, sec report.BenefitSection) []Block {
	b := []Block{Heading{Level: 2, Text: r.T("actions.heading")}}
	if len(sec.Actions) == 0 {
		return append(b, Paragraph{Text: r.T("actions.none"), Style: Muted})
	}
	if sec.OverdueText != "" {
		b = append(b, Paragraph{Text: sec.OverdueText, Style: Warning})
	}
	t := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("actions.col.title"), Width: 3},
			{Title: r.T("actions.col.responsible"), Width: 1.6},
			{Title: r.T("actions.col.due"), Width: 1.4},
			{Title: r.T("actions.col.status"), Width: 1.6},
		},
	}
	for _, a := range sec.Actions {
		due, status := actionDueStatus(r, a)
		t.Rows = append(t.Rows, []Cell{{Text: a.Title}, {Text: a.Responsible}, due, status})
	}
	return append(b, t)
}

// actionDueStatus is an open action's due and status cells: the due date
// in bold and the status marked red and prefixed "overdue" when it is late.
// The owner report and the annual report's open actions share it.
func actionDueStatus(r texter, a report.ActionRow) (due, status Cell) {
	due = Cell{Text: a.Due}
	status = Cell{Text: a.StatusText}
	if a.Overdue {
		due.Bold = true
		status = Cell{Text: r.T("actions.overdue") + " – " + a.StatusText, Status: register.Red}
	}
	return due, status
}

// ownerNotes closes the report with the data-quality notes.
func ownerNotes(r report.OwnerReport) []Block {
	return notesSection(r, r.T("notes.heading"), r.T("notes.intro"), r.Notes)
}

// notesSection is the data-quality section that closes every report:
// heading, intro (or "no notes") and one row per note with its severity.
func notesSection(t texter, heading, intro string, notes []report.NoteLine) []Block {
	b := []Block{Heading{Level: 1, Text: heading}}
	if len(notes) == 0 {
		return append(b, Paragraph{Text: t.T("notes.none"), Style: Muted})
	}
	b = append(b, Paragraph{Text: intro, Style: Muted})
	tbl := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: t.T("label.severity"), Width: 1},
			{Title: t.T("label.note"), Width: 6},
		},
	}
	for _, n := range notes {
		sev := Cell{Text: t.T("notes.warning"), Muted: true}
		if n.Note.Severity == register.SeverityError {
			sev = Cell{Text: t.T("notes.error"), Bold: true}
		}
		tbl.Rows = append(tbl.Rows, []Cell{sev, {Text: n.Text}})
	}
	return append(b, tbl)
}

// timeSeries turns the report's chart model into the pdf chart spec.
func timeSeries(r report.OwnerReport, cm report.ChartModel) TimeSeries {
	ts := chartSpec(r.Catalog(), cm)
	if c := r.Catalog(); c != nil && chartLongUnit(cm.Unit) {
		// A long unit ("per 1000 innleggelser") on every tick would overrun
		// the plot; the chart's title names it once (unitTitle).
		decimals := cm.Decimals
		ts.FormatValue = func(v float64) string { return c.Value(v, "", decimals) }
	}
	return ts
}

// chartLongUnit says whether a unit is too long for every tick and bar
// label of the owner report's full-width charts ("per 1000 innleggelser");
// a word such as "minutter" still fits.
func chartLongUnit(unit string) bool { return utf8.RuneCountInString(unit) > 10 }

// unitTitle is a chart's title naming a long unit that its ticks and
// labels leave out, unless the title already says it.
func unitTitle(c *report.Catalog, title, unit string) string {
	if c == nil || !chartLongUnit(unit) {
		return title
	}
	u := c.Unit(unit)
	if strings.Contains(title, u) {
		return title
	}
	return title + " (" + u + ")"
}

// chartSpec turns a chart model into the pdf chart spec, formatting values
// and months with catalogue c (nil leaves the chart's defaults); the owner
// report and the steering pack share it.
func chartSpec(c *report.Catalog, cm report.ChartModel) TimeSeries {
	ts := TimeSeries{
		Baseline:  cm.Baseline,
		ZeroBased: zeroBased(cm),
		Labels: TimeSeriesLabels{
			Values:         cm.ValuesLabel,
			Baseline:       cm.BaselineLabel,
			YearlyAmbition: cm.StepLabel,
			FinalAmbition:  cm.FinalLabel,
		},
	}
	if cm.Baseline == nil {
		ts.Labels.Baseline = ""
	}
	if !anyValue(cm.Points) {
		ts.Labels.Values = ""
	}
	if len(cm.Steps) == 0 {
		ts.Labels.YearlyAmbition = ""
	}
	if cm.Final == nil {
		ts.Labels.FinalAmbition = ""
	}
	if c != nil {
		unit, decimals := cm.Unit, cm.Decimals
		ts.FormatValue = func(v float64) string { return c.Value(v, unit, decimals) }
		ts.MinStep = math.Pow(10, -float64(decimals))
		ts.FormatTime = func(t time.Time) string { return c.MonthShort(register.MonthFromTime(t)) }
	}
	if cm.Unit == "%" {
		ts.Max = 100
	}
	for _, p := range cm.Points {
		at := p.At
		if at.IsZero() {
			at = p.Period.FirstDay()
		}
		ts.Points = append(ts.Points, TimePoint{Time: at, Value: p.Value})
	}
	for _, s := range cm.Steps {
		ts.YearlyAmbition = append(ts.YearlyAmbition, Step{From: s.From.FirstDay(), To: s.To.Add(1).FirstDay(), Value: s.Value})
	}
	if cm.Final != nil {
		ts.FinalAmbition = &Target{Date: cm.Final.Date, Value: cm.Final.Value}
	}
	for _, band := range cm.Bands {
		bd := Band{Status: band.Status, Low: band.Low, High: band.High,
			From: band.From.FirstDay(), To: band.To.Add(1).FirstDay()}
		if c != nil {
			bd.Word = c.Status(band.Status)
		}
		ts.Bands = append(ts.Bands, bd)
	}
	return ts
}

// anyValue reports whether a chart has at least one point with a shown
// value; a series that is all suppressed or missing draws no line, so the
// legend must not list it.
func anyValue(points []report.ChartPoint) bool {
	for _, p := range points {
		if p.Value != nil {
			return true
		}
	}
	return false
}

// zeroBased starts the value axis at zero unless every value the chart shows
// lies in the upper half of its range: a share that moves between 85 % and
// 90 % would otherwise be a flat line at the top of the chart.
func zeroBased(cm report.ChartModel) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	for _, p := range cm.Points {
		if p.Value != nil {
			see(*p.Value)
		}
	}
	if cm.Baseline != nil {
		see(*cm.Baseline)
	}
	for _, s := range cm.Steps {
		see(s.Value)
	}
	if cm.Final != nil {
		see(cm.Final.Value)
	}
	for _, b := range cm.Bands {
		see(b.Low)
		see(b.High)
	}
	if lo > hi {
		return true
	}
	return lo < 0.5*hi
}
