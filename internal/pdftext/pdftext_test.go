package pdftext

import (
	"bytes"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
)

func TestPagesReadsUTF8TextBack(t *testing.T) {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddUTF8FontFromBytes("go", "", goregular.TTF)
	lines := [][]string{
		{"Månedsrapport – gevinstrealisering", "Porsáŋgu – Porsanger", "(parentes) \\ bakstrek"},
		{"Snåase – Snåsa", "ŋ č đ ŧ š ž á æøå ÆØÅ", "7\u00a0624\u00a0000 kr"},
	}
	for _, page := range lines {
		f.AddPage()
		f.SetFont("go", "", 12)
		for _, l := range page {
			f.CellFormat(0, 8, l, "", 1, "L", false, 0, "")
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	pages, err := Pages(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != len(lines) {
		t.Fatalf("got %d pages, want %d", len(pages), len(lines))
	}
	for i, page := range lines {
		for _, l := range page {
			if !strings.Contains(pages[i], l) {
				t.Errorf("page %d: %q not found in %q", i+1, l, pages[i])
			}
		}
	}
	if strings.Contains(pages[0], "Snåsa") {
		t.Error("page 1 holds page 2's text")
	}
}

func TestPagesRejectsNonPDF(t *testing.T) {
	if _, err := Pages([]byte("not a pdf")); err == nil {
		t.Error("want an error for bytes that are not a PDF")
	}
}
