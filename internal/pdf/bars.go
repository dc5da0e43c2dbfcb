package pdf

import (
	"math"

	"github.com/go-analyze/charts/chartdraw"
)

// categoryTicks labels category i at axis value pos(i), truncated to fit w mm.
func (r *layout) categoryTicks(labels []string, pos func(int) float64, size, w float64) []chartdraw.Tick {
	r.font(false, size)
	ts := make([]chartdraw.Tick, len(labels))
	for i, l := range labels {
		ts[i] = chartdraw.Tick{Value: pos(i), Label: r.truncate(r.clean(l), w)}
	}
	return ts
}

func valueTicks(lo, hi float64, fv func(float64) string) ([2]float64, []chartdraw.Tick) {
	vs := niceTicks(lo, hi, 5)
	ts := make([]chartdraw.Tick, len(vs))
	for i, v := range vs {
		ts[i] = chartdraw.Tick{Value: v, Label: fv(v)}
	}
	return [2]float64{vs[0], vs[len(vs)-1]}, ts
}

// rect fills a rectangle given in chart pixels.
func rect(rd chartdraw.Renderer, x0, y0, x1, y1 int, c rgb) {
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	if x0 == x1 || y0 == y1 {
		return
	}
	rd.SetFillColor(dc(c))
	rd.MoveTo(x0, y0)
	rd.LineTo(x1, y0)
	rd.LineTo(x1, y1)
	rd.LineTo(x0, y1)
	rd.Close()
	rd.Fill()
	hatchRect(rd, x0, y0, x1, y1, c)
}

// hatchRect draws the pattern of fill c (patternOf) over a rectangle in
// chart pixels, so that a red area reads as red in grey print too.
func hatchRect(rd chartdraw.Renderer, x0, y0, x1, y1 int, c rgb) {
	lines := hatchLines(patternOf(c), float64(x0), float64(y0), float64(x1), float64(y1), 1.6*pxPerMM)
	if len(lines) == 0 {
		return
	}
	rd.SetStrokeColor(dc(hatchColor(c)))
	rd.SetStrokeWidth(0.35 * pxPerMM)
	for _, l := range lines {
		rd.MoveTo(int(l[0]), int(l[1]))
		rd.LineTo(int(l[2]), int(l[3]))
	}
	rd.Stroke()
}

// chartText draws text in chart pixels, anchored by ax (0 left, 0.5 centre, 1 right) and vertically centred at y.
func chartText(rd chartdraw.Renderer, s string, x, y int, ax float64, size float64, c rgb) {
	rd.SetFontSize(size)
	rd.SetFontColor(dc(c))
	b := rd.MeasureText(s)
	rd.Text(s, x-int(float64(b.Width())*ax), y+b.Height()/2)
}

// barsChart builds a bar chart for a plot w mm wide: bars from zero, or
// with Dots, dots on an axis cut to the values' range.
func (r *layout) barsChart(s Bars, w float64) (chartdraw.Chart, error) {
	fv := s.FormatValue
	if fv == nil {
		fv = defaultFormat
	}
	n := len(s.Items)
	labels := make([]string, n)
	for i, b := range s.Items {
		labels[i] = b.Label
	}
	lo, hi := barRange(s)
	vr, vt := valueTicks(lo, hi, fv)
	if s.Dots || s.Max > 0 {
		vr, vt = cutTicks(vr, vt, s)
	}
	const size = 7.0
	cr := [2]float64{-0.5, float64(max(n, 1)) - 0.5}
	var ch chartdraw.Chart
	if s.Horizontal {
		pos := func(i int) float64 { return float64(n - 1 - i) }
		ch = baseChart(vr, cr, vt, r.categoryTicks(labels, pos, size, w*0.35), size, true)
		ch.YAxisSecondary.GridLines = nil
	} else {
		pos := func(i int) float64 { return float64(i) }
		slot := (w - 25) / float64(max(n, 1))
		ch = baseChart(cr, vr, r.categoryTicks(labels, pos, size, slot-1.5), vt, size, false)
	}
	ch.Series = []chartdraw.Series{layer{fn: func(rd chartdraw.Renderer, box chartdraw.Box, xr, yr chartdraw.Range) {
		for i, b := range s.Items {
			text := r.clean(b.ValueText)
			if text == "" {
				text = r.clean(fv(b.Value))
			}
			if s.Horizontal {
				r.drawHBar(rd, s, b, text, box.Bottom-yr.Translate(float64(n-1-i)), box, xr, size)
			} else {
				r.drawVBar(rd, s, b, text, box.Left+xr.Translate(float64(i)), box, yr, size)
			}
		}
		if s.Dots && vr[0] != 0 {
			axisBreak(rd, box, s.Horizontal)
		}
	}}}
	return ch, nil
}

