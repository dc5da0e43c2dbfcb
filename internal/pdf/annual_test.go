package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/templates"
)

// demoAnnual builds the small demo's annual report for year in lang; ownerID
// "" is the whole portfolio.
func demoAnnual(t *testing.T, year int, lang, ownerID string) report.AnnualReport {
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
	opt := report.Options{
		Settings:    register.DefaultSettings(),
		DefaultLang: "nb",
		Now:         time.Date(2025, time.October, 3, 4, 0, 0, 0, time.UTC),
		Location:    oslo,
	}
	rep, err := report.BuildAnnual(x, year, cats, lang, ownerID, opt)
	if err != nil {
		t.Fatalf("build annual report %d %s %q: %v", year, lang, ownerID, err)
	}
	return rep
}

// renderAnnual renders the annual report, keeps it when GEVINST_KEEP_PDF is
// set, and returns the PDF's text per page.
func renderAnnual(t *testing.T, e *Engine, name string, rep report.AnnualReport) (RenderInfo, []string) {
	t.Helper()
	var buf bytes.Buffer
	info, err := e.Render(context.Background(), &buf, Annual(rep))
	if err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	if keepOwnerPDF != "" {
		if err := os.WriteFile(filepath.Join(keepOwnerPDF, name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return info, pageTexts(t, buf.Bytes())
}

func TestAnnualDemoReportRenders(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		name  string
		year  int
		lang  string
		owner string
		wants []string
		lacks []string
	}{
		{name: "annual-2024-nb", year: 2024, lang: "nb",
			wants: []string{"Årsrapport gevinstrealisering 2024", "Årsrapport 2024 · laget 3. oktober 2025",
				"Oversikt 2024", "Hele porteføljen", "Raskere tilgang til prøvesvar for fastleger",
				"Evalueringsfasen", "Hva gikk bra i hver fase", "Hva kan forbedres?", "neste runde med gevinstmål",
				"Forslag 2025", "Foreslått ambisjon for 2025", "Endringstiltak 2024", "Fullført i 2024", "Forfalt", "Datakvalitet", "Ja · Grønn", "Nei · Rød"}},
		{name: "annual-2025-nb-partial", year: 2025, lang: "nb",
			wants: []string{"Årsrapport gevinstrealisering 2025", "2025 hittil i år (til og med september 2025)",
				"Året 2025 er ikke komplett", "Hittil i 2025", "foreløpig", "2025 (jan.–sep.)"}},
		{name: "annual-2024-nn", year: 2024, lang: "nn",
			wants: []string{"Årsrapport gevinstrealisering 2024", "Heile porteføljen", "Kva gjekk bra i kvar fase", "Spørsmål til evalueringa"}},
		{name: "annual-2024-en-owner", year: 2024, lang: "en", owner: "P-002",
			// P-002 has no benefit in evaluation: the cover says so and no evaluation page follows.
			wants: []string{"Annual benefits realisation report 2024", "Benefit owner:", "No benefit reached its final ambition in 2024",
				"Frigjort sykepleiertid ved slutt på dobbeltdokumentasjon"}, lacks: []string{"What went well in each phase", "Evaluation phase"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := demoAnnual(t, tt.year, tt.lang, tt.owner)
			info, pages := renderAnnual(t, e, tt.name, rep)
			if len(info.Replaced) > 0 {
				t.Errorf("characters missing from the font: %q", string(info.Replaced))
			}
			// Cover, then the benefits flowing on after each other.
			if info.Pages < 2 || len(pages) != info.Pages {
				t.Errorf("%d pages (%d with text) for %d benefits", info.Pages, len(pages), len(rep.Benefits))
			}
			text := ownerSquash(strings.Join(pages, "\n"))
			for _, w := range tt.wants {
				if !strings.Contains(text, ownerSquash(w)) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
			for _, l := range tt.lacks {
				if strings.Contains(text, ownerSquash(l)) {
					t.Errorf("PDF text has %q", l)
				}
			}
			for _, b := range rep.Benefits {
				// Long titles wrap; the first words must be there.
				words := strings.Fields(b.Title)
				head := strings.Join(words[:min(4, len(words))], " ")
				if !strings.Contains(text, head) {
					t.Errorf("PDF text lacks benefit %s %q", b.Benefit.ID, head)
				}
			}
			for i, p := range pages {
				if !strings.Contains(ownerSquash(p), ownerSquash(rep.Header)) {
					t.Errorf("page %d lacks the running header %q", i+1, rep.Header)
				}
			}
			if m := regexp.MustCompile(`\[annual\.[a-z_.]+\]`).FindString(text); m != "" {
				t.Errorf("a catalogue key is missing: %s", m)
			}
		})
	}
}

func TestAnnualComposition(t *testing.T) {
	rep := demoAnnual(t, 2024, "nb", "")
	doc := Annual(rep)
	if doc.Title != "Årsrapport gevinstrealisering 2024" || doc.Header != rep.Header || doc.Lang != "nb" {
		t.Errorf("front matter = %q / %q / %q", doc.Title, doc.Header, doc.Lang)
	}
	if !doc.Created.Equal(rep.GeneratedAt) {
		t.Errorf("created %v, want the report's generation time %v", doc.Created, rep.GeneratedAt)
	}
	var breaks, bars int
	headings := map[string]bool{}
	var walk func(bs []Block)
	walk = func(bs []Block) {
		for _, b := range bs {
			switch v := b.(type) {
			case PageBreak:
				breaks++
			case Heading:
				headings[v.Text] = true
			case Chart:
				if _, ok := v.Spec.(Bars); ok {
					bars++
				}
			case KeepTogether:
				walk(v.Blocks)
			}
		}
	}
	walk(doc.Blocks)
	if breaks != 1 {
		t.Errorf("%d page breaks for %d benefits; want one after the cover, the benefits flowing on", breaks, len(rep.Benefits))
	}
	if bars != len(rep.Summary) {
		t.Errorf("%d bar charts for %d indicators", bars, len(rep.Summary))
	}
	for _, h := range []string{"Oversikt 2024", "Endringstiltak 2024", "Evalueringsfasen", "Spørsmål til evalueringen", "Datakvalitet"} {
		if !headings[h] {
			t.Errorf("no heading %q", h)
		}
	}
}

func TestAnnualBars(t *testing.T) {
	rep := demoAnnual(t, 2025, "nb", "")
	for _, sec := range rep.Benefits {
		for _, ai := range sec.Indicators {
			bars, ok := annualBars(rep, ai.Chart)
			if !ok {
				t.Errorf("%s: no bars", ai.Indicator.ID)
				continue
			}
			if len(bars.Items) != len(ai.Chart.Years) {
				t.Fatalf("%s: %d bars for %d years", ai.Indicator.ID, len(bars.Items), len(ai.Chart.Years))
			}
			last := bars.Items[len(bars.Items)-1]
			// The partial year's bar names the months it covers; a yearly
			// indicator's one period covers the whole year.
			want := "2025 (jan.–"
			if ai.Indicator.Frequency == register.Yearly {
				want = "2025"
			}
			if !strings.HasPrefix(last.Label, want) || (want == "2025" && last.Label != want) {
				t.Errorf("%s: last bar label %q, want it to start with %q", ai.Indicator.ID, last.Label, want)
			}
			if ai.Indicator.ID == "I-013" && last.Label != "2025 (jan.–mai)" {
				t.Errorf("I-013 has no data after May 2025; last bar label %q", last.Label)
			}
			if last.Status != ai.Result.Status && ai.Result.Value != nil {
				t.Errorf("%s: last bar status %s, want the report's %s", ai.Indicator.ID, last.Status, ai.Result.Status)
			}
			for _, b := range bars.Items {
				y, err := strconv.Atoi(b.Label[:4])
				if err != nil || y < 2021 || y > 2025 {
					t.Errorf("%s: bar label %q", ai.Indicator.ID, b.Label)
				}
			}
		}
	}
}
