package pdf

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"

	"gevinstrapport/internal/register"
)

// Chart geometry.
const (
	defaultChartHeight = 70.0
	captionSize        = 9.0
	legendSize         = 7.5
	legendRowHeight    = 4.6
	defaultChartGap    = 6.0 // mm between the charts of a ChartRow
)

func dc(c rgb) drawing.Color { return drawing.Color{R: c.R, G: c.G, B: c.B, A: 255} }

// legendEntry is one chart legend item, drawn by the layout under the chart.
type legendEntry struct {
	kind   byte // 'l' line, 'd' dashed line, 'm' diamond marker, 't' target tick, 'b' box, 'p' line with dot
	color  rgb
	colors []rgb // a box split into these colours instead of color, e.g. the statuses of the bars
	label  string
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
			out = append(out, legendEntry{kind: 'b', color: colNeutralBar, colors: barColors(s.Items), label: s.ValueLabel})
		}
		if s.TargetLabel != "" {
			out = append(out, legendEntry{kind: 't', color: colText, label: s.TargetLabel})
		}
		if s.SecondaryLabel != "" {
			out = append(out, legendEntry{kind: 't', color: colAxis, label: s.SecondaryLabel})
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

// barColors is the colours the visible bars are drawn in, for the legend's
// swatch, when some bar carries a status: a blue swatch alone would claim
// blue bars where the bars are green, yellow or red. Nil means the plain
// neutral swatch is honest.
func barColors(items []Bar) []rgb {
	used := map[Status]bool{}
	coloured := false
	for _, b := range items {
		if b.Value == 0 {
			continue // a zero bar has no area, so its colour is never seen
		}
		used[b.Status] = true
		coloured = coloured || b.Status != ""
	}
	if !coloured {
		return nil
	}
	// Traffic lights first, the neutral colour (e.g. a sum bar) last.
	order := []Status{register.Green, register.Yellow, register.Red, register.NoAmbition,
		register.NoData, register.Suppressed, register.Invalid, ""}
	var out []rgb
	for _, st := range order {
		if used[st] {
			out = append(out, barFill(st))
		}
	}
	return out
}

// barFill is the colour a bar of status st is drawn in.
func barFill(st Status) rgb {
	if st == "" {
		return colNeutralBar
	}
	return styleOf(st).Fill
}

// legendLayout places legend entries in rows no wider than w; it returns
// each entry's x offset and row.
func (r *layout) legendLayout(es []legendEntry, w float64) (xs []float64, rows []int, n int) {
	r.font(false, legendSize)
	x, row := 0.0, 0
	for _, e := range es {
		ew := legendSwatchWidth(e) + 1 + r.width(r.clean(e.label)) + 5
		if x > 0 && x+ew > w {
			x, row = 0, row+1
		}
		xs = append(xs, x)
		rows = append(rows, row)
		x += ew
	}
	if len(es) == 0 {
		return nil, nil, 0
	}
	return xs, rows, row + 1
}

// legendSwatchWidth is the width of an entry's symbol: a multi-colour swatch
// is wider so that each of its colours stays visible.
func legendSwatchWidth(e legendEntry) float64 {
	if len(e.colors) > 1 {
		return 1 + 2.5*float64(len(e.colors))
	}
	return 6
}

// captionHeight is the height of a chart's caption in a column w mm wide.
func (r *layout) captionHeight(c Chart, w float64) float64 {
	if c.Title == "" {
		return 0
	}
	r.font(true, captionSize)
	return float64(len(r.wrap(r.clean(c.Title), w)))*lineHeight(captionSize) + 1
}

// chartBoxHeight is the height of a chart drawn in a column w mm wide with
// captionH mm for its caption: caption, plot and legend, without the gap
// after the block.
func (r *layout) chartBoxHeight(c Chart, w, captionH float64) float64 {
	_, _, n := r.legendLayout(r.chartLegend(c), w)
	return captionH + c.height() + float64(n)*legendRowHeight
}

func (r *layout) chartHeight(c Chart) float64 {
	return r.chartBoxHeight(c, contentWidth, r.captionHeight(c, contentWidth)) + blockGap
}

func (r *layout) drawChart(c Chart) error {
	h := r.chartHeight(c)
	r.ensure(h)
	if err := r.drawChartIn(c, marginLeft, r.y, contentWidth, r.captionHeight(c, contentWidth)); err != nil {
		return err
	}
	r.y += h
	return nil
}

// drawChartIn draws a chart's caption, plot and legend in a column w mm wide
// whose top-left corner is (x, y), the plot captionH mm below the top so
// that the plots of a row line up; it leaves the cursor where it was.
func (r *layout) drawChartIn(c Chart, x, y, w, captionH float64) error {
	if c.Title != "" {
		r.font(true, captionSize)
		r.textColor(colText)
		ly := y
		for _, l := range r.wrap(r.clean(c.Title), w) {
			r.text(x, ly, l, captionSize)
			ly += lineHeight(captionSize)
		}
	}
	y += captionH
	var ch chartdraw.Chart
	var err error
	switch s := c.Spec.(type) {
	case TimeSeries:
		ch, err = r.timeSeriesChart(s, w)
	case Bars:
		ch, err = r.barsChart(s, w)
	case StackedBars:
		ch, err = r.stackedChart(s, w)
	case nil:
		return fmt.Errorf("render chart %q: no chart spec", c.Title)
	default:
		return fmt.Errorf("render chart %q: unknown chart spec %T", c.Title, s)
	}
	if err != nil {
		return fmt.Errorf("render chart %q: %w", c.Title, err)
	}
	ch.Width, ch.Height, ch.DPI, ch.Font = int(w*pxPerMM), int(c.height()*pxPerMM), chartDPI, r.e.chartTT
	cv := newCanvas(r, x, y)
	if err := ch.Render(func(int, int) chartdraw.Renderer { return cv }, nil); err != nil {
		return fmt.Errorf("render chart %q: %w", c.Title, err)
	}
	r.drawChartLegend(r.chartLegend(c), x, y+c.height(), w)
	return nil
}

// geometry returns the width of each column of a ChartRow and the gap between columns.
func (cr ChartRow) geometry() (colW, gap float64) {
	gap = cr.Gap
	if gap <= 0 {
		gap = defaultChartGap
	}
	n := float64(max(cr.Columns, len(cr.Charts), 1))
	return (contentWidth - (n-1)*gap) / n, gap
}

// rowCaptionHeight is the height of a ChartRow's tallest caption, which
// every chart of the row leaves above its plot.
func (r *layout) rowCaptionHeight(cr ChartRow, colW float64) float64 {
	h := 0.0
	for _, c := range cr.Charts {
		h = math.Max(h, r.captionHeight(c, colW))
	}
	return h
}

// chartRowHeight is the height of a row of charts: its tallest chart and the gap after it.
func (r *layout) chartRowHeight(cr ChartRow) float64 {
	colW, _ := cr.geometry()
	capH := r.rowCaptionHeight(cr, colW)
	h := 0.0
	for _, c := range cr.Charts {
		h = math.Max(h, r.chartBoxHeight(c, colW, capH))
	}
	return h + blockGap
}

// drawChartRow draws charts next to each other in equal columns, moving the
// whole row to the next page when it does not fit.
func (r *layout) drawChartRow(cr ChartRow) error {
	if len(cr.Charts) == 0 {
		return nil
	}
	h := r.chartRowHeight(cr)
	r.ensure(h)
	colW, gap := cr.geometry()
	capH := r.rowCaptionHeight(cr, colW)
	for i, c := range cr.Charts {
		if err := r.drawChartIn(c, marginLeft+float64(i)*(colW+gap), r.y, colW, capH); err != nil {
			return err
		}
	}
	r.y += h
	return nil
}

// drawChartLegend draws legend entries in rows within a column w mm wide from (x0, y0).
func (r *layout) drawChartLegend(es []legendEntry, x0, y0, w float64) {
	xs, rows, n := r.legendLayout(es, w)
	if n == 0 {
		return
	}
	p := r.pdf
	for i, e := range es {
		x := x0 + xs[i]
		y := y0 + float64(rows[i])*legendRowHeight + legendRowHeight/2
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
			cols := e.colors
			if len(cols) == 0 {
				cols = []rgb{e.color}
			}
			sw := (legendSwatchWidth(e) - 1) / float64(len(cols))
			for j, c := range cols {
				r.fillColor(c)
				sx := x + 0.5 + float64(j)*sw
				p.Rect(sx, y-1.5, sw, 3, "F")
				r.hatchMM(c, sx, y-1.5, sx+sw, y+1.5)
			}
			r.drawColor(colRule)
			p.SetLineWidth(0.15)
			p.Rect(x+0.5, y-1.5, sw*float64(len(cols)), 3, "D")
		}
		r.font(false, legendSize)
		r.textColor(colMuted)
		r.text(x+legendSwatchWidth(e)+1, y-lineHeight(legendSize)/2, r.clean(e.label), legendSize)
	}
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

// timeSeriesChart builds the chart of a time series for a plot w mm wide.
func (r *layout) timeSeriesChart(s TimeSeries, w float64) (chartdraw.Chart, error) {
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
	yv := capTicks(niceTicksMin(lo, hi, nTicks, s.MinStep), hi, s.Max)
	yr := [2]float64{yv[0], yv[len(yv)-1]}
	yt := make([]chartdraw.Tick, len(yv))
	for i, v := range yv {
		yt[i] = chartdraw.Tick{Value: v, Label: fv(v)}
	}
	xr := [2]float64{dayOf(tmin) - 12, dayOf(tmax) + 12}
	xt := r.monthTicks(tmin, tmax, ft, size, s.Small, w-20)

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
			rect(rd, x0, y0, x1, y1, styleOf(b.Status).Tint)
			if b.Word != "" && abs(y1-y0) > int(3*pxPerMM) {
				// The zone's word, so the zones read without colour.
				chartText(rd, r.clean(b.Word), x1-int(1*pxPerMM)-wordWidth(rd, r.clean(b.Word), size-1), (y0+y1)/2, 0, size-1, colMuted)
			}
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

// monthTicks labels months from tmin to tmax, thinning them so labels do
// not collide on a plot plotW mm wide.
func (r *layout) monthTicks(tmin, tmax time.Time, ft func(time.Time) string, size float64, small bool, plotW float64) []chartdraw.Tick {
	first := time.Date(tmin.Year(), tmin.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := (tmax.Year()-first.Year())*12 + int(tmax.Month()-first.Month()) + 1
	r.font(false, size)
	labels := make([]string, months)
	widest := 0.0
	for i := range labels {
		labels[i] = ft(first.AddDate(0, i, 0))
		widest = math.Max(widest, r.width(r.clean(labels[i])))
	}
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

// hatchMM draws the pattern of fill c over a rectangle in page millimetres.
func (r *layout) hatchMM(c rgb, x0, y0, x1, y1 float64) {
	lines := hatchLines(patternOf(c), x0, y0, x1, y1, 0.9)
	if len(lines) == 0 {
		return
	}
	r.drawColor(hatchColor(c))
	r.pdf.SetLineWidth(0.25)
	for _, l := range lines {
		r.pdf.Line(l[0], l[1], l[2], l[3])
	}
}

// wordWidth is the width in chart pixels of s at size points.
func wordWidth(rd chartdraw.Renderer, s string, size float64) int {
	rd.SetFontSize(size)
	return rd.MeasureText(s).Width()
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// capTicks drops the ticks above max (a share's 100 %) when the highest
// value hi does not exceed it, ending the axis at max; max 0 keeps them.
func capTicks(ts []float64, hi, max float64) []float64 {
	if max <= 0 || hi > max || len(ts) == 0 || ts[len(ts)-1] <= max {
		return ts
	}
	out := ts[:0:0]
	for _, t := range ts {
		if t < max {
			out = append(out, t)
		}
	}
	return append(out, max)
}
