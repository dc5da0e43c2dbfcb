package pdf

import "math"

// Badge geometry in millimetres.
const (
	badgeSize   = 7.5 // pt
	badgeHeight = 4.6
	badgePadX   = 1.8
)

// badgeWidth is the width of a one-line badge for the clean text s.
func (r *layout) badgeWidth(s string) float64 {
	r.font(true, badgeSize)
	return r.width(s) + 2*badgePadX
}

// drawBadge draws a status badge (a rounded box in the status colour with its
// word) with its top-left corner at x, y and returns its width. s must be clean.
func (r *layout) drawBadge(x, y float64, st Status, s string) float64 {
	w := r.badgeWidth(s)
	c := styleOf(st)
	r.fillColor(c.Fill)
	r.pdf.RoundedRect(x, y, w, badgeHeight, 1.0, "1234", "F")
	r.textColor(c.Text)
	r.font(true, badgeSize)
	r.show(x+badgePadX, y+badgeHeight/2+badgeSize*ptToMM*0.36, s)
	return w
}

func (r *layout) drawBadgeBlock(b StatusBadge) {
	r.ensure(badgeHeight)
	r.drawBadge(marginLeft, r.y, b.Status, r.truncateBadge(r.clean(b.Text), contentWidth))
	r.y += badgeHeight + blockGap
}

// truncateBadge shortens a badge word so the badge fits in w.
func (r *layout) truncateBadge(s string, w float64) string {
	r.font(true, badgeSize)
	return r.truncate(s, w-2*badgePadX)
}

