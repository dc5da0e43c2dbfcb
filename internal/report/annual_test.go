package report

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
)

// annualRegister is a small hand-made register for the annual report:
//
//	hf (HF) with units u1 and u2; p1 owns B1, B3 and the closed B4; p2 owns B2 and B5.
//	B1: I1 ratio % (2024: 2/10 in u1 + 8/90 in u2 = 10,0 %, not the 14,4 % mean of
//	    the two months' shares), I2 sum kr whose final date 30 June 2024 has passed.
//	B2: I3 mean days, direction down, no ambition for 2024.
//	B3: I4 ratio that reached its final ambition in 2024.
//	B5: phase evaluate, I5 without data in 2024.
//
// Data run to March 2025, so 2024 is complete and 2025 is partial.
func annualRegister() *register.Register {
	f := register.F
	m := func(y int, mo time.Month) register.Month { return register.MonthOf(y, mo) }
	reg := &register.Register{
		Units: []register.OrgUnit{
			{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF},
			{ID: "u1", Name: "Avdeling Øst", Kind: register.KindUnit, ParentID: "hf"},
			{ID: "u2", Name: "Snåase – Snåsa", Kind: register.KindKommune, ParentID: "hf"},
		},
		People: []register.Person{
			{ID: "p1", Name: "Kari Nordmann"},
			{ID: "p2", Name: "Ola Nynorsk", Language: "nn"},
		},
		Benefits: []register.Benefit{
			{ID: "B1", Title: "Pasientbooking", Category: register.PatientInvolvement, OrgUnitID: "hf", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "B2", Title: "Kortere ventetid", Category: register.QualitySafety, OrgUnitID: "u1", OwnerID: "p2", Phase: register.PhaseRealise},
			{ID: "B3", Title: "Digitale svar", Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "B4", Title: "Avsluttet gevinst", Category: register.Satisfaction, OrgUnitID: "hf", OwnerID: "p1", Phase: register.PhaseClosed},
			{ID: "B5", Title: "Gevinst under evaluering", Category: register.Savings, OrgUnitID: "hf", OwnerID: "p2", Phase: register.PhaseEvaluate},
		},
		Indicators: []register.Indicator{
			{ID: "I1", BenefitID: "B1", Name: "Andel selvbooking", Unit: "%", Direction: register.Up, Aggregation: register.Ratio,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: f(5), TargetValue: f(30), TargetDate: day(2026, 12, 31)},
			{ID: "I2", BenefitID: "B1", Name: "Sparte kroner", Unit: "kr", Direction: register.Up, Aggregation: register.Sum,
				Frequency: register.Monthly, Decimals: 0, BaselineValue: f(0), TargetValue: f(1000), TargetDate: day(2024, 6, 30)},
			{ID: "I3", BenefitID: "B2", Name: "Ventetid", Unit: "dager", Direction: register.Down, Aggregation: register.Mean,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: f(40), TargetValue: f(20), TargetDate: day(2027, 12, 31)},
			{ID: "I4", BenefitID: "B3", Name: "Andel digitale svar", Unit: "%", Direction: register.Up, Aggregation: register.Ratio,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: f(20), TargetValue: f(50), TargetDate: day(2025, 12, 31)},
			{ID: "I5", BenefitID: "B5", Name: "Sparte timer", Unit: "timer", Direction: register.Up, Aggregation: register.Sum,
				Frequency: register.Monthly, Decimals: 0, BaselineValue: f(0), TargetValue: f(100), TargetDate: day(2024, 12, 31)},
		},
		Ambitions: []register.Ambition{
			{IndicatorID: "I1", Year: 2024, Target: 10},
			{IndicatorID: "I2", Year: 2024, Target: 900},
			{IndicatorID: "I2", Year: 2025, Target: 1200},
			{IndicatorID: "I4", Year: 2024, Target: 40},
			{IndicatorID: "I5", Year: 2024, Target: 50},
		},
		Actions: []register.ChangeAction{
			{ID: "A1", BenefitID: "B1", Title: "Innføre SMS", Responsible: "IKT", DueDate: day(2024, 6, 1), Status: register.ActionImplemented, CompletedOn: day(2024, 5, 2)},
			{ID: "A2", BenefitID: "B1", Title: "Opplæring", Responsible: "Klinikksjef", DueDate: day(2023, 3, 1), Status: register.ActionImplemented, CompletedOn: day(2023, 3, 1)},
			{ID: "A3", BenefitID: "B1", Title: "Ny rutine", Responsible: "Avdelingsleder", DueDate: day(2024, 6, 30), Status: register.ActionInProgress},
			{ID: "A4", BenefitID: "B1", Title: "Plakater", DueDate: day(2025, 6, 30), Status: register.ActionPlanned},
			{ID: "A5", BenefitID: "B1", Title: "Droppet tiltak", DueDate: day(2024, 3, 1), Status: register.ActionCancelled},
		},
		Measurements: []register.Measurement{
			{IndicatorID: "I1", OrgUnitID: "u1", Period: m(2024, time.January), Numerator: f(2), Denominator: f(10)},
			{IndicatorID: "I1", OrgUnitID: "u2", Period: m(2024, time.February), Numerator: f(8), Denominator: f(90)},
			{IndicatorID: "I1", OrgUnitID: "u1", Period: m(2025, time.March), Numerator: f(5), Denominator: f(10)},
			{IndicatorID: "I2", OrgUnitID: "u2", Period: m(2024, time.March), Value: f(100)},
			{IndicatorID: "I3", OrgUnitID: "u1", Period: m(2024, time.January), Value: f(20)},
			{IndicatorID: "I3", OrgUnitID: "u1", Period: m(2024, time.February), Value: f(40)},
			{IndicatorID: "I4", OrgUnitID: "u1", Period: m(2024, time.January), Numerator: f(60), Denominator: f(100)},
			{IndicatorID: "I5", OrgUnitID: "u1", Period: m(2023, time.June), Value: f(10)},
		},
	}
	for mo := time.January; mo <= time.December; mo++ {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "I2", OrgUnitID: "u1", Period: m(2024, mo), Value: f(50)})
	}
	for mo := time.January; mo <= time.March; mo++ {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "I2", OrgUnitID: "u1", Period: m(2025, mo), Value: f(100)})
	}
	return reg
}

