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
	"gevinstrapport/internal/pdftext"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/templates"
)

var keepOwnerPDF = os.Getenv("GEVINST_KEEP_PDF") // a directory to keep the rendered demo reports in, for looking at

// demoOwnerReports builds every owner report of the small demo for its latest month.
func demoOwnerReports(t testing.TB) []report.OwnerReport {
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
	var reps []report.OwnerReport
	for _, r := range report.Recipients(x) {
		rep, err := report.BuildOwner(x, r, demo.Latest(demo.Small), cats, opt)
		if err != nil {
			t.Fatalf("build owner report for %s: %v", r.Person.ID, err)
		}
		reps = append(reps, rep)
	}
	if len(reps) == 0 {
		t.Fatal("the demo has no owner report recipients")
	}
	return reps
}

// ownerPDFText is the text of all pages of pdf, pages separated by form feeds.
func ownerPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	text, err := pdftext.Text(pdf)
	if err != nil {
		t.Fatalf("extract pdf text: %v", err)
	}
	return text
}

func TestOwnerDemoReportsRender(t *testing.T) {
	reps := demoOwnerReports(t)
	e, err := New()
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	var all strings.Builder
	for i, rep := range reps {
		var buf bytes.Buffer
		info, err := e.Render(context.Background(), &buf, Owner(rep))
		if err != nil {
			t.Fatalf("render owner report for %s: %v", rep.Recipient.ID, err)
		}
		if len(info.Replaced) > 0 {
			t.Errorf("%s: characters missing from the font: %q", rep.Recipient.ID, string(info.Replaced))
		}
		if info.Pages < 1+len(rep.Benefits) {
			t.Errorf("%s: %d pages for %d benefits; each benefit starts a page", rep.Recipient.ID, info.Pages, len(rep.Benefits))
		}
		if keepOwnerPDF != "" {
			if err := os.WriteFile(filepath.Join(keepOwnerPDF, rep.Recipient.ID+".pdf"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Text extraction is the slow part: check a few reports fully, the rest by model.
		if i >= 4 && i != len(reps)-1 {
			continue
		}
		text := ownerPDFText(t, buf.Bytes())
		all.WriteString(text)
		wants := []string{rep.Recipient.Name, rep.PeriodText, rep.DataPer, rep.Title}
		for _, s := range rep.Summary {
			wants = append(wants, s.StatusText)
		}
		for _, sec := range rep.Benefits {
			wants = append(wants, sec.ScopeName)
		}
		for _, w := range wants {
			if !strings.Contains(ownerSquash(text), ownerSquash(w)) {
				t.Errorf("%s: PDF text lacks %q", rep.Recipient.ID, w)
			}
		}
	}
	text := all.String()
	for _, w := range []string{"september 2025", "Grønn", "Rød", "Endelig ambisjon", "Endringstiltak", "Datakvalitet"} {
		if !strings.Contains(text, w) {
			t.Errorf("no checked report contains %q", w)
		}
	}
}

// squash folds the whitespace text extraction produces (line breaks in wrapped
// cells, no-break spaces) so that phrases can be found in the extracted text.
func ownerSquash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// samiName reports whether a unit name is one of the demo's bilingual
// Sámi–Norwegian names, e.g. "Snåase – Snåsa".
func samiName(name string) bool {
	for _, n := range []string{"Snåase", "Raarvihke", "Porsáŋgu", "Kárášjohka", "Guovdageaidnu", "Snåasen"} {
		if strings.Contains(name, n) {
			return true
		}
	}
	return false
}

func TestOwnerDemoSamiUnitShown(t *testing.T) {
	reps := demoOwnerReports(t)
	e, err := New()
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	for _, rep := range reps {
		var names []string
		for _, sec := range rep.Benefits {
			names = append(names, sec.ScopeName)
			for _, is := range sec.Indicators {
				for _, u := range is.Breakdown {
					names = append(names, u.Name)
				}
			}
		}
		for _, name := range names {
			if !samiName(name) {
				continue
			}
			var buf bytes.Buffer
			if _, err := e.Render(context.Background(), &buf, Owner(rep)); err != nil {
				t.Fatalf("render: %v", err)
			}
			if text := ownerPDFText(t, buf.Bytes()); !strings.Contains(ownerSquash(text), ownerSquash(name)) {
				t.Errorf("%s: PDF text lacks the Sámi unit name %q", rep.Recipient.ID, name)
			}
			return
		}
	}
	t.Fatal("no owner report of the demo names a unit with a Sámi name; the demo should have one")
}

func TestOwnerComposition(t *testing.T) {
	reps := demoOwnerReports(t)
	rep := reps[0]
	doc := Owner(rep)
	if doc.Title != "Månedsrapport – gevinstrealisering" || doc.Header != rep.Header || doc.Lang != rep.Lang {
		t.Errorf("front matter = %q / %q / %q", doc.Title, doc.Header, doc.Lang)
	}
	if got := doc.PageLabel(2, 5); got != "Side 2 av 5" {
		t.Errorf("page label = %q", got)
	}
	var breaks, tables, charts int
	var sawNotes bool
	for _, b := range doc.Blocks {
		switch v := b.(type) {
		case PageBreak:
			breaks++
		case Table:
			tables++
		case Heading:
			if v.Text == "Datakvalitet" {
				sawNotes = true
			}
		case KeepTogether:
			for _, inner := range v.Blocks {
				if _, ok := inner.(Chart); ok {
					charts++
				}
			}
		}
	}
	if breaks != len(rep.Benefits) {
		t.Errorf("%d page breaks for %d benefits", breaks, len(rep.Benefits))
	}
	if tables == 0 || charts == 0 || !sawNotes {
		t.Errorf("tables %d, charts %d, notes heading %v", tables, charts, sawNotes)
	}
}

// keyTexter returns the key itself, so a test can see which texts were used.
type keyTexter struct{}

func (keyTexter) T(key string, _ ...string) string { return key }

func TestStatusLegendExplainsOnlyTheStatusesShown(t *testing.T) {
	tests := []struct {
		name  string
		shown []register.Status
		want  []string
	}{
		{"traffic lights only", []register.Status{register.Green, register.Red},
			[]string{"legend.green", "legend.yellow", "legend.red"}},
		{"invalid added", []register.Status{register.Green, register.Invalid},
			[]string{"legend.green", "legend.yellow", "legend.red", "legend.invalid"}},
		{"fixed order whatever the table order", []register.Status{register.NoAmbition, register.Suppressed, register.NoData},
			[]string{"legend.green", "legend.yellow", "legend.red", "legend.no_data", "legend.suppressed", "legend.no_ambition"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shown := map[register.Status]bool{}
			for _, s := range tc.shown {
				shown[s] = true
			}
			var got []string
			for _, it := range statusLegend(keyTexter{}, shown).Items {
				got = append(got, it.Text)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("legend = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestChartLegendOmitsASeriesWithNoValues(t *testing.T) {
	v := 3.0
	tests := []struct {
		name   string
		points []report.ChartPoint
		want   string
	}{
		{"values drawn", []report.ChartPoint{{Suppressed: true}, {Value: &v}}, "Måling"},
		{"all suppressed", []report.ChartPoint{{Suppressed: true}, {Suppressed: true}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := chartSpec(nil, report.ChartModel{ValuesLabel: "Måling", Points: tc.points})
			if ts.Labels.Values != tc.want {
				t.Errorf("values label = %q, want %q", ts.Labels.Values, tc.want)
			}
		})
	}
}

func TestBreakdownBars(t *testing.T) {
	seen := map[string]bool{}
	for _, rep := range demoOwnerReports(t) {
		for _, sec := range rep.Benefits {
			for _, is := range sec.Indicators {
				if len(is.Breakdown) < 2 {
					continue
				}
				bars, ok := breakdownBars(rep, is)
				if level := is.Indicator.Aggregation != register.Sum; bars.Dots != level {
					t.Errorf("%s %s: dots %v, want %v (levels as dots on a cut axis, sums as bars)", rep.Recipient.ID, is.Indicator.ID, bars.Dots, level)
				}
				if share := is.Indicator.Unit == "%"; share != (bars.Max == 100) {
					t.Errorf("%s %s: axis cap %v for unit %q", rep.Recipient.ID, is.Indicator.ID, bars.Max, is.Indicator.Unit)
				}
				drawn := 0
				for i, u := range is.Breakdown {
					bar := bars.Items[i]
					want := u.Value
					if u.Raw != nil && chartLongUnit(is.Indicator.Unit) {
						// A long unit is named once in the heading, not on each bar.
						want = strings.TrimSpace(strings.TrimSuffix(u.Value, rep.Catalog().Unit(is.Indicator.Unit)))
					}
					if u.Raw != nil && u.Status != "" {
						want += " · " + u.StatusText // the status word beside its colour
					}
					if bar.Label != u.Name || bar.Status != u.Status || bar.ValueText != want || bar.Empty != (u.Raw == nil) {
						t.Errorf("%s %s: bar %+v does not match row %+v", rep.Recipient.ID, is.Indicator.ID, bar, u)
					}
					if u.Raw == nil && bar.Value != 0 {
						t.Errorf("%s %s: a unit without a shown value (%q) has a bar of %v", rep.Recipient.ID, is.Indicator.ID, u.Value, bar.Value)
					}
					if u.Raw != nil {
						drawn++
					}
					sum := is.Indicator.Aggregation == register.Sum
					switch {
					case sum && bar.Target != nil:
						t.Errorf("%s %s: a sum's unit bar has the whole benefit's ambition as marker", rep.Recipient.ID, is.Indicator.ID)
					case !sum && is.Result.Thresholds != nil && is.Result.Status != register.Invalid &&
						(bar.Target == nil || *bar.Target != is.Result.Thresholds.GreenLimit):
						t.Errorf("%s %s: marker %v, want the green limit %v", rep.Recipient.ID, is.Indicator.ID, bar.Target, is.Result.Thresholds.GreenLimit)
					}
					if u.Status == register.Suppressed {
						seen["suppressed"] = true
					}
					if sum {
						seen["sum"] = true
					}
				}
				if ok != (drawn >= 2) {
					t.Errorf("%s %s: drawn %d bars, ok = %v", rep.Recipient.ID, is.Indicator.ID, drawn, ok)
				}
			}
		}
	}
	for _, k := range []string{"suppressed", "sum"} {
		if !seen[k] {
			t.Errorf("the demo has no %s unit in a breakdown: the test checks less than it says", k)
		}
	}
}
