package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/templates"
)

// longComment is far above the cap: forty paragraphs of Sámi and Norwegian
// text, one of them a single 400-character word that no line can hold.
func longComment() string {
	var b strings.Builder
	for i := range 40 {
		if i == 3 {
			b.WriteString(strings.Repeat("Ŋ", 400) + "\n\n")
			continue
		}
		b.WriteString("Guovdageaidnu ja Kárášjohka: dát lea guhkes kommentára. Vi følger opp hver måned, avsnitt nummer ")
		b.WriteString(strings.Repeat("i", i%5+1))
		b.WriteString(".\r\n\r\n")
	}
	return b.String()
}

// commentLayoutRegister has one red indicator measured January–September
// 2025, with (when comments is set) a very long comment on the benefit for
// September and a short one on the indicator for August.
func commentLayoutRegister(comments bool) *register.Register {
	reg := &register.Register{
		Units: []register.OrgUnit{{ID: "R", Name: "Region", Kind: register.KindRHF}, {ID: "A", Name: "Alfa", Kind: register.KindHF, ParentID: "R"}},
		People: []register.Person{{ID: "P1", Name: "Kari Nordmann", Email: "kari@example.no"},
			{ID: "P2", Name: "Máret Ŋuolja Sárá"}},
		Benefits: []register.Benefit{{ID: "G1", Title: "Kortere ventetid", Category: register.QualitySafety, OrgUnitID: "R", OwnerID: "P1", Phase: register.PhaseRealise}},
		Indicators: []register.Indicator{{ID: "I1", BenefitID: "G1", Name: "Andel digitale timer", Unit: "%", Direction: register.Up,
			Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: register.F(0)}},
		Ambitions: []register.Ambition{{IndicatorID: "I1", Year: 2025, Target: 20, RedLimit: register.F(15)}},
	}
	for m := register.MonthOf(2025, time.January); m <= register.MonthOf(2025, time.September); m++ {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "I1", OrgUnitID: "A", Period: m,
			Numerator: register.F(5), Denominator: register.F(100)})
	}
	if comments {
		reg.Comments = []register.Comment{
			{BenefitID: "G1", Period: register.MonthOf(2025, time.September), AuthorID: "P2", WrittenOn: time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC), Text: longComment()},
			{BenefitID: "G1", IndicatorID: "I1", Period: register.MonthOf(2025, time.August), Text: "Vi har satt inn opplæring i august."},
		}
	}
	return reg
}

// renderCommentReports renders the owner report, steering pack and annual
// report of commentLayoutRegister and returns each one's pages of text.
func renderCommentReports(t *testing.T, comments bool) map[string][]string {
	t.Helper()
	x, err := register.NewIndex(commentLayoutRegister(comments))
	if err != nil {
		t.Fatal(err)
	}
	cats, err := report.LoadCatalogs(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	sep := register.MonthOf(2025, time.September)
	opt := report.Options{Settings: register.DefaultSettings(), DefaultLang: "nb", Now: time.Date(2025, 10, 3, 4, 0, 0, 0, time.UTC), Location: time.UTC}
	owner, err := report.BuildOwner(x, report.Recipients(x)[0], sep, cats, opt)
	if err != nil {
		t.Fatal(err)
	}
	steering, err := report.BuildSteering(x, sep, cats, "nb", report.SteeringOptions{Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	annual, err := report.BuildAnnual(x, 2025, cats, "nb", "", opt)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for name, doc := range map[string]Document{"owner": Owner(owner), "steering": Steering(steering), "annual": Annual(annual)} {
		var buf bytes.Buffer
		info, err := e.Render(context.Background(), &buf, doc)
		if err != nil {
			t.Fatalf("render %s: %v", name, err)
		}
		if len(info.Replaced) > 0 {
			t.Errorf("%s: characters missing from the font: %q", name, string(info.Replaced))
		}
		if keepOwnerPDF != "" && comments {
			if err := os.WriteFile(filepath.Join(keepOwnerPDF, "comment-"+name+".pdf"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out[name] = pageTexts(t, buf.Bytes())
		if info.Pages != len(out[name]) {
			t.Errorf("%s: RenderInfo.Pages = %d, text of %d pages", name, info.Pages, len(out[name]))
		}
	}
	return out
}

// TestVeryLongCommentLayout renders a comment far above the cap, with forty
// paragraphs and a 400-character word, in all three reports: each grows by
// at most one page, and the comment's start, its author, the shortened note,
// the broken word and the older indicator comment are in the text.
func TestVeryLongCommentLayout(t *testing.T) {
	without := renderCommentReports(t, false)
	with := renderCommentReports(t, true)
	for _, name := range []string{"owner", "steering", "annual"} {
		t.Run(name, func(t *testing.T) {
			pages := with[name]
			if len(pages) > len(without[name])+1 {
				t.Errorf("%d pages with the comment, %d without: a capped comment adds at most one", len(pages), len(without[name]))
			}
			text := ownerSquash(strings.Join(pages, " "))
			want := []string{
				"Guovdageaidnu ja Kárášjohka: dát lea guhkes kommentára.",
				"Máret Ŋuolja Sárá, skrevet 2. oktober 2025",
			}
			switch name {
			case "owner", "annual":
				want = append(want, "Kommentar for september 2025", strings.Repeat("Ŋ", 20),
					"Forkortet – hele kommentaren står i registeret.",
					"Kommentar fra august 2025 (eldre)", "Vi har satt inn opplæring i august.")
			case "steering":
				// The attention list and the compact benefit page carry the brief.
				want = append(want, "Kommentar for september 2025 · Máret Ŋuolja Sárá, skrevet 2. oktober 2025: «Guovdageaidnu",
					"Andel digitale timer – Kommentar fra august 2025 (eldre): «Vi har satt inn opplæring i august.»")
				if strings.Contains(text, "Forkortet") || strings.Contains(text, strings.Repeat("Ŋ", 20)) {
					t.Errorf("the steering pack shows more than the comment's brief")
				}
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF text lacks %q", w)
				}
			}
		})
	}
}