func annualOptions(t *testing.T) Options {
	t.Helper()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatalf("load Europe/Oslo: %v", err)
	}
	return Options{
		Settings:    register.DefaultSettings(),
		DefaultLang: "nb",
		Now:         time.Date(2025, time.January, 4, 23, 30, 0, 0, time.UTC), // 5 January in Oslo
		Location:    oslo,
	}
}

func buildAnnual(t *testing.T, year int, lang, owner string) AnnualReport {
	t.Helper()
	x, err := register.NewIndex(annualRegister())
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	rep, err := BuildAnnual(x, year, loadCatalogs(t), lang, owner, annualOptions(t))
	if err != nil {
		t.Fatalf("BuildAnnual(%d, %q, %q): %v", year, lang, owner, err)
	}
	return rep
}

func annualIndicatorOf(t *testing.T, rep AnnualReport, id string) AnnualIndicator {
	t.Helper()
	for _, sec := range rep.Benefits {
		for _, ai := range sec.Indicators {
			if ai.Indicator.ID == id {
				return ai
			}
		}
	}
	t.Fatalf("indicator %s not in the report", id)
	return AnnualIndicator{}
}

func boolText(b *bool) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprint(*b)
}

func numText(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

func TestBuildAnnualFigures(t *testing.T) {
	rep := buildAnnual(t, 2024, "nb", "")
	tests := []struct {
		name       string
		id         string
		value      string // raw annual figure
		status     register.Status
		met        string
		suggested  string
		shown      string // the figure as the report words it
		change     string
		finalState string
		metText    string
	}{
		{name: "ratio is Σnum/Σden over the year, not a mean of monthly shares", id: "I1",
			value: "10", status: register.Green, met: "true", suggested: "20", // 10 + (30 − 10)/2
			shown: "10,0\u00a0%", change: "+5,0\u00a0prosentpoeng (+100\u00a0%)", finalState: "Nei – frist 31. desember 2026", metText: "Ja · Grønn"},
		{name: "sum is the year's total; suggestion is the final ambition once its date has passed", id: "I2",
			value: "700", status: register.Yellow, met: "false", suggested: "1000",
			shown: "700\u00a0kr", change: "+700\u00a0kr", finalState: "Nei – fristen gikk ut 30. juni 2024", metText: "Nei · Gul"},
		{name: "mean is the mean of the year's scope values; no ambition gives met null", id: "I3",
			value: "30", status: register.NoAmbition, met: "null", suggested: "26.7", // 30 + (20 − 30)/3
			shown: "30,0\u00a0dager", change: "\u221210,0\u00a0dager (\u221225\u00a0%)", finalState: "Nei – frist 31. desember 2027", metText: "Ingen ambisjon"},
		{name: "final ambition reached; target year is next year", id: "I4",
			value: "60", status: register.Green, met: "true", suggested: "60", // past the final 50: hold the level
			shown: "60,0\u00a0%", change: "+40,0\u00a0prosentpoeng (+200\u00a0%)", finalState: "Ja, nådd", metText: "Ja · Grønn"},
		{name: "no data in the year", id: "I5",
			value: "null", status: register.NoData, met: "null", suggested: "null",
			shown: "–", change: "–", finalState: "–", metText: "Mangler data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ai := annualIndicatorOf(t, rep, tt.id)
			r := ai.Result
			if got := numText(r.Value); got != tt.value {
				t.Errorf("Value = %s, want %s", got, tt.value)
			}
			if r.Status != tt.status {
				t.Errorf("Status = %s, want %s", r.Status, tt.status)
			}
			if got := boolText(r.AmbitionMet); got != tt.met {
				t.Errorf("AmbitionMet = %s, want %s", got, tt.met)
			}
			if got := numText(r.SuggestedAmbition); got != tt.suggested {
				t.Errorf("SuggestedAmbition = %s, want %s", got, tt.suggested)
			}
			if ai.Value != tt.shown {
				t.Errorf("shown value = %q, want %q", ai.Value, tt.shown)
			}
			if ai.Change != tt.change {
				t.Errorf("change = %q, want %q", ai.Change, tt.change)
			}
			if ai.FinalState != tt.finalState {
				t.Errorf("final state = %q, want %q", ai.FinalState, tt.finalState)
			}
			if ai.MetText != tt.metText {
				t.Errorf("met text = %q, want %q", ai.MetText, tt.metText)
			}
		})
	}
	if rep.Partial || rep.Title != "Årsrapport gevinstrealisering 2024" || rep.Header != "Årsrapport 2024 · laget 5. januar 2025" {
		t.Errorf("partial %v, title %q, header %q", rep.Partial, rep.Title, rep.Header)
	}
	if want := "2 av 3 måleindikatorer med årlig ambisjon og årstall nådde ambisjonen for 2024."; rep.MetText != want {
		t.Errorf("MetText = %q, want %q", rep.MetText, want)
	}
}

