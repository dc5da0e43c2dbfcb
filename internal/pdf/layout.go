package pdf

import (
	"context"
	"fmt"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry in millimetres (A4 portrait).
const (
	pageWidth     = 210.0
	pageHeight    = 297.0
	marginLeft    = 18.0
	marginRight   = 18.0
	marginTop     = 20.0
	marginBottom  = 18.0
	contentWidth  = pageWidth - marginLeft - marginRight
	contentBottom = pageHeight - marginBottom
	headerY       = 10.0
	footerY       = pageHeight - 10.0
	blockGap      = 3.0
	ptToMM        = 25.4 / 72
)

// Font sizes in points.
const (
	sizeBody   = 9.5
	sizeSmall  = 8.0
	sizeTable  = 8.5
	sizeTitle  = 18.0
	sizeSub    = 11.0
	sizeRun    = 7.5
	sizeH1     = 14.0
	sizeH2     = 11.5
	sizeH3     = 10.0
	lineFactor = 1.32 // line height as a multiple of the font size
)

// layout is one rendering: the fpdf document, the cursor and what was replaced.
type layout struct {
	e        *Engine
	pdf      *fpdf.Fpdf
	doc      Document
	y        float64
	seen     map[rune]bool
	replaced []rune
	curStyle string
	curSize  float64
	wrapped  map[wrapKey][]string // wrap's remembered results
	accent   rgb                  // titles, headings, table headers, rules
}

func (r *layout) run(ctx context.Context) error {
	r.newPage()
	r.drawTitle()
	if err := r.blocks(ctx, r.doc.Blocks); err != nil {
		return err
	}
	r.drawRunningParts()
	return nil
}

func (r *layout) newPage() {
	r.pdf.AddPage()
	r.y = marginTop
}

// atTop reports whether nothing has been drawn on the current page yet.
func (r *layout) atTop() bool { return r.y <= marginTop+0.01 }

// ensure starts a new page unless h millimetres fit below the cursor.
func (r *layout) ensure(h float64) {
	if r.y+h > contentBottom && !r.atTop() {
		r.newPage()
	}
}

func (r *layout) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	if style != r.curStyle || size != r.curSize {
		r.pdf.SetFont(fontFamily, style, size)
		r.curStyle, r.curSize = style, size
	}
}

func (r *layout) textColor(c rgb) { r.pdf.SetTextColor(int(c.R), int(c.G), int(c.B)) }
func (r *layout) fillColor(c rgb) { r.pdf.SetFillColor(int(c.R), int(c.G), int(c.B)) }
func (r *layout) drawColor(c rgb) { r.pdf.SetDrawColor(int(c.R), int(c.G), int(c.B)) }

func lineHeight(size float64) float64 { return size * ptToMM * lineFactor }

// text draws one line with its top at y; the baseline sits so that the
// glyphs are centred in a line of lineHeight(size).
func (r *layout) text(x, y float64, s string, size float64) {
	r.show(x, y+baseline(size), s)
}

// show draws s with its baseline-left at x, y in the current style and
// size, switching faces where s needs characters of another one.
func (r *layout) show(x, y float64, s string) {
	runs := r.e.fonts.runs(s, r.curStyle)
	if len(runs) == 0 {
		r.pdf.Text(x, y, "") // as before faces: an empty line is still shown
		return
	}
	if len(runs) == 1 && runs[0].page == 0 {
		r.pdf.Text(x, y, runs[0].codes)
		return
	}
	_, unit := r.pdf.GetFontSize()
	for _, run := range runs {
		r.useFace(run.page)
		r.pdf.Text(x, y, run.codes)
		x += float64(run.units) * unit / 1000
	}
	r.useFace(0)
}

// useFace selects face page n in the current style and size, adding it to
// the document the first time.
func (r *layout) useFace(n int) {
	f := r.e.fonts.faces[n][styleIndex(r.curStyle)]
	r.pdf.AddFontFromBytes(faceFamily(n), r.curStyle, f.def, f.z)
	r.pdf.SetFont(faceFamily(n), r.curStyle, r.curSize)
}

