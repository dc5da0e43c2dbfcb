// Package brand is how an organisation marks its reports: a logo on the
// first page, its name in the footer and the PDF's author field, and an
// accent colour. It reads and checks them; internal/pdf draws them.
package brand

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

// Brand is the branding of every report; the zero value is none, and the
// reports keep their own look.
type Brand struct {
	Organisation string  // footer and PDF author; "" keeps the register's organisation
	Accent       *Colour // titles, headings, table headers, rules; nil keeps the default navy
	Logo         *Logo   // drawn at the top right of page 1; nil for none
}

// Colour is an sRGB colour with 8-bit channels.
type Colour struct{ R, G, B uint8 }

// White is the paper and the text on accent-coloured table headers.
var White = Colour{0xFF, 0xFF, 0xFF}

// MinContrast is WCAG 2.1's minimum contrast ratio for normal text (AA).
const MinContrast = 4.5

// ParseColour reads a colour written as #RRGGBB or #RGB.
func ParseColour(s string) (Colour, error) {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if !ok {
		return Colour{}, fmt.Errorf("%q is not a colour such as \"#1F4E79\": it must start with #", s)
	}
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return Colour{}, fmt.Errorf("%q is not a colour such as \"#1F4E79\" (# and six hex digits)", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return Colour{}, fmt.Errorf("%q is not a colour such as \"#1F4E79\" (# and six hex digits)", s)
	}
	return Colour{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v)}, nil
}

// String writes c as #RRGGBB.
func (c Colour) String() string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

// luminance is c's relative luminance as WCAG 2.1 defines it.
func (c Colour) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is the WCAG 2.1 contrast ratio of c and d, from 1 to 21.
func (c Colour) Contrast(d Colour) float64 {
	a, b := c.luminance(), d.luminance()
	if a < b {
		a, b = b, a
	}
	return (a + 0.05) / (b + 0.05)
}

// CheckAccent says why c cannot be the accent: it is drawn as text on white
// paper and under white text in table headers, so it needs MinContrast
// against white.
func CheckAccent(c Colour) error {
	if r := c.Contrast(White); r < MinContrast {
		return fmt.Errorf("%s has a contrast of %.2f:1 against white, and titles on white paper and white text on table headers need at least %.1f:1 (WCAG 2.1 AA); choose a darker shade", c, math.Floor(r*100)/100, MinContrast)
	}
	return nil
}

// Limits of a logo file: anything outside them is not a logo.
const (
	MaxLogoBytes  = 5 << 20 // the file
	MinLogoSide   = 16      // pixels, each side
	MaxLogoSide   = 10000   // pixels, each side, checked before decoding
	MaxLogoAspect = 10.0    // longer side over shorter
	// A larger logo is scaled down to fit this many pixels (about 600 dpi
	// in the 50 × 18 mm box it is drawn in), so a camera-sized image does
	// not weigh down every report.
	logoFitW, logoFitH = 1200, 432
)

// Logo is a logo ready to embed: an opaque 8-bit RGB PNG. PDF/A-2b allows
// no transparency, so a PNG's alpha has been flattened onto white; a JPEG
// (also CMYK or grey) is converted to RGB.
type Logo struct {
	PNG    []byte
	Width  int // pixels
	Height int // pixels
}

// LoadLogo reads a PNG or JPEG logo file and prepares it (DecodeLogo).
func LoadLogo(path string) (*Logo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the logo: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxLogoBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the logo %s: %w", path, err)
	}
	if len(data) > MaxLogoBytes {
		return nil, fmt.Errorf("the logo %s is larger than %d MiB", path, MaxLogoBytes>>20)
	}
	l, err := DecodeLogo(data)
	if err != nil {
		return nil, fmt.Errorf("the logo %s: %w", path, err)
	}
	return l, nil
}

// DecodeLogo checks a PNG or JPEG image and makes it a Logo: flattened
// onto white, 8-bit RGB, scaled down to fit logoFitW × logoFitH when
// larger. The same input always gives the same bytes.
func DecodeLogo(data []byte) (*Logo, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case errors.Is(err, image.ErrFormat):
		return nil, errors.New("is neither PNG nor JPEG")
	case err != nil:
		return nil, fmt.Errorf("cannot be decoded: %w", err)
	case format != "png" && format != "jpeg":
		return nil, fmt.Errorf("is %s; use PNG or JPEG", strings.ToUpper(format))
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	var src image.Image
	if format == "png" {
		src, err = png.Decode(bytes.NewReader(data))
	} else {
		src, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("cannot be decoded: %w", err)
	}
	dst := flatten(src)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, dst); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	b := dst.Bounds()
	return &Logo{PNG: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
}

func checkSize(w, h int) error {
	switch {
	case w < MinLogoSide || h < MinLogoSide:
		return fmt.Errorf("is %d × %d pixels; a logo needs at least %d on each side", w, h, MinLogoSide)
	case w > MaxLogoSide || h > MaxLogoSide:
		return fmt.Errorf("is %d × %d pixels; at most %d on each side", w, h, MaxLogoSide)
	case float64(max(w, h))/float64(min(w, h)) > MaxLogoAspect:
		return fmt.Errorf("is %d × %d pixels, longer than %.0f:1; crop it to the logo", w, h, MaxLogoAspect)
	}
	return nil
}

// flatten draws src onto white, scaled down to fit logoFitW × logoFitH
// when it is larger; the result is opaque, so PNG encodes it as RGB.
func flatten(src image.Image) *image.RGBA {
	sb := src.Bounds()
	w, h := sb.Dx(), sb.Dy()
	if s := math.Min(float64(logoFitW)/float64(w), float64(logoFitH)/float64(h)); s < 1 {
		w, h = max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if w == sb.Dx() && h == sb.Dy() {
		draw.Draw(dst, dst.Bounds(), src, sb.Min, draw.Over)
	} else {
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Over, nil)
	}
	return dst
}
