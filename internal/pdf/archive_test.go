package pdf

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestReportsAreArchiveReady renders one report of each kind and checks
// with pdfcpu and the raw bytes what PDF/A-2b asks and the readers use:
// strict validity, an outline entry per benefit, the metadata (title,
// organisation as author, subject with the period, keywords, language),
// XMP with the pdfaid part, an sRGB output intent, embedded fonts, a file
// identifier and no transparency. It does not prove PDF/A conformance:
// no PDF/A validator runs here.
func TestReportsAreArchiveReady(t *testing.T) {
	e := newEngine(t)
	var owner Document
	var ownerTitles []string
	for _, rep := range demoOwnerReports(t) {
		if len(rep.Benefits) >= 2 {
			owner = Owner(rep)
			for _, sec := range rep.Benefits {
				ownerTitles = append(ownerTitles, sec.Title)
			}
			break
		}
	}
	if owner.Title == "" {
		t.Fatal("no demo owner report with two benefits")
	}
	steering := demoSteering(t, "nb")
	var steeringTitles []string
	for _, sb := range steering.Benefits {
		steeringTitles = append(steeringTitles, sb.Section.Benefit.ID+" "+sb.Section.Title)
	}
	annual := demoAnnual(t, 2024, "en", "")
	var annualTitles []string
	for _, sec := range annual.Benefits {
		annualTitles = append(annualTitles, sec.Title)
	}
	tests := []struct {
		name      string
		doc       Document
		bookmarks []string
		subject   string
		lang      string
	}{
		{"owner", owner, ownerTitles, "september 2025", "nb"},
		{"steering", Steering(steering), steeringTitles, "september 2025", "nb"},
		{"annual", Annual(annual), annualTitles, "2024", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := render(t, e, "archive-"+tt.name, tt.doc)
			validate(t, b)
			conf := model.NewDefaultConfiguration()
			info, err := api.PDFInfo(bytes.NewReader(b), tt.name+".pdf", nil, true, conf)
			if err != nil {
				t.Fatalf("pdfcpu info: %v", err)
			}
			if info.Title != tt.doc.Title || info.Author != "Helse Midt-Norge RHF" || !strings.Contains(info.Subject, tt.subject) {
				t.Errorf("title %q, author %q, subject %q", info.Title, info.Author, info.Subject)
			}
			if len(info.Keywords) == 0 || !strings.Contains(strings.Join(info.Keywords, ","), tt.subject) {
				t.Errorf("keywords %q lack the period %q", info.Keywords, tt.subject)
			}
			for _, f := range info.Fonts {
				if !f.Embedded {
					t.Errorf("font %s is not embedded", f.Name)
				}
			}
			if len(info.Fonts) == 0 {
				t.Error("pdfcpu lists no fonts")
			}
			bms, err := api.Bookmarks(bytes.NewReader(b), conf)
			if err != nil {
				t.Fatalf("pdfcpu bookmarks: %v", err)
			}
			got := map[string]bool{}
			for _, bm := range bms {
				got[bm.Title] = true
			}
			for _, want := range tt.bookmarks {
				if !got[want] {
					t.Errorf("no bookmark %q among %d", want, len(bms))
				}
			}
			raw := string(b)
			for _, want := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
				"/S /GTS_PDFA1", "/DestOutputProfile", "/Lang (" + tt.lang + ")", "<dc:language><rdf:Bag><rdf:li>" + tt.lang} {
				if !strings.Contains(raw, want) {
					t.Errorf("PDF lacks %q", want)
				}
			}
			if !regexp.MustCompile(`trailer\n<<\n/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]`).MatchString(raw) {
				t.Error("trailer has no file identifier")
			}
			for _, bad := range []string{"/SMask", "/CA ", "/ca ", "/Transparency"} {
				if strings.Contains(raw, bad) {
					t.Errorf("PDF has transparency (%q)", bad)
				}
			}
		})
	}
}