func TestBuildAnnualSummaryAndResultsAgree(t *testing.T) {
	rep := buildAnnual(t, 2024, "nb", "")
	var ids []string
	for _, s := range rep.Summary {
		ids = append(ids, s.IndicatorID)
	}
	if want := []string{"I1", "I2", "I3", "I4", "I5"}; !slices.Equal(ids, want) {
		t.Fatalf("summary indicators %v, want %v (closed B4 left out)", ids, want)
	}
	if len(rep.Results) != len(rep.Summary) {
		t.Fatalf("%d results for %d summary rows", len(rep.Results), len(rep.Summary))
	}
	for i, s := range rep.Summary {
		r := rep.Results[i]
		if r.IndicatorID != s.IndicatorID || r.Year != 2024 || r.Status != s.Status {
			t.Errorf("row %d: summary %s/%s, result %s/%s/%d", i, s.IndicatorID, s.Status, r.IndicatorID, r.Status, r.Year)
		}
	}
	if s := rep.Summary[0]; s.Ambition != "10,0\u00a0%" || s.Suggested != "20,0\u00a0%" || s.BenefitTitle != "Pasientbooking" {
		t.Errorf("first row = %+v", s)
	}
}

func TestBuildAnnualOwnerCopy(t *testing.T) {
	tests := []struct {
		name     string
		owner    string
		benefits []string
		lang     string
		subtitle string
	}{
		{name: "portfolio", owner: "", benefits: []string{"B1", "B2", "B3", "B5"}, lang: "nb", subtitle: "Hele porteføljen"},
		{name: "p1 gets only their open benefits", owner: "p1", benefits: []string{"B1", "B3"}, lang: "nb", subtitle: "Gevinstansvarlig: Kari Nordmann"},
		{name: "p2 in nynorsk", owner: "p2", benefits: []string{"B2", "B5"}, lang: "nn", subtitle: "Gevinstansvarleg: Ola Nynorsk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := buildAnnual(t, 2024, tt.lang, tt.owner)
			var got []string
			for _, sec := range rep.Benefits {
				got = append(got, sec.Benefit.ID)
			}
			if !slices.Equal(got, tt.benefits) {
				t.Errorf("benefits %v, want %v", got, tt.benefits)
			}
			for _, r := range rep.Results {
				if !slices.Contains(tt.benefits, r.BenefitID) {
					t.Errorf("result for %s of benefit %s, which is not in the copy", r.IndicatorID, r.BenefitID)
				}
			}
			if rep.Subtitle != tt.subtitle {
				t.Errorf("subtitle %q, want %q", rep.Subtitle, tt.subtitle)
			}
		})
	}
	x, err := register.NewIndex(annualRegister())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BuildAnnual(x, 2024, loadCatalogs(t), "nb", "nobody", annualOptions(t)); !errors.Is(err, ErrUnknownPerson) {
		t.Errorf("unknown owner: err = %v, want ErrUnknownPerson", err)
	}
	if _, err := BuildAnnual(x, 2026, loadCatalogs(t), "nb", "", annualOptions(t)); !errors.Is(err, ErrNoDataForYear) {
		t.Errorf("year after the data: err = %v, want ErrNoDataForYear", err)
	}
}

