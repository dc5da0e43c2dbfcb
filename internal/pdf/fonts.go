package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Why faces: fpdf's Unicode fonts (AddUTF8FontFromBytes) are parsed again for
// every document, hashed through a JSON dump of a 65 536-entry width table,
// subset and compressed at output; that costs about 4 ms per PDF whatever it
// shows. fpdf also takes a font as a ready definition (AddFontFromBytes: a
// small JSON definition plus a compressed font file that it embeds as is),
// but such a font has single-byte codes. So the covered characters are cut
// once per Engine into faces of at most 224 glyphs, each an embedded subset
// of the Go font with its own encoding. Page 0 holds everything Norwegian
// and Sámi text and the reports' symbols need; text needing another face is
// drawn in runs, one per face.

// facePage is one face's encoding: the character of each code, 0 where unused.
type facePage [256]rune

// page0Latin1 are the characters of Latin-1 (U+00A0–U+00FF) that face 0
// holds, at their own codes: the Nordic and Sámi letters and the few signs
// the reports use. Every glyph costs about 110 bytes in every PDF, so the
// rest of Latin-1 waits on the next face for the documents that need it.
const page0Latin1 = "\u00a0«»°·×ÆØÅæøåÄÖäöÁáÂâÉéÏïÜü"

// page0Extra are face 0's characters at 0x7F–0x9F, where Windows-1252 keeps
// its typographic characters: the Sámi letters beyond Latin-1 and the
// reports' symbols take the places of rarely used ones.
var page0Extra = [...]rune{
	0x7F: '□', 0x80: '€', 0x81: 'Č', 0x82: 'č', 0x83: 'Đ', 0x84: '„', 0x85: '…', 0x86: 'đ', 0x87: 'Ŋ',
	0x88: 'ŋ', 0x89: '‰', 0x8A: 'Š', 0x8B: 'Ŧ', 0x8C: 'Œ', 0x8D: 'ŧ', 0x8E: 'Ž', 0x8F: 'Σ',
	0x90: '−', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
	0x98: '→', 0x99: '≤', 0x9A: 'š', 0x9B: '≥', 0x9C: 'œ', 0x9D: '≈', 0x9E: 'ž', 0x9F: 'Ÿ',
}

// glyphNames are the Adobe Glyph List names of face 0's characters outside
// WinAnsi; PDF/A wants listed names in an encoding's /Differences. Other
// faces name their glyphs uniXXXX.
var glyphNames = map[rune]string{
	'□': "H22073", '€': "Euro", 'Č': "Ccaron", 'č': "ccaron", 'Đ': "Dcroat", '„': "quotedblbase",
	'…': "ellipsis", 'đ': "dcroat", 'Ŋ': "Eng", 'ŋ': "eng", '‰': "perthousand", 'Š': "Scaron",
	'Ŧ': "Tbar", 'Œ': "OE", 'ŧ': "tbar", 'Ž': "Zcaron", 'Σ': "Sigma", '−': "minus",
	'‘': "quoteleft", '’': "quoteright", '“': "quotedblleft", '”': "quotedblright", '•': "bullet",
	'–': "endash", '—': "emdash", '→': "arrowright", '≤': "lessequal", 'š': "scaron",
	'≥': "greaterequal", 'œ': "oe", '≈': "approxequal", 'ž': "zcaron", 'Ÿ': "Ydieresis",
	'\u00a0': "nbspace", '\u00ad': "sfthyphen", ' ': "space",
}

// face is one style of one face page, ready for fpdf.AddFontFromBytes.
type face struct {
	def []byte // fpdf font definition (JSON)
	z   []byte // the subset TrueType font, zlib-compressed
}

// glyphSlot is where a character sits: its face page and code; code 0 means nowhere.
type glyphSlot struct{ page, code uint8 }

// fontSet is the Go fonts cut into faces, prepared once per Engine.
type fontSet struct {
	pages []facePage  // the faces' encodings
	slot  []glyphSlot // by character, over the BMP
	width [2][]uint16 // by style (regular, bold) and character: advance in 1/1000 em, as fpdf measures it
	faces [][2]face   // by face page and style
}

// styleIndex maps an fpdf style to the index of fontSet.width and faces.
func styleIndex(style string) int {
	if style == "B" {
		return 1
	}
	return 0
}

