package pdf

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

var monthsNB = []string{"jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."}

func fmtTime(t time.Time) string { return fmt.Sprintf("%s %02d", monthsNB[t.Month()-1], t.Year()%100) }

// fmtValue formats like Norwegian reports do: decimal comma, space thousands separator.
func fmtValue(v float64) string {
	s := fmt.Sprintf("%.1f", math.Abs(v))
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	out := b.String() + "," + frac
	if v < 0 {
		out = "−" + out
	}
	return out
}

func pageLabelNB(page, total int) string { return fmt.Sprintf("Side %d av %d", page, total) }

func month(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

// sampleSeries is a monthly series from Jan 2024 to Sep 2025 with gaps.
func sampleSeries(seed float64, small bool) TimeSeries {
	var pts []TimePoint
	for i := 0; i < 21; i++ {
		t := month(2024, time.January).AddDate(0, i, 0)
		var v *float64
		if i != 7 && i != 8 && i != 15 {
			v = register.F(12 + seed + float64(i)*0.6 + 2*math.Sin(float64(i)+seed))
		}
		pts = append(pts, TimePoint{Time: t, Value: v})
	}
	return TimeSeries{
		Points:   pts,
		Baseline: register.F(12),
		YearlyAmbition: []Step{
			{From: month(2024, time.January), To: month(2025, time.January), Value: 18},
			{From: month(2025, time.January), To: month(2026, time.January), Value: 24},
			{From: month(2026, time.January), To: month(2026, time.December), Value: 30},
		},
		FinalAmbition: &Target{Date: month(2026, time.December), Value: 30},
		Bands: []Band{
			{Status: register.Red, Low: math.Inf(-1), High: 18, From: month(2025, time.January), To: month(2026, time.January), Label: "Rødt område 2025"},
			{Status: register.Yellow, Low: 18, High: 24, From: month(2025, time.January), To: month(2026, time.January), Label: "Gult område 2025"},
			{Status: register.Green, Low: 24, High: math.Inf(1), From: month(2025, time.January), To: month(2026, time.January), Label: "Grønt område 2025"},
		},
		Labels:      TimeSeriesLabels{Values: "Måling", Baseline: "Nullpunkt", YearlyAmbition: "Årlig ambisjon", FinalAmbition: "Endelig ambisjon"},
		FormatValue: func(v float64) string { return fmtValue(v) + " %" },
		FormatTime:  fmtTime,
		ZeroBased:   true,
		Small:       small,
	}
}

func statusCell(s register.Status) Cell {
	words := map[register.Status]string{
		register.Green: "Grønn", register.Yellow: "Gul", register.Red: "Rød", register.NoData: "Mangler data",
		register.Suppressed: "Prikket", register.NoAmbition: "Ingen ambisjon", register.Invalid: "Ugyldig",
	}
	return Cell{Text: words[s], Status: s}
}

var allStatuses = []register.Status{register.Green, register.Yellow, register.Red, register.NoData, register.Suppressed, register.NoAmbition, register.Invalid}

// ownerLikeDoc is a representative owner report: four benefits with key
// figures, a time-series chart, a unit breakdown and a table of actions.
func ownerLikeDoc() Document {
	doc := Document{
		Title:     "Månedsrapport gevinstrealisering",
		Subtitle:  "Kari Nordmann, gevinstansvarlig · Porsáŋgu – Porsanger og Snåase – Snåsa",
		Header:    "september 2025 · data per 3. oktober 2025",
		PageLabel: pageLabelNB,
		Lang:      "nb",
		Author:    "gevinstrapport",
		Subject:   "Gevinstrealisering september 2025",
		Created:   time.Date(2025, time.October, 3, 6, 0, 0, 0, time.UTC),
	}
	summary := Table{
		Columns:      []Column{{Title: "Gevinst", Width: 3}, {Title: "Indikator", Width: 3}, {Title: "Siste verdi", Width: 1.4, Align: AlignRight}, {Title: "Status", Width: 1.6}},
		RepeatHeader: true,
	}
	for i := 0; i < 8; i++ {
		summary.Rows = append(summary.Rows, []Cell{
			{Text: fmt.Sprintf("G-%03d Færre telefoner til poliklinikken i Snåase – Snåsa", i+1), Bold: true},
			{Text: "Andel timer booket av pasienten selv (æøå ÆØÅ ŋ č đ ŧ š ž á)"},
			{Text: fmtValue(10+float64(i)*1.5) + " %"},
			statusCell(allStatuses[i%len(allStatuses)]),
		})
	}
	doc.Blocks = append(doc.Blocks,
		Heading{Level: 1, Text: "Sammendrag"},
		Paragraph{Text: "Rapporten viser status for dine gevinster per september 2025. Status vises alltid med ord og farge."},
		Legend{Items: []LegendItem{{register.Green, "Grønn: ambisjonen nådd"}, {register.Yellow, "Gul: på vei"}, {register.Red, "Rød: under rød grense"}, {register.NoData, "Mangler data"}, {register.Suppressed, "Prikket"}}},
		summary,
	)
	for b := 0; b < 4; b++ {
		doc.Blocks = append(doc.Blocks,
			Heading{Level: 1, Text: fmt.Sprintf("G-%03d Flere timer booket av pasienten selv", b+1)},
			Paragraph{Text: "Hovedområde: pasientinvolvering og forebygging. Endelig ambisjon: 30,0 % innen 2026. Årlig ambisjon 2025: 24,0 %.", Style: Muted},
			KeyFigures{Items: []KeyFigure{
				{Label: "Nullpunkt", Value: "12,0 %", Note: "2023"},
				{Label: "Siste verdi", Value: "19,4 %", Status: register.Yellow, StatusText: "Gul", Note: "september 2025"},
				{Label: "Årlig ambisjon", Value: "24,0 %"},
				{Label: "Endelig ambisjon", Value: "30,0 %", Note: "innen 2026"},
				{Label: "Fremdrift", Value: "41 %"},
				{Label: "Trend", Value: "Bedring"},
				{Label: "Prognose", Value: "22,1 %", Note: "når ikke årets ambisjon"},
			}},
			Chart{Height: 62, Title: "Andel timer booket av pasienten selv", Spec: sampleSeries(float64(b), false)},
		)
	}
	doc.Blocks = append(doc.Blocks,
		Heading{Level: 2, Text: "Endringstiltak"},
		Table{
			Columns: []Column{{Title: "Tiltak", Width: 4}, {Title: "Ansvarlig", Width: 2}, {Title: "Frist", Width: 1.3}, {Title: "Status", Width: 1.7}},
			Rows: [][]Cell{
				{{Text: "Innføre selvbetjent timebestilling i Helsenorge"}, {Text: "Ola Nordmann"}, {Text: "01.06.2025"}, {Text: "Forfalt", Status: register.Red}},
				{{Text: "Opplæring av merkantilt personale"}, {Text: "Áslat Mikkelsen"}, {Text: "01.12.2025", Muted: true}, {Text: "Pågår", Status: register.Yellow}},
			},
			RepeatHeader: true,
		},
	)
	return doc
}

// fullDoc exercises every block type and every chart kind.
func fullDoc() Document {
	doc := ownerLikeDoc()
	doc.Blocks = append(doc.Blocks,
		PageBreak{},
		Heading{Level: 1, Text: "Porteføljestatus"},
		Heading{Level: 2, Text: "Status per hovedområde"},
		StatusBadge{Status: register.Red, Text: "Rød"},
		Chart{Height: 55, Spec: StackedBars{
			Groups: []string{"Tilfredshet", "Pasientsikkerhet og kvalitet", "Datasikkerhet", "Pasientinvolvering og forebygging", "Kostnadsbesparelser"},
			Segments: []Segment{
				{Status: register.Green, Label: "Grønn", Values: []float64{3, 2, 1, 4, 2}},
				{Status: register.Yellow, Label: "Gul", Values: []float64{1, 3, 0, 2, 1}},
				{Status: register.Red, Label: "Rød", Values: []float64{2, 1, 1, 0, 3}},
				{Status: register.NoData, Label: "Mangler data", Values: []float64{0, 1, 0, 1, 0}},
			},
			Horizontal:  true,
			FormatValue: func(v float64) string { return fmt.Sprintf("%.0f", v) },
		}},
		Chart{Height: 55, Title: "Status per organisasjon", Spec: StackedBars{
			Groups: []string{"St. Olavs hospital HF", "Helse Møre og Romsdal HF", "Porsáŋgu – Porsanger", "Snåase – Snåsa"},
			Segments: []Segment{
				{Status: register.Green, Label: "Grønn", Values: []float64{5, 3, 1, 2}},
				{Status: register.Yellow, Label: "Gul", Values: []float64{2, 2, 1, 0}},
				{Status: register.Red, Label: "Rød", Values: []float64{1, 2, 0, 1}},
			},
			FormatValue: func(v float64) string { return fmt.Sprintf("%.0f", v) },
		}},
		KeepTogether{Blocks: []Block{
			Heading{Level: 2, Text: "Realiserte besparelser"},
			Chart{Height: 50, Spec: Bars{
				Items: []Bar{
					{Label: "St. Olavs hospital HF", Value: 7624000, Status: register.Yellow, Target: register.F(9000000)},
					{Label: "Helse Nord-Trøndelag HF", Value: 3100000, Status: register.Green, Target: register.F(2500000)},
					{Label: "Snåase – Snåsa", Value: 250000, Status: register.Red, Target: register.F(800000)},
				},
				Horizontal:  true,
				FormatValue: func(v float64) string { return fmtValue(v/1e6) + " mill. kr" },
				ValueLabel:  "Realisert", TargetLabel: "Ambisjon 2025",
			}},
		}},
		Chart{Height: 50, Title: "Per enhet", Spec: Bars{
			Items: []Bar{
				{Label: "Enhet A", Value: 21.5, Status: register.Yellow},
				{Label: "Enhet B", Value: 26.1, Status: register.Green},
				{Label: "Enhet C", Value: 9.9, Status: register.Red},
				{Label: "Enhet D (prikket)", Value: 0, Status: register.Suppressed, ValueText: "prikket"},
			},
			FormatValue: func(v float64) string { return fmtValue(v) + " %" },
		}},
		Chart{Height: 40, Title: "Liten variant", Spec: sampleSeries(1, true)},
		Bullets{Items: []string{
			"Er endringstiltakene implementert?",
			"Gir tiltakene ønsket effekt på indikatoren? " + strings.Repeat("Lang tekst som må brytes over flere linjer. ", 6),
			"Finnes det flere tiltak som kan nå ambisjonen raskere?",
		}},
		Paragraph{Text: "Indikatoren G-003-1 mangler data for august 2025.", Style: Warning},
		Spacer{Height: 4},
		Paragraph{Text: "Kilde: Helseplattformen rapportdatabase.", Style: Small},
	)
	return doc
}
