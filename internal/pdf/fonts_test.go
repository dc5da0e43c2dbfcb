package pdf

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// multiScript is text that needs faces beyond face 0: German and French
// letters outside the Nordic core, Greek and Cyrillic.
const multiScript = "Straße Müller – Ærø · Αθήνα Σ · Иван Петров · Porsáŋgu"

// embeddedFont is what a PDF says about one of its fonts.
type embeddedFont struct {
	baseFont string
	subtype  string
	glyphs   int // glyphs in the embedded font program
}

// pdfFonts lists the fonts of every page of the PDF b, with the glyph count
// of each embedded font program; a font without one fails the test.
func pdfFonts(t *testing.T, b []byte) map[string]embeddedFont {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(b), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		t.Fatal(err)
	}
	fonts := map[string]embeddedFont{}
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ctx.DereferenceDict(page["Resources"])
		if err != nil {
			t.Fatal(err)
		}
		fd, err := ctx.DereferenceDict(res["Font"])
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range fd {
			font, err := ctx.DereferenceDict(o)
			if err != nil {
				t.Fatal(err)
			}
			f := embeddedFont{baseFont: *font.NameEntry("BaseFont"), subtype: *font.NameEntry("Subtype")}
			desc, err := ctx.DereferenceDict(font["FontDescriptor"])
			if err != nil || desc == nil {
				t.Fatalf("font %s has no descriptor (%v)", f.baseFont, err)
			}
			sd, _, err := ctx.DereferenceStreamDict(desc["FontFile2"])
			if err != nil || sd == nil {
				t.Fatalf("font %s is not embedded (%v)", f.baseFont, err)
			}
			if err := sd.Decode(); err != nil {
				t.Fatal(err)
			}
			maxp := table(sd.Content, "maxp")
			if len(maxp) < 6 {
				t.Fatalf("font %s: embedded program has no maxp table", f.baseFont)
			}
			f.glyphs = int(binary.BigEndian.Uint16(maxp[4:]))
			fonts[f.baseFont] = f
		}
	}
	return fonts
}

var subsetName = regexp.MustCompile(`^[A-Z]{6}\+Go(Regular|Bold)$`)

// The fonts are embedded as subsets, and a document carries only the faces
// its text needs: Norwegian and Sámi text stays in face 0.
func TestFacesAreEmbeddedSubsets(t *testing.T) {
	e := newEngine(t)
	whole := int(binary.BigEndian.Uint16(table(goregular.TTF, "maxp")[4:]))
	tests := []struct {
		name string
		text string
	}{
		{name: "norwegian and sámi", text: "Gevinstrealisering for Snåase – Snåsa: ŋ č đ ŧ š ž á, æøå ÆØÅ, ≥ 95 % · −3 → 4 … «Σ»"},
		{name: "other scripts", text: multiScript},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := Document{Title: "Månedsrapport", Blocks: []Block{Paragraph{Text: tc.text}}}
			b, info := render(t, e, "faces-"+tc.name, doc)
			validate(t, b)
			if len(info.Replaced) != 0 {
				t.Errorf("Replaced = %q, want none", info.Replaced)
			}
			faces := map[uint8]bool{}
			for _, c := range tc.text {
				if p := e.fonts.slot[c].page; p > 0 {
					faces[p] = true
				}
			}
			if tc.text == multiScript && len(faces) < 2 {
				t.Fatalf("the test text needs only faces %v; want at least two beyond face 0", faces)
			}
			fonts := pdfFonts(t, b)
			if want := 2 + len(faces); len(fonts) != want { // face 0 regular (text) and bold (title)
				t.Errorf("%d fonts %v, want %d", len(fonts), fonts, want)
			}
			for name, f := range fonts {
				if !subsetName.MatchString(name) || f.subtype != "TrueType" {
					t.Errorf("font %q (%s): want a tagged TrueType subset of a Go font", name, f.subtype)
				}
				if f.glyphs > 225 || f.glyphs >= whole {
					t.Errorf("font %q embeds %d of the font's %d glyphs, want a subset of at most 224 and .notdef", name, f.glyphs, whole)
				}
			}
			text := strings.Join(pageTexts(t, b), "\n")
			for _, word := range strings.Fields(tc.text) {
				if !strings.Contains(text, word) {
					t.Errorf("text %q lacks %q", text, word)
				}
			}
		})
	}
}

// Text is measured exactly as fpdf measured it with the Unicode fonts, so
// lines break and figures sit where they did before faces.
func TestFacesMeasureLikeUnicodeFonts(t *testing.T) {
	e := newEngine(t)
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("u", "", goregular.TTF)
	p.AddUTF8FontFromBytes("u", "B", gobold.TTF)
	samples := []string{multiScript, "Gevinstrealisering for Snåase – Snåsa", "7\u00a0624\u00a0000 kr", "ŋ č đ ŧ š ž á", ""}
	for r := rune(0x20); r < 0x10000; r++ {
		if e.has(r) {
			samples = append(samples, string(r))
		}
	}
	for _, style := range []string{"", "B"} {
		p.SetFont("u", style, 9.5)
		for _, s := range samples {
			if got, want := e.fonts.advance(s, style), p.GetStringSymbolWidth(s); got != want {
				t.Errorf("style %q: advance(%q) = %d, fpdf's Unicode font %d", style, s, got, want)
			}
		}
	}
}

