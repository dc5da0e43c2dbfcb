package report

import (
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// TestPartialYearChangeFromBaseline pins the change from the baseline in a
// year not yet complete: a sum's baseline is a whole year's total, so the
// year-to-date total is measured from its pro-rated part, and not at all
// while months up to the data's end are missing; a level (mean, ratio) is
// measured from the baseline as it stands.
func TestPartialYearChangeFromBaseline(t *testing.T) {
	f := register.F
	m := func(mo time.Month) register.Month { return register.MonthOf(2025, mo) }
	reg := &register.Register{
		Units:    []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People:   []register.Person{{ID: "p1", Name: "Kari Nordmann"}},
		Benefits: []register.Benefit{{ID: "B1", Title: "Færre liggedøgn", Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "p1", Phase: register.PhaseRealise}},
		Indicators: []register.Indicator{
			{ID: "S1", BenefitID: "B1", Name: "Liggedøgn", Unit: "dager", Direction: register.Down, Aggregation: register.Sum,
				Frequency: register.Monthly, BaselineValue: f(1200), TargetValue: f(800), TargetDate: day(2027, 12, 31)},
			{ID: "S2", BenefitID: "B1", Name: "Liggedøgn med hull", Unit: "dager", Direction: register.Down, Aggregation: register.Sum,
				Frequency: register.Monthly, BaselineValue: f(1200), TargetValue: f(800), TargetDate: day(2027, 12, 31)},
			{ID: "M1", BenefitID: "B1", Name: "Ventetid", Unit: "dager", Direction: register.Down, Aggregation: register.Mean,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: f(40), TargetValue: f(20), TargetDate: day(2027, 12, 31)},
		},
		Ambitions: []register.Ambition{{IndicatorID: "S1", Year: 2025, Target: 1000}, {IndicatorID: "S2", Year: 2025, Target: 1000}},
	}
	for mo := time.January; mo <= time.March; mo++ {
		reg.Measurements = append(reg.Measurements,
			register.Measurement{IndicatorID: "S1", OrgUnitID: "hf", Period: m(mo), Value: f(90)},
			register.Measurement{IndicatorID: "M1", OrgUnitID: "hf", Period: m(mo), Value: f(30)})
		if mo != time.February {
			reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "S2", OrgUnitID: "hf", Period: m(mo), Value: f(90)})
		}
	}
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	rep, err := BuildAnnual(x, 2025, loadCatalogs(t), "nb", "", annualOptions(t))
	if err != nil {
		t.Fatalf("BuildAnnual: %v", err)
	}
	if !rep.Partial {
		t.Fatal("2025 with data to March should be partial")
	}
	tests := []struct {
		id                 string
		change, changeFrom string // numText of the result's fields
		value, note        string // the key figure "Endring fra nullpunkt"
	}{
		// 270 days in January–March against 3/12 of 1 200 = 300, not 1 200.
		{"S1", "-30", "300", "−30\u00a0dager", "nullpunkt hittil i år: 300\u00a0dager (hele året 1\u00a0200\u00a0dager) · −10\u00a0%"},
		// February is missing: 180 days undercount the quarter.
		{"S2", "null", "300", Missing, "kan ikke sammenlignes før alle perioder hittil i år har data (nullpunkt 1\u00a0200\u00a0dager for hele året)"},
		{"M1", "-10", "40", "−10,0\u00a0dager", "nullpunkt 40,0\u00a0dager · −25\u00a0%"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			ai := annualIndicatorOf(t, rep, tt.id)
			if got := numText(ai.Result.Change); got != tt.change {
				t.Errorf("change = %s, want %s", got, tt.change)
			}
			if got := numText(ai.Result.ChangeFrom); got != tt.changeFrom {
				t.Errorf("change from = %s, want %s", got, tt.changeFrom)
			}
			fig := ai.Figures[2]
			if fig.Value != tt.value || fig.Note != tt.note {
				t.Errorf("key figure %q / %q, want %q / %q", fig.Value, fig.Note, tt.value, tt.note)
			}
			if strings.Contains(ai.Change, "1\u00a0200") {
				t.Errorf("change %q is measured from the whole year's baseline", ai.Change)
			}
		})
	}
}
