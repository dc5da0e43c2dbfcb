package pdf

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gevinstrapport/internal/register"
)

// pageOf is the index of the first page whose text contains s, or -1.
func pageOf(pages []string, s string) int {
	for i, p := range pages {
		if strings.Contains(ownerSquash(p), ownerSquash(s)) {
			return i
		}
	}
	return -1
}

func sampleBars() Bars {
	return Bars{
		Items: []Bar{
			{Label: "2023", Value: 10, Status: register.Red},
			{Label: "2024", Value: 14, Status: register.Yellow},
			{Label: "2025", Value: 19, Status: register.Green, Target: register.F(18)},
		},
		FormatValue: fmtValue,
		ValueLabel:  "Verdi",
		TargetLabel: "Ambisjon",
	}
}

func TestChartRowRenders(t *testing.T) {
	tests := []struct {
		name     string
		row      ChartRow
		wantColW float64 // mm
	}{
		{name: "two time series", wantColW: (174 - 6) / 2.0, row: ChartRow{Charts: []Chart{
			{Height: 30, Title: "Diagram venstre", Spec: sampleSeries(0, true)},
			{Height: 30, Title: "Diagram høyre", Spec: sampleSeries(3, true)},
		}}},
		{name: "three of different kinds and heights", wantColW: (174 - 2*4) / 3.0, row: ChartRow{Gap: 4, Charts: []Chart{
			{Height: 30, Title: "Diagram venstre", Spec: sampleSeries(0, true)},
			{Height: 45, Title: "Diagram midten med en lang tittel som må brytes over flere linjer", Spec: sampleBars()},
			{Height: 25, Title: "Diagram høyre", Spec: StackedBars{Groups: []string{"A", "B"}, Segments: []Segment{
				{Status: register.Green, Label: "Grønn", Values: []float64{2, 3}},
				{Status: register.Red, Label: "Rød", Values: []float64{1, 0}},
			}}},
		}}},
		{name: "one chart in a column of two", wantColW: (174 - 6) / 2.0, row: ChartRow{Columns: 2, Charts: []Chart{
			{Height: 30, Title: "Diagram venstre", Spec: sampleSeries(0, true)},
		}}},
	}
	e := newEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Document{Title: "Diagramrad", Blocks: []Block{
				Paragraph{Text: "Før raden."},
				tt.row,
				Paragraph{Text: "Etter raden."},
			}}
			b, info := render(t, e, "chartrow-"+strings.ReplaceAll(tt.name, " ", "-"), doc)
			validate(t, b)
			pages := pageTexts(t, b)
			if info.Pages != 1 {
				t.Errorf("%d pages, want the row on page 1", info.Pages)
			}
			for _, c := range tt.row.Charts {
				if p := pageOf(pages, c.Title); p != 0 {
					t.Errorf("title %q on page index %d, want 0", c.Title, p)
				}
			}

			// Side by side, the row is as tall as its tallest chart in its
			// column, and lower than the charts stacked at full width.
			r := benchLayout(t, e)
			colW, _ := tt.row.geometry()
			if math.Abs(colW-tt.wantColW) > 1e-9 {
				t.Errorf("column width %.2f mm, want %.2f", colW, tt.wantColW)
			}
			rowH := r.height(tt.row)
			stacked := 0.0
			tallest := 0.0
			for _, c := range tt.row.Charts {
				stacked += r.height(c)
				tallest = max(tallest, c.height())
			}
			if rowH < tallest+blockGap {
				t.Errorf("row height %.1f mm, less than its tallest plot %.1f mm", rowH, tallest)
			}
			if len(tt.row.Charts) > 1 && rowH >= stacked {
				t.Errorf("row height %.1f mm, want less than the %.1f mm of the charts stacked", rowH, stacked)
			}
		})
	}
}

func TestChartRowMovesToNextPageAsAUnit(t *testing.T) {
	e := newEngine(t)
	row := ChartRow{Charts: []Chart{
		{Height: 40, Title: "Diagram venstre", Spec: sampleSeries(0, true)},
		{Height: 50, Title: "Diagram høyre", Spec: sampleBars()},
	}}
	marker := Paragraph{Text: "Markør før raden."}
	r := benchLayout(t, e)
	rowH, markerH := r.height(row), r.height(marker)
	// The room left below the marker is what the spacer leaves of the page.
	room := contentBottom - marginTop - markerH
	tests := []struct {
		name     string
		spacer   float64 // mm of white space before the marker paragraph and the row
		wantPage int
	}{
		{name: "fits with half a millimetre to spare", spacer: room - rowH - 0.5, wantPage: 0},
		{name: "one millimetre short", spacer: room - rowH + 1, wantPage: 1},
		{name: "far too little room", spacer: room - 30, wantPage: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := Document{Blocks: []Block{
				Spacer{Height: tt.spacer},
				marker,
				row,
			}}
			var buf bytes.Buffer
			info, err := e.Render(context.Background(), &buf, doc)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			validate(t, buf.Bytes())
			pages := pageTexts(t, buf.Bytes())
			if got := pageOf(pages, "Markør før raden."); got != 0 {
				t.Fatalf("marker on page index %d, want 0", got)
			}
			for _, c := range row.Charts {
				if got := pageOf(pages, c.Title); got != tt.wantPage {
					t.Errorf("title %q on page index %d, want %d", c.Title, got, tt.wantPage)
				}
			}
			if info.Pages != tt.wantPage+1 {
				t.Errorf("%d pages, want %d", info.Pages, tt.wantPage+1)
			}
		})
	}
}

