package pdf

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
)

// Chart geometry.
const (
	defaultChartHeight = 70.0
	captionSize        = 9.0
	legendSize         = 7.5
	legendRowHeight    = 4.6
)

func dc(c rgb) drawing.Color { return drawing.Color{R: c.R, G: c.G, B: c.B, A: 255} }

// legendEntry is one chart legend item, drawn by the layout under the chart.
type legendEntry struct {
	kind  byte // 'l' line, 'd' dashed line, 'm' diamond marker, 't' target tick, 'b' box, 'p' line with dot
	color rgb
	label string
}

// plotFunc draws a custom layer of a chart using chartdraw's scales.
type plotFunc func(r chartdraw.Renderer, box chartdraw.Box, xr, yr chartdraw.Range)

// layer adapts a plotFunc to chartdraw.Series.
type layer struct{ fn plotFunc }

func (layer) GetName() string               { return "" }
func (layer) GetYAxis() chartdraw.YAxisType { return chartdraw.YAxisSecondary }
func (layer) GetStyle() chartdraw.Style     { return chartdraw.Style{} }
func (layer) Validate() error               { return nil }
func (l layer) Render(r chartdraw.Renderer, box chartdraw.Box, xr, yr chartdraw.Range, _ chartdraw.Style) {
	l.fn(r, box, xr, yr)
}

func (c Chart) height() float64 {
	if c.Height <= 0 {
		return defaultChartHeight
	}
	return c.Height
}

func (r *layout) chartLegend(c Chart) []legendEntry {
	switch s := c.Spec.(type) {
	case TimeSeries:
		var out []legendEntry
		for _, b := range s.Bands {
			if b.Label != "" {
				out = append(out, legendEntry{kind: 'b', color: styleOf(b.Status).Tint, label: b.Label})
			}
		}
		if s.Labels.Values != "" {
			out = append([]legendEntry{{kind: 'p', color: colSeries, label: s.Labels.Values}}, out...)
		}
		if s.Labels.Baseline != "" && s.Baseline != nil {
			out = append(out, legendEntry{kind: 'd', color: colBaseline, label: s.Labels.Baseline})
		}
		if s.Labels.YearlyAmbition != "" && len(s.YearlyAmbition) > 0 {
			out = append(out, legendEntry{kind: 'l', color: colAmbition, label: s.Labels.YearlyAmbition})
		}
		if s.Labels.FinalAmbition != "" && s.FinalAmbition != nil {
			out = append(out, legendEntry{kind: 'm', color: colFinal, label: s.Labels.FinalAmbition})
		}
		return out
	case Bars:
		var out []legendEntry
		if s.ValueLabel != "" {
			out = append(out, legendEntry{kind: 'b', color: colNeutralBar, label: s.ValueLabel})
		}
		if s.TargetLabel != "" {
			out = append(out, legendEntry{kind: 't', color: colText, label: s.TargetLabel})
		}
		return out
	case StackedBars:
		var out []legendEntry
		for _, seg := range s.Segments {
			if seg.Label != "" {
				out = append(out, legendEntry{kind: 'b', color: styleOf(seg.Status).Fill, label: seg.Label})
			}
		}
		return out
	}
	return nil
}

// legendLayout places legend entries in rows; it returns each entry's x offset and row.
func (r *layout) legendLayout(es []legendEntry) (xs []float64, rows []int, n int) {
	r.font(false, legendSize)
	x, row := 0.0, 0
	for _, e := range es {
		w := 7 + r.pdf.GetStringWidth(r.clean(e.label)) + 5
		if x > 0 && x+w > contentWidth {
			x, row = 0, row+1
		}
		xs = append(xs, x)
		rows = append(rows, row)
		x += w
	}
	if len(es) == 0 {
		return nil, nil, 0
	}
	return xs, rows, row + 1
}

func (r *layout) chartHeight(c Chart) float64 {
	h := c.height() + blockGap
	if c.Title != "" {
		r.font(true, captionSize)
		h += float64(len(r.wrap(r.clean(c.Title), contentWidth)))*lineHeight(captionSize) + 1
	}
	_, _, n := r.legendLayout(r.chartLegend(c))
	return h + float64(n)*legendRowHeight
}

