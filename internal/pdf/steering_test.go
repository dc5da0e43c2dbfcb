package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/templates"
)

// demoSteering builds the steering pack of the small demo for its latest month.
func demoSteering(t *testing.T, lang string) report.SteeringReport {
	t.Helper()
	x, err := register.NewIndex(demo.Generate(demo.Small))
	if err != nil {
		t.Fatalf("index demo: %v", err)
	}
	cats, err := report.LoadCatalogs(templates.FS)
	if err != nil {
		t.Fatalf("load catalogues: %v", err)
	}
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatalf("load Europe/Oslo: %v", err)
	}
	opt := report.SteeringOptions{
		Options: report.Options{
			Settings:    register.DefaultSettings(),
			DefaultLang: "nb",
			Now:         time.Date(2025, time.October, 3, 4, 0, 0, 0, time.UTC),
			Location:    oslo,
		},
		Title: "Styringsgruppe digitalisering og standardisering",
	}
	rep, err := report.BuildSteering(x, demo.Latest(demo.Small), cats, lang, opt)
	if err != nil {
		t.Fatalf("build steering pack: %v", err)
	}
	return rep
}

func TestSteeringDemoRenders(t *testing.T) {
	tests := []struct {
		name  string
		lang  string
		wants []string // beside the title, period, category names and savings figures
	}{
		{name: "bokmål", lang: "nb", wants: []string{"Porteføljestatus", "Trenger oppmerksomhet", "Realiserte besparelser 2025", "Vedlegg: datakvalitet", "Grønn", "Rød"}},
		{name: "nynorsk", lang: "nn", wants: []string{"Porteføljestatus", "Treng merksemd", "Realiserte innsparingar 2025", "Grøn", "Raud"}},
		{name: "english", lang: "en", wants: []string{"Portfolio status", "Needs attention", "Realised savings 2025", "Green", "Red"}},
	}
	e, err := New()
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := demoSteering(t, tt.lang)
			var buf bytes.Buffer
			info, err := e.Render(context.Background(), &buf, Steering(rep))
			if err != nil {
				t.Fatalf("render steering pack: %v", err)
			}
			if len(info.Replaced) > 0 {
				t.Errorf("characters missing from the font: %q", string(info.Replaced))
			}
			// Page 1 portfolio, changes/attention, savings, one page per benefit, appendix.
			if min := 3 + len(rep.Benefits) + 1; info.Pages < min {
				t.Errorf("%d pages, want at least %d", info.Pages, min)
			}
			if dir := keepOwnerPDF; dir != "" {
				if err := os.WriteFile(filepath.Join(dir, "steering-"+tt.lang+".pdf"), buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			text := ownerSquash(ownerPDFText(t, buf.Bytes()))
			wants := append([]string{rep.Title, rep.PeriodText, rep.DataPer, rep.Savings.RealisedText, rep.Savings.AmbitionText}, tt.wants...)
			for _, cat := range rep.Portfolio.Categories {
				wants = append(wants, cat.Name)
			}
			for _, ex := range rep.Savings.Excluded {
				wants = append(wants, ex.BenefitID)
			}
			for _, b := range rep.Benefits {
				wants = append(wants, b.Section.Benefit.ID)
			}
			for _, w := range wants {
				if !strings.Contains(text, ownerSquash(w)) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			if strings.Contains(text, "[steering.") {
				t.Errorf("PDF text has an unworded catalogue key")
			}
		})
	}
}

func TestSteeringPortfolioPageHasChartAndTable(t *testing.T) {
	rep := demoSteering(t, "nb")
	doc := Steering(rep)
	var stacked *StackedBars
	var tables int
	for _, b := range doc.Blocks {
		if _, ok := b.(PageBreak); ok {
			break
		}
		switch b := b.(type) {
		case Chart:
			if s, ok := b.Spec.(StackedBars); ok {
				stacked = &s
			}
		case Table:
			tables++
		}
	}
	if stacked == nil {
		t.Fatal("page 1 has no stacked status chart")
	}
	if len(stacked.Groups) != len(register.Categories) {
		t.Errorf("chart has %d groups, want the %d categories", len(stacked.Groups), len(register.Categories))
	}
	sum := 0.0
	for _, seg := range stacked.Segments {
		for _, v := range seg.Values {
			sum += v
		}
	}
	if int(sum) != rep.Portfolio.Total {
		t.Errorf("chart counts %v indicators, the portfolio has %d", sum, rep.Portfolio.Total)
	}
	if tables < 2 {
		t.Errorf("page 1 has %d tables, want the category and the organisation table", tables)
	}
}
