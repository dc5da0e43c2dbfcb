package pdf

import (
	"strconv"
	"strings"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
)

// Steering composes the steering-group pack: portfolio status at a glance
// on page 1, changes since the previous period and the attention list,
// realised savings, one compact page per benefit and the data-quality appendix.
func Steering(r report.SteeringReport) Document {
	doc := frame(r, r.Title, r.Subtitle, r.Header, r.Lang, r.T("steering.subject")+", "+r.PeriodText, r.GeneratedAt)
	ids := make([]string, 0, len(r.Benefits))
	for _, sb := range r.Benefits {
		ids = append(ids, sb.Section.Benefit.ID)
	}
	doc.Author, doc.Keywords = authorOr(r.Organisation), keywords(r.Title, r.PeriodText, ids)
	b := steeringPortfolio(r)
	b = append(b, PageBreak{})
	b = append(b, steeringChanges(r)...)
	b = append(b, steeringAttention(r)...)
	b = append(b, PageBreak{})
	b = append(b, steeringSavings(r)...)
	for _, sb := range r.Benefits {
		b = append(b, PageBreak{})
		b = append(b, steeringBenefit(r, sb)...)
	}
	b = append(b, PageBreak{})
	b = append(b, steeringNotes(r)...)
	doc.Blocks = b
	return doc
}

// shownStatuses are the status columns of the portfolio tables: the three
// traffic lights always, the other statuses only when some indicator has them.
func shownStatuses(p report.Portfolio) []int {
	var out []int
	for i, st := range p.Statuses {
		if trafficLight(st) || p.Counts[st] > 0 {
			out = append(out, i)
		}
	}
	return out
}

func trafficLight(s register.Status) bool {
	return s == register.Green || s == register.Yellow || s == register.Red
}

// steeringPortfolio is page 1: the period, the status per category as a
// chart and a table, and the status per organisation.
func steeringPortfolio(r report.SteeringReport) []Block {
	p := r.Portfolio
	b := []Block{
		KeyFigures{Columns: 4, Items: []KeyFigure{
			{Label: r.T("label.period"), Value: r.PeriodText},
			{Label: r.T("label.data_through"), Value: r.LatestText},
			{Label: r.T("label.made"), Value: r.DataPer},
			{Label: r.T("steering.label.portfolio"), Value: r.T("steering.portfolio.size",
				"benefits", strconv.Itoa(p.Benefits), "indicators", strconv.Itoa(p.Total))},
		}},
		Paragraph{Text: r.Intro, Style: Muted},
		Heading{Level: 1, Text: r.T("steering.portfolio.heading")},
		Paragraph{Text: p.CountsText},
	}
	cols := shownStatuses(p)
	chart := StackedBars{Horizontal: true}
	for _, cat := range p.Categories {
		chart.Groups = append(chart.Groups, cat.Name)
	}
	for _, i := range cols {
		seg := Segment{Status: p.Statuses[i], Label: p.StatusTexts[i]}
		for _, cat := range p.Categories {
			seg.Values = append(seg.Values, float64(cat.Counts[i]))
		}
		chart.Segments = append(chart.Segments, seg)
	}
	b = append(b,
		Chart{Height: 48, Title: r.T("steering.portfolio.chart"), Spec: chart},
		countTable(r, r.T("label.category"), p.Categories, cols, true),
		Heading{Level: 2, Text: r.T("steering.portfolio.by_organisation")},
		countTable(r, r.T("steering.col.organisation"), p.Organisations, cols, false),
	)
	return b
}