// barRange is the value range a bar chart must show: from zero for bars,
// the values' own range with some room for dots, and room for the labels.
func barRange(s Bars) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	see := func(v *float64) {
		if v != nil {
			lo, hi = math.Min(lo, *v), math.Max(hi, *v)
		}
	}
	for _, b := range s.Items {
		if !b.Empty {
			v := b.Value
			see(&v)
		}
		see(b.Target)
		see(b.Secondary)
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	if !s.Dots {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
		if hi == lo {
			hi = lo + 1
		}
		// Headroom for the value labels at the bars' ends.
		return lo, hi + (hi-lo)*0.12
	}
	pad := (hi - lo) * 0.15
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.02, 0.5)
	}
	lo, hi = lo-pad, hi+pad
	if s.Horizontal {
		hi += (hi - lo) * 0.3 // room for the value label right of the dot
	}
	if lo < 0 && allNonNegative(s) {
		lo = 0
	}
	return lo, hi
}

func allNonNegative(s Bars) bool {
	for _, b := range s.Items {
		if !b.Empty && b.Value < 0 {
			return false
		}
	}
	return true
}

// cutTicks drops ticks above s.Max (a share's 100 %) when no value lies
// above it, so that a share axis never runs past 100 %.
func cutTicks(vr [2]float64, vt []chartdraw.Tick, s Bars) ([2]float64, []chartdraw.Tick) {
	if s.Max <= 0 || vr[1] <= s.Max {
		return vr, vt
	}
	for _, b := range s.Items {
		if (!b.Empty && b.Value > s.Max) || (b.Target != nil && *b.Target > s.Max) {
			return vr, vt
		}
	}
	out := vt[:0:0]
	for _, t := range vt {
		if t.Value <= s.Max {
			out = append(out, t)
		}
	}
	if len(out) == 0 || out[len(out)-1].Value < s.Max {
		out = append(out, chartdraw.Tick{Value: s.Max, Label: vt[len(vt)-1].Label})
		if s.FormatValue != nil {
			out[len(out)-1].Label = s.FormatValue(s.Max)
		}
	}
	return [2]float64{vr[0], s.Max}, out
}

