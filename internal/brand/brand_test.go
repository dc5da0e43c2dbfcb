package brand

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestContrast(t *testing.T) {
	tests := []struct {
		a, b Colour
		want float64
	}{
		{Colour{0, 0, 0}, White, 21},
		{White, White, 1},
		{Colour{0x1F, 0x4E, 0x79}, White, 8.66}, // the default navy
		{Colour{0x76, 0x76, 0x76}, White, 4.54}, // the classic lightest AA grey
		{Colour{0x77, 0x77, 0x77}, White, 4.48}, // 4.478: shown floored as 4.47, never rounded up to pass
		{Colour{0xFF, 0xD7, 0x00}, White, 1.40}, // gold
	}
	for _, tc := range tests {
		got := tc.a.Contrast(tc.b)
		if math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Contrast(%s, %s) = %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
		if back := tc.b.Contrast(tc.a); back != got {
			t.Errorf("Contrast is not symmetric: %v vs %v", got, back)
		}
	}
}

func TestParseColourAndCheckAccent(t *testing.T) {
	tests := []struct {
		in      string
		want    Colour
		parse   string // part of the parse error; "" for none
		contast string // part of the CheckAccent error; "" for none
	}{
		{in: "#1F4E79", want: Colour{0x1F, 0x4E, 0x79}},
		{in: "#1f4e79", want: Colour{0x1F, 0x4E, 0x79}},
		{in: "#036", want: Colour{0x00, 0x33, 0x66}},
		{in: "#767676", want: Colour{0x76, 0x76, 0x76}},
		{in: "#777777", want: Colour{0x77, 0x77, 0x77}, contast: "4.47:1"},
		{in: "#FFD700", want: Colour{0xFF, 0xD7, 0x00}, contast: "1.40:1 against white"},
		{in: "1F4E79", parse: "must start with #"},
		{in: "#1F4E7", parse: "six hex digits"},
		{in: "#GGGGGG", parse: "six hex digits"},
		{in: "navy", parse: "must start with #"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			c, err := ParseColour(tc.in)
			if tc.parse != "" {
				if err == nil || !strings.Contains(err.Error(), tc.parse) {
					t.Fatalf("ParseColour error %v, want %q", err, tc.parse)
				}
				return
			}
			if err != nil || c != tc.want {
				t.Fatalf("ParseColour = %v, %v; want %v", c, err, tc.want)
			}
			err = CheckAccent(c)
			switch {
			case tc.contast == "" && err != nil:
				t.Fatalf("CheckAccent: %v", err)
			case tc.contast != "" && (err == nil || !strings.Contains(err.Error(), tc.contast) || !strings.Contains(err.Error(), "4.5:1")):
				t.Fatalf("CheckAccent error %v, want %q and the 4.5:1 minimum", err, tc.contast)
			}
		})
	}
}

// translucent is a w × h image: a red square with alpha 0 in its left half
// and half-transparent blue on the right.
func translucent(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if x < w/2 {
				m.Set(x, y, color.NRGBA{0xFF, 0, 0, 0})
			} else {
				m.Set(x, y, color.NRGBA{0, 0, 0xFF, 0x80})
			}
		}
	}
	return m
}

func encode(t *testing.T, m image.Image, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, m)
	case "jpeg":
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&buf, m, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeLogoFlattensAlphaOntoWhite(t *testing.T) {
	l, err := DecodeLogo(encode(t, translucent(40, 20), "png"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Width != 40 || l.Height != 20 {
		t.Fatalf("size %d × %d, want 40 × 20", l.Width, l.Height)
	}
	got, err := png.Decode(bytes.NewReader(l.PNG))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := png.DecodeConfig(bytes.NewReader(l.PNG))
	if cfg.ColorModel != color.RGBAModel {
		t.Fatalf("the embedded PNG's colour model is %v, want 8-bit RGB without alpha", cfg.ColorModel)
	}
	// Colour type 2 (truecolour, no alpha channel) in the IHDR chunk.
	if l.PNG[25] != 2 {
		t.Fatalf("PNG colour type %d, want 2 (RGB, no alpha)", l.PNG[25])
	}
	if c := color.RGBAModel.Convert(got.At(5, 5)).(color.RGBA); c != (color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}) {
		t.Errorf("a fully transparent pixel became %v, want white", c)
	}
	if c := color.RGBAModel.Convert(got.At(30, 5)).(color.RGBA); c.R < 0x7E || c.R > 0x80 || c.B != 0xFF || c.A != 0xFF {
		t.Errorf("half-transparent blue became %v, want light blue on white (about 7F 7F FF)", c)
	}
	again, _ := DecodeLogo(encode(t, translucent(40, 20), "png"))
	if !bytes.Equal(again.PNG, l.PNG) {
		t.Error("the same logo gave different bytes: reports would not be reproducible")
	}
}

func TestDecodeLogo(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 300, 100))
	cmyk := image.NewCMYK(image.Rect(0, 0, 64, 64))
	tests := []struct {
		name   string
		data   []byte
		w, h   int
		errMsg string
	}{
		{name: "jpeg", data: encode(t, translucent(120, 60), "jpeg"), w: 120, h: 60},
		{name: "grey png", data: encode(t, gray, "png"), w: 300, h: 100},
		{name: "cmyk jpeg", data: encode(t, cmyk, "jpeg"), w: 64, h: 64},
		{name: "large is scaled to fit", data: encode(t, translucent(2400, 600), "png"), w: 1200, h: 300},
		{name: "tall is scaled to fit", data: encode(t, translucent(500, 1000), "png"), w: 216, h: 432},
		{name: "gif", data: encode(t, image.NewPaletted(image.Rect(0, 0, 32, 32), color.Palette{color.White, color.Black}), "gif"), errMsg: "is GIF; use PNG or JPEG"},
		{name: "text", data: []byte("not an image at all"), errMsg: "neither PNG nor JPEG"},
		{name: "truncated", data: encode(t, translucent(100, 50), "png")[:200], errMsg: "cannot be decoded"},
		{name: "tiny", data: encode(t, translucent(8, 8), "png"), errMsg: "at least 16"},
		{name: "a strip", data: encode(t, translucent(1100, 100), "png"), errMsg: "longer than 10:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := DecodeLogo(tc.data)
			if tc.errMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errMsg) {
					t.Fatalf("error %v, want %q", err, tc.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Width != tc.w || l.Height != tc.h {
				t.Fatalf("size %d × %d, want %d × %d", l.Width, l.Height, tc.w, tc.h)
			}
			if l.PNG[25] != 2 {
				t.Fatalf("PNG colour type %d, want 2 (RGB)", l.PNG[25])
			}
		})
	}
}

func TestLoadLogo(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.png")
	if err := os.WriteFile(big, make([]byte, MaxLogoBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLogo(big); err == nil || !strings.Contains(err.Error(), "larger than 5 MiB") {
		t.Fatalf("a 5 MiB + 1 file: %v", err)
	}
	if _, err := LoadLogo(filepath.Join(dir, "missing.png")); err == nil || !strings.Contains(err.Error(), "cannot read the logo") {
		t.Fatalf("a missing file: %v", err)
	}
	ok := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(ok, encode(t, translucent(200, 80), "png"), 0o644); err != nil {
		t.Fatal(err)
	}
	if l, err := LoadLogo(ok); err != nil || l.Width != 200 {
		t.Fatalf("LoadLogo = %+v, %v", l, err)
	}
}
