package report

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// annualPlanRegister is a portfolio for the 2024 annual report:
//
//	S1 savings, K1: 50 000 kr a month in 2023 (600 000), 100 000 in 2024
//	   (1 200 000) against 1 000 000; 1 500 000 registered for 2025; final
//	   3 000 000 by 2026, so 2025 is suggested at 2 100 000, a step of
//	   900 000 where the best step so far was 600 000.
//	S2 savings counted in S1, K2: 20 000 kr a month (240 000): left out.
//	S3 savings, K3: 10 000 kr a month (120 000) against 100 000.
//	Q1 quality, R1: 40 % in 2022, 2023 and 2024; final 60 % by 2026, so
//	   2025 is suggested at 50 %, a step the figure never took. (2021 has
//	   30 % for July–December only: a part year, no step to compare.)
//	Actions of S1: A1 due 31.03.2024 and implemented 02.05.2024 (late), A2
//	due 01.03.2024 and implemented 01.02.2024.
func annualPlanRegister() *register.Register {
	f := register.F
	kr := func(id, benefit string) register.Indicator {
		return register.Indicator{ID: id, BenefitID: benefit, Name: "Spart " + id, Unit: "kr", Direction: register.Up,
			Aggregation: register.Sum, Frequency: register.Monthly, BaselineValue: f(0)}
	}
	k1 := kr("K1", "S1")
	k1.TargetValue, k1.TargetDate = f(3000000), day(2026, 12, 31)
	reg := &register.Register{
		Units:  []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People: []register.Person{{ID: "p", Name: "Eva Eier"}},
		Benefits: []register.Benefit{
			{ID: "S1", Title: "Spart lønn", Category: register.Savings, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise},
			{ID: "S2", Title: "Spart overtid", Category: register.Savings, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise, CountedInBenefitID: "S1"},
			{ID: "S3", Title: "Spart porto", Category: register.Savings, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise},
			{ID: "Q1", Title: "Bedre kvalitet", Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise},
		},
		Indicators: []register.Indicator{k1, kr("K2", "S2"), kr("K3", "S3"),
			{ID: "R1", BenefitID: "Q1", Name: "Andel", Unit: "%", Direction: register.Up, Aggregation: register.Ratio,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: f(40), TargetValue: f(60), TargetDate: day(2026, 12, 31)}},
		Ambitions: []register.Ambition{
			{IndicatorID: "K1", Year: 2024, Target: 1000000}, {IndicatorID: "K1", Year: 2025, Target: 1500000},
			{IndicatorID: "K2", Year: 2024, Target: 200000}, {IndicatorID: "K3", Year: 2024, Target: 100000},
			{IndicatorID: "R1", Year: 2024, Target: 45},
		},
		Actions: []register.ChangeAction{
			{ID: "A1", BenefitID: "S1", Title: "Sent ferdig", DueDate: day(2024, 3, 31), Status: register.ActionImplemented, CompletedOn: day(2024, 5, 2)},
			{ID: "A2", BenefitID: "S1", Title: "I tide", DueDate: day(2024, 3, 1), Status: register.ActionImplemented, CompletedOn: day(2024, 2, 1)},
		},
	}
	add := func(id string, p register.Month, v float64) {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: id, OrgUnitID: "hf", Period: p, Value: f(v)})
	}
	for m := time.July; m <= time.December; m++ {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "R1", OrgUnitID: "hf", Period: register.MonthOf(2021, m), Numerator: f(30), Denominator: f(100)})
	}
	for y := 2022; y <= 2024; y++ {
		for m := time.January; m <= time.December; m++ {
			p := register.MonthOf(y, m)
			reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "R1", OrgUnitID: "hf", Period: p, Numerator: f(40), Denominator: f(100)})
			switch y {
			case 2023:
				add("K1", p, 50000)
			case 2024:
				add("K1", p, 100000)
				add("K2", p, 20000)
				add("K3", p, 10000)
			}
		}
	}
	return reg
}