func TestBuildAnnualEvaluationPhase(t *testing.T) {
	tests := []struct {
		lang    string
		reasons []string
		q1      string
	}{
		{lang: "nb", reasons: []string{"Alle måleindikatorer nådde endelig ambisjon i 2024.", "Gevinsten er registrert i evalueringsfasen."},
			q1: "Hva gikk bra i hver fase"},
		{lang: "nn", reasons: []string{"Alle måleindikatorane nådde endeleg ambisjon i 2024.", "Gevinsten er registrert i evalueringsfasen."},
			q1: "Kva gjekk bra i kvar fase"},
		{lang: "en", reasons: []string{"Every indicator reached its final ambition in 2024.", "The benefit is recorded in the evaluation phase."},
			q1: "What went well in each phase"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			rep := buildAnnual(t, 2024, tt.lang, "")
			var ids, reasons []string
			for _, e := range rep.Evaluation {
				ids = append(ids, e.BenefitID)
				reasons = append(reasons, e.Reason)
			}
			if want := []string{"B3", "B5"}; !slices.Equal(ids, want) {
				t.Fatalf("evaluation list %v, want %v", ids, want)
			}
			if !slices.Equal(reasons, tt.reasons) {
				t.Errorf("reasons %q, want %q", reasons, tt.reasons)
			}
			if len(rep.EvalQuestion) != 4 || !strings.HasPrefix(rep.EvalQuestion[0], tt.q1) {
				t.Errorf("questions %q", rep.EvalQuestion)
			}
			if rep.Benefits[2].Benefit.ID != "B3" || !rep.Benefits[2].FinalReached {
				t.Errorf("B3 should be marked as having reached its final ambition")
			}
			if rep.Benefits[0].FinalReached {
				t.Errorf("B1 has not reached its final ambition")
			}
		})
	}
}