// countTable is a table of status counts per group with a totals row; each
// non-zero count is a badge in its status colour under a column that names
// the status.
func countTable(r report.SteeringReport, first string, groups []report.GroupCount, cols []int, totals bool) Table {
	p := r.Portfolio
	// Widths leave room for the longest header words ("Gevinster", "ambisjon").
	t := Table{RepeatHeader: true, Columns: []Column{{Title: first, Width: 2.4}, {Title: r.T("steering.col.benefits"), Width: 1.5, Align: AlignRight}}}
	for _, i := range cols {
		t.Columns = append(t.Columns, Column{Title: p.StatusTexts[i], Width: 1.35, Align: AlignCenter})
	}
	t.Columns = append(t.Columns, Column{Title: r.T("steering.col.total"), Width: 0.8, Align: AlignRight})
	countCell := func(n int, st register.Status) Cell {
		if n == 0 {
			return Cell{Text: "0", Muted: true}
		}
		return Cell{Text: strconv.Itoa(n), Status: st}
	}
	sum := make([]int, len(p.Statuses))
	benefits := 0
	for _, g := range groups {
		row := []Cell{{Text: g.Name}, {Text: strconv.Itoa(g.Benefits), Muted: true}}
		for _, i := range cols {
			row = append(row, countCell(g.Counts[i], p.Statuses[i]))
			sum[i] += g.Counts[i]
		}
		benefits += g.Benefits
		t.Rows = append(t.Rows, append(row, Cell{Text: strconv.Itoa(g.Total), Bold: true}))
	}
	if totals {
		row := []Cell{{Text: r.T("steering.col.total"), Bold: true}, {Text: strconv.Itoa(benefits), Bold: true}}
		for _, i := range cols {
			row = append(row, Cell{Text: strconv.Itoa(sum[i]), Bold: true})
		}
		t.Rows = append(t.Rows, append(row, Cell{Text: strconv.Itoa(p.Total), Bold: true}))
	}
	return t
}

// steeringChanges lists the indicators whose status changed since the previous period.
func steeringChanges(r report.SteeringReport) []Block {
	b := []Block{
		Heading{Level: 1, Text: r.T("steering.changes.heading", "period", r.PreviousText)},
		Paragraph{Text: r.ChangesText},
	}
	if len(r.Changes) == 0 {
		return b
	}
	t := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("steering.col.change"), Width: 1.2},
			{Title: r.T("summary.col.indicator"), Width: 3.6},
			{Title: r.T("steering.col.before", "period", r.PreviousText), Width: 1.4, Align: AlignCenter},
			{Title: r.T("steering.col.now", "period", r.PeriodText), Width: 1.4, Align: AlignCenter},
		},
	}
	for _, ch := range r.Changes {
		kind := Cell{Text: ch.KindText, Bold: ch.Kind == report.ChangeWorsened}
		if ch.Kind == report.ChangeOther {
			kind.Muted = true
		}
		t.Rows = append(t.Rows, []Cell{
			kind,
			{Text: ch.IndicatorName + "\n" + ch.BenefitID + " " + shorten(ch.BenefitTitle, shortTitle)},
			{Text: ch.FromText + " · " + ch.FromValue, Status: ch.From},
			{Text: ch.ToText + " · " + ch.ToValue, Status: ch.To},
		})
	}
	return append(b, t)
}

// steeringAttention is the attention list: every item that needs a
// decision with its reasons, most severe first.
func steeringAttention(r report.SteeringReport) []Block {
	b := []Block{Heading{Level: 1, Text: r.T("steering.attention.heading")}}
	if len(r.Attention) == 0 {
		return append(b, Paragraph{Text: r.T("steering.attention.none"), Style: Muted})
	}
	b = append(b, Paragraph{Text: r.T("steering.attention.intro"), Style: Muted})
	t := Table{
		RepeatHeader: true,
		Columns: []Column{
			{Title: r.T("steering.col.reason"), Width: 1.8, Align: AlignCenter},
			{Title: r.T("steering.col.subject"), Width: 2.6},
			{Title: r.T("steering.col.owner"), Width: 1.6},
			{Title: r.T("steering.col.numbers"), Width: 3.3},
		},
	}
	for _, it := range r.Attention {
		// The colour is the status's: a yellow or green status is named
		// beside the reasons; red, invalid, missing data and an overdue
		// action are named by a reason already.
		reason := Cell{Text: strings.Join(it.ReasonTexts, "\n"), Status: it.Status}
		if it.IndicatorID != "" && (it.Status == register.Yellow || it.Status == register.Green) {
			reason.Text += "\n" + it.StatusText
		}
		// The owner's words follow the numbers after a blank line, so the
		// cell reads as figures first, then the explanation.
		detail := it.Detail
		for _, cm := range []*report.Comment{it.Comment, it.BenefitComment} {
			if cm != nil {
				detail += "\n\n" + cm.Brief
			}
		}
		t.Rows = append(t.Rows, []Cell{
			reason,
			{Text: it.Subject + "\n" + it.BenefitID + " " + shorten(it.BenefitTitle, shortTitle)},
			{Text: it.Owner},
			{Text: detail},
		})
	}
	return append(b, t)
}