// width is the width of s in millimetres in the current style and size,
// the same figure fpdf's GetStringWidth gave with its Unicode fonts.
func (r *layout) width(s string) float64 {
	_, unit := r.pdf.GetFontSize()
	return float64(r.e.fonts.advance(s, r.curStyle)) * unit / 1000
}

func baseline(size float64) float64 {
	return (lineHeight(size)-size*ptToMM)/2 + size*ptToMM*0.78
}

// wrap breaks s into lines no wider than w in the current font; words longer
// than a line are broken between characters. s must already be clean.
// Blocks are measured before they are drawn, so the lines are remembered;
// callers must not modify the returned slice.
func (r *layout) wrap(s string, w float64) []string {
	key := wrapKey{s: s, w: w, style: r.curStyle, size: r.curSize}
	if lines, ok := r.wrapped[key]; ok {
		return lines
	}
	lines := r.wrapLines(s, w)
	if r.wrapped == nil {
		r.wrapped = map[wrapKey][]string{}
	}
	r.wrapped[key] = lines
	return lines
}

// breakable splits s into words at ordinary spaces and tabs only: a
// no-break space (U+00A0, as in "7 624 000 kr") keeps its words together.
func breakable(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// widestWord is the width of the longest unbreakable run of s in the current font.
func (r *layout) widestWord(s string) float64 {
	w := 0.0
	for _, word := range breakable(s) {
		w = math.Max(w, r.width(word))
	}
	return w
}

// wrapKey is what a wrapped text's lines depend on.
type wrapKey struct {
	s     string
	w     float64
	style string
	size  float64
}

// wrapLines does the work of wrap. Widths are summed in font units, so a
// line's width is computed exactly as fpdf's GetStringWidth of the joined
// line would compute it, without building each candidate line.
func (r *layout) wrapLines(s string, w float64) []string {
	_, unit := r.pdf.GetFontSize()
	fits := func(sym int) bool { return float64(sym)*unit/1000 <= w }
	space := r.e.fonts.advance(" ", r.curStyle)
	var lines, cur []string
	for _, para := range strings.Split(s, "\n") {
		words := breakable(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur = cur[:0]
		curW := 0
		for _, word := range words {
			ww := r.e.fonts.advance(word, r.curStyle)
			if len(cur) > 0 && fits(curW+space+ww) {
				cur = append(cur, word)
				curW += space + ww
				continue
			}
			if len(cur) == 0 && fits(ww) {
				cur = append(cur, word)
				curW = ww
				continue
			}
			if len(cur) > 0 {
				lines = append(lines, strings.Join(cur, " "))
				cur, curW = cur[:0], 0
			}
			for !fits(ww) {
				head, rest := r.splitWord(word, w)
				lines = append(lines, head)
				word = rest
				ww = r.e.fonts.advance(word, r.curStyle)
			}
			if word != "" {
				cur = append(cur, word)
				curW = ww
			}
		}
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}

// splitWord returns the longest prefix of word (at least one rune) that fits in w, and the rest.
func (r *layout) splitWord(word string, w float64) (string, string) {
	runes := []rune(word)
	n := 1
	for n < len(runes) && r.width(string(runes[:n+1])) <= w {
		n++
	}
	return string(runes[:n]), string(runes[n:])
}

// truncate shortens s with an ellipsis so that it fits in w.
func (r *layout) truncate(s string, w float64) string {
	if r.width(s) <= w {
		return s
	}
	runes := []rune(s)
	for len(runes) > 1 && r.width(string(runes)+"…") > w {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…"
}

// drawTitle draws the document title block on page 1, beside the logo
// when there is one.
func (r *layout) drawTitle() {
	width, logoBottom := contentWidth, 0.0
	if w, h := r.drawLogo(); w > 0 {
		width, logoBottom = contentWidth-w-logoGap, marginTop+h
	}
	if r.doc.Title == "" && r.doc.Subtitle == "" {
		r.y = max(r.y, logoBottom+logoGap)
		return
	}
	if r.doc.Title != "" {
		r.font(true, sizeTitle)
		r.textColor(r.accent)
		for _, l := range r.wrap(r.clean(r.doc.Title), width) {
			r.text(marginLeft, r.y, l, sizeTitle)
			r.y += lineHeight(sizeTitle) * 0.92
		}
	}
	if r.doc.Subtitle != "" {
		r.font(false, sizeSub)
		r.textColor(colMuted)
		r.y += 0.5
		for _, l := range r.wrap(r.clean(r.doc.Subtitle), width) {
			r.text(marginLeft, r.y, l, sizeSub)
			r.y += lineHeight(sizeSub)
		}
	}
	r.y = max(r.y, logoBottom)
	r.y += 1.5
	r.drawColor(r.accent)
	r.pdf.SetLineWidth(0.6)
	r.pdf.Line(marginLeft, r.y, marginLeft+contentWidth, r.y)
	r.y += 5
}

// drawRunningParts draws the header and footer on every page once the page count is known.
func (r *layout) drawRunningParts() {
	total := r.pdf.PageCount()
	label := r.doc.PageLabel
	if label == nil {
		label = defaultPageLabel
	}
	header := r.clean(r.doc.Header)
	title := r.clean(r.doc.Title)
	org := r.clean(r.e.brand.Organisation)
	for page := 1; page <= total; page++ {
		r.pdf.SetPage(page)
		// fpdf skips SetFont when it believes the font is current, but each
		// page's content stream has its own font state: force it out.
		r.pdf.SetFont(fontFamily, "B", sizeRun+1)
		r.pdf.SetFont(fontFamily, "", sizeRun)
		r.curStyle, r.curSize = "", sizeRun
		r.textColor(colMuted)
		r.drawColor(colRule)
		r.pdf.SetLineWidth(0.2)
		if header != "" {
			h := r.truncate(header, contentWidth)
			r.text(pageWidth-marginRight-r.width(h), headerY, h, sizeRun)
			if page > 1 && title != "" {
				room := contentWidth - r.width(h) - 8
				if room > 20 {
					r.text(marginLeft, headerY, r.truncate(title, room), sizeRun)
				}
			}
			r.pdf.Line(marginLeft, headerY+lineHeight(sizeRun)+0.8, pageWidth-marginRight, headerY+lineHeight(sizeRun)+0.8)
		}
		r.pdf.Line(marginLeft, footerY-1.2, pageWidth-marginRight, footerY-1.2)
		pl := r.clean(label(page, total))
		r.text(pageWidth-marginRight-r.width(pl), footerY, pl, sizeRun)
		if org != "" {
			r.text(marginLeft, footerY, r.truncate(org, contentWidth-r.width(pl)-8), sizeRun)
		}
	}
	r.pdf.SetPage(total)
}

// blocks draws a sequence of blocks, keeping headings with what follows.
func (r *layout) blocks(ctx context.Context, bs []Block) error {
	for i, b := range bs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("render pdf: %w", err)
		}
		if h, ok := b.(Heading); ok {
			need := r.headingHeight(h)
			if i+1 < len(bs) {
				need += r.minHeight(bs[i+1])
				// A short introductory paragraph takes the block after it along too.
				if _, ok := bs[i+1].(Paragraph); ok && i+2 < len(bs) {
					need += r.minHeight(bs[i+2])
				}
			}
			r.ensure(need)
		}
		if err := r.block(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func (r *layout) block(ctx context.Context, b Block) error {
	switch b := b.(type) {
	case Heading:
		r.drawHeading(b)
	case Paragraph:
		r.drawParagraph(b)
	case Bullets:
		r.drawBullets(b)
	case KeyFigures:
		r.drawKeyFigures(b)
	case Table:
		r.drawTable(b)
	case StatusBadge:
		r.drawBadgeBlock(b)
	case Legend:
		r.drawLegend(b)
	case Chart:
		return r.drawChart(b)
	case ChartRow:
		return r.drawChartRow(b)
	case PageBreak:
		if !r.atTop() {
			r.newPage()
		}
	case Spacer:
		r.y += b.Height
		if r.y > contentBottom {
			r.newPage()
		}
	case KeepTogether:
		h := r.height(b)
		if r.y+h > contentBottom && h <= contentBottom-marginTop {
			r.ensure(h)
		}
		return r.blocks(ctx, b.Blocks)
	case nil:
	default:
		return fmt.Errorf("render pdf: unknown block type %T", b)
	}
	return nil
}

// height is the height a block takes when drawn whole (without page breaks).
func (r *layout) height(b Block) float64 {
	switch b := b.(type) {
	case Heading:
		return r.headingHeight(b)
	case Paragraph:
		return r.paragraphHeight(b)
	case Bullets:
		return r.bulletsHeight(b)
	case KeyFigures:
		return r.keyFiguresHeight(b)
	case Table:
		h := r.tableHeaderHeight(b)
		for _, row := range b.Rows {
			h += r.rowHeight(b, row)
		}
		return h + blockGap
	case StatusBadge:
		return badgeHeight + blockGap
	case Legend:
		return r.legendHeight(b)
	case Chart:
		return r.chartHeight(b)
	case ChartRow:
		return r.chartRowHeight(b)
	case Spacer:
		return b.Height
	case KeepTogether:
		h := 0.0
		for _, c := range b.Blocks {
			h += r.height(c)
		}
		return h
	}
	return 0
}

// minHeight is the least of a block that must follow a heading on its page.
func (r *layout) minHeight(b Block) float64 {
	switch b := b.(type) {
	case Paragraph:
		return math.Min(r.paragraphHeight(b), 2*lineHeight(sizeBody)+4)
	case Bullets:
		if len(b.Items) > 0 {
			return r.bulletsHeight(Bullets{Items: b.Items[:1]})
		}
	case Table:
		h := r.tableHeaderHeight(b)
		if len(b.Rows) > 0 {
			h += r.rowHeight(b, b.Rows[0])
		}
		return h
	case KeepTogether:
		return r.height(b)
	case Heading:
		return r.headingHeight(b)
	}
	return r.height(b)
}

func headingSize(level int) float64 {
	switch level {
	case 1:
		return sizeH1
	case 2:
		return sizeH2
	default:
		return sizeH3
	}
}

func (r *layout) headingLines(h Heading) []string {
	r.font(true, headingSize(h.Level))
	return r.wrap(r.clean(h.Text), contentWidth)
}

func (r *layout) headingHeight(h Heading) float64 {
	size := headingSize(h.Level)
	n := float64(len(r.headingLines(h)))
	extra := 2.0
	if h.Level <= 1 {
		extra = 5.5
	}
	return n*lineHeight(size) + extra
}

func (r *layout) drawHeading(h Heading) {
	size := headingSize(h.Level)
	lines := r.headingLines(h)
	if h.Level <= 1 && !r.atTop() {
		r.y += 2
	}
	r.textColor(r.accent)
	r.font(true, size) // fpdf words the bookmark in the current font's encoding
	r.bookmark(h)
	for _, l := range lines {
		r.text(marginLeft, r.y, l, size)
		r.y += lineHeight(size)
	}
	if h.Level <= 1 {
		r.drawColor(colRule)
		r.pdf.SetLineWidth(0.3)
		r.pdf.Line(marginLeft, r.y+0.3, marginLeft+contentWidth, r.y+0.3)
		r.y += 3.5
	} else {
		r.y += 2
	}
}

func paragraphSize(s TextStyle) float64 {
	switch s {
	case Muted, Small, Label, QuoteSmall:
		return sizeSmall
	default:
		return sizeBody
	}
}

func (r *layout) paragraphLines(p Paragraph) []string {
	w := contentWidth
	if panelled(p.Style) {
		w -= 6
	}
	r.font(p.Style == Label, paragraphSize(p.Style))
	return r.wrap(r.clean(p.Text), w)
}

// panelled reports whether a paragraph style is drawn on a panel with a rule.
func panelled(s TextStyle) bool { return s == Warning || s == Quote || s == QuoteSmall }

func (r *layout) paragraphHeight(p Paragraph) float64 {
	h := float64(len(r.paragraphLines(p))) * lineHeight(paragraphSize(p.Style))
	if panelled(p.Style) {
		h += 3
	}
	if p.Style == Label {
		return h + 1
	}
	return h + blockGap
}

func (r *layout) drawParagraph(p Paragraph) {
	size := paragraphSize(p.Style)
	lines := r.paragraphLines(p)
	lh := lineHeight(size)
	x := marginLeft
	bg, bar := colWarnBg, colWarnText
	switch p.Style {
	case Muted, Label:
		r.textColor(colMuted)
	case Warning:
		r.textColor(colWarnText)
		x += 4
	case Quote, QuoteSmall:
		r.textColor(colText)
		bg, bar = colPanel, r.accent
		x += 4
	default:
		r.textColor(colText)
	}
	panel := panelled(p.Style)
	for len(lines) > 0 {
		// Draw as many lines as fit on this page; the rest continue on the next.
		room := int((contentBottom - r.y - boolF(panel, 3)) / lh)
		if room < 1 || (room < 2 && len(lines) > 1 && !r.atTop()) {
			r.newPage()
			continue
		}
		n := min(room, len(lines))
		if panel {
			h := float64(n)*lh + 3
			r.fillColor(bg)
			r.pdf.Rect(marginLeft, r.y, contentWidth, h, "F")
			r.fillColor(bar)
			r.pdf.Rect(marginLeft, r.y, 1.2, h, "F")
			r.y += 1.5
		}
		for _, l := range lines[:n] {
			r.text(x, r.y, l, size)
			r.y += lh
		}
		if panel {
			r.y += 1.5
		}
		lines = lines[n:]
		if len(lines) > 0 {
			r.newPage()
		}
	}
	r.y += boolF(p.Style != Label, blockGap) + boolF(p.Style == Label, 1)
}

func boolF(b bool, v float64) float64 {
	if b {
		return v
	}
	return 0
}

const bulletIndent = 5.0

func (r *layout) bulletsHeight(b Bullets) float64 {
	r.font(false, sizeBody)
	h := 0.0
	for _, it := range b.Items {
		h += float64(len(r.wrap(r.clean(it), contentWidth-bulletIndent)))*lineHeight(sizeBody) + 0.8
	}
	return h + blockGap
}

func (r *layout) drawBullets(b Bullets) {
	lh := lineHeight(sizeBody)
	for _, it := range b.Items {
		r.font(false, sizeBody)
		lines := r.wrap(r.clean(it), contentWidth-bulletIndent)
		r.ensure(math.Min(float64(len(lines)), 2) * lh)
		r.textColor(colText)
		r.fillColor(r.accent)
		r.pdf.Circle(marginLeft+1.6, r.y+lh/2, 0.75, "F")
		for _, l := range lines {
			if r.y+lh > contentBottom {
				r.newPage()
				r.font(false, sizeBody)
				r.textColor(colText)
			}
			r.text(marginLeft+bulletIndent, r.y, l, sizeBody)
			r.y += lh
		}
		r.y += 0.8
	}
	r.y += blockGap
}

// bookmark adds a level 1 heading (each benefit, each main section) to the
// PDF's outline, so a reader can jump to it. The outline stays flat: fpdf
// writes /Count 0 on every item, which is only right for items without
// children.
func (r *layout) bookmark(h Heading) {
	if h.Level > 1 || strings.TrimSpace(h.Text) == "" {
		return
	}
	r.pdf.Bookmark(r.clean(h.Text), 0, r.y)
}