func TestBuildAnnualActions(t *testing.T) {
	rep := buildAnnual(t, 2024, "nb", "")
	b1 := rep.Benefits[0]
	ids := func(rows []ActionRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Action.ID)
		}
		return out
	}
	if got := ids(b1.Completed); !slices.Equal(got, []string{"A1"}) {
		t.Errorf("completed in 2024 = %v, want [A1] (A2 was 2023, A5 cancelled)", got)
	}
	if got := ids(b1.Open); !slices.Equal(got, []string{"A3", "A4"}) {
		t.Errorf("open = %v, want [A3 A4]", got)
	}
	if !b1.Open[0].Overdue || b1.Open[1].Overdue || b1.Overdue != 1 {
		t.Errorf("overdue: A3 %v, A4 %v, count %d; want only A3", b1.Open[0].Overdue, b1.Open[1].Overdue, b1.Overdue)
	}
	if b1.Open[1].Responsible != Missing || b1.Completed[0].StatusText != "iverksatt 2. mai 2024" {
		t.Errorf("A4 responsible %q, A1 status %q", b1.Open[1].Responsible, b1.Completed[0].StatusText)
	}
	if rep.Completed != 1 || rep.Open != 2 || rep.Overdue != 1 {
		t.Errorf("totals completed %d, open %d, overdue %d", rep.Completed, rep.Open, rep.Overdue)
	}
	if want := "1 endringstiltak ble fullført i 2024; 2 er fortsatt åpne (1 har passert fristen)."; rep.ActionsText != want {
		t.Errorf("ActionsText = %q, want %q", rep.ActionsText, want)
	}
}

func TestBuildAnnualPartialYear(t *testing.T) {
	rep := buildAnnual(t, 2025, "nb", "")
	if !rep.Partial || rep.DataThrough != register.MonthOf(2025, time.March) {
		t.Fatalf("partial %v through %s, want partial through 2025-03", rep.Partial, rep.DataThrough)
	}
	for _, w := range []string{"hittil i år", "mars 2025"} {
		if !strings.Contains(rep.Header, w) || !strings.Contains(rep.PartialText, "mars 2025") {
			t.Errorf("header %q / warning %q should say %q", rep.Header, rep.PartialText, w)
		}
	}
	i1 := annualIndicatorOf(t, rep, "I1")
	if got := numText(i1.Result.Value); got != "50" || i1.Result.Status != register.NoAmbition {
		t.Errorf("I1 2025 to date = %s (%s), want 50 (no ambition)", got, i1.Result.Status)
	}
	if !strings.Contains(i1.SuggestedText, "foreløpig") {
		t.Errorf("I1 suggestion %q should be marked preliminary", i1.SuggestedText)
	}
	// I2: 300 kr in January–March against 1 200 kr for the year: judged
	// against the pro-rated 300 kr (rule 5), green and on track, but the
	// year's ambition is not said to be met (ambition_met null); no suggestion.
	i2 := annualIndicatorOf(t, rep, "I2")
	r := i2.Result
	if got := numText(r.Value); got != "300" || r.Status != register.Green || r.AmbitionMet != nil || boolText(r.OnTrack) != "true" {
		t.Errorf("I2 = %s %s met %s on track %s, want 300 green, met null, on track", got, r.Status, boolText(r.AmbitionMet), boolText(r.OnTrack))
	}
	for _, tt := range []struct{ what, got, want string }{
		{"status line", i2.StatusLine, "Året er ikke avsluttet (data til og med mars 2025): på sporet mot årlig ambisjon (300\u00a0kr hittil i år av 1\u00a0200\u00a0kr)."},
		{"summary verdict", rep.Summary[1].MetText, "Ja · Grønn"},
		{"summary column", rep.MetColumn, "På sporet? · status"},
		{"key figure", i2.Figures[1].Note, "hittil i år: 300\u00a0kr · på sporet"},
	} {
		if !strings.Contains(tt.got, tt.want) {
			t.Errorf("I2 %s %q lacks %q", tt.what, tt.got, tt.want)
		}
	}
	if strings.Contains(i2.StatusLine, "er nådd") || !strings.Contains(rep.MetText, "på sporet") {
		t.Errorf("a part year says the ambition is met: %q / %q", i2.StatusLine, rep.MetText)
	}
	for _, res := range rep.Results {
		if res.AmbitionMet != nil {
			t.Errorf("%s: ambition_met %v in a year not yet complete, want null", res.IndicatorID, *res.AmbitionMet)
		}
	}
	if r.Thresholds == nil || r.Thresholds.Ambition != 300 || r.Thresholds.RedLimit != 150 {
		t.Errorf("I2 thresholds %+v, want ambition 300 and red 150 (pro-rated 3/12)", r.Thresholds)
	}
	if r.SuggestedAmbition != nil || r.FinalReached != nil {
		t.Errorf("I2 suggested %s, final reached %s; want both null for a part-year total", numText(r.SuggestedAmbition), boolText(r.FinalReached))
	}
	if i2.FinalState != "Ikke avgjort ennå" || rep.Summary[1].Ambition != "300\u00a0kr hittil i år" {
		t.Errorf("I2 final state %q, summary ambition %q", i2.FinalState, rep.Summary[1].Ambition)
	}
	if got := i2.Chart.Years[len(i2.Chart.Years)-1]; got.Label != "2025 (jan.–mar.)" || got.Ambition == nil || *got.Ambition != 300 {
		t.Errorf("I2 last bar %+v, want label 2025 (jan.–mar.) and the pro-rated ambition", got)
	}
}

