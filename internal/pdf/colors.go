package pdf

import "gevinstrapport/internal/register"

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
// still get it.
func styleOf(s Status) statusStyle {
	switch s {
	case register.Green:
		return statusStyle{Fill: rgb{0x1E, 0x7B, 0x3F}, Text: colWhite, Tint: rgb{0xE2, 0xF2, 0xE6}}
	case register.Yellow:
		return statusStyle{Fill: rgb{0xF2, 0xC1, 0x2E}, Text: rgb{0x1F, 0x1F, 0x1F}, Tint: rgb{0xFD, 0xF4, 0xD3}}
	case register.Red:
		return statusStyle{Fill: rgb{0xC0, 0x29, 0x2B}, Text: colWhite, Tint: rgb{0xFA, 0xE1, 0xE1}}
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