// drawHBar draws one horizontal item centred at pixel row c: a bar from
// zero or a dot, its markers, and its value label inside a long bar or
// just after its end, never after a marker, where it would read as the
// marker's value.
func (r *layout) drawHBar(rd chartdraw.Renderer, s Bars, b Bar, text string, c int, box chartdraw.Box, xr chartdraw.Range, size float64) {
	n := max(len(s.Items), 1)
	half := int(math.Min(float64(box.Height())/float64(n)*0.32, 4*pxPerMM))
	x0 := box.Left + xr.Translate(0)
	x1 := box.Left + xr.Translate(b.Value)
	end := x0
	switch {
	case b.Empty:
	case s.Dots:
		dot(rd, x1, c, int(1.3*pxPerMM), barFill(b.Status))
		end = x1 + int(1.3*pxPerMM)
	default:
		rect(rd, x0, c-half, x1, c+half, barFill(b.Status))
		end = max(x1, x0)
	}
	if b.Secondary != nil {
		tx := box.Left + xr.Translate(*b.Secondary)
		rect(rd, tx-3, c-half-6, tx+3, c+half+6, colAxis)
	}
	if b.Target != nil {
		tx := box.Left + xr.Translate(*b.Target)
		rect(rd, tx-4, c-half-6, tx+4, c+half+6, colText)
	}
	tw := wordWidth(rd, text, size)
	if s.Dots && !b.Empty && b.Target != nil {
		// A label running across the ambition marker would hide it: put it
		// left of the dot instead when there is room.
		tx := box.Left + xr.Translate(*b.Target)
		left := x1 - int(1.3*pxPerMM) - 12
		if tx >= end && tx <= end+12+tw && left-tw > box.Left {
			chartText(rd, text, left, c, 1, size, colText)
			return
		}
	}
	if !s.Dots && !b.Empty && x1-x0 > tw+int(3*pxPerMM) {
		st := styleOf(b.Status)
		if b.Status == "" {
			st.Text = colWhite
		}
		label(rd, text, x1-int(1.5*pxPerMM), c, 1, size, st.Text, barFill(b.Status))
		return
	}
	chartText(rd, text, end+12, c, 0, size, colText)
}

// drawVBar draws one vertical item centred at pixel column c.
func (r *layout) drawVBar(rd chartdraw.Renderer, s Bars, b Bar, text string, c int, box chartdraw.Box, yr chartdraw.Range, size float64) {
	n := max(len(s.Items), 1)
	half := int(math.Min(float64(box.Width())/float64(n)*0.3, 8*pxPerMM))
	y0 := box.Bottom - yr.Translate(0)
	y1 := box.Bottom - yr.Translate(b.Value)
	top := y0
	switch {
	case b.Empty:
		top = box.Bottom
	case s.Dots:
		dot(rd, c, y1, int(1.3*pxPerMM), barFill(b.Status))
		top = y1 - int(1.3*pxPerMM)
	default:
		rect(rd, c-half, y0, c+half, y1, barFill(b.Status))
		top = min(y1, y0)
	}
	if b.Target != nil {
		ty := box.Bottom - yr.Translate(*b.Target)
		rect(rd, c-half-6, ty-4, c+half+6, ty+4, colText)
		if !s.Dots {
			top = min(top, ty-4)
		}
	}
	if s.Dots && !b.Empty {
		// Right of the ambition marker's reach, level with the dot, so that
		// it neither covers the marker nor reads as its value.
		chartText(rd, text, c+half+6+int(1.5*pxPerMM), y1, 0, size, colText)
		return
	}
	chartText(rd, text, c, top-20, 0.5, size, colText)
}

// dot draws a filled circle of radius rad pixels with a thin dark outline,
// so that a light yellow dot stays visible.
func dot(rd chartdraw.Renderer, x, y, rad int, fill rgb) {
	rd.SetFillColor(dc(fill))
	rd.SetStrokeColor(dc(colText))
	rd.SetStrokeWidth(0.2 * pxPerMM)
	rd.Circle(float64(rad), x, y)
	rd.FillStroke()
}

// label draws text anchored like chartText on a plain background of colour bg.
func label(rd chartdraw.Renderer, s string, x, y int, ax, size float64, fg, bg rgb) {
	rd.SetFontSize(size)
	b := rd.MeasureText(s)
	x0 := x - int(float64(b.Width())*ax)
	pad := int(0.6 * pxPerMM)
	rd.SetFillColor(dc(bg))
	rd.MoveTo(x0-pad, y-b.Height()/2-pad)
	rd.LineTo(x0+b.Width()+pad, y-b.Height()/2-pad)
	rd.LineTo(x0+b.Width()+pad, y+b.Height()/2+pad)
	rd.LineTo(x0-pad, y+b.Height()/2+pad)
	rd.Close()
	rd.Fill()
	chartText(rd, s, x, y, ax, size, fg)
}