// faceFamily is the fpdf family name face page n is registered under.
func faceFamily(page int) string {
	if page == 0 {
		return fontFamily
	}
	return fontFamily + strconv.Itoa(page)
}

// newFontSet cuts regular and bold into faces holding the covered characters.
func newFontSet(regular, bold []byte, covered []rune) (*fontSet, error) {
	pages := assignPages(covered)
	fs := &fontSet{pages: pages, slot: make([]glyphSlot, 0x10000)}
	for i, pg := range pages {
		for code, c := range pg {
			if c != 0 && (c != ' ' || i == 0) {
				fs.slot[c] = glyphSlot{page: uint8(i), code: uint8(code)}
			}
		}
	}
	p := fpdf.New("P", "mm", "A4", "")
	fs.faces = make([][2]face, len(pages))
	for st, ttf := range [2][]byte{regular, bold} {
		style := []string{"", "B"}[st]
		p.AddUTF8FontFromBytes(fontFamily, style, ttf)
		p.SetFont(fontFamily, style, 10)
		if p.Err() {
			return nil, fmt.Errorf("measure fonts: %w", p.Error())
		}
		fs.width[st] = make([]uint16, 0x10000)
		for _, c := range covered {
			fs.width[st][c] = uint16(p.GetStringSymbolWidth(string(c)))
		}
		for i, pg := range pages {
			f, err := fs.newFace(ttf, style, p.GetFontDesc(fontFamily, style), pg)
			if err != nil {
				return nil, fmt.Errorf("prepare font face %d%s: %w", i, style, err)
			}
			fs.faces[i][st] = f
		}
	}
	return fs, nil
}

// assignPages lays the covered characters out on face pages: face 0 as
// page0Latin1 and page0Extra say, the rest in code-point order from code 33,
// with the space at 32 on every page so that words stay in one run.
func assignPages(covered []rune) []facePage {
	var p0 facePage
	for _, c := range covered {
		switch {
		case c < 0x7F, strings.ContainsRune(page0Latin1, c):
			p0[c] = c
		default:
			if i := slices.Index(page0Extra[:], c); i > 0 {
				p0[i] = c
			}
		}
	}
	pages := []facePage{p0}
	var cur facePage
	next := 0
	for _, c := range covered {
		if c == ' ' || c < 0x100 && p0[c] == c || slices.Contains(page0Extra[:], c) {
			continue
		}
		if next == 0 {
			cur, next = facePage{32: ' '}, 33
		}
		cur[next] = c
		if next++; next == 0x100 {
			pages, next = append(pages, cur), 0
		}
	}
	if next != 0 {
		pages = append(pages, cur)
	}
	return pages
}

// fontDef is the JSON form of fpdf's font definition (the fields
// AddFontFromBytes reads for an embedded TrueType font).
type fontDef struct {
	Tp           string
	Name         string
	Desc         fpdf.FontDescType
	Up           int
	Ut           int
	Cw           []int
	Enc          string
	Diff         string
	File         string
	OriginalSize int
}

// newFace cuts ttf down to the characters of pg and writes its definition.
func (fs *fontSet) newFace(ttf []byte, style string, desc fpdf.FontDescType, pg facePage) (face, error) {
	var chars []rune
	for _, c := range pg {
		if c != 0 {
			chars = append(chars, c)
		}
	}
	cut := fpdf.UTF8CutFont(ttf, string(chars))
	if len(cut) == 0 {
		return face{}, fmt.Errorf("cutting the font gave nothing")
	}
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err != nil {
		return face{}, err
	}
	if _, err := zw.Write(cut); err != nil {
		return face{}, err
	}
	if err := zw.Close(); err != nil {
		return face{}, err
	}
	up, ut, err := underline(ttf)
	if err != nil {
		return face{}, err
	}
	st := styleIndex(style)
	cw := make([]int, 256)
	for code, c := range pg {
		if c != 0 {
			cw[code] = int(fs.width[st][c])
		}
	}
	// Not symbolic, so that viewers find glyphs through the encoding's names.
	desc.Flags = desc.Flags&^4 | 32
	psName := []string{"GoRegular", "GoBold"}[st]
	tag := sha1.Sum([]byte(psName + string(chars)))
	def, err := json.Marshal(fontDef{
		Tp:           "TrueType",
		Name:         subsetTag(tag[:]) + "+" + psName,
		Desc:         desc,
		Up:           up,
		Ut:           ut,
		Cw:           cw,
		Enc:          "custom",
		Diff:         differences(pg),
		File:         fmt.Sprintf("%s-%x.z", psName, tag[:4]),
		OriginalSize: len(cut),
	})
	return face{def: def, z: z.Bytes()}, err
}

