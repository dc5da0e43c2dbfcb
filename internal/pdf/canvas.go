package pdf

import (
	"io"
	"math"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
	"github.com/golang/freetype/truetype"
)

// pxPerMM is the resolution of chartdraw's integer pixel grid inside the PDF.
const pxPerMM = 10.0

// chartDPI makes chartdraw's point-to-pixel conversions agree with pxPerMM.
const chartDPI = 25.4 * pxPerMM

// pathOp is one buffered path segment; paths are buffered so that colour
// and width operators are never emitted inside a PDF path.
type pathOp struct {
	kind         byte // 'M' move, 'L' line, 'Q' quadratic curve, 'Z' close
	x, y, cx, cy float64
}

type circleOp struct{ x, y, r float64 }

// canvas implements chartdraw.Renderer by drawing vectors and text straight
// into the page of a layout, inside a box whose top-left corner is (ox, oy) mm.
type canvas struct {
	l        *layout
	ox, oy   float64
	dpi      float64
	stroke   drawing.Color
	fill     drawing.Color
	fontCol  drawing.Color
	width    float64
	dash     []float64
	fontSize float64
	rotation float64
	path     []pathOp
	circles  []circleOp
}

var _ chartdraw.Renderer = (*canvas)(nil)

func newCanvas(l *layout, ox, oy float64) *canvas {
	c := &canvas{l: l, ox: ox, oy: oy, dpi: chartDPI}
	c.ResetStyle()
	return c
}

func (c *canvas) mmX(x float64) float64 { return c.ox + x/pxPerMM }
func (c *canvas) mmY(y float64) float64 { return c.oy + y/pxPerMM }

// ResetStyle resets colours, widths, dashes and the font size.
func (c *canvas) ResetStyle() {
	c.stroke = drawing.ColorTransparent
	c.fill = drawing.ColorTransparent
	c.fontCol = drawing.Color{R: colText.R, G: colText.G, B: colText.B, A: 255}
	c.width = 1
	c.dash = nil
	c.fontSize = 8
	c.rotation = 0
}

// GetDPI returns the DPI chartdraw converts points with.
func (c *canvas) GetDPI() float64 { return c.dpi }

// SetDPI is ignored beyond bookkeeping: the PDF is resolution independent.
func (c *canvas) SetDPI(dpi float64) { c.dpi = dpi }

// SetClassName is meaningless in a PDF.
func (c *canvas) SetClassName(string) {}

// SetStrokeColor sets the colour of strokes.
func (c *canvas) SetStrokeColor(col drawing.Color) { c.stroke = col }

// SetFillColor sets the colour of fills.
func (c *canvas) SetFillColor(col drawing.Color) { c.fill = col }

// SetStrokeWidth sets the stroke width in pixels.
func (c *canvas) SetStrokeWidth(w float64) { c.width = w }

// SetStrokeDashArray sets the dash pattern in pixels.
func (c *canvas) SetStrokeDashArray(d []float64) { c.dash = d }

// MoveTo starts a new subpath.
func (c *canvas) MoveTo(x, y int) {
	c.path = append(c.path, pathOp{kind: 'M', x: float64(x), y: float64(y)})
}

// LineTo adds a straight segment.
func (c *canvas) LineTo(x, y int) {
	c.path = append(c.path, pathOp{kind: 'L', x: float64(x), y: float64(y)})
}

// QuadCurveTo adds a quadratic Bézier segment.
func (c *canvas) QuadCurveTo(cx, cy, x, y int) {
	c.path = append(c.path, pathOp{kind: 'Q', x: float64(x), y: float64(y), cx: float64(cx), cy: float64(cy)})
}

// ArcTo adds an elliptical arc, approximated by short line segments.
func (c *canvas) ArcTo(cx, cy int, rx, ry, start, delta float64) {
	n := max(4, int(math.Abs(delta)/(math.Pi/36)))
	for i := 0; i <= n; i++ {
		a := start + delta*float64(i)/float64(n)
		x, y := float64(cx)+rx*math.Cos(a), float64(cy)+ry*math.Sin(a)
		kind := byte('L')
		if i == 0 && len(c.path) == 0 {
			kind = 'M'
		}
		c.path = append(c.path, pathOp{kind: kind, x: x, y: y})
	}
}

// Close closes the current subpath.
func (c *canvas) Close() { c.path = append(c.path, pathOp{kind: 'Z'}) }