func TestBarLegendSwatchShowsTheBarsColours(t *testing.T) {
	green, yellow, red := styleOf(register.Green).Fill, styleOf(register.Yellow).Fill, styleOf(register.Red).Fill
	tests := []struct {
		name string
		bars []Bar
		want []rgb // the swatch's colours; one colour is a plain box
	}{
		{name: "neutral bars", bars: []Bar{{Label: "a", Value: 1}, {Label: "b", Value: 2}}, want: []rgb{colNeutralBar}},
		{name: "status bars", bars: []Bar{{Label: "a", Value: 1, Status: register.Red}, {Label: "b", Value: 2, Status: register.Green}},
			want: []rgb{green, red}},
		{name: "status bars and a neutral sum", bars: []Bar{
			{Label: "a", Value: 1, Status: register.Yellow}, {Label: "b", Value: 2, Status: register.Green}, {Label: "Sum", Value: 3},
		}, want: []rgb{green, yellow, colNeutralBar}},
		{name: "an empty neutral bar is not seen", bars: []Bar{
			{Label: "2021", Value: 0, ValueText: "–"}, {Label: "2022", Value: 2, Status: register.Green},
		}, want: []rgb{green}},
	}
	e := newEngine(t)
	r := benchLayout(t, e)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := r.chartLegend(Chart{Spec: Bars{Items: tt.bars, ValueLabel: "Realisert", TargetLabel: "Ambisjon"}})
			if len(es) != 2 || es[0].label != "Realisert" {
				t.Fatalf("legend %+v, want the value entry and the target entry", es)
			}
			got := es[0].colors
			if len(got) == 0 {
				got = []rgb{es[0].color}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("value swatch colours %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSteeringBenefitsFitOnePageEach(t *testing.T) {
	tests := []struct {
		name    string
		lang    string
		actions string // the benefit page's last section
		notes   string // the appendix after the benefits
	}{
		{name: "bokmål", lang: "nb", actions: "Åpne endringstiltak", notes: "Vedlegg: datakvalitet"},
		{name: "nynorsk", lang: "nn", actions: "Opne endringstiltak", notes: "Vedlegg: datakvalitet"},
		{name: "english", lang: "en", actions: "Open change actions", notes: "Appendix: data quality"},
	}
	e := newEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := demoSteering(t, tt.lang)
			b, _ := render(t, e, "steering-fit-"+tt.lang, Steering(rep))
			pages := pageTexts(t, b)
			// The portfolio, changes and attention (as long as the list is),
			// and savings come first; the benefits start after the savings page.
			savings := pageOf(pages, rep.T("steering.savings.heading", "year", strconv.Itoa(rep.Savings.Year)))
			if savings < 2 {
				t.Fatalf("savings heading on page %d, want after the portfolio and the attention list", savings+1)
			}
			first := savings + 1
			for i, sb := range rep.Benefits {
				p := first + i
				if p >= len(pages) {
					t.Fatalf("%d pages, too few for %d benefits", len(pages), len(rep.Benefits))
				}
				text := ownerSquash(pages[p])
				heading := sb.Section.Benefit.ID + " " + sb.Section.Title
				if !strings.Contains(text, ownerSquash(heading)) {
					t.Errorf("page %d lacks the heading of %s; it reads %.120q", p+1, sb.Section.Benefit.ID, text)
					continue
				}
				// Its last section, the actions, ends on the same page.
				if !strings.Contains(text, tt.actions) {
					t.Errorf("%s: page %d lacks %q: the benefit spills onto the next page", sb.Section.Benefit.ID, p+1, tt.actions)
				}
				for _, is := range sb.Section.Indicators {
					if !strings.Contains(text, ownerSquash(is.Name)) {
						t.Errorf("%s: page %d lacks indicator %q", sb.Section.Benefit.ID, p+1, is.Name)
					}
				}
			}
			after := first + len(rep.Benefits)
			if got := pageOf(pages[min(after, len(pages)):], tt.notes); got != 0 {
				t.Errorf("the appendix starts %d page(s) after the last benefit's page, want right after it", got+1)
			}
		})
	}
}
