// Package pdftext reads the text back out of the PDFs this program writes,
// so tests can check what a report says without external tools. It knows
// the encodings fpdf writes: Identity-H for its Unicode fonts (two-byte codes
// that are the Unicode code points) and, for single-byte fonts, WinAnsi with
// /Differences naming glyphs "uniXXXX"; it is not a general PDF text extractor.
package pdftext

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"
)

// Pages returns the text of every page, in order. Text runs are separated by
// a space or, where the text moves to a new line, by a newline.
func Pages(data []byte) ([]string, error) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	pages := make([]string, 0, ctx.PageCount)
	for i := 1; i <= ctx.PageCount; i++ {
		r, err := pdfcpu.ExtractPageContent(ctx, i)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i, err)
		}
		content := []byte{}
		if r != nil {
			if content, err = io.ReadAll(r); err != nil {
				return nil, fmt.Errorf("page %d: %w", i, err)
			}
		}
		fonts, err := pageFonts(ctx, i)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i, err)
		}
		pages = append(pages, text(content, fonts))
	}
	return pages, nil
}

// Text is all pages' text joined with form feeds.
func Text(data []byte) (string, error) {
	pages, err := Pages(data)
	return strings.Join(pages, "\f"), err
}

// text collects the strings shown by Tj and TJ operators of a content
// stream, decoded with the font the last Tf operator selected. A string
// that starts where the previous single-byte one ended, on the same line,
// continues it: fpdf draws a line that needs several fonts in pieces.
func text(content []byte, fonts map[string]*codes) string {
	r := &reader{fonts: fonts, end: math.NaN()}
	var run []string // strings since the last text operator
	for i := 0; i < len(content); i++ {
		switch c := content[i]; {
		case c == '/':
			j := i + 1
			for j < len(content) && !bytes.ContainsRune([]byte(" \t\r\n/[]<>()%{}"), rune(content[j])) {
				j++
			}
			r.name = string(content[i+1 : j])
			i = j - 1
		case c == '-' || c == '.' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(content) && (content[j] == '.' || content[j] >= '0' && content[j] <= '9') {
				j++
			}
			if v, err := strconv.ParseFloat(string(content[i:j]), 64); err == nil {
				r.nums = append(r.nums, v)
			}
			i = j - 1
		case c == '(':
			s, n := literal(content[i:])
			run = append(run, s)
			i += n - 1
		case c == '<' && i+1 < len(content) && content[i+1] != '<':
			end := bytes.IndexByte(content[i:], '>')
			if end < 0 {
				return r.out.String()
			}
			run = append(run, hexString(content[i+1:i+end]))
			i += end
		case c == '%':
			for i < len(content) && content[i] != '\n' && content[i] != '\r' {
				i++
			}
		case isLetter(c):
			j := i
			for j < len(content) && (isLetter(content[j]) || content[j] == '*' || content[j] == '\'' || content[j] == '"') {
				j++
			}
			r.operator(string(content[i:j]), run)
			run = run[:0]
			r.nums = r.nums[:0]
			i = j - 1
		}
	}
	return r.out.String()
}

// reader is the state of reading one content stream's text.
type reader struct {
	out   bytes.Buffer
	fonts map[string]*codes
	font  *codes    // nil: two-byte codes, as before any Tf
	name  string    // the last name operand
	nums  []float64 // the number operands since the last operator
	size  float64   // font size
	x, y  float64   // where the text block starts (Td)
	end   float64   // where the last single-byte string ended; NaN if unknown
	endY  float64
	mark  int // out.Len() right after the last string
}

// operator applies one content-stream operator with the strings shown by it.
func (r *reader) operator(op string, run []string) {
	switch op {
	case "Tj", "TJ", "'", "\"":
		r.show(run)
	case "Tf":
		r.font = r.fonts[r.name]
		if len(r.nums) > 0 {
			r.size = r.nums[len(r.nums)-1]
		}
	case "Td":
		if n := len(r.nums); n >= 2 {
			r.x, r.y = r.nums[n-2], r.nums[n-1]
		}
	case "BT":
		if r.out.Len() > 0 {
			r.out.WriteByte('\n')
		}
	}
}

// show writes the shown strings, continuing the last ones when they start
// where those ended.
func (r *reader) show(run []string) {
	if r.font != nil && r.y == r.endY && math.Abs(r.x-r.end) < 0.02 {
		r.out.Truncate(r.mark)
	} else if r.out.Len() > 0 {
		r.out.WriteByte(' ')
	}
	units := 0.0
	for _, s := range run {
		r.out.WriteString(r.font.decode(s))
		if r.font != nil {
			for i := 0; i < len(s); i++ {
				units += r.font.widths[s[i]]
			}
		}
	}
	r.mark, r.end, r.endY = r.out.Len(), math.NaN(), r.y
	if r.font != nil {
		r.end = r.x + units*r.size/1000
	}
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// literal reads a PDF literal string starting at '(' and returns its bytes
// and how many input bytes it took.
func literal(b []byte) (string, int) {
	var s []byte
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b):
			i++
			switch e := b[i]; e {
			case 'n':
				s = append(s, '\n')
			case 'r':
				s = append(s, '\r')
			case 't':
				s = append(s, '\t')
			case 'b':
				s = append(s, '\b')
			case 'f':
				s = append(s, '\f')
			case '\r', '\n':
				// line continuation
			default:
				if e >= '0' && e <= '7' {
					v, n := 0, 0
					for n < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7' {
						v = v*8 + int(b[i]-'0')
						i++
						n++
					}
					i--
					s = append(s, byte(v))
				} else {
					s = append(s, e)
				}
			}
		case c == '(':
			if depth > 0 {
				s = append(s, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return string(s), i + 1
			}
			s = append(s, c)
		default:
			s = append(s, c)
		}
	}
	return string(s), len(b)
}