// Stroke strokes the pending path.
func (c *canvas) Stroke() { c.paint(false, true) }

// Fill fills the pending path.
func (c *canvas) Fill() { c.paint(true, false) }

// FillStroke fills and strokes the pending path.
func (c *canvas) FillStroke() { c.paint(true, true) }

// Circle adds a circle to the pending shapes.
func (c *canvas) Circle(radius float64, x, y int) {
	c.circles = append(c.circles, circleOp{x: float64(x), y: float64(y), r: radius})
}

func visible(col drawing.Color) bool { return col.A > 0 }

func (c *canvas) paint(fill, stroke bool) {
	defer func() { c.path, c.circles = c.path[:0], c.circles[:0] }()
	fill = fill && visible(c.fill)
	stroke = stroke && visible(c.stroke) && c.width > 0
	if !fill && !stroke {
		return
	}
	p := c.l.pdf
	style := ""
	if fill {
		p.SetFillColor(int(c.fill.R), int(c.fill.G), int(c.fill.B))
		style += "F"
	}
	if stroke {
		p.SetDrawColor(int(c.stroke.R), int(c.stroke.G), int(c.stroke.B))
		p.SetLineWidth(c.width / pxPerMM)
		if len(c.dash) > 0 {
			d := make([]float64, len(c.dash))
			for i, v := range c.dash {
				d[i] = v / pxPerMM
			}
			p.SetDashPattern(d, 0)
		}
		style += "D"
	}
	if hasSegments(c.path) {
		for _, op := range c.path {
			switch op.kind {
			case 'M':
				p.MoveTo(c.mmX(op.x), c.mmY(op.y))
			case 'L':
				p.LineTo(c.mmX(op.x), c.mmY(op.y))
			case 'Q':
				p.CurveTo(c.mmX(op.cx), c.mmY(op.cy), c.mmX(op.x), c.mmY(op.y))
			case 'Z':
				p.ClosePath()
			}
		}
		p.DrawPath(style)
	}
	for _, ci := range c.circles {
		p.Circle(c.mmX(ci.x), c.mmY(ci.y), ci.r/pxPerMM, style)
	}
	if stroke && len(c.dash) > 0 {
		p.SetDashPattern(nil, 0)
	}
}

// hasSegments reports whether a path draws anything beyond moves.
func hasSegments(path []pathOp) bool {
	if len(path) == 0 || path[0].kind != 'M' {
		return false
	}
	for _, op := range path {
		if op.kind == 'L' || op.kind == 'Q' {
			return true
		}
	}
	return false
}

// SetFont is ignored: chart text always uses the document's embedded Go font.
func (c *canvas) SetFont(*truetype.Font) {}

// SetFontColor sets the text colour.
func (c *canvas) SetFontColor(col drawing.Color) { c.fontCol = col }

// SetFontSize sets the text size in points.
func (c *canvas) SetFontSize(size float64) { c.fontSize = size }

// Text draws text with its baseline-left at x, y.
func (c *canvas) Text(body string, x, y int) {
	s := c.l.clean(body)
	if s == "" {
		return
	}
	c.l.font(false, c.fontSize)
	p := c.l.pdf
	p.SetTextColor(int(c.fontCol.R), int(c.fontCol.G), int(c.fontCol.B))
	if c.rotation != 0 {
		p.TransformBegin()
		p.TransformRotate(-c.rotation*180/math.Pi, c.mmX(float64(x)), c.mmY(float64(y)))
		c.l.show(c.mmX(float64(x)), c.mmY(float64(y)), s)
		p.TransformEnd()
		return
	}
	c.l.show(c.mmX(float64(x)), c.mmY(float64(y)), s)
}

// MeasureText returns the size of text in pixels; the height is the cap height.
func (c *canvas) MeasureText(body string) chartdraw.Box {
	s := c.l.clean(body)
	c.l.font(false, c.fontSize)
	w := c.l.width(s) * pxPerMM
	h := c.fontSize * ptToMM * 0.72 * pxPerMM
	return chartdraw.Box{Right: int(math.Ceil(w)), Bottom: int(math.Ceil(h))}
}

// SetTextRotation rotates subsequent text by radians.
func (c *canvas) SetTextRotation(radians float64) { c.rotation = radians }

// ClearTextRotation stops rotating text.
func (c *canvas) ClearTextRotation() { c.rotation = 0 }

// Save has nothing to do: the drawing is already in the PDF page.
func (c *canvas) Save(io.Writer) error { return nil }
