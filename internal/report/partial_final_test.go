package report

import (
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// TestPartialYearFinalReachedSaysSoFar pins the wording of a final ambition
// reached in a year not yet complete: reached so far, with the data's last
// month, never "nådde … i 2025" as if the year were over.
func TestPartialYearFinalReachedSaysSoFar(t *testing.T) {
	f := register.F
	reg := &register.Register{
		Units:    []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People:   []register.Person{{ID: "p1", Name: "Kari Nordmann"}},
		Benefits: []register.Benefit{{ID: "B1", Title: "Digitale svar", Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "p1", Phase: register.PhaseRealise}},
		Indicators: []register.Indicator{{ID: "R1", BenefitID: "B1", Name: "Andel digitale svar", Unit: "%", Direction: register.Up,
			Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(20), TargetValue: f(50), TargetDate: day(2026, 12, 31)}},
	}
	for mo := time.January; mo <= time.March; mo++ {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "R1", OrgUnitID: "hf",
			Period: register.MonthOf(2025, mo), Numerator: f(60), Denominator: f(100)})
	}
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	for lang, want := range map[string]string{
		"nb": "hittil i 2025 (data til og med mars 2025)",
		"nn": "hittil i 2025 (data til og med mars 2025)",
		"en": "so far in 2025 (data through March 2025)",
	} {
		rep, err := BuildAnnual(x, 2025, loadCatalogs(t), lang, "", annualOptions(t))
		if err != nil {
			t.Fatalf("BuildAnnual %s: %v", lang, err)
		}
		sec := rep.Benefits[0]
		if !sec.FinalReached || sec.Evaluation == nil {
			t.Fatalf("%s: final reached %v, evaluation %v; want both", lang, sec.FinalReached, sec.Evaluation)
		}
		for what, got := range map[string]string{"final text": sec.FinalText, "evaluation reason": sec.Evaluation.Reason} {
			if !strings.Contains(got, want) {
				t.Errorf("%s %s %q lacks %q", lang, what, got, want)
			}
		}
	}
}
