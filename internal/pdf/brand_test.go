package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/brand"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// testLogo is a 600 × 200 logo with a transparent background: a dark red
// bar on the left half, nothing on the right.
func testLogo(t *testing.T) *brand.Logo {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, 600, 200))
	for y := 40; y < 160; y++ {
		for x := 20; x < 300; x++ {
			m.Set(x, y, color.NRGBA{0x7A, 0x1F, 0x4E, 0xFF})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	l, err := brand.DecodeLogo(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func helseNord(t *testing.T) brand.Brand {
	accent, err := brand.ParseColour("#7A1F4E")
	if err != nil {
		t.Fatal(err)
	}
	return brand.Brand{Organisation: "Helse Nord RHF", Accent: &accent, Logo: testLogo(t)}
}

// pageImages lists the images on each page (1-based) with pdfcpu.
func pageImages(t *testing.T, b []byte) map[int][]model.Image {
	t.Helper()
	api.DisableConfigDir()
	ii, err := api.Images(bytes.NewReader(b), nil, model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("list images: %v", err)
	}
	out := map[int][]model.Image{}
	for _, m := range ii {
		for _, img := range m {
			out[img.PageNr] = append(out[img.PageNr], img)
		}
	}
	return out
}

func author(t *testing.T, b []byte) string {
	t.Helper()
	info, err := api.PDFInfo(bytes.NewReader(b), "report.pdf", nil, false, model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	return info.Author
}

func brandedDoc() Document {
	doc := fullDoc()
	doc.Author = "Helse Nord (register)"
	doc.Created = time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)
	return doc
}

func TestBrandedDocument(t *testing.T) {
	e, err := New(WithBrand(helseNord(t)))
	if err != nil {
		t.Fatal(err)
	}
	b, info := render(t, e, "branded", brandedDoc())
	validate(t, b)

	pages := pageTexts(t, b)
	for i, p := range pages {
		if !strings.Contains(p, "Helse Nord RHF") {
			t.Errorf("page %d: the footer lacks the organisation:\n%s", i+1, p)
		}
	}
	if got := author(t, b); got != "Helse Nord RHF" {
		t.Errorf("PDF author %q, want branding.organisation over the register's", got)
	}
	if !bytes.Contains(b, []byte("Helse Nord RHF</rdf:li>")) {
		t.Error("the XMP dc:creator must name the organisation too (PDF/A: Info and XMP agree)")
	}

	imgs := pageImages(t, b)
	if len(imgs[1]) != 1 {
		t.Fatalf("page 1 has %d images, want the logo", len(imgs[1]))
	}
	logo := imgs[1][0]
	if logo.Width != 600 || logo.Height != 200 || logo.Cs != "DeviceRGB" || logo.Bpc != 8 {
		t.Errorf("logo XObject %d × %d %s %d bpc, want 600 × 200 DeviceRGB 8", logo.Width, logo.Height, logo.Cs, logo.Bpc)
	}
	if logo.HasSMask || logo.HasImgMask {
		t.Error("the logo carries a transparency mask: PDF/A-2b files are prepared without transparency")
	}
	for p := 2; p <= info.Pages; p++ {
		if len(imgs[p]) != 0 {
			t.Errorf("page %d has %d images; the logo belongs on the cover only", p, len(imgs[p]))
		}
	}

	// The accent #7A1F4E paints the title and table headers.
	if !bytes.Contains(uncompressed(t, b), []byte(fmt.Sprintf("%.3f %.3f %.3f rg", 0x7A/255.0, 0x1F/255.0, 0x4E/255.0))) {
		t.Error("the accent colour is not used")
	}

	again, _ := render(t, e, "branded-again", brandedDoc())
	if !bytes.Equal(again, b) {
		t.Error("the same branded document gave different bytes")
	}
}

func TestUnbrandedDocumentKeepsItsLook(t *testing.T) {
	plain, _ := render(t, newEngine(t), "plain", brandedDoc())
	e, err := New(WithBrand(brand.Brand{}))
	if err != nil {
		t.Fatal(err)
	}
	empty, _ := render(t, e, "empty-brand", brandedDoc())
	if !bytes.Equal(plain, empty) {
		t.Error("an empty brand changed the document")
	}
	if got := author(t, plain); got != "Helse Nord (register)" {
		t.Errorf("author %q, want the document's own", got)
	}
	if n := len(pageImages(t, plain)); n != 0 {
		t.Errorf("%d pages carry images without a logo", n)
	}
	navy := fmt.Sprintf("%.3f %.3f %.3f rg", 0x1F/255.0, 0x4E/255.0, 0x79/255.0)
	if !bytes.Contains(uncompressed(t, plain), []byte(navy)) {
		t.Error("the default navy accent is gone")
	}
}

// uncompressed is the pages' content streams, decompressed, so colour
// operators can be searched for.
func uncompressed(t *testing.T, b []byte) []byte {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(b), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for i := 1; i <= ctx.PageCount; i++ {
		r, err := pdfcpu.ExtractPageContent(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		if r != nil {
			_, _ = all.ReadFrom(r)
		}
	}
	return all.Bytes()
}
