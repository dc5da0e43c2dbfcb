package report

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gevinstrapport/internal/register"
)

// commentRegister has one unit, an owner and an author, and two benefits
// measured monthly from January 2024 to September 2025:
//
//	B1: RED (5 % against 20 %, red below 15) and OK (50 % against 20 %).
//	B2: OLD (50 % against 20 %).
//
// Its comments pin which one each report shows (see the tests).
func commentRegister() *register.Register {
	f := register.F
	m := register.MonthOf
	ind := func(id, benefit string) register.Indicator {
		return register.Indicator{ID: id, BenefitID: benefit, Name: "Indikator " + id, Unit: "%", Direction: register.Up,
			Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(0),
			TargetValue: f(60), TargetDate: day(2026, 12, 31)}
	}
	reg := &register.Register{
		Units: []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People: []register.Person{
			{ID: "eier", Name: "Kari Nordmann", Email: "kari@example.no"},
			{ID: "forf", Name: "Ánne Sárá Ŋuolja"},
		},
		Benefits: []register.Benefit{
			{ID: "B1", Title: "Gevinst én", Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "eier", Phase: register.PhaseRealise},
			{ID: "B2", Title: "Gevinst to", Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "eier", Phase: register.PhaseRealise},
		},
		Indicators: []register.Indicator{ind("OK", "B1"), ind("RED", "B1"), ind("OLD", "B2")},
		Comments: []register.Comment{
			{BenefitID: "B1", IndicatorID: "RED", Period: m(2025, time.September), AuthorID: "forf", WrittenOn: day(2025, 10, 3),
				Text: "Andelen er lav fordi\r\nsystemet ble tatt i bruk sent.\r\n\r\nVi har satt inn opplæring."},
			{BenefitID: "B1", IndicatorID: "RED", Period: m(2025, time.October), Text: "Skrevet for oktober."},
			{BenefitID: "B1", Period: m(2025, time.July), Text: "Hele gevinsten: sommerferie."},
			{BenefitID: "B1", IndicatorID: "OK", Period: m(2025, time.May), AuthorID: "eier", Text: "Mai om OK."},
			{BenefitID: "B1", IndicatorID: "RED", Period: m(2024, time.March), Text: "Mars 2024."},
			{BenefitID: "B1", IndicatorID: "RED", Period: m(2024, time.November), WrittenOn: day(2024, 12, 2), Text: "November 2024."},
			{BenefitID: "B2", IndicatorID: "OLD", Period: m(2024, time.December), AuthorID: "eier", Text: "Desember 2024."},
			{BenefitID: "B2", Period: m(2024, time.June), Text: "Juni 2024 om hele gevinsten."},
		},
	}
	for _, id := range []string{"OK", "RED", "OLD"} {
		reg.Ambitions = append(reg.Ambitions, register.Ambition{IndicatorID: id, Year: 2024, Target: 20, RedLimit: f(15)},
			register.Ambition{IndicatorID: id, Year: 2025, Target: 20, RedLimit: f(15)})
	}
	for p := m(2024, time.January); p <= m(2025, time.September); p++ {
		for _, r := range []struct {
			id  string
			num float64
		}{{"OK", 50}, {"RED", 5}, {"OLD", 50}} {
			reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: r.id, OrgUnitID: "hf", Period: p,
				Numerator: f(r.num), Denominator: f(100)})
		}
	}
	return reg
}

// commentView is what a test compares of a Comment.
type commentView struct {
	heading, byline string
	older           bool
	paragraphs      int
}

func viewOf(c *Comment) *commentView {
	if c == nil {
		return nil
	}
	return &commentView{heading: c.Heading, byline: c.Byline, older: c.Older, paragraphs: len(c.Paragraphs)}
}

func checkComment(t *testing.T, what string, got *Comment, want *commentView) {
	t.Helper()
	g := viewOf(got)
	switch {
	case g == nil && want == nil:
	case g == nil || want == nil:
		t.Errorf("%s: comment %+v, want %+v", what, g, want)
	case *g != *want:
		t.Errorf("%s: comment %+v, want %+v", what, *g, *want)
	}
}