func hexString(h []byte) string {
	var s []byte
	var hi int = -1
	for _, c := range h {
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'a' && c <= 'f':
			v = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = int(c-'A') + 10
		default:
			continue
		}
		if hi < 0 {
			hi = v
		} else {
			s = append(s, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		s = append(s, byte(hi<<4))
	}
	return string(s)
}

// codes is how a single-byte font's codes map to characters, and their widths.
type codes struct {
	chars  [256]rune
	widths [256]float64 // in 1/1000 of the font size
}

// decode turns the shown string s into text: through the font's codes, or
// as fpdf's two-byte Unicode codes when the font has none.
func (f *codes) decode(s string) string {
	if f != nil {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			b.WriteRune(f.chars[s[i]])
		}
		return b.String()
	}
	if len(s)%2 != 0 {
		return s
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

// pageFonts reads the single-byte fonts of page i's resources: their codes
// by resource name. Two-byte (Type0) fonts are left out.
func pageFonts(ctx *model.Context, i int) (map[string]*codes, error) {
	page, _, inh, err := ctx.PageDict(i, false)
	if err != nil {
		return nil, err
	}
	var res types.Dict
	if o, ok := page.Find("Resources"); ok {
		if res, err = ctx.DereferenceDict(o); err != nil {
			return nil, err
		}
	} else if inh != nil {
		res = inh.Resources
	}
	fonts := map[string]*codes{}
	fd, err := ctx.DereferenceDict(res["Font"])
	if err != nil || fd == nil {
		return fonts, err
	}
	for name, o := range fd {
		font, err := ctx.DereferenceDict(o)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", name, err)
		}
		if st := font.NameEntry("Subtype"); st != nil && *st == "Type0" {
			continue
		}
		c, err := fontCodes(ctx, font)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", name, err)
		}
		fonts[name] = c
	}
	return fonts, nil
}

// fontCodes builds a single-byte font's codes: WinAnsi, changed by the
// encoding's /Differences.
func fontCodes(ctx *model.Context, font types.Dict) (*codes, error) {
	var c codes
	for b := range c.chars {
		c.chars[b] = charmap.Windows1252.DecodeByte(byte(b))
	}
	if err := fontWidths(ctx, font, &c); err != nil {
		return nil, err
	}
	enc, err := ctx.Dereference(font["Encoding"])
	if err != nil {
		return nil, err
	}
	d, ok := enc.(types.Dict)
	if !ok {
		return &c, nil
	}
	diffs, err := ctx.DereferenceArray(d["Differences"])
	if err != nil {
		return nil, err
	}
	code := 0
	for _, o := range diffs {
		switch v := o.(type) {
		case types.Integer:
			code = v.Value()
		case types.Name:
			if code >= 0 && code < len(c.chars) {
				c.chars[code] = glyphRune(v.Value())
			}
			code++
		}
	}
	return &c, nil
}

// glyphRune is the character a glyph name stands for: "uniXXXX" names and
// the Adobe Glyph List names of glyphNames; others read as U+FFFD.
func glyphRune(name string) rune {
	if r, ok := glyphNames[name]; ok {
		return r
	}
	if hex, ok := strings.CutPrefix(name, "uni"); ok && len(hex) == 4 {
		if v, err := strconv.ParseUint(hex, 16, 32); err == nil {
			return rune(v)
		}
	}
	return 0xFFFD
}

// glyphNames are the Adobe Glyph List names the PDFs of this program put in
// an encoding's /Differences (internal/pdf: face 0 beyond WinAnsi).
var glyphNames = map[string]rune{
	"H22073": '□', "Euro": '€', "Ccaron": 'Č', "ccaron": 'č', "Dcroat": 'Đ', "quotedblbase": '„',
	"ellipsis": '…', "dcroat": 'đ', "Eng": 'Ŋ', "eng": 'ŋ', "perthousand": '‰', "Scaron": 'Š',
	"Tbar": 'Ŧ', "OE": 'Œ', "tbar": 'ŧ', "Zcaron": 'Ž', "Sigma": 'Σ', "minus": '−',
	"quoteleft": '‘', "quoteright": '’', "quotedblleft": '“', "quotedblright": '”', "bullet": '•',
	"endash": '–', "emdash": '—', "arrowright": '→', "lessequal": '≤', "scaron": 'š',
	"greaterequal": '≥', "oe": 'œ', "approxequal": '≈', "zcaron": 'ž', "Ydieresis": 'Ÿ',
	"nbspace": '\u00a0', "sfthyphen": '\u00ad', "space": ' ',
}

// fontWidths reads a single-byte font's /FirstChar and /Widths into c.
func fontWidths(ctx *model.Context, font types.Dict, c *codes) error {
	ws, err := ctx.DereferenceArray(font["Widths"])
	if err != nil || ws == nil {
		return err
	}
	first := 0
	if fc := font.IntEntry("FirstChar"); fc != nil {
		first = *fc
	}
	for i, o := range ws {
		o, err := ctx.Dereference(o)
		if err != nil {
			return err
		}
		code := first + i
		if code < 0 || code >= len(c.widths) {
			continue
		}
		switch v := o.(type) {
		case types.Integer:
			c.widths[code] = float64(v.Value())
		case types.Float:
			c.widths[code] = v.Value()
		}
	}
	return nil
}