// subsetTag is the six capital letters a subset font's name begins with.
func subsetTag(h []byte) string {
	b := make([]byte, 6)
	for i := range b {
		b[i] = 'A' + h[i]%26
	}
	return string(b)
}

// differences is the PDF /Differences array (without brackets) that turns
// the WinAnsi base encoding into pg: every code whose character differs, and
// the no-break space and soft hyphen, which WinAnsi names as plain ones.
func differences(pg facePage) string {
	var b strings.Builder
	prev := -2
	for code, c := range pg {
		if c == 0 || code < 0x7F && c == rune(code) || code >= 0xA1 && code != 0xAD && c == rune(code) {
			continue
		}
		if code != prev+1 {
			fmt.Fprintf(&b, " %d", code)
		}
		if name, ok := glyphNames[c]; ok {
			b.WriteString(" /" + name)
		} else {
			fmt.Fprintf(&b, " /uni%04X", c)
		}
		prev = code
	}
	return strings.TrimSpace(b.String())
}

// underline reads the underline position and thickness (in 1/1000 em, as
// fpdf rounds them) from the font's post and head tables.
func underline(ttf []byte) (pos, thickness int, err error) {
	post, head := table(ttf, "post"), table(ttf, "head")
	if len(post) < 12 || len(head) < 20 {
		return 0, 0, fmt.Errorf("font lacks post or head table")
	}
	unitsPerEm := float64(binary.BigEndian.Uint16(head[18:]))
	scale := func(v int16) int { return int(float64(v)*1000/unitsPerEm + 0.5) }
	return scale(int16(binary.BigEndian.Uint16(post[8:]))), scale(int16(binary.BigEndian.Uint16(post[10:]))), nil
}

// table is the named table of a TrueType font, nil if missing.
func table(ttf []byte, name string) []byte {
	if len(ttf) < 12 {
		return nil
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := 0; i < n && 12+16*i+16 <= len(ttf); i++ {
		rec := ttf[12+16*i:]
		if string(rec[:4]) == name {
			off, size := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
			if uint64(off)+uint64(size) <= uint64(len(ttf)) {
				return ttf[off : off+size]
			}
		}
	}
	return nil
}

// textRun is a stretch of text drawn with one face: its codes and its width.
type textRun struct {
	page  int
	codes string
	units int // advance in 1/1000 em
}

// runs encodes s into runs of one face each; a character without a face
// (s was not cleaned) is drawn as a question mark.
func (fs *fontSet) runs(s string, style string) []textRun {
	w := fs.width[styleIndex(style)]
	var out []textRun
	var codes []byte
	page, units := -1, 0
	for _, c := range s {
		c = fs.drawable(c)
		sl := fs.slot[c]
		if c == ' ' && page > 0 {
			sl.page = uint8(page) // every face has the space at 32
		}
		if int(sl.page) != page && page >= 0 {
			out = append(out, textRun{page: page, codes: string(codes), units: units})
			codes, units = codes[:0], 0
		}
		page = int(sl.page)
		codes = append(codes, sl.code)
		units += int(w[c])
	}
	if page >= 0 {
		out = append(out, textRun{page: page, codes: string(codes), units: units})
	}
	return out
}

// drawable is c, or a question mark where no face has c (text not cleaned).
func (fs *fontSet) drawable(c rune) rune {
	if c >= 0 && c < 0x10000 && fs.slot[c].code != 0 {
		return c
	}
	return '?'
}

// advance is the width of s in 1/1000 em, as fpdf's GetStringSymbolWidth
// measured it with the Unicode font.
func (fs *fontSet) advance(s string, style string) int {
	w := fs.width[styleIndex(style)]
	n := 0
	for _, c := range s {
		n += int(w[fs.drawable(c)])
	}
	return n
}
