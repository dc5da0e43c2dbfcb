package pdf

import (
	"bytes"

	"codeberg.org/go-pdf/fpdf"
)

// The logo is scaled to fit a box at the top right of page 1, keeping its
// aspect ratio; the title wraps beside it.
const (
	logoBoxW = 50.0 // mm
	logoBoxH = 18.0 // mm
	logoGap  = 6.0  // mm between the title and the logo
	logoName = "logo"
)

// logoSize is the size in mm of a w × h pixel logo fitted into the box.
func logoSize(w, h int) (float64, float64) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	mw, mh := logoBoxW, logoBoxW*float64(h)/float64(w)
	if mh > logoBoxH {
		mw, mh = logoBoxH*float64(w)/float64(h), logoBoxH
	}
	return mw, mh
}

// drawLogo draws the brand's logo at the top right of the current page
// and returns its size in mm; 0, 0 without a logo. The logo is an opaque
// RGB PNG (brand.DecodeLogo), so the PDF stays free of transparency.
func (r *layout) drawLogo() (float64, float64) {
	l := r.e.brand.Logo
	if l == nil {
		return 0, 0
	}
	w, h := logoSize(l.Width, l.Height)
	if w == 0 {
		return 0, 0
	}
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	r.pdf.RegisterImageOptionsReader(logoName, opt, bytes.NewReader(l.PNG))
	r.pdf.ImageOptions(logoName, pageWidth-marginRight-w, marginTop, w, h, false, opt, 0, "")
	return w, h
}
