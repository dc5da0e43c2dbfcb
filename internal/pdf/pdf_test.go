package pdf

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/pdftext"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

var keepPDF = flag.String("keep", "", "directory to write the test PDFs to for inspection")

func newEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

func render(t *testing.T, e *Engine, name string, doc Document) ([]byte, RenderInfo) {
	t.Helper()
	var buf bytes.Buffer
	info, err := e.Render(context.Background(), &buf, doc)
	if err != nil {
		t.Fatalf("Render %s: %v", name, err)
	}
	if *keepPDF != "" {
		if err := os.WriteFile(filepath.Join(*keepPDF, name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes(), info
}

// validate checks the PDF with pdfcpu in strict mode.
func validate(t *testing.T, b []byte) {
	t.Helper()
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(b), conf); err != nil {
		t.Fatalf("pdfcpu strict validation: %v", err)
	}
}

// pageTexts extracts the text of each page with the pure-Go pdftext
// package, so the text checks need no external tools.
func pageTexts(t *testing.T, b []byte) []string {
	t.Helper()
	pages, err := pdftext.Pages(b)
	if err != nil {
		t.Fatalf("extract pdf text: %v", err)
	}
	return pages
}

func TestRenderFullDocument(t *testing.T) {
	e := newEngine(t)
	b, info := render(t, e, "full", fullDoc())
	validate(t, b)
	pages := pageTexts(t, b)
	if info.Pages != len(pages) {
		t.Errorf("RenderInfo.Pages = %d, pdftext found %d pages", info.Pages, len(pages))
	}
	if info.Pages < 4 {
		t.Errorf("Pages = %d, want at least 4 for the full document", info.Pages)
	}
	if len(info.Replaced) != 0 {
		t.Errorf("Replaced = %q, want none: the document uses only covered characters", info.Replaced)
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{
		"Månedsrapport gevinstrealisering", "æøå", "ÆØÅ", "Porsáŋgu – Porsanger", "Snåase – Snåsa", "ŋ č đ ŧ š ž á",
		"Grønn", "Gul", "Rød", "Mangler data", "Prikket", "Ingen ambisjon", "Ugyldig",
		"Nullpunkt", "Årlig ambisjon", "Endelig ambisjon", "Grønt område 2025", "jan. 25",
		"Realisert", "Ambisjon 2025", "Er endringstiltakene implementert?", "mangler data for august 2025",
		"St. Olavs hospital HF", "7,6 mill. kr", "Áslat Mikkelsen", "Kilde: Helseplattformen",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	for i, p := range pages {
		if !strings.Contains(p, "september 2025 · data per 3. oktober 2025") {
			t.Errorf("page %d lacks the running header", i+1)
		}
		want := pageLabelNB(i+1, len(pages))
		if !strings.Contains(p, want) {
			t.Errorf("page %d lacks footer %q", i+1, want)
		}
	}
}

func TestReplacedCharacters(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		name     string
		text     string
		replaced []rune
		visible  string
	}{
		{name: "emoji", text: "Bra jobbet 👍 team", replaced: []rune{'👍'}, visible: "Bra jobbet □ team"},
		{name: "emoji with variation selector", text: "Varsel ⚠️ her", replaced: []rune{'⚠'}, visible: "Varsel □ her"},
		{name: "cjk twice", text: "病院 og 病", replaced: []rune{'病', '院'}, visible: "□□ og □"},
		{name: "sami is covered", text: "Porsáŋgu – Porsanger", replaced: nil, visible: "Porsáŋgu – Porsanger"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := Document{Title: "Test", Header: "Topp", Blocks: []Block{
				Paragraph{Text: tc.text},
				Table{Columns: []Column{{Title: "Kolonne"}}, Rows: [][]Cell{{{Text: tc.text}}}},
			}}
			b, info := render(t, e, "replace-"+tc.name, doc)
			validate(t, b)
			if !slices.Equal(info.Replaced, tc.replaced) {
				t.Errorf("Replaced = %q, want %q", info.Replaced, tc.replaced)
			}
			text := strings.Join(pageTexts(t, b), "\n")
			if !strings.Contains(text, tc.visible) {
				t.Errorf("text %q does not contain %q", text, tc.visible)
			}
		})
	}
}

func TestTableRepeatsHeaderAcrossPages(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		name   string
		repeat bool
	}{
		{name: "repeat", repeat: true},
		{name: "no repeat", repeat: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tbl := Table{Columns: []Column{{Title: "Overskrift A", Width: 2}, {Title: "Overskrift B", Width: 1}}, RepeatHeader: tc.repeat}
			for i := 0; i < 120; i++ {
				tbl.Rows = append(tbl.Rows, []Cell{{Text: "rad " + strings.Repeat("tekst ", i%7+1)}, statusCell(allStatuses[i%len(allStatuses)])})
			}
			b, info := render(t, e, "table-"+tc.name, Document{Title: "Tabell", Blocks: []Block{tbl}})
			if info.Pages < 3 {
				t.Fatalf("Pages = %d, want the table to span at least 3", info.Pages)
			}
			for i, p := range pageTexts(t, b) {
				has := strings.Contains(p, "Overskrift A")
				if want := i == 0 || tc.repeat; has != want {
					t.Errorf("page %d: header present = %v, want %v", i+1, has, want)
				}
			}
		})
	}
}

