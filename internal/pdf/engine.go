package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/golang/freetype/truetype"

	"gevinstrapport/internal/brand"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// fontFamily is the name the embedded Go fonts are registered under in each PDF.
const fontFamily = "go"

// Engine renders Documents; it holds the prepared fonts and is safe for
// concurrent use (each Render builds its own fpdf document).
type Engine struct {
	fonts   *fontSet
	chartTT *truetype.Font // handed to chartdraw, which wants a font object; text is drawn by fpdf
	covered []uint64       // bitset over the BMP: runes both fonts have a glyph for
	// replacement is drawn in place of a character the fonts lack.
	replacement string
	brand       brand.Brand
}

// Option configures an Engine.
type Option func(*Engine)

// WithBrand draws every document in the organisation's branding: the logo
// at the top right of page 1, the organisation in every page's footer and
// as the PDF's author, the accent colour for titles, headings, table
// headers and rules. Parts b leaves empty keep the default look.
func WithBrand(b brand.Brand) Option {
	return func(e *Engine) { e.brand = b }
}

// New prepares the fonts once (about 20 ms: it cuts them into the faces
// of fonts.go); keep the Engine and reuse it for every document.
func New(opts ...Option) (*Engine, error) {
	e := &Engine{covered: make([]uint64, 0x10000/64)}
	for _, o := range opts {
		o(e)
	}
	var err error
	if e.chartTT, err = truetype.Parse(goregular.TTF); err != nil {
		return nil, fmt.Errorf("parse chart font: %w", err)
	}
	reg, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse regular font: %w", err)
	}
	bold, err := sfnt.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("parse bold font: %w", err)
	}
	var buf sfnt.Buffer
	var covered []rune
	for r := rune(0x20); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		gi, err := reg.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		if gi, err = bold.GlyphIndex(&buf, r); err != nil || gi == 0 {
			continue
		}
		e.covered[r/64] |= 1 << (uint(r) % 64)
		covered = append(covered, r)
	}
	if e.fonts, err = newFontSet(goregular.TTF, gobold.TTF, covered); err != nil {
		return nil, err
	}
	e.replacement = "?"
	if e.has('□') {
		e.replacement = "□"
	}
	return e, nil
}

// Render draws doc as a PDF to w with a freshly prepared Engine; reuse an
// Engine from New instead when rendering more than one document.
func Render(ctx context.Context, w io.Writer, doc Document) (RenderInfo, error) {
	e, err := New()
	if err != nil {
		return RenderInfo{}, err
	}
	return e.Render(ctx, w, doc)
}

// addFaces registers face 0, regular and bold, with p; other faces are
// added when text needs them (layout.useFace).
func (e *Engine) addFaces(p *fpdf.Fpdf) {
	for st, style := range []string{"", "B"} {
		f := e.fonts.faces[0][st]
		p.AddFontFromBytes(fontFamily, style, f.def, f.z)
	}
}

// has reports whether both embedded fonts have a glyph for r.
func (e *Engine) has(r rune) bool {
	if r < 0 || r >= 0x10000 {
		return false
	}
	return e.covered[r/64]&(1<<(uint(r)%64)) != 0
}

// Render draws doc as a PDF to w and reports the page count and the
// characters that had to be replaced because the fonts lack them.
func (e *Engine) Render(ctx context.Context, w io.Writer, doc Document) (RenderInfo, error) {
	if err := ctx.Err(); err != nil {
		return RenderInfo{}, fmt.Errorf("render pdf: %w", err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	p.SetCatalogSort(true) // fonts in a fixed order: the same report gives the same bytes
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(marginLeft, marginTop, marginRight)
	p.SetCellMargin(0)
	e.addFaces(p)
	if p.Err() {
		return RenderInfo{}, fmt.Errorf("load fonts: %w", p.Error())
	}
	if e.brand.Organisation != "" {
		doc.Author = e.brand.Organisation
	}
	r := &layout{e: e, pdf: p, doc: doc, seen: map[rune]bool{}, accent: colAccent}
	if a := e.brand.Accent; a != nil {
		r.accent = rgb{a.R, a.G, a.B}
	}
	created := doc.Created
	if created.IsZero() {
		created = time.Now()
	}
	archive(p, doc, r.clean, created)
	if err := r.run(ctx); err != nil {
		return RenderInfo{}, err
	}
	if p.Err() {
		return RenderInfo{}, fmt.Errorf("draw pdf: %w", p.Error())
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return RenderInfo{}, fmt.Errorf("write pdf: %w", err)
	}
	out, err := withFileID(buf.Bytes())
	if err != nil {
		return RenderInfo{}, fmt.Errorf("write pdf: %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return RenderInfo{}, fmt.Errorf("write pdf: %w", err)
	}
	return RenderInfo{Pages: p.PageCount(), Replaced: r.replaced}, nil
}

// clean makes s safe to draw: characters the fonts lack become a visible
// replacement mark and are recorded; tabs become spaces; other control and
// invisible format characters are dropped.
func (r *layout) clean(s string) string {
	ok := true
	for _, c := range s {
		if c < 0x20 || c >= 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b []byte
	for _, c := range s {
		switch {
		case c == '\n':
			b = append(b, '\n')
		case c == '\t':
			b = append(b, ' ')
		case c < 0x20, c == 0x7f, c == utf8.RuneError:
			if c == utf8.RuneError {
				b = append(b, r.e.replacement...)
				r.note(c)
			}
		case c == 0x200B, c == 0x200C, c == 0x200D, c == 0x2060, c == 0xFEFF, c >= 0xFE00 && c <= 0xFE0F:
			// Invisible joiners and variation selectors carry no visible glyph.
		case c == 0x202F && !r.e.has(c):
			b = utf8.AppendRune(b, 0x00A0) // narrow no-break space as a plain one: same meaning
		case r.e.has(c):
			b = utf8.AppendRune(b, c)
		default:
			b = append(b, r.e.replacement...)
			r.note(c)
		}
	}
	return string(b)
}

func (r *layout) note(c rune) {
	if !r.seen[c] {
		r.seen[c] = true
		r.replaced = append(r.replaced, c)
	}
}

// defaultPageLabel words the footer when the Document gives no PageLabel.
func defaultPageLabel(page, total int) string {
	return fmt.Sprintf("Side %d av %d", page, total)
}
