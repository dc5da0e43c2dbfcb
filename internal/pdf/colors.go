package pdf

import (
	"math"

	"gevinstrapport/internal/register"
)

// rgb is a colour as 8-bit red, green and blue.
type rgb struct{ R, G, B uint8 }

// Document colours: dark text, muted greys and a navy accent.
var (
	colText       = rgb{0x1F, 0x29, 0x33}
	colMuted      = rgb{0x5F, 0x6B, 0x7A}
	colAccent     = rgb{0x1F, 0x4E, 0x79}
	colRule       = rgb{0xC9, 0xD1, 0xDA}
	colZebra      = rgb{0xF3, 0xF6, 0xF9}
	colPanel      = rgb{0xF3, 0xF6, 0xF9}
	colWhite      = rgb{0xFF, 0xFF, 0xFF}
	colWarnBg     = rgb{0xFD, 0xEC, 0xEA}
	colWarnText   = rgb{0x8A, 0x1C, 0x1C}
	colGrid       = rgb{0xDD, 0xE2, 0xE7}
	colAxis       = rgb{0x8A, 0x94, 0xA0}
	colSeries     = rgb{0x1F, 0x4E, 0x79}
	colBaseline   = rgb{0x6B, 0x72, 0x80}
	colAmbition   = rgb{0x2B, 0x7A, 0x4B}
	colFinal      = rgb{0x7A, 0x3E, 0x9D}
	colNeutralBar = rgb{0x4A, 0x78, 0xA8}
)

// statusStyle is how a status is painted: badge fill, the text on it, and a
// light tint for chart bands.
type statusStyle struct {
	Fill rgb
	Text rgb
	Tint rgb
}

// styleOf returns the colours of a status. Fills are dark enough for white
// text (contrast ≥ 4.5:1) except yellow, which carries dark text; the status
// word is always drawn on the badge so grey print and colour-blind readers
// still get it. Green, yellow and red also differ in lightness (grey levels
// about 62, 191 and 107 of 255), and red areas carry a hatch (patternOf), so
// a chart without words still reads in grey print.
func styleOf(s Status) statusStyle {
	switch s {
	case register.Green:
		return statusStyle{Fill: rgb{0x0F, 0x5A, 0x2C}, Text: colWhite, Tint: rgb{0xDC, 0xEF, 0xE1}}
	case register.Yellow:
		return statusStyle{Fill: rgb{0xF2, 0xC1, 0x2E}, Text: rgb{0x1F, 0x1F, 0x1F}, Tint: rgb{0xFD, 0xF4, 0xD3}}
	case register.Red:
		return statusStyle{Fill: rgb{0xD2, 0x40, 0x3A}, Text: colWhite, Tint: rgb{0xFB, 0xE4, 0xE3}}
	case register.NoData:
		return statusStyle{Fill: rgb{0x6B, 0x72, 0x80}, Text: colWhite, Tint: rgb{0xEE, 0xEF, 0xF1}}
	case register.Suppressed:
		return statusStyle{Fill: rgb{0xD5, 0xD9, 0xDE}, Text: rgb{0x1F, 0x29, 0x33}, Tint: rgb{0xF1, 0xF2, 0xF4}}
	case register.NoAmbition:
		return statusStyle{Fill: rgb{0xDC, 0xE6, 0xF2}, Text: rgb{0x1F, 0x3A, 0x5F}, Tint: rgb{0xEF, 0xF4, 0xFA}}
	case register.Invalid:
		return statusStyle{Fill: rgb{0x6A, 0x1B, 0x9A}, Text: colWhite, Tint: rgb{0xF1, 0xE6, 0xF7}}
	default:
		return statusStyle{Fill: colNeutralBar, Text: colWhite, Tint: colZebra}
	}
}

// hatch is a fill pattern drawn over a status colour: none, or diagonal
// lines rising ('/') or falling ('\\').
type hatch byte

// patternOf is the hatch drawn over an area filled with c: red fills and
// red zones rise, invalid fills fall, so that red reads as red without
// colour; every other colour is plain.
func patternOf(c rgb) hatch {
	switch c {
	case styleOf(register.Red).Fill, styleOf(register.Red).Tint:
		return '/'
	case styleOf(register.Invalid).Fill:
		return '\\'
	}
	return 0
}

// hatchColor is the colour of a pattern's lines over fill c: white over a
// strong fill, a darker shade of a light zone tint.
func hatchColor(c rgb) rgb {
	if c == styleOf(register.Red).Tint {
		return rgb{0xEE, 0xB4, 0xB0}
	}
	return colWhite
}

// hatchLines returns the segments of diagonal lines spaced gap apart that
// cover the rectangle x0..x1 × y0..y1 (y grows downwards), clipped to it.
func hatchLines(h hatch, x0, y0, x1, y1, gap float64) [][4]float64 {
	if h == 0 || gap <= 0 || x1 <= x0 || y1 <= y0 {
		return nil
	}
	height := y1 - y0
	var out [][4]float64
	for k := x0 - height; k < x1; k += gap {
		// The line runs from (k, y1) to (k+height, y0) for '/', mirrored for '\\'.
		t0, t1 := math.Max(0, x0-k), math.Min(height, x1-k)
		if t1 <= t0 {
			continue
		}
		ax, bx := k+t0, k+t1
		ay, by := y1-t0, y1-t1
		if h == '\\' {
			ay, by = y0+t0, y0+t1
		}
		out = append(out, [4]float64{ax, ay, bx, by})
	}
	return out
}