func TestBuildAnnualCoverageNote(t *testing.T) {
	rep := buildAnnual(t, 2024, "nb", "")
	var found bool
	for _, n := range rep.Notes {
		if n.Note.IndicatorID == "I1" && n.Note.Code == register.NoteMissingPeriods {
			found = true
			if want := "Årstallet for 2024 bygger på 2 av 12 måneder."; !strings.Contains(n.Text, want) {
				t.Errorf("note %q lacks %q", n.Text, want)
			}
		}
	}
	if !found {
		t.Error("no coverage note for I1, which has data for 2 of 12 months")
	}
	if c := annualIndicatorOf(t, rep, "I2").Coverage; c != "Årstallet bygger på 12 av 12 måneder med data" {
		t.Errorf("I2 coverage %q", c)
	}
}

func TestBuildAnnualChart(t *testing.T) {
	rep := buildAnnual(t, 2024, "nb", "")
	ch := annualIndicatorOf(t, rep, "I5").Chart
	// I5 has data in June 2023 only: the 2023 bar is labelled with its one month, 2024 has none.
	if len(ch.Years) != 2 || ch.Years[0].Label != "2023 (jun.–jun.)" || ch.Years[1].Value != nil || ch.Years[1].ValueText != Missing {
		t.Errorf("I5 bars %+v", ch.Years)
	}
	i2 := annualIndicatorOf(t, rep, "I2").Chart
	if len(i2.Years) != 1 || i2.Years[0].Status != register.Yellow || *i2.Years[0].Ambition != 900 {
		t.Errorf("I2 bars %+v", i2.Years)
	}
}