// steeringSavings is realised savings against the yearly ambition: a bar
// per benefit and the total, a table, and the benefits left out.
func steeringSavings(r report.SteeringReport) []Block {
	sv := r.Savings
	year := strconv.Itoa(sv.Year)
	b := []Block{
		Heading{Level: 1, Text: r.T("steering.savings.heading", "year", year)},
		KeyFigures{Columns: 3, Items: []KeyFigure{
			{Label: r.T("steering.savings.realised", "year", year), Value: sv.RealisedText, Note: r.T("steering.savings.per", "period", r.PeriodText)},
			{Label: r.T("steering.savings.prorated"), Value: sv.ProratedText},
			{Label: r.T("steering.savings.ambition", "year", year), Value: sv.AmbitionText},
		}},
		Paragraph{Text: sv.Text},
	}
	c := r.Catalog()
	kr := func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " kr" }
	if c != nil {
		kr = func(v float64) string { return c.Value(v, "kr", 0) }
	}
	if len(sv.Items) > 0 {
		// The status is judged against the year-to-date ambition: that is the
		// strong marker; the full year's ambition is the light one.
		bars := Bars{Horizontal: true, FormatValue: kr,
			ValueLabel:     r.T("steering.savings.bar_realised"),
			TargetLabel:    r.T("steering.savings.prorated"),
			SecondaryLabel: r.T("steering.savings.bar_ambition", "year", year)}
		for _, it := range sv.Items {
			bar := Bar{Label: it.BenefitID + " " + it.IndicatorName, Status: it.Status, Target: it.Prorated, Secondary: it.Ambition}
			if it.Realised != nil {
				bar.Value = *it.Realised
			}
			bar.ValueText = it.RealisedText + " · " + it.StatusText
			bars.Items = append(bars.Items, bar)
		}
		prorated, total := sv.Prorated, sv.Ambition
		bars.Items = append(bars.Items, Bar{Label: r.T("steering.col.total"), Value: sv.Realised, Target: &prorated, Secondary: &total})
		b = append(b, Chart{Height: float64(18 + 11*len(bars.Items)), Title: r.T("steering.savings.chart", "year", year), Spec: bars})

		t := Table{
			RepeatHeader: true,
			Columns: []Column{
				{Title: r.T("summary.col.indicator"), Width: 3.4},
				{Title: r.T("steering.savings.col.realised"), Width: 1.4, Align: AlignRight},
				{Title: r.T("steering.savings.col.prorated"), Width: 1.4, Align: AlignRight},
				{Title: r.T("steering.savings.col.ambition", "year", year), Width: 1.4, Align: AlignRight},
				{Title: r.T("summary.col.status"), Width: 1.1, Align: AlignCenter},
			},
		}
		for _, it := range sv.Items {
			t.Rows = append(t.Rows, []Cell{
				{Text: it.IndicatorName + "\n" + it.BenefitID + " " + shorten(it.BenefitTitle, shortTitle)},
				{Text: it.RealisedText}, {Text: it.ProratedText, Muted: true}, {Text: it.AmbitionText},
				{Text: it.StatusText, Status: it.Status},
			})
		}
		t.Rows = append(t.Rows, []Cell{
			{Text: r.T("steering.col.total"), Bold: true},
			{Text: sv.RealisedText, Bold: true}, {Text: sv.ProratedText, Bold: true}, {Text: sv.AmbitionText, Bold: true}, {},
		})
		b = append(b, t)
	}
	if len(sv.Excluded) > 0 {
		items := make([]string, 0, len(sv.Excluded))
		for _, ex := range sv.Excluded {
			items = append(items, ex.BenefitID+" "+ex.BenefitTitle+": "+ex.Reason)
		}
		b = append(b, KeepTogether{Blocks: []Block{
			Heading{Level: 2, Text: r.T("steering.savings.excluded_heading")},
			Bullets{Items: items},
		}})
	}
	return append(b, Paragraph{Text: sv.Method, Style: Muted})
}