// axisBreak marks a value axis that does not start at zero with two short
// slanted strokes at its start, as print graphics mark a cut axis.
func axisBreak(rd chartdraw.Renderer, box chartdraw.Box, horizontal bool) {
	rd.SetStrokeColor(dc(colText))
	rd.SetStrokeWidth(0.25 * pxPerMM)
	d := int(1.2 * pxPerMM)
	for _, off := range []int{0, int(0.9 * pxPerMM)} {
		if horizontal {
			x := box.Left + int(1.5*pxPerMM) + off
			rd.MoveTo(x-d/2, box.Bottom+d)
			rd.LineTo(x+d/2, box.Bottom-d)
		} else {
			y := box.Bottom - int(1.5*pxPerMM) - off
			rd.MoveTo(box.Left-d, y+d/2)
			rd.LineTo(box.Left+d, y-d/2)
		}
	}
	rd.Stroke()
}

// stackedChart builds a stacked bar chart for a plot w mm wide.
func (r *layout) stackedChart(s StackedBars, w float64) (chartdraw.Chart, error) {
	fv := s.FormatValue
	if fv == nil {
		fv = defaultFormat
	}
	n := len(s.Groups)
	hi := 0.0
	for g := range s.Groups {
		t := 0.0
		for _, seg := range s.Segments {
			if g < len(seg.Values) {
				t += math.Max(0, seg.Values[g])
			}
		}
		hi = math.Max(hi, t)
	}
	if hi == 0 {
		hi = 1
	}
	vr, vt := valueTicks(0, hi, fv)
	const size = 7.0
	cr := [2]float64{-0.5, float64(max(n, 1)) - 0.5}
	var ch chartdraw.Chart
	if s.Horizontal {
		pos := func(i int) float64 { return float64(n - 1 - i) }
		ch = baseChart(vr, cr, vt, r.categoryTicks(s.Groups, pos, size, w*0.35), size, true)
		ch.YAxisSecondary.GridLines = nil
	} else {
		pos := func(i int) float64 { return float64(i) }
		slot := (w - 25) / float64(max(n, 1))
		ch = baseChart(cr, vr, r.categoryTicks(s.Groups, pos, size, slot-1.5), vt, size, false)
	}
	ch.Series = []chartdraw.Series{layer{fn: func(rd chartdraw.Renderer, box chartdraw.Box, xr, yr chartdraw.Range) {
		for g := range s.Groups {
			acc := 0.0
			for _, seg := range s.Segments {
				if g >= len(seg.Values) || seg.Values[g] <= 0 {
					continue
				}
				v := seg.Values[g]
				st := styleOf(seg.Status)
				var x0, y0, x1, y1 int
				if s.Horizontal {
					c := box.Bottom - yr.Translate(float64(n-1-g))
					half := int(math.Min(float64(box.Height())/float64(n)*0.32, 4*pxPerMM))
					x0, x1 = box.Left+xr.Translate(acc), box.Left+xr.Translate(acc+v)
					y0, y1 = c-half, c+half
				} else {
					c := box.Left + xr.Translate(float64(g))
					half := int(math.Min(float64(box.Width())/float64(max(n, 1))*0.3, 8*pxPerMM))
					x0, x1 = c-half, c+half
					y0, y1 = box.Bottom-yr.Translate(acc+v), box.Bottom-yr.Translate(acc)
				}
				rect(rd, x0, y0, x1, y1, st.Fill)
				// Thin white separators keep adjacent segments apart in grey print.
				rd.SetStrokeColor(dc(colWhite))
				rd.SetStrokeWidth(3)
				rd.MoveTo(x0, y0)
				rd.LineTo(x1, y0)
				rd.LineTo(x1, y1)
				rd.LineTo(x0, y1)
				rd.Close()
				rd.Stroke()
				label := r.clean(fv(v))
				rd.SetFontSize(size)
				tb := rd.MeasureText(label)
				if tb.Width()+8 < x1-x0 && tb.Height()+6 < y1-y0 {
					chartText(rd, label, (x0+x1)/2, (y0+y1)/2, 0.5, size, st.Text)
				}
				acc += v
			}
		}
	}}}
	return ch, nil
}