// TestAnnualWordingComplete builds the report in every language, the partial
// year too, and looks for catalogue keys that are missing.
func TestAnnualWordingComplete(t *testing.T) {
	x, err := register.NewIndex(demo.Generate(demo.Small))
	if err != nil {
		t.Fatal(err)
	}
	cats := loadCatalogs(t)
	for _, lang := range Languages {
		for _, year := range []int{2024, 2025} {
			rep, err := BuildAnnual(x, year, cats, lang, "", annualOptions(t))
			if err != nil {
				t.Fatalf("%s %d: %v", lang, year, err)
			}
			if text := fmt.Sprintf("%+v", rep); strings.Contains(text, "[annual.") || strings.Contains(text, "[note.") {
				i := strings.Index(text, "[")
				t.Errorf("%s %d: a catalogue key is missing near %q", lang, year, text[i:min(len(text), i+60)])
			}
		}
	}
	// The composition in internal/pdf words its labels from the catalogue too.
	src, err := os.ReadFile("../pdf/annual.go")
	if err != nil {
		t.Fatalf("read the annual composition: %v", err)
	}
	keys := keyPattern.FindAllStringSubmatch(string(src), -1)
	if len(keys) < 20 {
		t.Fatalf("found only %d keys in ../pdf/annual.go; the scan is broken", len(keys))
	}
	for _, lang := range Languages {
		c := cats.For(lang)
		for _, k := range keys {
			if !c.Has(k[1]) {
				t.Errorf("%s: key %q used by pdf/annual.go is missing", lang, k[1])
			}
		}
		for _, f := range []register.Frequency{register.Monthly, register.Quarterly, register.Yearly} {
			if k := annualPeriodsKey(register.Indicator{Frequency: f}); !c.Has(k) {
				t.Errorf("%s: key %q is missing", lang, k)
			}
		}
	}
}

func TestBuildAnnualDemo(t *testing.T) {
	x, err := register.NewIndex(demo.Generate(demo.Small))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := BuildAnnual(x, 2024, loadCatalogs(t), "nb", "", annualOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, b := range x.Register().Benefits {
		if b.Phase != register.PhaseClosed {
			open++
		}
	}
	if len(rep.Benefits) != open || rep.Partial {
		t.Errorf("%d benefits (partial %v), want all %d open ones of a complete year", len(rep.Benefits), rep.Partial, open)
	}
	var eval []string
	for _, e := range rep.Evaluation {
		eval = append(eval, e.BenefitID)
	}
	// G-011 (laboratory results) reached its final ambition and is in the evaluation phase.
	if !slices.Equal(eval, []string{"G-011"}) {
		t.Errorf("evaluation list %v, want [G-011]", eval)
	}
	for _, r := range rep.Results {
		if r.Year != 2024 || r.Value == nil {
			t.Errorf("%s: year %d, value %v; every demo indicator has 2024 data", r.IndicatorID, r.Year, r.Value)
		}
	}
}

// Actions are judged as they stood at the end of the report's year, not on
// the day the report is printed.
func TestAnnualActionsAsOfTheYearEnd(t *testing.T) {
	x := testIndex(t)
	opt := testOptions(t)
	opt.Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	rep, err := BuildAnnual(x, 2024, loadCatalogs(t), "nb", "", opt)
	if err != nil {
		t.Fatal(err)
	}
	var b1 *AnnualBenefit
	for i := range rep.Benefits {
		if rep.Benefits[i].Benefit.ID == "B1" {
			b1 = &rep.Benefits[i]
		}
	}
	if b1 == nil {
		t.Fatal("no B1 section")
	}
	open := map[string]bool{}
	for _, a := range b1.Open {
		open[a.Action.ID] = true
		if a.Overdue {
			t.Errorf("%s (due %s) is marked overdue at the end of 2024", a.Action.ID, a.Due)
		}
	}
	// A1 in progress, A3/A4 planned, and A2 implemented only in May 2025: all
	// open at the end of 2024; A5 cancelled.
	for _, id := range []string{"A1", "A2", "A3", "A4"} {
		if !open[id] {
			t.Errorf("%s is not listed open at the end of 2024 (open: %v)", id, open)
		}
	}
	if open["A5"] || len(b1.Completed) != 0 || b1.Overdue != 0 {
		t.Errorf("cancelled listed open %v, completed %d, overdue %d; want false, 0, 0", open["A5"], len(b1.Completed), b1.Overdue)
	}
}
