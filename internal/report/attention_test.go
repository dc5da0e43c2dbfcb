package report

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// attentionRegister has one benefit per attention rule, each with one
// indicator measured monthly in 2025 up to September unless said otherwise:
//
//	RED    5 % all year against 20 % (red below 15): red, forecast 5 % misses.
//	FINAL  83 % against a yearly 80 % (green, forecast reaches it) but a final
//	       90 % due 31.12.2025 that the forecast misses.
//	YEARF  a yearly indicator whose 2025 figure 86,7 % is measured: green
//	       against 85 %, below the final 95 % due 31.12.2025.
//	PAST   40 % (green against 35 %) toward a final 50 % due 31.12.2024,
//	       three quarters of the way from the baseline 10 %.
//	FALL   4,5 → 3,0 points from April, green against 3,0 today but forecast
//	       2,1 by December: yearly ambition missed, worsening.
//	DRIFT  4,8 → 4,0 points, green against 3,0 and forecast 3,7: worsening
//	       alone, not listed.
//	YELLOW 17,5 → 15 % against 20 % (red below 10): yellow and worsening,
//	       forecast below 20 %.
//	BAD    red limit 80 above green limit 75 for an up indicator: invalid.
//	GONE   data only to May: no data for September, stale.
//	LATE   data only to August: no data for September, not yet stale.
//	HIDE   below min_denominator: suppressed, never listed.
//	Actions: OVER overdue with a responsible, NOONE overdue without one,
//	LATER due in October, DONE implemented late.
func attentionRegister() *register.Register {
	f := register.F
	ind := func(id, unit string, dir register.Direction, agg register.Aggregation, base, target float64, due time.Time) register.Indicator {
		return register.Indicator{ID: id, BenefitID: "B-" + id, Name: "Indikator " + id, Unit: unit, Direction: dir,
			Aggregation: agg, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(base), TargetValue: f(target), TargetDate: due}
	}
	y2026 := day(2026, 12, 31)
	inds := []register.Indicator{
		ind("RED", "%", register.Up, register.Ratio, 0, 40, y2026),
		ind("FINAL", "%", register.Up, register.Ratio, 60, 90, day(2025, 12, 31)),
		ind("YEARF", "%", register.Up, register.Ratio, 55, 95, day(2025, 12, 31)),
		ind("PAST", "%", register.Up, register.Ratio, 10, 50, day(2024, 12, 31)),
		ind("FALL", "poeng", register.Up, register.Mean, 2, 4.5, y2026),
		ind("DRIFT", "poeng", register.Up, register.Mean, 2, 4.5, y2026),
		ind("YELLOW", "%", register.Up, register.Ratio, 0, 40, y2026),
		ind("BAD", "%", register.Up, register.Ratio, 40, 85, y2026),
		ind("GONE", "%", register.Up, register.Ratio, 0, 40, y2026),
		ind("LATE", "%", register.Up, register.Ratio, 0, 40, y2026),
		ind("HIDE", "%", register.Up, register.Ratio, 0, 40, y2026),
	}
	inds[2].Frequency = register.Yearly
	inds[10].MinDenominator = f(1000)
	reg := &register.Register{
		Units:  []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People: []register.Person{{ID: "p", Name: "Eva Eier"}},
		Ambitions: []register.Ambition{
			{IndicatorID: "RED", Year: 2025, Target: 20, RedLimit: f(15)},
			{IndicatorID: "FINAL", Year: 2025, Target: 80},
			{IndicatorID: "YEARF", Year: 2025, Target: 85},
			{IndicatorID: "PAST", Year: 2025, Target: 35},
			{IndicatorID: "FALL", Year: 2025, Target: 3},
			{IndicatorID: "DRIFT", Year: 2025, Target: 3},
			{IndicatorID: "YELLOW", Year: 2025, Target: 20, RedLimit: f(10)},
			{IndicatorID: "BAD", Year: 2025, Target: 75, RedLimit: f(80), GreenLimit: f(75)},
			{IndicatorID: "GONE", Year: 2025, Target: 20},
			{IndicatorID: "LATE", Year: 2025, Target: 20},
			{IndicatorID: "HIDE", Year: 2025, Target: 20},
		},
		Actions: []register.ChangeAction{
			{ID: "OVER", BenefitID: "B-RED", Title: "Opplæring", Responsible: "Klinikksjef", DueDate: day(2025, 6, 30), Status: register.ActionInProgress},
			{ID: "NOONE", BenefitID: "B-FINAL", Title: "Ny rutine", DueDate: day(2025, 8, 31), Status: register.ActionPlanned},
			{ID: "LATER", BenefitID: "B-FINAL", Title: "Neste steg", DueDate: day(2025, 10, 31), Status: register.ActionPlanned},
			{ID: "DONE", BenefitID: "B-DRIFT", Title: "Ferdig sent", DueDate: day(2025, 1, 31), Status: register.ActionImplemented, CompletedOn: day(2025, 3, 1)},
		},
	}
	for _, i := range inds {
		reg.Indicators = append(reg.Indicators, i)
		reg.Benefits = append(reg.Benefits, register.Benefit{ID: i.BenefitID, Title: "Gevinst " + i.ID,
			Category: register.QualitySafety, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise})
	}
	ratio := func(id string, p register.Month, num, den float64) {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: id, OrgUnitID: "hf", Period: p, Numerator: f(num), Denominator: f(den)})
	}
	value := func(id string, p register.Month, v float64) {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: id, OrgUnitID: "hf", Period: p, Value: f(v)})
	}
	for m := time.January; m <= time.September; m++ {
		p := register.MonthOf(2025, m)
		k := float64(m)
		ratio("RED", p, 5, 100)
		ratio("FINAL", p, 83, 100)
		ratio("PAST", p, 40, 100)
		ratio("BAD", p, 77, 100)
		ratio("HIDE", p, 5, 10)
		value("DRIFT", p, 4.8-0.1*(k-1))
		value("FALL", p, min(4.5, 4.5-0.3*(k-4)))
		ratio("YELLOW", p, 17.5-0.5*max(0, k-4), 100)
		if m <= time.May {
			ratio("GONE", p, 30, 100)
		}
		if m <= time.August {
			ratio("LATE", p, 30, 100)
		}
	}
	for y := 2023; y <= 2025; y++ {
		ratio("YEARF", register.MonthOf(y, time.January), []float64{700, 800, 867}[y-2023], 1000)
	}
	return reg
}