// Runs cover the text in order, each with a face that has its characters,
// and spaces stay in the run they are in.
func TestRunsSplitByFace(t *testing.T) {
	e := newEngine(t)
	runs := e.fonts.runs("Иван Петров – Snåsa", "")
	if len(runs) != 2 || runs[0].page == 0 || runs[1].page != 0 {
		t.Fatalf("runs = %+v, want a Cyrillic run and a face 0 run", runs)
	}
	var back []rune
	units := 0
	for _, run := range runs {
		for _, code := range []byte(run.codes) {
			back = append(back, e.fonts.pages[run.page][code])
		}
		units += run.units
	}
	if string(back) != "Иван Петров – Snåsa" {
		t.Errorf("runs decode to %q", string(back))
	}
	if want := e.fonts.advance("Иван Петров – Snåsa", ""); units != want {
		t.Errorf("runs are %d units wide, the text %d", units, want)
	}
}

// Two Engines (two workers, or two runs) give the same bytes for the same
// document, whichever faces it needs.
func TestFacesAreReproducibleAcrossEngines(t *testing.T) {
	doc := Document{Title: "Månedsrapport", Header: "Topp", Created: time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC),
		Blocks: []Block{Paragraph{Text: multiScript}, Table{Columns: []Column{{Title: "Æ"}}, Rows: [][]Cell{{{Text: multiScript, Bold: true}}}}}}
	var pdfs [][]byte
	for range 2 {
		b, _ := render(t, newEngine(t), "reproducible", doc)
		pdfs = append(pdfs, b)
	}
	if !bytes.Equal(pdfs[0], pdfs[1]) {
		t.Errorf("two engines gave different PDFs (%d and %d bytes)", len(pdfs[0]), len(pdfs[1]))
	}
	if !bytes.HasPrefix(pdfs[0], []byte("%PDF-1.")) {
		t.Errorf("not a PDF: %q", pdfs[0][:8])
	}
}

// Face 0 names its glyphs beyond WinAnsi with Adobe Glyph List names, as
// PDF/A asks of a TrueType font's /Differences, so Norwegian and Sámi
// reports carry no uniXXXX names.
func TestFace0DifferencesUseListedNames(t *testing.T) {
	e := newEngine(t)
	for st := range 2 {
		var def fontDef
		if err := json.Unmarshal(e.fonts.faces[0][st].def, &def); err != nil {
			t.Fatal(err)
		}
		if def.Diff == "" || strings.Contains(def.Diff, "/uni") {
			t.Errorf("style %d: face 0 differences %q, want only listed names", st, def.Diff)
		}
		for _, c := range "ŋčđŧšžŊČĐŦŠŽ□−≤≥→Σ" {
			if e.fonts.slot[c].page != 0 || !strings.Contains(def.Diff, "/"+glyphNames[c]) {
				t.Errorf("style %d: %q is not named on face 0 (slot %+v)", st, c, e.fonts.slot[c])
			}
		}
	}
}

// fpdfTextCalls are fpdf's methods that draw or measure text in the current
// font's own encoding; with faces, text must go through layout.show and
// layout.width instead, or æøå turn into mojibake and widths go wrong.
var fpdfTextCalls = map[string]bool{
	"Text": true, "GetStringWidth": true, "GetStringSymbolWidth": true, "Cell": true, "Cellf": true,
	"CellFormat": true, "MultiCell": true, "Write": true, "Writef": true, "WriteAligned": true,
	"WriteLinkString": true, "WriteLinkID": true, "SplitText": true, "SplitLines": true,
}

// The package draws and measures text only through the faces: the one
// place that hands codes to fpdf (layout.show) and the one that measures
// the Unicode fonts (newFontSet).
func TestTextGoesThroughFaces(t *testing.T) {
	allowed := map[string]bool{"show": true, "newFontSet": true}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		for _, file := range pkg.Files {
			for _, decl := range file.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || allowed[fn.Name.Name] {
					continue
				}
				ast.Inspect(fn, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					sel, ok := call.Fun.(*ast.SelectorExpr)
					if !ok || !fpdfTextCalls[sel.Sel.Name] {
						return true
					}
					if base := types.ExprString(sel.X); base == "p" || strings.HasSuffix(base, "pdf") {
						t.Errorf("%s: %s calls fpdf's %s.%s directly; use layout.show / layout.width",
							fset.Position(call.Pos()), fn.Name.Name, base, sel.Sel.Name)
					}
					return true
				})
			}
		}
	}
}

// One Engine renders on several goroutines at once (a renderer per core)
// and each PDF is the one it renders alone: the faces are shared read-only.
func TestEngineRendersConcurrently(t *testing.T) {
	e := newEngine(t)
	created := time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)
	docs := []Document{
		{Title: "Månedsrapport", Created: created, Blocks: []Block{Paragraph{Text: multiScript}}},
		{Title: "Snåase – Snåsa", Created: created, Blocks: []Block{Paragraph{Text: "ŋ č đ ŧ š ž á æøå"}, Bullets{Items: []string{multiScript, "Иван"}}}},
		fullDoc(),
	}
	docs[2].Created = created
	want := make([][]byte, len(docs))
	for i, doc := range docs {
		want[i], _ = render(t, e, "alone", doc)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(docs))
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range docs {
				i := (g + k) % len(docs)
				var buf bytes.Buffer
				if _, err := e.Render(context.Background(), &buf, docs[i]); err != nil {
					errs <- err.Error()
				} else if !bytes.Equal(buf.Bytes(), want[i]) {
					errs <- fmt.Sprintf("document %d rendered on goroutine %d differs from rendering it alone", i, g)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}
