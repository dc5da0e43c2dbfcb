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
}

// chartText draws text in chart pixels, anchored by ax (0 left, 0.5 centre, 1 right) and vertically centred at y.
func chartText(rd chartdraw.Renderer, s string, x, y int, ax float64, size float64, c rgb) {
	rd.SetFontSize(size)
	rd.SetFontColor(dc(c))
	b := rd.MeasureText(s)
	rd.Text(s, x-int(float64(b.Width())*ax), y+b.Height()/2)
}

// barsChart builds a bar chart for a plot w mm wide.
func (r *layout) barsChart(s Bars, w float64) (chartdraw.Chart, error) {
	fv := s.FormatValue
	if fv == nil {
		fv = defaultFormat
	}
	n := len(s.Items)
	lo, hi := 0.0, 0.0
	labels := make([]string, n)
	for i, b := range s.Items {
		lo, hi = math.Min(lo, b.Value), math.Max(hi, b.Value)
		if b.Target != nil {
			lo, hi = math.Min(lo, *b.Target), math.Max(hi, *b.Target)
		}
		labels[i] = b.Label
	}
	if n == 0 {
		hi = 1
	}
	// Headroom for the value labels at the bars' ends.
	hi += (hi - lo) * 0.12
	vr, vt := valueTicks(lo, hi, fv)
	const size = 7.0
	cr := [2]float64{-0.5, float64(max(n, 1)) - 0.5}
	text := func(b Bar) string {
		if b.ValueText != "" {
			return b.ValueText
		}
		return fv(b.Value)
	}
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
			fill := barFill(b.Status)
			if s.Horizontal {
				c := box.Bottom - yr.Translate(float64(n-1-i))
				half := int(math.Min(float64(box.Height())/float64(n)*0.32, 4*pxPerMM))
				x0 := box.Left + xr.Translate(0)
				x1 := box.Left + xr.Translate(b.Value)
				rect(rd, x0, c-half, x1, c+half, fill)
				end := max(x1, x0)
				if b.Target != nil {
					tx := box.Left + xr.Translate(*b.Target)
					rect(rd, tx-4, c-half-6, tx+4, c+half+6, colText)
					end = max(end, tx+4)
				}
				chartText(rd, r.clean(text(b)), end+12, c, 0, size, colText)
				continue
			}
			c := box.Left + xr.Translate(float64(i))
			half := int(math.Min(float64(box.Width())/float64(max(n, 1))*0.3, 8*pxPerMM))
			y0 := box.Bottom - yr.Translate(0)
			y1 := box.Bottom - yr.Translate(b.Value)
			rect(rd, c-half, y0, c+half, y1, fill)
			top := min(y1, y0)
			if b.Target != nil {
				ty := box.Bottom - yr.Translate(*b.Target)
				rect(rd, c-half-6, ty-4, c+half+6, ty+4, colText)
				top = min(top, ty-4)
			}
			chartText(rd, r.clean(text(b)), c, top-20, 0.5, size, colText)
		}
	}}}
	return ch, nil
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