// steeringBenefit is one benefit's compact page: owner and organisation,
// then the indicators two by two: each one's key figures with a status
// badge, and under the pair their small charts side by side, so that a
// benefit fits on one page.
func steeringBenefit(r report.SteeringReport, sb report.SteeringBenefit) []Block {
	sec := sb.Section
	b := []Block{
		Heading{Level: 1, Text: sec.Benefit.ID + " " + sec.Title},
		Paragraph{Text: sb.Line},
	}
	if sb.CountedIn != "" {
		b = append(b, Paragraph{Text: sb.CountedIn, Style: Muted})
	}
	// The page is compact: comments are shown as their brief; the owner
	// report carries them whole.
	b = append(b, commentBrief("", sec.Comment)...)
	if len(sec.Indicators) == 0 {
		b = append(b, Paragraph{Text: r.T("benefit.no_indicators"), Style: Muted})
	}
	c := r.Catalog()
	for start := 0; start < len(sec.Indicators); start += steeringChartsPerRow {
		var keep []Block
		row := ChartRow{Columns: steeringChartsPerRow}
		for i := start; i < min(start+steeringChartsPerRow, len(sec.Indicators)); i++ {
			is := sec.Indicators[i]
			var figs []KeyFigure
			if i < len(sb.Figures) {
				for j, f := range sb.Figures[i] {
					kf := KeyFigure{Label: f.Label, Value: f.Value, Note: f.Note}
					if j == 0 {
						kf.Status, kf.StatusText = is.Result.Status, is.StatusText
					}
					figs = append(figs, kf)
				}
			}
			keep = append(keep,
				Heading{Level: 3, Text: is.Name},
				KeyFigures{Columns: max(len(figs), 1), Items: figs, Compact: true},
			)
			if len(is.Chart.Points) > 0 {
				row.Charts = append(row.Charts, steeringChart(c, is))
			}
		}
		if len(row.Charts) > 0 {
			keep = append(keep, row)
		}
		b = append(b, KeepTogether{Blocks: keep})
		for i := start; i < min(start+steeringChartsPerRow, len(sec.Indicators)); i++ {
			b = append(b, commentBrief(sec.Indicators[i].Name, sec.Indicators[i].Comment)...)
		}
	}
	return append(b, steeringActions(r, sec)...)
}

// steeringChart is an indicator's small chart, captioned with its name as
// it sits beside another; a long unit ("per 1000 innbyggere") would squeeze
// the half-width plot on every tick, so the caption names it once instead.
func steeringChart(c *report.Catalog, is report.IndicatorSection) Chart {
	ts := chartSpec(c, is.Chart)
	ts.Small = true
	title := is.Name
	if unit, decimals := is.Chart.Unit, is.Chart.Decimals; c != nil && annualLongUnit(unit) {
		ts.FormatValue = func(v float64) string { return c.Value(v, "", decimals) }
		if !strings.Contains(title, unit) {
			title += " (" + unit + ")"
		}
	}
	return Chart{Height: steeringChartHeight, Title: title, Spec: ts}
}

// steeringChartHeight is the height (mm) of an indicator's small chart.
const steeringChartHeight = 27

// steeringChartsPerRow is how many small indicator charts sit side by side
// on a benefit's page.
const steeringChartsPerRow = 2

// steeringActions lists a benefit's open change actions (planned or in
// progress), overdue ones marked as in the owner report; implemented and
// cancelled actions are only counted, so that the page stays compact.
func steeringActions(r report.SteeringReport, sec report.BenefitSection) []Block {
	open := sec
	open.Actions = nil
	for _, a := range sec.Actions {
		if a.Action.Status != register.ActionImplemented && a.Action.Status != register.ActionCancelled {
			open.Actions = append(open.Actions, a)
		}
	}
	heading := Heading{Level: 2, Text: r.T("steering.benefit.actions_heading")}
	if len(open.Actions) == 0 {
		return []Block{heading, Paragraph{Text: r.Catalog().Count("steering.benefit.no_open_actions", strconv.Itoa(len(sec.Actions))), Style: Muted}}
	}
	b := ownerActions(r, open)
	b[0] = heading
	return b
}

// steeringNotes is the data-quality appendix.
func steeringNotes(r report.SteeringReport) []Block {
	return notesSection(r, r.T("steering.notes.heading"), r.NotesIntro, r.Notes)
}

// shortTitle is how many characters of a benefit title the steering pack's
// tables show; the benefit's own page has the whole title.
const shortTitle = 60

// shorten cuts s after at most n characters at a word boundary and adds an ellipsis.
func shorten(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := n
	for i := n; i > n/2; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ,;:–-") + "…"
}