func buildAnnualPlan(t *testing.T, lang string) AnnualReport {
	t.Helper()
	x, err := register.NewIndex(annualPlanRegister())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := BuildAnnual(x, 2024, loadCatalogs(t), lang, "", annualOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestAnnualNextAmbitionAndWarning pins the registered next-year ambition
// beside the suggested one, and the warning on a suggestion that asks for
// a step the years before never showed.
func TestAnnualNextAmbitionAndWarning(t *testing.T) {
	rep := buildAnnualPlan(t, "nb")
	k1, r1, k3 := annualIndicatorOf(t, rep, "K1"), annualIndicatorOf(t, rep, "R1"), annualIndicatorOf(t, rep, "K3")
	tests := []struct{ what, got, want string }{
		{"K1 suggestion", k1.Suggested, "2\u00a0100\u00a0000\u00a0kr"},
		{"K1 registered", k1.NextAmbition, "1\u00a0500\u00a0000\u00a0kr"},
		{"K1 sentence", k1.SuggestedText, "Registrert ambisjon for 2025: 1\u00a0500\u00a0000\u00a0kr."},
		{"K1 key figure", k1.Figures[4].Note, "registrert: 1\u00a0500\u00a0000\u00a0kr"},
		{"K1 warning", k1.Warning, "Merk: forslaget for 2025 krever en bedring på 900\u00a0000\u00a0kr på ett år; den største bedringen fra ett år til det neste siden 2023 var 600\u00a0000\u00a0kr."},
		{"R1 registered", r1.NextAmbition, Missing},
		{"R1 warning", r1.Warning, "Merk: forslaget for 2025 krever en bedring på 10,0\u00a0prosentpoeng på ett år, men tallet har ikke blitt bedre fra ett år til det neste siden 2022."},
		{"K3 (no final ambition) warning", k3.Warning, ""},
	}
	for _, tt := range tests {
		if tt.want == "" && tt.got != "" || tt.want != "" && !strings.Contains(tt.got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.what, tt.got, tt.want)
		}
	}
	if strings.Contains(r1.SuggestedText, "Registrert") {
		t.Errorf("R1 has no registered 2025 ambition but says %q", r1.SuggestedText)
	}
	var row AnnualRow
	for _, s := range rep.Summary {
		if s.IndicatorID == "K1" {
			row = s
		}
	}
	if row.NextAmbition != k1.NextAmbition {
		t.Errorf("summary row next ambition %q, want %q", row.NextAmbition, k1.NextAmbition)
	}
	if p := *k1.Result.NextAmbition; p != 1500000 {
		t.Errorf("result next ambition %v, want 1 500 000", p)
	}
}

// TestAnnualSavingsCountsEachOnce pins the yearly savings summary: S2's
// savings are already counted in S1's and are left out of the total.
func TestAnnualSavingsCountsEachOnce(t *testing.T) {
	for _, lang := range []string{"nb", "en"} {
		t.Run(lang, func(t *testing.T) {
			sv := buildAnnualPlan(t, lang).Savings
			if sv.Realised != 1320000 || sv.Ambition != 1100000 {
				t.Errorf("realised %v ambition %v, want 1 320 000 (K1 + K3, not K2) and 1 100 000", sv.Realised, sv.Ambition)
			}
			if !slices.Equal(sv.ExcludedBenefitIDs, []string{"S2"}) || len(sv.Items) != 2 {
				t.Errorf("excluded %v, %d items; want [S2] and 2 items", sv.ExcludedBenefitIDs, len(sv.Items))
			}
			want := map[string]string{
				"nb": "Realiserte besparelser i 2024: 1\u00a0320\u00a0000\u00a0kr, 120\u00a0% av samlet årlig ambisjon på 1\u00a0100\u00a0000\u00a0kr. Hver besparelse er telt én gang.",
				"en": "Realised savings in 2024: 1,320,000\u00a0kr, 120\u00a0% of the combined yearly ambition of 1,100,000\u00a0kr. Each saving is counted once.",
			}[lang]
			if sv.Text != want {
				t.Errorf("text %q, want %q", sv.Text, want)
			}
			if len(sv.Excluded) != 1 || !strings.Contains(sv.Excluded[0].Reason, "S1 Spart lønn") || !strings.Contains(sv.Excluded[0].Reason, "240") {
				t.Errorf("exclusion %+v, want S2 counted in S1 with its 240 000", sv.Excluded)
			}
		})
	}
}

// TestAnnualActionsCompletedLate pins the note on change actions completed
// after their deadline.
func TestAnnualActionsCompletedLate(t *testing.T) {
	rep := buildAnnualPlan(t, "nb")
	if rep.Completed != 2 || rep.CompletedLate != 1 {
		t.Fatalf("completed %d, late %d; want 2 and 1", rep.Completed, rep.CompletedLate)
	}
	if !strings.Contains(rep.ActionsText, "1 av de fullførte kom etter fristen.") {
		t.Errorf("actions text %q lacks the late count", rep.ActionsText)
	}
	c := loadCatalogs(t).For("nb")
	for _, tt := range []struct {
		late, completed int
		want            string
	}{
		{1, 1, "Det fullførte tiltaket kom etter fristen."},
		{3, 3, "Alle 3 fullførte tiltak kom etter fristen."},
		{1, 3, "1 av de fullførte kom etter fristen."},
		{2, 3, "2 av de fullførte kom etter fristen."},
	} {
		if got := completedLateText(c, tt.late, tt.completed); got != tt.want {
			t.Errorf("%d of %d late: %q, want %q", tt.late, tt.completed, got, tt.want)
		}
	}
	for _, sec := range rep.Benefits {
		for _, a := range sec.Completed {
			want := a.Action.ID == "A1"
			if a.Late != want {
				t.Errorf("%s late = %v, want %v", a.Action.ID, a.Late, want)
			}
			if want && a.StatusText != "iverksatt 2. mai 2024, etter fristen 31. mars 2024" {
				t.Errorf("%s status %q", a.Action.ID, a.StatusText)
			}
		}
	}
}

// TestSuggestionWarningMargin pins the margin of the warning on a
// suggestion's step: only a step clearly beyond the best one before warns.
func TestSuggestionWarningMargin(t *testing.T) {
	tests := []struct {
		name       string
		need, best float64
		want       bool
	}{
		{"I-001: 8,7 against 7,9 prosentpoeng is within a fifth", 8.7, 7.9, false},
		{"just within the margin", 9.4, 7.9, false},
		{"beyond the margin", 9.6, 7.9, true},
		{"10,4 against 7,9", 10.4, 7.9, true},
		{"never improved", 0.5, 0, true},
		{"got worse every year", 1, -2, true},
	}
	for _, tt := range tests {
		if got := stepUnprecedented(tt.need, tt.best); got != tt.want {
			t.Errorf("%s: stepUnprecedented(%v, %v) = %v, want %v", tt.name, tt.need, tt.best, got, tt.want)
		}
	}
}

// TestRegisteredLineIsShort pins the summary's line on the registered
// next-year ambition: short under a suggestion that carries the unit.
func TestRegisteredLineIsShort(t *testing.T) {
	c := loadCatalogs(t).For("nb")
	ind := register.Indicator{Unit: "per 1000 innleggelser", Decimals: 2}
	f := register.F
	tests := []struct {
		name            string
		suggested, next *float64
		want            string
	}{
		{"none registered", f(2.5), nil, ""},
		{"same as suggested", f(2.5), f(2.5), "lik registrert"},
		{"differs: number alone", f(2.5), f(2.25), "registrert: 2,25"},
		{"no suggestion: with unit", nil, f(2.25), "registrert: 2,25\u00a0per 1000 innleggelser"},
	}
	for _, tt := range tests {
		res := register.AnnualResult{SuggestedAmbition: tt.suggested, NextAmbition: tt.next}
		if got := registeredLine(c, ind, res); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
