package job

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"gevinstrapport/internal/pdftext"
	"gevinstrapport/templates"
)

// helseNordTemplates writes a templates.dir whose nb catalogue renames the
// owner report and whose nb mail template words the report mail's first
// sentence differently, with the same fields as the original.
func helseNordTemplates(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	orig, err := fs.ReadFile(templates.FS, "mail/nb.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(orig, []byte(`{{define "report_body"}}`))
	end := bytes.Index(orig, []byte(`{{define "summary_subject"}}`))
	block := string(orig[start:end])
	changed := strings.Replace(block, "Vedlagt finner du gevinstrapporten for", "Her er gevinstrapporten fra Helse Nord for", 1)
	if changed == block {
		t.Fatal("the nb report_body no longer has the sentence this test changes")
	}
	files := map[string]string{
		"catalog/nb.yaml": "title.owner: \"Gevinstrapport for Helse Nord\"\n",
		"mail/nb.tmpl":    "{{/* Helse Nord */}}\n" + changed,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// writeLogo writes a w × h PNG with a transparent background and a dark bar.
func writeLogo(t *testing.T, w, h int) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := h / 4; y < 3*h/4; y++ {
		for x := w / 10; x < w/2; x++ {
			m.Set(x, y, color.NRGBA{0x7A, 0x1F, 0x4E, 0xFF})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBrandingAndTemplatesInSentReports runs the owner report with
// branding and a templates.dir through the in-process SMTP server and
// reads what each recipient got: the override's wording in the mail body
// and on the PDF's first page, the organisation in every footer and as the
// PDF author, the logo on page 1 only.
func TestBrandingAndTemplatesInSentReports(t *testing.T) {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	extra := "branding:\n  logo: " + q(writeLogo(t, 400, 160)) + "\n  organisation: Helse Nord RHF\n  colour: \"#7A1F4E\"\n" +
		"templates:\n  dir: " + q(helseNordTemplates(t)) + "\n"
	f := newFixtureConfig(t, stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")}, extra)
	run(t, f.worker("brand", f.port), false)
	f.checkCounts(1)

	for _, p := range withEmail() {
		msgs := f.smtp.to(p.email)
		if len(msgs) != 1 {
			t.Fatalf("%s got %d mails", p.email, len(msgs))
		}
		m := parseMail(t, msgs[0].Data)
		if !strings.Contains(m.text, "Her er gevinstrapporten fra Helse Nord for september 2025") {
			t.Errorf("%s: the mail body lacks the override's wording:\n%s", p.email, m.text)
		}
		if strings.Contains(m.text, "Vedlagt finner du gevinstrapporten") {
			t.Errorf("%s: the embedded wording is still there", p.email)
		}
		var pdf []byte
		for name, a := range m.attachments {
			if strings.HasSuffix(name, ".pdf") {
				pdf = a
			}
		}
		checkBrandedPDF(t, p.email, pdf)
	}
}

func checkBrandedPDF(t *testing.T, who string, pdf []byte) {
	t.Helper()
	pages, err := pdftext.Pages(pdf)
	if err != nil || len(pages) == 0 {
		t.Fatalf("%s: the PDF: %v", who, err)
	}
	if !strings.Contains(pages[0], "Gevinstrapport for Helse Nord") || strings.Contains(pages[0], "Månedsrapport") {
		t.Errorf("%s: page 1 lacks the overridden title.owner:\n%.300s", who, pages[0])
	}
	for i, p := range pages {
		if !strings.Contains(p, "Helse Nord RHF") {
			t.Errorf("%s: page %d's footer lacks the organisation", who, i+1)
		}
	}
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	info, err := api.PDFInfo(bytes.NewReader(pdf), "report.pdf", nil, false, conf)
	if err != nil {
		t.Fatal(err)
	}
	if info.Author != "Helse Nord RHF" {
		t.Errorf("%s: PDF author %q, want branding.organisation", who, info.Author)
	}
	imgs, err := api.Images(bytes.NewReader(pdf), nil, conf)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, byObj := range imgs {
		for _, img := range byObj {
			n++
			if img.PageNr != 1 || img.Width != 400 || img.Height != 160 || img.HasSMask {
				t.Errorf("%s: image on page %d, %d × %d, soft mask %v; want the 400 × 160 logo on page 1 without a mask", who, img.PageNr, img.Width, img.Height, img.HasSMask)
			}
		}
	}
	if n != 1 {
		t.Errorf("%s: %d images, want the logo once", who, n)
	}
}