func commentIndex(t *testing.T) *register.Index {
	t.Helper()
	x, err := register.NewIndex(commentRegister())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestCommentsInOwnerReport(t *testing.T) {
	x := commentIndex(t)
	tests := []struct {
		lang          string
		period        register.Month
		benefit       *commentView
		red, ok       *commentView
		redParagraph0 string
	}{
		{
			lang: "nb", period: register.MonthOf(2025, time.September),
			benefit:       &commentView{heading: "Kommentar fra juli 2025 (eldre)", older: true, paragraphs: 1},
			red:           &commentView{heading: "Kommentar for september 2025", byline: "Ánne Sárá Ŋuolja, skrevet 3. oktober 2025", paragraphs: 2},
			redParagraph0: "Andelen er lav fordi systemet ble tatt i bruk sent.",
		},
		{
			lang: "nn", period: register.MonthOf(2025, time.September),
			benefit: &commentView{heading: "Kommentar frå juli 2025 (eldre)", older: true, paragraphs: 1},
			red:     &commentView{heading: "Kommentar for september 2025", byline: "Ánne Sárá Ŋuolja, skriven 3. oktober 2025", paragraphs: 2},
		},
		{
			lang: "en", period: register.MonthOf(2025, time.September),
			benefit: &commentView{heading: "Comment from July 2025 (older)", older: true, paragraphs: 1},
			red:     &commentView{heading: "Comment for September 2025", byline: "Ánne Sárá Ŋuolja, written 3 October 2025", paragraphs: 2},
		},
		{
			// May is three months before August: still shown, older. The
			// September comment on RED lies after the report month.
			lang: "nb", period: register.MonthOf(2025, time.August),
			benefit: &commentView{heading: "Kommentar fra juli 2025 (eldre)", older: true, paragraphs: 1},
			ok:      &commentView{heading: "Kommentar fra mai 2025 (eldre)", byline: "Kari Nordmann", older: true, paragraphs: 1},
		},
		{
			// October: the benefit's July comment is still within three months.
			lang: "nb", period: register.MonthOf(2025, time.October),
			benefit: &commentView{heading: "Kommentar fra juli 2025 (eldre)", older: true, paragraphs: 1},
			red:     &commentView{heading: "Kommentar for oktober 2025", paragraphs: 1},
		},
		{
			// November: July is four months back, beyond the window.
			lang: "nb", period: register.MonthOf(2025, time.November),
			red: &commentView{heading: "Kommentar fra oktober 2025 (eldre)", older: true, paragraphs: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.period.String(), func(t *testing.T) {
			opt := testOptions(t)
			opt.DefaultLang = tt.lang
			rep, err := BuildOwner(x, Recipient{Person: register.Person{ID: "eier"}, Parts: []Part{{BenefitID: "B1", Scope: "hf", Role: RoleOwner}}},
				tt.period, loadCatalogs(t), opt)
			if err != nil {
				t.Fatal(err)
			}
			sec := rep.Benefits[0]
			checkComment(t, "benefit B1", sec.Comment, tt.benefit)
			for _, is := range sec.Indicators {
				want := map[string]*commentView{"RED": tt.red, "OK": tt.ok}[is.Indicator.ID]
				checkComment(t, "indicator "+is.Indicator.ID, is.Comment, want)
				if is.Indicator.ID == "RED" && tt.redParagraph0 != "" && is.Comment.Paragraphs[0] != tt.redParagraph0 {
					t.Errorf("first paragraph %q, want %q", is.Comment.Paragraphs[0], tt.redParagraph0)
				}
			}
		})
	}
}

func TestCommentsInSteeringPack(t *testing.T) {
	x := commentIndex(t)
	opt := SteeringOptions{Options: testOptions(t)}
	rep, err := BuildSteering(x, register.MonthOf(2025, time.September), loadCatalogs(t), "nb", opt)
	if err != nil {
		t.Fatal(err)
	}
	var red *AttentionItem
	for i, it := range rep.Attention {
		if it.IndicatorID == "RED" {
			red = &rep.Attention[i]
		} else if it.Comment != nil || it.BenefitComment != nil {
			t.Errorf("attention item %s %s carries a comment", it.BenefitID, it.IndicatorID)
		}
	}
	if red == nil {
		t.Fatalf("RED is not on the attention list: %+v", rep.Attention)
	}
	checkComment(t, "attention RED", red.Comment,
		&commentView{heading: "Kommentar for september 2025", byline: "Ánne Sárá Ŋuolja, skrevet 3. oktober 2025", paragraphs: 2})
	if want := "Kommentar for september 2025 · Ánne Sárá Ŋuolja, skrevet 3. oktober 2025: «Andelen er lav fordi systemet ble tatt i bruk sent. Vi har satt inn opplæring.»"; red.Comment.Brief != want {
		t.Errorf("brief %q, want %q", red.Comment.Brief, want)
	}
	checkComment(t, "attention RED's benefit", red.BenefitComment,
		&commentView{heading: "Kommentar fra juli 2025 (eldre)", older: true, paragraphs: 1})
	for _, sb := range rep.Benefits {
		switch sb.Section.Benefit.ID {
		case "B1":
			checkComment(t, "benefit page B1", sb.Section.Comment, &commentView{heading: "Kommentar fra juli 2025 (eldre)", older: true, paragraphs: 1})
		case "B2":
			// June and December 2024 are beyond the window of September 2025.
			checkComment(t, "benefit page B2", sb.Section.Comment, nil)
			checkComment(t, "benefit page OLD", sb.Section.Indicators[0].Comment, nil)
		}
	}
}

func TestCommentsInAnnualReport(t *testing.T) {
	x := commentIndex(t)
	tests := []struct {
		name    string
		year    int
		now     time.Time
		b1      *commentView
		red, ok *commentView
		b2, old *commentView
	}{
		{
			name: "a complete year shows December's or the year's latest",
			year: 2024, now: day(2025, 1, 5),
			red: &commentView{heading: "Kommentar fra november 2024 (eldre)", byline: "Skrevet 2. desember 2024", older: true, paragraphs: 1},
			b2:  &commentView{heading: "Kommentar fra juni 2024 (eldre)", older: true, paragraphs: 1},
			old: &commentView{heading: "Kommentar for desember 2024", byline: "Kari Nordmann", paragraphs: 1},
		},
		{
			name: "a year not yet complete: the last month with data is current, later ones too",
			year: 2025, now: day(2025, 11, 5),
			b1:  &commentView{heading: "Kommentar fra juli 2025 (eldre)", older: true, paragraphs: 1},
			red: &commentView{heading: "Kommentar for oktober 2025", paragraphs: 1},
			ok:  &commentView{heading: "Kommentar fra mai 2025 (eldre)", byline: "Kari Nordmann", older: true, paragraphs: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := annualOptions(t)
			opt.Now = tt.now
			rep, err := BuildAnnual(x, tt.year, loadCatalogs(t), "nb", "", opt)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]*commentView{"B1": tt.b1, "B2": tt.b2, "RED": tt.red, "OK": tt.ok, "OLD": tt.old}
			for _, sec := range rep.Benefits {
				checkComment(t, "benefit "+sec.Benefit.ID, sec.Comment, want[sec.Benefit.ID])
				for _, ai := range sec.Indicators {
					checkComment(t, "indicator "+ai.Indicator.ID, ai.Comment, want[ai.Indicator.ID])
				}
			}
		})
	}
}

func TestCommentParagraphs(t *testing.T) {
	long := strings.Repeat("Sámegiella ŋ đ ž ", 200) // 3 400 characters
	many := strings.Repeat("linje\n\n", 30)
	tests := []struct {
		name      string
		text      string
		want      []string // nil: checked by the other fields
		paras     int
		short     bool
		endsWith  string
		maxRunes  int
		oneLonger string
	}{
		{name: "lines join, blank lines part paragraphs", text: "En\r\nto\n \n\nTre\rfire", want: []string{"En to", "Tre fire"}},
		{name: "control characters and runs of spaces become one space", text: "A\x1b[2J\tB\x00  C", want: []string{"A [2J B C"}},
		{name: "invalid UTF-8 is replaced", text: "Ok\xff\xfeslutt", want: []string{"Ok\uFFFDslutt"}},
		{name: "Sámi letters and emoji are kept", text: "Ŧ č đ ŋ š ž á – «sitat» 😀", want: []string{"Ŧ č đ ŋ š ž á – «sitat» 😀"}},
		{name: "only blanks is nothing", text: " \n\t\r\n ", want: []string{}},
		{name: "many paragraphs are joined into the last", text: many, paras: MaxCommentParagraphs},
		{name: "a long text is cut at a word and marked", text: long, short: true, paras: 1, endsWith: "…", maxRunes: register.MaxCommentRunes + 1},
		{name: "one endless word is cut hard", text: strings.Repeat("ŋ", 2000), short: true, paras: 1, endsWith: "ŋ…", maxRunes: register.MaxCommentRunes + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, short := commentParagraphs(tt.text)
			if tt.want != nil {
				if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
					t.Errorf("paragraphs %q, want %q", got, tt.want)
				}
				if short {
					t.Error("marked shortened")
				}
				return
			}
			if len(got) != tt.paras || short != tt.short {
				t.Fatalf("%d paragraphs (shortened %v), want %d (%v)", len(got), short, tt.paras, tt.short)
			}
			last := got[len(got)-1]
			if !strings.HasSuffix(last, tt.endsWith) {
				t.Errorf("last paragraph ends %q, want …%q", last[max(0, len(last)-20):], tt.endsWith)
			}
			if n := utf8.RuneCountInString(strings.Join(got, "")); tt.maxRunes > 0 && (n > tt.maxRunes || n < tt.maxRunes-register.MaxCommentRunes/10) {
				t.Errorf("kept %d characters, want at most %d and not far below", n, tt.maxRunes)
			}
		})
	}
}

func TestShortenedCommentIsSaid(t *testing.T) {
	reg := commentRegister()
	reg.Comments = []register.Comment{{BenefitID: "B1", Period: register.MonthOf(2025, time.September), Text: strings.Repeat("ord ", 600)}}
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"nb": "Forkortet", "nn": "Forkorta", "en": "Shortened"} {
		c := loadCatalogs(t).Pick(lang, "nb")
		cm := buildComment(x, c, "B1", "", monthWindow(register.MonthOf(2025, time.September)))
		if cm == nil || !cm.Shortened || !strings.HasPrefix(cm.Note, want) {
			t.Fatalf("%s: comment %+v, want shortened with a note starting %q", lang, cm, want)
		}
		if n := utf8.RuneCountInString(cm.Brief); n > BriefCommentRunes+len(cm.Heading)+5 || !strings.Contains(cm.Brief, "ord…") {
			t.Errorf("%s: brief of %d characters %q, want the text cut at a word near %d", lang, n, cm.Brief, BriefCommentRunes)
		}
	}
}