// legendRows lays legend items out in rows that fit the text width.
func (r *layout) legendRows(l Legend) [][]int {
	var rows [][]int
	var row []int
	x := 0.0
	for i, it := range l.Items {
		bw := r.badgeWidth(r.clean(it.Text))
		if x > 0 && x+bw > contentWidth {
			rows = append(rows, row)
			row, x = nil, 0
		}
		row = append(row, i)
		x += bw + 2.5
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

func (r *layout) legendHeight(l Legend) float64 {
	return float64(len(r.legendRows(l)))*(badgeHeight+1.5) + blockGap
}

func (r *layout) drawLegend(l Legend) {
	for _, row := range r.legendRows(l) {
		r.ensure(badgeHeight)
		x := marginLeft
		for _, i := range row {
			it := l.Items[i]
			x += r.drawBadge(x, r.y, it.Status, r.truncateBadge(r.clean(it.Text), contentWidth)) + 2.5
		}
		r.y += badgeHeight + 1.5
	}
	r.y += blockGap
}

// Key figure geometry.
const (
	kfLabelSize = 7.5
	kfValueSize = 13.0
	kfNoteSize  = 7.0
	kfGap       = 2.5
	kfPad       = 2.5
	// A compact grid's values and padding.
	kfCompactValueSize = 11.0
	kfCompactPad       = 1.5
	kfCompactGap       = 2.0
)

// gap is the space between two figures' panels.
func (k KeyFigures) gap() float64 {
	if k.Compact {
		return kfCompactGap
	}
	return kfGap
}

// valueSize is the size a figure's value starts at before it shrinks to fit.
func (k KeyFigures) valueSize() float64 {
	if k.Compact {
		return kfCompactValueSize
	}
	return kfValueSize
}

// pad is the padding inside a figure's panel.
func (k KeyFigures) pad() float64 {
	if k.Compact {
		return kfCompactPad
	}
	return kfPad
}

func (k KeyFigures) columns() int {
	if k.Columns <= 0 {
		return 4
	}
	return k.Columns
}

type kfLines struct {
	label, value, note []string
	valueSize          float64
}

// kfMinValueSize is the smallest a key figure's value is set in to keep a
// long unbreakable run ("2,66 per 1000 innleggelser") from being split.
const kfMinValueSize = 8.5

func (r *layout) keyFigureLines(k KeyFigure, w float64) kfLines {
	return r.keyFigureLinesSized(k, w, kfValueSize)
}

// keyFigureLinesSized wraps a figure's texts, its value starting at size.
func (r *layout) keyFigureLinesSized(k KeyFigure, w, size float64) kfLines {
	var out kfLines
	r.font(false, kfLabelSize)
	out.label = r.wrap(r.clean(k.Label), w)
	value := r.clean(k.Value)
	out.valueSize = size
	r.font(true, out.valueSize)
	for out.valueSize > kfMinValueSize && r.widestWord(value) > w {
		out.valueSize -= 0.5
		r.font(true, out.valueSize)
	}
	out.value = r.wrap(value, w)
	if k.Note != "" {
		r.font(false, kfNoteSize)
		out.note = r.wrap(r.clean(k.Note), w)
	}
	return out
}

func kfHeight(l kfLines, badge bool, pad float64) float64 {
	h := 2*pad + float64(len(l.label))*lineHeight(kfLabelSize) + float64(len(l.value))*lineHeight(l.valueSize)*0.95 + float64(len(l.note))*lineHeight(kfNoteSize)
	if badge {
		h += badgeHeight + 1
	}
	return h
}

// kfInlineBadgeGap is the space between a value and the badge beside it.
const kfInlineBadgeGap = 2.0

// badgeInline reports whether a compact grid draws the figure's status badge
// beside the last line of its value, which saves a line, because it fits there.
func (r *layout) badgeInline(k KeyFigures, it KeyFigure, l kfLines, inner float64) bool {
	if !k.Compact || it.StatusText == "" || len(l.value) == 0 {
		return false
	}
	r.font(true, l.valueSize)
	w := r.width(l.value[len(l.value)-1]) + kfInlineBadgeGap
	return w+r.badgeWidth(r.clean(it.StatusText)) <= inner
}

func (k KeyFigures) cellWidth() float64 {
	n := float64(k.columns())
	return (contentWidth - (n-1)*k.gap()) / n
}

// keyFigureRowHeights returns the height of each row of the grid.
func (r *layout) keyFigureRowHeights(k KeyFigures) []float64 {
	cols := k.columns()
	inner := k.cellWidth() - 2*k.pad() - 1.5
	var hs []float64
	for start := 0; start < len(k.Items); start += cols {
		h := 0.0
		for _, it := range k.Items[start:min(start+cols, len(k.Items))] {
			l := r.keyFigureLinesSized(it, inner, k.valueSize())
			badge := it.StatusText != "" && !r.badgeInline(k, it, l, inner)
			h = math.Max(h, kfHeight(l, badge, k.pad()))
		}
		hs = append(hs, h)
	}
	return hs
}

func (r *layout) keyFiguresHeight(k KeyFigures) float64 {
	h := 0.0
	for _, rh := range r.keyFigureRowHeights(k) {
		h += rh + kfGap
	}
	return h + blockGap - kfGap
}

func (r *layout) drawKeyFigures(k KeyFigures) {
	cols := k.columns()
	cw := k.cellWidth()
	inner := cw - 2*k.pad() - 1.5
	for ri, rh := range r.keyFigureRowHeights(k) {
		r.ensure(rh)
		start := ri * cols
		for ci, it := range k.Items[start:min(start+cols, len(k.Items))] {
			x := marginLeft + float64(ci)*(cw+k.gap())
			r.fillColor(colPanel)
			r.pdf.Rect(x, r.y, cw, rh, "F")
			if it.Status != "" {
				r.fillColor(styleOf(it.Status).Fill)
				r.pdf.Rect(x, r.y, 1.5, rh, "F")
			}
			l := r.keyFigureLinesSized(it, inner, k.valueSize())
			tx := x + 1.5 + k.pad()
			y := r.y + k.pad()
			r.font(false, kfLabelSize)
			r.textColor(colMuted)
			for _, s := range l.label {
				r.text(tx, y, s, kfLabelSize)
				y += lineHeight(kfLabelSize)
			}
			r.font(true, l.valueSize)
			r.textColor(colText)
			for _, s := range l.value {
				r.text(tx, y, s, l.valueSize)
				y += lineHeight(l.valueSize) * 0.95
			}
			if r.badgeInline(k, it, l, inner) {
				last := l.value[len(l.value)-1]
				r.font(true, l.valueSize)
				bx := tx + r.width(last) + kfInlineBadgeGap
				by := y - lineHeight(l.valueSize)*0.95 + (lineHeight(l.valueSize)-badgeHeight)/2
				r.drawBadge(bx, by, it.Status, r.clean(it.StatusText))
			} else if it.StatusText != "" {
				y += 0.5
				r.drawBadge(tx, y, it.Status, r.truncateBadge(r.clean(it.StatusText), inner))
				y += badgeHeight + 0.5
			}
			r.font(false, kfNoteSize)
			r.textColor(colMuted)
			for _, s := range l.note {
				r.text(tx, y, s, kfNoteSize)
				y += lineHeight(kfNoteSize)
			}
		}
		r.y += rh + kfGap
	}
	r.y += blockGap - kfGap
}

// Table geometry.
const (
	cellPadX = 1.6
	cellPadY = 1.3
)

func (t Table) widths() []float64 {
	total := 0.0
	for _, c := range t.Columns {
		total += colWeight(c)
	}
	ws := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		ws[i] = contentWidth * colWeight(c) / total
	}
	return ws
}

func colWeight(c Column) float64 {
	if c.Width <= 0 {
		return 1
	}
	return c.Width
}

// cellLines wraps a cell's text for its column; status cells wrap inside the badge.
func (r *layout) cellLines(c Cell, w float64) []string {
	inner := w - 2*cellPadX
	if c.Status != "" {
		r.font(true, badgeSize)
		return r.wrap(r.clean(c.Text), inner-2*badgePadX)
	}
	r.font(c.Bold, sizeTable)
	return r.wrap(r.clean(c.Text), inner)
}

func (r *layout) cellHeight(c Cell, w float64) float64 {
	n := float64(len(r.cellLines(c, w)))
	if c.Status != "" {
		return n*lineHeight(badgeSize) + 1.2 + 2*cellPadY
	}
	return n*lineHeight(sizeTable) + 2*cellPadY
}

func (r *layout) rowHeight(t Table, row []Cell) float64 {
	ws := t.widths()
	h := lineHeight(sizeTable) + 2*cellPadY
	for i, c := range row {
		if i < len(ws) {
			h = math.Max(h, r.cellHeight(c, ws[i]))
		}
	}
	return h
}

func (r *layout) tableHeaderHeight(t Table) float64 {
	header := make([]Cell, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Cell{Text: c.Title, Bold: true}
	}
	return r.rowHeight(t, header)
}

func (r *layout) drawTable(t Table) {
	if len(t.Columns) == 0 {
		return
	}
	ws := t.widths()
	header := make([]Cell, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Cell{Text: c.Title, Bold: true}
	}
	hh := r.rowHeight(t, header)
	hs := make([]float64, len(t.Rows))
	total := hh
	for i, row := range t.Rows {
		hs[i] = r.rowHeight(t, row)
		total += hs[i]
	}
	first := hh
	if len(t.Rows) > 0 {
		first += hs[0]
	}
	if total <= (contentBottom-marginTop)/3 {
		// A short table is never split: it moves whole to the next page.
		first = total
	}
	r.ensure(first)
	r.drawRow(t, ws, header, hh, -1)
	for i, row := range t.Rows {
		h := hs[i]
		// No orphan: the last row never goes to a page alone; the row
		// before it goes along when the two do not both fit.
		orphan := i > 0 && i == len(t.Rows)-2 && r.y+h <= contentBottom && r.y+h+hs[i+1] > contentBottom
		if (r.y+h > contentBottom || orphan) && !r.atTop() {
			r.newPage()
			if t.RepeatHeader {
				r.drawRow(t, ws, header, hh, -1)
			}
		}
		r.drawRow(t, ws, row, h, i)
	}
	r.y += blockGap
}

// drawRow draws one row at the cursor; index -1 is the header row.
func (r *layout) drawRow(t Table, ws []float64, row []Cell, h float64, index int) {
	switch {
	case index < 0:
		r.fillColor(r.accent)
		r.pdf.Rect(marginLeft, r.y, contentWidth, h, "F")
	case index%2 == 1:
		r.fillColor(colZebra)
		r.pdf.Rect(marginLeft, r.y, contentWidth, h, "F")
	}
	x := marginLeft
	for i, w := range ws {
		if i >= len(row) {
			break
		}
		c := row[i]
		lines := r.cellLines(c, w)
		align := t.Columns[i].Align
		if c.Status != "" {
			r.drawCellBadge(x, w, c, lines, align)
			x += w
			continue
		}
		r.font(c.Bold, sizeTable)
		switch {
		case index < 0:
			r.textColor(colWhite)
		case c.Muted:
			r.textColor(colMuted)
		default:
			r.textColor(colText)
		}
		y := r.y + cellPadY
		for _, l := range lines {
			r.text(alignX(x, w, r.width(l), align), y, l, sizeTable)
			y += lineHeight(sizeTable)
		}
		x += w
	}
	if index >= 0 {
		r.drawColor(colRule)
		r.pdf.SetLineWidth(0.15)
		r.pdf.Line(marginLeft, r.y+h, marginLeft+contentWidth, r.y+h)
	}
	r.y += h
}

func alignX(x, w, tw float64, a Align) float64 {
	switch a {
	case AlignRight:
		return x + w - cellPadX - tw
	case AlignCenter:
		return x + (w-tw)/2
	default:
		return x + cellPadX
	}
}

func (r *layout) drawCellBadge(x, w float64, c Cell, lines []string, align Align) {
	r.font(true, badgeSize)
	tw := 0.0
	for _, l := range lines {
		tw = math.Max(tw, r.width(l))
	}
	bw := tw + 2*badgePadX
	bh := float64(len(lines))*lineHeight(badgeSize) + 1.2
	bx := alignX(x, w, bw, align)
	if align == AlignRight {
		bx = x + w - cellPadX - bw
	}
	st := styleOf(c.Status)
	r.fillColor(st.Fill)
	r.pdf.RoundedRect(bx, r.y+cellPadY, bw, bh, 1.0, "1234", "F")
	r.textColor(st.Text)
	y := r.y + cellPadY + 0.6
	for _, l := range lines {
		r.text(bx+badgePadX, y, l, badgeSize)
		y += lineHeight(badgeSize)
	}
}