func TestHeadingNeverAloneAtPageBottom(t *testing.T) {
	e := newEngine(t)
	var blocks []Block
	// Fill most of page 1, then a heading followed by a table that cannot fit under it.
	for i := 0; i < 11; i++ {
		blocks = append(blocks, Paragraph{Text: strings.Repeat("Fylltekst som tar plass. ", 16)})
	}
	blocks = append(blocks, Heading{Level: 1, Text: "Overskrift som må følge tabellen"},
		Table{Columns: []Column{{Title: "Kol"}}, Rows: [][]Cell{{{Text: strings.Repeat("lang celle ", 60)}}}})
	b, _ := render(t, e, "orphan", Document{Title: "Foreldreløs", Blocks: blocks})
	for i, p := range pageTexts(t, b) {
		if strings.Contains(p, "Overskrift som må følge tabellen") && !strings.Contains(p, "lang celle") {
			t.Errorf("page %d has the heading without the table under it", i+1)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		name    string
		lo, hi  float64
		n       int
		minStep float64
		want    []float64
	}{
		{name: "percent", lo: 0, hi: 30, n: 3, want: []float64{0, 10, 20, 30}},
		{name: "fractional", lo: 0, hi: 1, n: 5, want: []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{name: "flat series", lo: 5, hi: 5, n: 3, want: []float64{4, 5, 6}},
		{name: "negative", lo: -3, hi: 7, n: 5, want: []float64{-4, -2, 0, 2, 4, 6, 8}},
		{name: "kroner", lo: 0, hi: 9100000, n: 5, want: []float64{0, 2e6, 4e6, 6e6, 8e6, 1e7}},
		{name: "counts without decimals never repeat a label", lo: 0, hi: 2, n: 5, minStep: 1, want: []float64{0, 1, 2}},
		{name: "one decimal", lo: 0, hi: 0.3, n: 5, minStep: 0.1, want: []float64{0, 0.1, 0.2, 0.3}},
		{name: "a minimum below the nice step changes nothing", lo: 0, hi: 30, n: 3, minStep: 1, want: []float64{0, 10, 20, 30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := niceTicksMin(tc.lo, tc.hi, tc.n, tc.minStep)
			if !slices.Equal(got, tc.want) {
				t.Errorf("niceTicks(%v, %v) = %v, want %v", tc.lo, tc.hi, got, tc.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	e := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		doc  Document
	}{
		{name: "cancelled", ctx: ctx, doc: Document{Title: "x"}},
		{name: "chart without spec", ctx: context.Background(), doc: Document{Blocks: []Block{Chart{Title: "tom"}}}},
		{name: "time series without points", ctx: context.Background(), doc: Document{Blocks: []Block{Chart{Spec: TimeSeries{}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := e.Render(tc.ctx, &buf, tc.doc); err == nil {
				t.Errorf("Render: want an error")
			}
			if buf.Len() != 0 {
				t.Errorf("Render wrote %d bytes despite failing", buf.Len())
			}
		})
	}
}

func BenchmarkRenderOwnerLike(b *testing.B) {
	e := newEngine(b)
	doc := ownerLikeDoc()
	var buf bytes.Buffer
	pages := 0
	for b.Loop() {
		buf.Reset()
		info, err := e.Render(context.Background(), &buf, doc)
		if err != nil {
			b.Fatal(err)
		}
		pages = info.Pages
	}
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(buf.Len())/1024, "KiB")
}

// The same report rendered twice gives the same bytes, so the PDF on disk,
// its sha256 in the manifest and the one that was emailed agree after a rerun.
func TestRenderIsDeterministic(t *testing.T) {
	e := newEngine(t)
	doc := fullDoc()
	doc.Created = time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)
	first, _ := render(t, e, "first", doc)
	for i := range 3 {
		again, _ := render(t, e, "again", doc)
		if !bytes.Equal(first, again) {
			t.Fatalf("render %d differs from the first (%d vs %d bytes)", i+2, len(again), len(first))
		}
	}
}