func (r *layout) drawChart(c Chart) error {
	r.ensure(r.chartHeight(c))
	if c.Title != "" {
		r.font(true, captionSize)
		r.textColor(colText)
		for _, l := range r.wrap(r.clean(c.Title), contentWidth) {
			r.text(marginLeft, r.y, l, captionSize)
			r.y += lineHeight(captionSize)
		}
		r.y += 1
	}
	w := int(contentWidth * pxPerMM)
	h := int(c.height() * pxPerMM)
	var ch chartdraw.Chart
	var err error
	switch s := c.Spec.(type) {
	case TimeSeries:
		ch, err = r.timeSeriesChart(s)
	case Bars:
		ch, err = r.barsChart(s)
	case StackedBars:
		ch, err = r.stackedChart(s)
	case nil:
		return fmt.Errorf("render chart %q: no chart spec", c.Title)
	default:
		return fmt.Errorf("render chart %q: unknown chart spec %T", c.Title, s)
	}
	if err != nil {
		return fmt.Errorf("render chart %q: %w", c.Title, err)
	}
	ch.Width, ch.Height, ch.DPI, ch.Font = w, h, chartDPI, r.e.chartTT
	cv := newCanvas(r, marginLeft, r.y)
	if err := ch.Render(func(int, int) chartdraw.Renderer { return cv }, nil); err != nil {
		return fmt.Errorf("render chart %q: %w", c.Title, err)
	}
	r.y += c.height()
	r.drawChartLegend(r.chartLegend(c))
	r.y += blockGap
	return nil
}

func (r *layout) drawChartLegend(es []legendEntry) {
	xs, rows, n := r.legendLayout(es)
	if n == 0 {
		return
	}
	p := r.pdf
	for i, e := range es {
		x := marginLeft + xs[i]
		y := r.y + float64(rows[i])*legendRowHeight + legendRowHeight/2
		switch e.kind {
		case 'l', 'd', 'p':
			r.drawColor(e.color)
			p.SetLineWidth(0.5)
			if e.kind == 'd' {
				p.SetDashPattern([]float64{1.2, 0.8}, 0)
			}
			p.Line(x, y, x+6, y)
			p.SetDashPattern(nil, 0)
			if e.kind == 'p' {
				r.fillColor(e.color)
				p.Circle(x+3, y, 0.7, "F")
			}
		case 't':
			r.fillColor(e.color)
			p.Rect(x+2.6, y-1.8, 0.8, 3.6, "F")
		case 'm':
			r.fillColor(e.color)
			diamond(p.MoveTo, p.LineTo, x+3, y, 1.5)
			p.ClosePath()
			p.DrawPath("F")
		default:
			r.fillColor(e.color)
			r.drawColor(colRule)
			p.SetLineWidth(0.15)
			p.Rect(x+0.5, y-1.5, 5, 3, "FD")
		}
		r.font(false, legendSize)
		r.textColor(colMuted)
		r.text(x+7, y-lineHeight(legendSize)/2, r.clean(e.label), legendSize)
	}
	r.y += float64(n) * legendRowHeight
}

func diamond(moveTo, lineTo func(x, y float64), x, y, s float64) {
	moveTo(x, y-s)
	lineTo(x+s, y)
	lineTo(x, y+s)
	lineTo(x-s, y)
}

// niceTicks returns round tick values covering [lo, hi] with about n intervals.
func niceTicks(lo, hi float64, n int) []float64 { return niceTicksMin(lo, hi, n, 0) }

// niceTicksMin is niceTicks with a smallest step (0: none).
func niceTicksMin(lo, hi float64, n int, minStep float64) []float64 {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi-lo < 1e-9 {
		pad := math.Max(math.Abs(hi)*0.1, 1)
		lo, hi = lo-pad, hi+pad
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			step = m * mag
			break
		}
	}
	for minStep > 0 && step < minStep*(1-1e-9) {
		// the next nice step: 1, 2, 2.5, 5, 10 × a power of ten
		step = nextNiceStep(step)
	}
	start := math.Floor(lo/step + 1e-9)
	// Round to the step's decimals so that 3 × 0.2 is 0.6, not 0.6000000000000001.
	digits := max(0, int(-math.Floor(math.Log10(step)))+1)
	var ts []float64
	for k := start; k*step <= hi+step*0.999; k++ {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'f', digits, 64), 64)
		ts = append(ts, v)
	}
	if len(ts) < 2 {
		ts = append(ts, ts[len(ts)-1]+step)
	}
	return ts
}