// TestAttentionReasons pins each attention rule with its own indicator.
func TestAttentionReasons(t *testing.T) {
	rep := buildSteeringFor(t, attentionRegister(), sep2025, "nb")
	got := map[string]AttentionItem{}
	var order []string
	for _, it := range rep.Attention {
		id := it.IndicatorID + it.ActionID
		got[id] = it
		order = append(order, id)
	}
	tests := []struct {
		id      string
		reasons []AttentionReason // nil: not listed
		texts   []string          // in the reason column, then the detail
	}{
		{"RED", []AttentionReason{ReasonRed, ReasonYearlyAmbitionMissed}, []string{"Rød", "Årsambisjonen nås ikke", "Verdi 5,0\u00a0%", "Prognosen for 2025 er 5,0\u00a0% mot årsambisjonen 20,0\u00a0%."}},
		{"FINAL", []AttentionReason{ReasonFinalAmbitionMissed}, []string{"Endelig ambisjon nås ikke", "Endelig ambisjon 90,0\u00a0% innen 31. desember 2025; prognosen for utgangen av 2025 er 83,0\u00a0%."}},
		{"YEARF", []AttentionReason{ReasonFinalAmbitionMissed}, []string{"Verdi 86,7\u00a0% (2025).", "Endelig ambisjon 95,0\u00a0% innen 31. desember 2025 er ikke nådd."}},
		{"PAST", []AttentionReason{ReasonFinalAmbitionMissed}, []string{"fristen er passert med 75\u00a0% av veien gått."}},
		{"FALL", []AttentionReason{ReasonYearlyAmbitionMissed, ReasonWorsening}, []string{"Forverring", "Prognosen for 2025 er 2,1\u00a0poeng mot årsambisjonen 3,0\u00a0poeng.", "Trend: Forverring"}},
		{"DRIFT", nil, nil},
		{"YELLOW", []AttentionReason{ReasonYearlyAmbitionMissed, ReasonWorsening}, []string{"Trend: Forverring"}},
		{"BAD", []AttentionReason{ReasonInvalidThresholds}, []string{"Ugyldige terskler", "Tersklene for 2025 motsier retningen (rød grense 80,0\u00a0%, grønn grense 75,0\u00a0%)"}},
		{"GONE", []AttentionReason{ReasonMissingData, ReasonStaleData}, []string{"Mangler data", "Gamle data", "Ingen data for september 2025; siste data er fra mai 2025."}},
		{"LATE", []AttentionReason{ReasonMissingData}, []string{"Ingen data for september 2025; siste data er fra august 2025."}},
		{"HIDE", nil, nil},
		{"OVER", []AttentionReason{ReasonOverdueAction}, []string{"Forfalt tiltak", "Ansvarlig: Klinikksjef."}},
		{"NOONE", []AttentionReason{ReasonOverdueAction, ReasonNoResponsible}, []string{"Ingen ansvarlig", "Ansvarlig: –."}},
		{"LATER", nil, nil},
		{"DONE", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			it, listed := got[tt.id]
			if tt.reasons == nil {
				if listed {
					t.Fatalf("listed with %v, want not listed", it.Reasons)
				}
				return
			}
			if !listed {
				t.Fatalf("not listed, want %v", tt.reasons)
			}
			if !slices.Equal(it.Reasons, tt.reasons) {
				t.Errorf("reasons %v, want %v", it.Reasons, tt.reasons)
			}
			text := strings.Join(it.ReasonTexts, " | ") + " | " + it.Detail
			for _, w := range tt.texts {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
		})
	}
	// Most severe reason first; benefit order (by id) within a severity.
	want := []string{"RED", "FINAL", "PAST", "YEARF", "FALL", "YELLOW", "BAD", "GONE", "LATE", "NOONE", "OVER"}
	if !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

// TestAttentionManifestCodesAreDocumented keeps the README's list of
// reason codes and the code's in step.
func TestAttentionManifestCodesAreDocumented(t *testing.T) {
	readme := readREADME(t)
	for _, r := range attentionReasons {
		if !strings.Contains(readme, fmt.Sprintf("`%s`", r)) {
			t.Errorf("README does not document attention reason %q", r)
		}
	}
}

func readREADME(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