// nextNiceStep is the nice step after step in the sequence 1, 2, 2.5, 5, 10.
func nextNiceStep(step float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag > step*(1+1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

func defaultFormat(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

func axisStyles(size float64) (axis, tick, grid chartdraw.Style) {
	font := chartdraw.FontStyle{FontSize: size, FontColor: dc(colMuted)}
	axis = chartdraw.Style{StrokeColor: dc(colAxis), StrokeWidth: 1.5, FontStyle: font}
	tick = chartdraw.Style{FontStyle: font}
	grid = chartdraw.Style{StrokeColor: dc(colGrid), StrokeWidth: 1.2}
	return axis, tick, grid
}

func gridLines(ts []chartdraw.Tick, style chartdraw.Style) []chartdraw.GridLine {
	out := make([]chartdraw.GridLine, len(ts))
	for i, t := range ts {
		out[i] = chartdraw.GridLine{Value: t.Value, Style: style}
	}
	return out
}

// baseChart sets up a chart with explicit ranges and ticks on both axes; the
// value axis is chartdraw's secondary (left) y axis.
func baseChart(xr, yr [2]float64, xt, yt []chartdraw.Tick, size float64, xGrid bool) chartdraw.Chart {
	axis, tick, grid := axisStyles(size)
	grids := func(ts []chartdraw.Tick) []chartdraw.GridLine { return gridLines(ts, grid) }
	xGrids, yGrids := grids(xt), grids(yt)
	// chartdraw sets an axis's range to its ticks' extent, so unlabelled
	// ticks at both ends keep the explicit range.
	xt = withBounds(xt, xr)
	yt = withBounds(yt, yr)
	ch := chartdraw.Chart{
		Background: chartdraw.Style{Padding: chartdraw.Box{Top: 12, Left: 2, Right: 40, Bottom: 22}},
		XAxis: chartdraw.XAxis{
			Style: axis, TickStyle: tick, Ticks: xt,
			Range: &chartdraw.ContinuousRange{Min: xr[0], Max: xr[1]},
		},
		YAxis: chartdraw.YAxis{
			Style: chartdraw.Style{Hidden: true},
			Range: &chartdraw.ContinuousRange{Min: yr[0], Max: yr[1]},
		},
		YAxisSecondary: chartdraw.YAxis{
			Style: axis, TickStyle: tick, Ticks: yt,
			Range:     &chartdraw.ContinuousRange{Min: yr[0], Max: yr[1]},
			GridLines: yGrids,
		},
	}
	if xGrid {
		ch.XAxis.GridLines = xGrids
	}
	return ch
}

// withBounds adds unlabelled ticks at the ends of r unless ticks already reach them.
func withBounds(ts []chartdraw.Tick, r [2]float64) []chartdraw.Tick {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, t := range ts {
		lo, hi = math.Min(lo, t.Value), math.Max(hi, t.Value)
	}
	out := slices.Clone(ts)
	if lo > r[0] {
		out = append([]chartdraw.Tick{{Value: r[0]}}, out...)
	}
	if hi < r[1] {
		out = append(out, chartdraw.Tick{Value: r[1]})
	}
	return out
}

func dayOf(t time.Time) float64 { return float64(t.Unix()) / 86400 }

func (r *layout) timeSeriesChart(s TimeSeries) (chartdraw.Chart, error) {
	fv, ft := s.FormatValue, s.FormatTime
	if fv == nil {
		fv = defaultFormat
	}
	if ft == nil {
		ft = func(t time.Time) string { return t.Format("01/06") }
	}
	var tmin, tmax time.Time
	seeT := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if tmin.IsZero() || t.Before(tmin) {
			tmin = t
		}
		if tmax.IsZero() || t.After(tmax) {
			tmax = t
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	seeV := func(v float64) {
		if !math.IsInf(v, 0) && !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	for _, p := range s.Points {
		seeT(p.Time)
		if p.Value != nil {
			seeV(*p.Value)
		}
	}
	for _, st := range s.YearlyAmbition {
		seeT(st.From)
		seeT(st.To)
		seeV(st.Value)
	}
	if s.FinalAmbition != nil {
		seeT(s.FinalAmbition.Date)
		seeV(s.FinalAmbition.Value)
	}
	if s.Baseline != nil {
		seeV(*s.Baseline)
	}
	for _, b := range s.Bands {
		seeV(b.Low)
		seeV(b.High)
	}
	if tmin.IsZero() {
		return chartdraw.Chart{}, fmt.Errorf("time series has no points")
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if s.ZeroBased && lo > 0 {
		lo = 0
	}
	nTicks := 5
	size := 7.0
	if s.Small {
		nTicks, size = 3, 6.0
	}
	yv := niceTicksMin(lo, hi, nTicks, s.MinStep)
	yr := [2]float64{yv[0], yv[len(yv)-1]}
	yt := make([]chartdraw.Tick, len(yv))
	for i, v := range yv {
		yt[i] = chartdraw.Tick{Value: v, Label: fv(v)}
	}
	xr := [2]float64{dayOf(tmin) - 12, dayOf(tmax) + 12}
	xt := r.monthTicks(tmin, tmax, ft, size, s.Small)

	ch := baseChart(xr, yr, xt, yt, size, false)
	clampY := func(v float64) float64 { return math.Max(yr[0], math.Min(yr[1], v)) }

	ch.Series = append(ch.Series, layer{fn: func(rd chartdraw.Renderer, box chartdraw.Box, xrg, yrg chartdraw.Range) {
		for _, b := range s.Bands {
			x0, x1 := box.Left, box.Right
			if !b.From.IsZero() {
				x0 = box.Left + xrg.Translate(math.Max(xr[0], dayOf(b.From)))
			}
			if !b.To.IsZero() {
				x1 = box.Left + xrg.Translate(math.Min(xr[1], dayOf(b.To)))
			}
			y0 := box.Bottom - yrg.Translate(clampY(b.Low))
			y1 := box.Bottom - yrg.Translate(clampY(b.High))
			if x1 <= x0 || y0 == y1 {
				continue
			}
			rd.SetFillColor(dc(styleOf(b.Status).Tint))
			rd.MoveTo(x0, y0)
			rd.LineTo(x1, y0)
			rd.LineTo(x1, y1)
			rd.LineTo(x0, y1)
			rd.Close()
			rd.Fill()
		}
	}})
	lw := 5.0
	if s.Small {
		lw = 4
	}
	if s.Baseline != nil {
		ch.Series = append(ch.Series, chartdraw.ContinuousSeries{
			YAxis:   chartdraw.YAxisSecondary,
			XValues: []float64{xr[0], xr[1]},
			YValues: []float64{*s.Baseline, *s.Baseline},
			Style:   chartdraw.Style{StrokeColor: dc(colBaseline), StrokeWidth: lw * 0.7, StrokeDashArray: []float64{14, 9}},
		})
	}
	if len(s.YearlyAmbition) > 0 {
		var xs, ys []float64
		for _, st := range s.YearlyAmbition {
			xs = append(xs, dayOf(st.From), dayOf(st.To))
			ys = append(ys, st.Value, st.Value)
		}
		ch.Series = append(ch.Series, chartdraw.ContinuousSeries{
			YAxis: chartdraw.YAxisSecondary, XValues: xs, YValues: ys,
			Style: chartdraw.Style{StrokeColor: dc(colAmbition), StrokeWidth: lw * 0.8},
		})
	}
	var xs, ys []float64
	flush := func() {
		if len(xs) > 0 {
			ch.Series = append(ch.Series, chartdraw.ContinuousSeries{
				YAxis: chartdraw.YAxisSecondary, XValues: xs, YValues: ys,
				Style: chartdraw.Style{StrokeColor: dc(colSeries), StrokeWidth: lw, DotColor: dc(colSeries), DotWidth: lw * 1.5},
			})
		}
		xs, ys = nil, nil
	}
	for _, p := range s.Points {
		if p.Value == nil {
			flush()
			continue
		}
		xs = append(xs, dayOf(p.Time))
		ys = append(ys, *p.Value)
	}
	flush()
	if s.FinalAmbition != nil {
		fa := *s.FinalAmbition
		ch.Series = append(ch.Series, layer{fn: func(rd chartdraw.Renderer, box chartdraw.Box, xrg, yrg chartdraw.Range) {
			x := box.Left + xrg.Translate(dayOf(fa.Date))
			y := box.Bottom - yrg.Translate(fa.Value)
			d := int(lw * 3.5)
			rd.SetFillColor(dc(colFinal))
			rd.SetStrokeColor(dc(colWhite))
			rd.SetStrokeWidth(2)
			rd.MoveTo(x, y-d)
			rd.LineTo(x+d, y)
			rd.LineTo(x, y+d)
			rd.LineTo(x-d, y)
			rd.Close()
			rd.FillStroke()
		}})
	}
	return ch, nil
}

// monthTicks labels months from tmin to tmax, thinning them so labels do not collide.
func (r *layout) monthTicks(tmin, tmax time.Time, ft func(time.Time) string, size float64, small bool) []chartdraw.Tick {
	first := time.Date(tmin.Year(), tmin.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := (tmax.Year()-first.Year())*12 + int(tmax.Month()-first.Month()) + 1
	r.font(false, size)
	labels := make([]string, months)
	widest := 0.0
	for i := range labels {
		labels[i] = ft(first.AddDate(0, i, 0))
		widest = math.Max(widest, r.pdf.GetStringWidth(r.clean(labels[i])))
	}
	plotW := contentWidth - 20
	maxTicks := max(2, int(plotW/(widest+4)))
	if small {
		maxTicks = min(maxTicks, 5)
	}
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 36, 60, 120} {
		step = s
		if (months+s-1)/s <= maxTicks {
			break
		}
	}
	var ts []chartdraw.Tick
	for i := 0; i < months; i++ {
		t := first.AddDate(0, i, 0)
		if (int(t.Month())-1)%step != 0 && step <= 12 {
			continue
		}
		if step > 12 && (t.Month() != time.January || t.Year()%(step/12) != 0) {
			continue
		}
		ts = append(ts, chartdraw.Tick{Value: dayOf(t), Label: labels[i]})
	}
	return ts
}
