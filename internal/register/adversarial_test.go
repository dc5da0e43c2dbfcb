package register

import (
	"fmt"
	"testing"
	"time"
)

// The cases in this file probe the edges of SPEC §4. Each states the
// expected figure computed by hand from SPEC (and the decisions documented
// on Evaluate and Annual) in a comment.

func TestAdversarialRoundingTies(t *testing.T) {
	// Variables keep the arithmetic at run time, in float64, as in Evaluate
	// (constant expressions would be computed exactly by the compiler).
	n23, n41, d80, h, p05, p15, p35, p115 := 23.0, 41.0, 80.0, 100.0, 0.05, 0.15, 0.35, 1.15
	tests := []struct {
		name     string
		v        float64
		decimals int
		want     float64
	}{
		{"0 decimals tie", 0.5, 0, 1},
		{"0 decimals negative tie", -0.5, 0, -1},
		{"0 decimals tie 12.5", 12.5, 0, 13},
		{"1 decimal tie", 0.25, 1, 0.3},
		{"1 decimal negative tie", -0.25, 1, -0.3},
		{"1 decimal negative tie below one", -0.05, 1, -0.1},
		{"2 decimals tie", 2.675, 2, 2.68},
		{"2 decimals negative tie", -2.675, 2, -2.68},
		{"2 decimals negative 1.005", -1.005, 2, -1.01},
		// 23/80 = 28.75 % exactly; 23.0/80*100 is 28.749999999999996 in binary.
		{"ratio 23/80 computed as num/den×100 ties up", n23 / d80 * h, 1, 28.8},
		// 41/80 = 51.25 % exactly; in binary 51.24999999999999.
		{"ratio 41/80 computed as num/den×100 ties up", n41 / d80 * h, 1, 51.3},
		// 0.05 + 0.05 + 0.35 = 0.45 exactly; in binary 0.44999999999999996.
		{"sum 0.45 ties up", p05 + p05 + p35, 1, 0.5},
		// 0.05 + 0.15 + 1.15 = 1.35; in binary 1.3499999999999999.
		{"sum 1.35 ties up", p05 + p15 + p115, 1, 1.4},
		// −(0.05 + 0.05 + 0.35) = −0.45 → −0.5 half away from zero.
		{"negative sum ties away from zero", -(p05 + p05 + p35), 1, -0.5},
		{"not a tie just below stays down", 28.74, 1, 28.7},
		{"not a tie just above stays up", 28.76, 1, 28.8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Round(tc.v, tc.decimals); got != tc.want {
				t.Errorf("Round(%v, %d) = %v, want %v", tc.v, tc.decimals, got, tc.want)
			}
		})
	}
}

func TestAdversarialValueAndStatus(t *testing.T) {
	tests := []evalCase{
		{
			// 23/80 = 28.75 % → 28.8 shown (1 decimal, half away from zero);
			// green 28.8 → green. A value seen as "28,8 %" must not be yellow.
			name: "ratio exact tie is rounded up before judging",
			ind:  ratioInd(),
			ambs: []Ambition{ambLimits(2025, 28.8, 20, 28.8)},
			rows: []Measurement{rr("I1", "A", "2025-09", 23, 80)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 28.8)
				wantStatus(t, r, Green)
			},
		},
		{
			// 1/8 = 12.5 % with 0 decimals → 13; green 13 → green.
			name: "ratio tie with zero decimals",
			ind:  with(ratioInd(), func(i *Indicator) { i.Decimals = 0 }),
			ambs: []Ambition{ambLimits(2025, 13, 10, 13)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 8)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 13)
				wantStatus(t, r, Green)
			},
		},
		{
			// Mean of −1 and −2 = −1.5 → −2 (0 decimals, away from zero).
			// Down, green −2 → −2 ≤ −2 → green.
			name: "negative mean tie rounds away from zero and is judged rounded",
			ind:  with(meanInd(), func(i *Indicator) { i.Decimals = 0 }),
			ambs: []Ambition{ambLimits(2025, -2, 0, -2)},
			rows: []Measurement{vr("I1", "A", "2025-09", -1), vr("I1", "B", "2025-09", -2)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, -2)
				wantStatus(t, r, Green)
			},
		},
		{
			// Up, mean of −5 and −3 = −4; red −6, green −2 → −6 ≤ −4 < −2 → yellow.
			name: "negative values between negative limits are yellow",
			ind:  with(meanInd(), func(i *Indicator) { i.Direction = Up }),
			ambs: []Ambition{ambLimits(2025, -2, -6, -2)},
			rows: []Measurement{vr("I1", "A", "2025-09", -5), vr("I1", "B", "2025-09", -3)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, -4)
				wantStatus(t, r, Yellow)
			},
		},
		{
			// Baseline 0, ambition 10: green 10, red 0 + 0.5 × 10 = 5.
			// 5/100 = 5.0 % is exactly red → yellow (red only below).
			name: "zero baseline: value exactly at the default red limit is yellow",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(0) }),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 5, 100)},
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || r.Thresholds.RedLimit != 5 || r.Thresholds.GreenLimit != 10 {
					t.Fatalf("Thresholds = %+v, want red 5 green 10", r.Thresholds)
				}
				wantStatus(t, r, Yellow)
			},
		},
		{
			// Same, 49/1000 = 4.9 % < 5 → red.
			name: "zero baseline: just below the default red limit is red",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(0) }),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 49, 1000)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 4.9)
				wantStatus(t, r, Red)
			},
		},
		{
			// Up, baseline 50, yearly ambition 40 (a planned dip): green 40,
			// red default 50 + 0.5 × (40 − 50) = 45 > green → contradicts up →
			// invalid with a data-quality error (SPEC rule 4, literally).
			name: "up with yearly ambition below the baseline: defaulted red above green is invalid",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(50) }),
			ambs: []Ambition{amb(2025, 40)},
			rows: []Measurement{rr("I1", "A", "2025-09", 42, 100)},
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || r.Thresholds.RedLimit != 45 {
					t.Fatalf("Thresholds = %+v, want red 45", r.Thresholds)
				}
				wantStatus(t, r, Invalid)
				wantNote(t, r.Notes, NoteInvalidThresholds)
				wantPtr(t, "Value", r.Value, 42)
			},
		},
		{
			// Red == green == 10 (up): no yellow band. 10 → green, 9.9 → red.
			name: "red equal to green: at the limit is green",
			ind:  ratioInd(),
			ambs: []Ambition{ambLimits(2025, 10, 10, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 10, 100)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Green)
				wantNoNote(t, r.Notes, NoteInvalidThresholds)
			},
		},
		{
			name: "red equal to green: just below is red, never yellow",
			ind:  ratioInd(),
			ambs: []Ambition{ambLimits(2025, 10, 10, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 99, 1000)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Red)
			},
		},
		{
			// Down, red == green == 5: 5 → green, 5.1 → red.
			name: "down red equal to green: just above is red",
			ind:  meanInd(),
			ambs: []Ambition{ambLimits(2025, 5, 5, 5)},
			rows: []Measurement{vr("I1", "A", "2025-09", 5.1)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Red)
			},
		},
		{
			// Down, value exactly green after rounding: 5.04 → 5.0 ≤ 5 → green.
			name: "down exactly green after rounding is green",
			ind:  meanInd(),
			ambs: []Ambition{ambLimits(2025, 5, 8, 5)},
			rows: []Measurement{vr("I1", "A", "2025-09", 5.04)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 5)
				wantStatus(t, r, Green)
			},
		},
		{
			// Σnum 5 + (−5) = 0, Σden 10 + (−10) = 0 → no data (rule 1).
			name: "ratio whose denominators cancel to zero is no data",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 5, 10), rr("I1", "B", "2025-09", -5, -10)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
				wantNil(t, "Value", r.Value)
			},
		},
		{
			// A zero-denominator row next to a normal one: Σ = 5/10 → 50 %.
			name: "a zero-denominator row adds nothing to the ratio",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 5, 10), rr("I1", "B", "2025-09", 0, 0)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 50)
			},
		},
		{
			// min_denominator 0: Σden 0 is still no data (rule 1 before rule 2).
			name: "min_denominator zero with zero denominator is no data, not suppressed",
			ind:  with(ratioInd(), func(i *Indicator) { i.MinDenominator = F(0) }),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 0, 0)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
			},
		},
		{
			// min_denominator 0 with Σden 1: 1 ≥ 0 → shown, 100 %.
			name: "min_denominator zero never suppresses",
			ind:  with(ratioInd(), func(i *Indicator) { i.MinDenominator = F(0) }),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 1)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 100)
				wantStatus(t, r, Green)
			},
		},
		{
			// Sum, min_denominator 2 = number of rows (A and B) → shown (equal).
			name: "sum row count exactly at min_denominator is shown",
			ind:  with(sumInd(), func(i *Indicator) { i.MinDenominator = F(2) }),
			ambs: []Ambition{amb(2025, 12)},
			p:    "2025-01",
			rows: []Measurement{vr("I1", "A", "2025-01", 1), vr("I1", "B", "2025-01", 2)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 3)
			},
		},
		{
			// Ambition only for 2024 and 2026; P in 2025 → no ambition, value kept.
			name: "ambitions for other years do not apply",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2024, 10), amb(2026, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 50, 100)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoAmbition)
				if r.Thresholds != nil || r.YearTarget != nil {
					t.Errorf("Thresholds = %+v, YearTarget = %v, want none", r.Thresholds, r.YearTarget)
				}
				wantNote(t, r.Notes, NoteNoAmbition)
				wantPtr(t, "Value", r.Value, 50)
			},
		},
		{
			// Yearly indicator, P = 2025-01: value period is 2025 (the year
			// containing P), so the 2025 row counts and 2024 does not.
			name: "yearly indicator in January uses the year containing P",
			ind:  with(ratioInd(), func(i *Indicator) { i.Frequency = Yearly }),
			ambs: []Ambition{amb(2025, 30)},
			p:    "2025-01",
			rows: []Measurement{rr("I1", "A", "2024-01", 10, 100), rr("I1", "A", "2025-01", 40, 100)},
			check: func(t *testing.T, r Result) {
				if r.ValuePeriod != mo("2025-01") {
					t.Errorf("ValuePeriod = %v, want 2025-01", r.ValuePeriod)
				}
				wantPtr(t, "Value", r.Value, 40)
				wantStatus(t, r, Green)
			},
		},
		{
			// Yearly, latest 2022, P 2025-06: 3 years behind > 2 → stale.
			name: "yearly staleness counts years",
			ind:  with(ratioInd(), func(i *Indicator) { i.Frequency = Yearly }),
			ambs: []Ambition{amb(2025, 30)},
			p:    "2025-06",
			rows: []Measurement{rr("I1", "A", "2022-01", 10, 100)},
			check: func(t *testing.T, r Result) {
				if !r.Stale {
					t.Error("Stale = false, want true")
				}
				wantStatus(t, r, NoData)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestAdversarialSumProRating(t *testing.T) {
	base0 := with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0) })
	tests := []evalCase{
		{
			// January: 1/12 of 1200 = 100 green, red 0 + 0.5 × 1200 = 600 → 50.
			// YTD 100 → green.
			name: "january is judged on 1/12 of the year",
			ind:  base0,
			ambs: []Ambition{amb(2025, 1200)},
			p:    "2025-01",
			rows: append(monthly("I1", "A", "2024-12", 5000), monthly("I1", "A", "2025-01", 100)...),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 100)
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 100) || !near(r.Thresholds.RedLimit, 50) || !near(r.Thresholds.Ambition, 100) {
					t.Fatalf("Thresholds = %+v, want green 100 red 50 ambition 100", r.Thresholds)
				}
				wantStatus(t, r, Green)
			},
		},
		{
			// January 49 < 50 → red.
			name: "january just under the pro-rated red is red",
			ind:  base0,
			ambs: []Ambition{amb(2025, 1200)},
			p:    "2025-01",
			rows: monthly("I1", "A", "2025-01", 49),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Red)
			},
		},
		{
			// December: 12/12; eleven months of 100 and 99 = 1199 < 1200 → yellow.
			name: "december is judged on the full year",
			ind:  base0,
			ambs: []Ambition{amb(2025, 1200)},
			p:    "2025-12",
			rows: monthly("I1", "A", "2025-01", 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 99),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 1199)
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 1200) || !near(r.Thresholds.RedLimit, 600) {
					t.Fatalf("Thresholds = %+v, want green 1200 red 600", r.Thresholds)
				}
				wantStatus(t, r, Yellow)
			},
		},
		{
			// Quarterly sum, P = 2025-02 (in Q1): value period 2025-01, 1/4 of
			// 400 = 100 green; Q1 = 100 → green.
			name: "quarterly sum in Q1 is judged on a quarter of the year",
			ind:  with(base0, func(i *Indicator) { i.Frequency = Quarterly }),
			ambs: []Ambition{amb(2025, 400)},
			p:    "2025-02",
			rows: []Measurement{vr("I1", "A", "2024-10", 999), vr("I1", "A", "2025-01", 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 100)
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 100) {
					t.Fatalf("Thresholds = %+v, want green 100", r.Thresholds)
				}
				wantStatus(t, r, Green)
			},
		},
		{
			// Yearly sum in January: value period 2025 is the whole year; 1/1
			// of 500 = 500; value 500 → green.
			name: "yearly sum in January is judged on the whole year",
			ind:  with(base0, func(i *Indicator) { i.Frequency = Yearly }),
			ambs: []Ambition{amb(2025, 500)},
			p:    "2025-01",
			rows: []Measurement{vr("I1", "A", "2025-01", 500)},
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 500) {
					t.Fatalf("Thresholds = %+v, want green 500", r.Thresholds)
				}
				wantStatus(t, r, Green)
			},
		},
		{
			// Down sum (e.g. adverse events): yearly 120, baseline 240 → red
			// default 240 + 0.5 × (120 − 240) = 180; in March 3/12: green 30,
			// red 45. YTD 10+10+15 = 35 → 30 < 35 ≤ 45 → yellow.
			name: "down sum pro-rates both limits",
			ind:  with(sumInd(), func(i *Indicator) { i.Direction = Down; i.BaselineValue = F(240) }),
			ambs: []Ambition{amb(2025, 120)},
			p:    "2025-03",
			rows: monthly("I1", "A", "2025-01", 10, 10, 15),
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 30) || !near(r.Thresholds.RedLimit, 45) {
					t.Fatalf("Thresholds = %+v, want green 30 red 45", r.Thresholds)
				}
				wantPtr(t, "Value", r.Value, 35)
				wantStatus(t, r, Yellow)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestAdversarialFutureDataIgnored(t *testing.T) {
	// Report for 2025-06; data exist through 2025-12 and rise steeply after
	// June. Nothing after June may show: value, series, latest, trend,
	// forecast all from Jan–Jun only.
	jan := mo("2025-01")
	var rows []Measurement
	for i, v := range []float64{10, 10, 10, 10, 10, 10, 90, 90, 90, 90, 90, 90} {
		rows = append(rows, rr("I1", "A", jan.Add(i).String(), v, 100))
	}
	tests := []evalCase{
		{
			// June 10 %; flat Jan–Jun → slope 0, stable, forecast 10 %; green 30 → red
			// (red default without baseline = green → no yellow band).
			name: "ratio report for june sees nothing after june",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 30)},
			p:    "2025-06",
			rows: rows,
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 10)
				if len(r.Series) != 6 || r.Series[len(r.Series)-1].Period != mo("2025-06") {
					t.Errorf("Series has %d points ending %v, want 6 ending 2025-06", len(r.Series), r.Series[len(r.Series)-1].Period)
				}
				if r.Latest == nil || *r.Latest != mo("2025-06") {
					t.Errorf("Latest = %v, want 2025-06", r.Latest)
				}
				if !near(r.Slope, 0) || r.Trend != Stable {
					t.Errorf("Slope = %v Trend = %s, want 0 stable", r.Slope, r.Trend)
				}
				wantPtr(t, "Forecast", r.Forecast, 10)
				wantBool(t, "WillReach", r.WillReach, false)
				wantStatus(t, r, Red)
			},
		},
		{
			// Data in March and September only; P = 2025-06 → latest March,
			// 3 periods behind > 2 → stale; June itself no data.
			name: "staleness does not see later data",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 30)},
			p:    "2025-06",
			rows: []Measurement{rr("I1", "A", "2025-03", 1, 10), rr("I1", "A", "2025-09", 1, 10)},
			check: func(t *testing.T, r Result) {
				if r.Latest == nil || *r.Latest != mo("2025-03") {
					t.Errorf("Latest = %v, want 2025-03", r.Latest)
				}
				if !r.Stale {
					t.Error("Stale = false, want true")
				}
				wantStatus(t, r, NoData)
			},
		},
		{
			// Sum: YTD June = 6 × 1 = 6, July–Dec (100 each) ignored; the
			// rolling-12 progress = 6 (no earlier data), baseline 0, target 12 → 0.5.
			name: "sum year to date and progress stop at P",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(12) }),
			ambs: []Ambition{amb(2025, 12)},
			p:    "2025-06",
			rows: monthly("I1", "A", "2025-01", 1, 1, 1, 1, 1, 1, 100, 100, 100, 100, 100, 100),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 6)
				wantPtr(t, "Progress", r.Progress, 0.5)
				wantStatus(t, r, Green)
				// Forecast: YTD 6 + 6 fitted months of 1 = 12.
				wantPtr(t, "Forecast", r.Forecast, 12)
			},
		},
		{
			// All data after P: nothing at all is shown.
			name: "only later data is no data with an empty series",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 30)},
			p:    "2025-06",
			rows: []Measurement{rr("I1", "A", "2025-07", 1, 10), rr("I1", "A", "2025-08", 1, 10), rr("I1", "A", "2025-09", 1, 10)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
				if len(r.Series) != 0 || r.Latest != nil || r.Forecast != nil || r.Trend != TrendUnknown {
					t.Errorf("Series %d Latest %v Forecast %v Trend %s, want nothing", len(r.Series), r.Latest, r.Forecast, r.Trend)
				}
			},
		},
	}
	runEvalCases(t, tests)
}

func TestAdversarialProgressAndForecast(t *testing.T) {
	down := with(meanInd(), func(i *Indicator) { i.BaselineValue = F(20); i.TargetValue = F(10) })
	tests := []evalCase{
		{
			// Down, baseline 20, target 10, value 5: (5 − 20)/(10 − 20) = 1.5.
			name: "down progress beyond the target exceeds one",
			ind:  down,
			ambs: []Ambition{amb(2025, 15)},
			rows: []Measurement{vr("I1", "A", "2025-09", 5)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Progress", r.Progress, 1.5)
				wantStatus(t, r, Green)
			},
		},
		{
			// Down, value 25: (25 − 20)/(10 − 20) = −0.5.
			name: "down progress going the wrong way is negative",
			ind:  down,
			ambs: []Ambition{amb(2025, 15)},
			rows: []Measurement{vr("I1", "A", "2025-09", 25)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Progress", r.Progress, -0.5)
				// red default 20 + 0.5 × (15 − 20) = 17.5; 25 > 17.5 → red.
				wantStatus(t, r, Red)
			},
		},
		{
			// Progress uses the rounded value: 23/80 = 28.75 → 28.8;
			// baseline 0, target 57.6 → 0.5.
			name: "progress is computed on the shown value",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(57.6) }),
			ambs: []Ambition{amb(2025, 40)},
			rows: []Measurement{rr("I1", "A", "2025-09", 23, 80)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Progress", r.Progress, 0.5)
			},
		},
		{
			// Down falling 20,18,…,10 over Jan–Jun, P = June: slope −2, Dec
			// (6 periods on) 10 − 12 = −2 ≤ 0 → will reach; improving.
			name: "down forecast falling below an ambition of zero will reach",
			ind:  down,
			ambs: []Ambition{ambLimits(2025, 0, 15, 0)},
			p:    "2025-06",
			rows: monthly("I1", "A", "2025-01", 20, 18, 16, 14, 12, 10),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Forecast", r.Forecast, -2)
				wantBool(t, "WillReach", r.WillReach, true)
				if r.Trend != Improving {
					t.Errorf("Trend = %s, want improving", r.Trend)
				}
			},
		},
		{
			// Same series, yearly green −5: −2 > −5 → will not reach.
			name: "down forecast above a negative ambition will not reach",
			ind:  down,
			ambs: []Ambition{ambLimits(2025, -5, 15, -5)},
			p:    "2025-06",
			rows: monthly("I1", "A", "2025-01", 20, 18, 16, 14, 12, 10),
			check: func(t *testing.T, r Result) {
				wantBool(t, "WillReach", r.WillReach, false)
			},
		},
		{
			// Down rising 10→20: worsening, forecast 32 > green 15 → will not reach.
			name: "down rising forecast will not reach",
			ind:  down,
			ambs: []Ambition{amb(2025, 15)},
			p:    "2025-06",
			rows: monthly("I1", "A", "2025-01", 10, 12, 14, 16, 18, 20),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Forecast", r.Forecast, 32)
				wantBool(t, "WillReach", r.WillReach, false)
				if r.Trend != Worsening {
					t.Errorf("Trend = %s, want worsening", r.Trend)
				}
			},
		},
		{
			// Sum, baseline 0, final target 1200 a year, monthly savings rising
			// 50,60,…,100 (Apr–Sep): the run rate doubled, from 600 to 1200 a
			// year — the whole way to the target. Per period the fitted change
			// is 50 against a per-period gap of 1200/12 = 100 → improving.
			name: "sum trend is measured against the per-period gap, not the yearly one",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(1200) }),
			ambs: []Ambition{amb(2025, 1200)},
			rows: monthly("I1", "A", "2025-04", 50, 60, 70, 80, 90, 100),
			check: func(t *testing.T, r Result) {
				if r.Trend != Improving {
					t.Errorf("Trend = %s, want improving", r.Trend)
				}
			},
		},
		{
			// Same, falling 100→50: the run rate halved → worsening (and so on
			// the steering group's attention list).
			name: "sum falling by half the per-period gap is worsening",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(1200) }),
			ambs: []Ambition{amb(2025, 1200)},
			rows: monthly("I1", "A", "2025-04", 100, 90, 80, 70, 60, 50),
			check: func(t *testing.T, r Result) {
				if r.Trend != Worsening {
					t.Errorf("Trend = %s, want worsening", r.Trend)
				}
			},
		},
		{
			// Sum with a wobble of ±1 on 100 a month against a per-period gap
			// of 100: fitted change well below 5 → stable.
			name: "sum wobble is stable",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(1200) }),
			ambs: []Ambition{amb(2025, 1200)},
			rows: monthly("I1", "A", "2025-04", 100, 101, 99, 100, 101, 100),
			check: func(t *testing.T, r Result) {
				if r.Trend != Stable {
					t.Errorf("Trend = %s, want stable", r.Trend)
				}
			},
		},
	}
	runEvalCases(t, tests)
}

func TestAdversarialOrgTree(t *testing.T) {
	t.Run("dangling parent makes its own root outside every other scope", func(t *testing.T) {
		units := append(testUnits(), OrgUnit{ID: "Z", Name: "Zulu", Kind: KindUnit, ParentID: "NOPE"})
		ind := ratioInd()
		reg := &Register{Units: units, Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 10)},
			Measurements: []Measurement{rr("I1", "A", "2025-09", 1, 10), rr("I1", "Z", "2025-09", 9, 10)}}
		x := mustIndex(t, reg)
		// R sees only A: 1/10 = 10 %; Z alone: 90 %.
		wantPtr(t, "R value", x.Evaluate(ind, "R", mo("2025-09"), DefaultSettings()).Value, 10)
		wantPtr(t, "Z value", x.Evaluate(ind, "Z", mo("2025-09"), DefaultSettings()).Value, 90)
		found := false
		for _, n := range Check(x, mo("2025-09"), DefaultSettings()) {
			if n.Code == NoteDanglingReference && len(n.Args) == 3 && n.Args[1] == "parent_id" && n.Args[2] == "NOPE" {
				found = true
			}
		}
		if !found {
			t.Error("Check reports no dangling parent_id NOPE")
		}
	})
	t.Run("deep nesting rolls up to the top", func(t *testing.T) {
		// A chain T0 ← T1 ← … ← T199; a row at T199 (3/4) and one at T100
		// (1/4): T0 = 4/8 = 50 %, T150 = 75 %; T0's only child T1 holds all
		// the data so T0 has no breakdown.
		var units []OrgUnit
		for i := range 200 {
			u := OrgUnit{ID: fmt.Sprintf("T%d", i), Name: fmt.Sprintf("T%03d", i), Kind: KindUnit}
			if i > 0 {
				u.ParentID = fmt.Sprintf("T%d", i-1)
			}
			units = append(units, u)
		}
		ind := ratioInd()
		reg := &Register{Units: units, Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 10)},
			Measurements: []Measurement{rr("I1", "T199", "2025-09", 3, 4), rr("I1", "T100", "2025-09", 1, 4)}}
		x := mustIndex(t, reg)
		top := x.Evaluate(ind, "T0", mo("2025-09"), DefaultSettings())
		wantPtr(t, "T0 value", top.Value, 50)
		if top.Units != nil {
			t.Errorf("T0 Units = %+v, want none", top.Units)
		}
		wantPtr(t, "T150 value", x.Evaluate(ind, "T150", mo("2025-09"), DefaultSettings()).Value, 75)
		// T100 has its own row and a child with data: a breakdown of two.
		mid := x.Evaluate(ind, "T100", mo("2025-09"), DefaultSettings())
		if len(mid.Units) != 2 {
			t.Errorf("T100 Units = %+v, want T100 itself and T101", mid.Units)
		}
	})
}

func TestAdversarialUnitBreakdown(t *testing.T) {
	tests := []evalCase{
		{
			// Root R has its own rows (30/100) and child B (10/100): total
			// 40/200 = 20 %; units B 10 % and R 30 %, judged on green 20
			// (red = green without baseline): B red, R green.
			name: "scope root with its own rows is listed with its own part only",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{rr("I1", "R", "2025-09", 30, 100), rr("I1", "B", "2025-09", 10, 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 20)
				if len(r.Units) != 2 {
					t.Fatalf("Units = %+v, want 2", r.Units)
				}
				// Ordered by name: Beta, Region.
				if r.Units[0].UnitID != "B" || r.Units[1].UnitID != "R" {
					t.Fatalf("Units order = %s, %s, want B, R", r.Units[0].UnitID, r.Units[1].UnitID)
				}
				wantPtr(t, "B", r.Units[0].Value, 10)
				wantPtr(t, "R own", r.Units[1].Value, 30)
				if r.Units[0].Status != Red || r.Units[1].Status != Green {
					t.Errorf("unit statuses %s, %s, want red, green", r.Units[0].Status, r.Units[1].Status)
				}
			},
		},
		{
			// A suppressed (den 4 < 10), B (den 20) and C (den 30) shown, total
			// 54 ≥ 10 shown: exactly one suppressed → B (smaller den) hidden too.
			name: "one suppressed unit also hides the next smallest",
			ind:  with(ratioInd(), func(i *Indicator) { i.MinDenominator = F(10) }),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 4), rr("I1", "B", "2025-09", 5, 20), rr("I1", "C", "2025-09", 10, 30)},
			check: func(t *testing.T, r Result) {
				for _, u := range r.Units {
					hidden := u.UnitID == "A" || u.UnitID == "B"
					if hidden && (u.Status != Suppressed || u.Value != nil) {
						t.Errorf("unit %s = %v %s, want suppressed", u.UnitID, u.Value, u.Status)
					}
					if !hidden && u.Value == nil {
						t.Errorf("unit %s hidden, want shown", u.UnitID)
					}
				}
			},
		},
	}
	runEvalCases(t, tests)
}

func TestAdversarialSumBreakdownDoesNotRevealSuppressedCell(t *testing.T) {
	// Sum, min_denominator 2 (rows per cell). R has children A (A1, A2),
	// B (B1, B2) and D (D1, D2). D reports only in March, and only D1: D's
	// March cell has 1 row < 2 → suppressed. R's March cell has 5 rows and
	// is shown, so R's YTD in April is shown (60 + 60 + 7 = 127 … see below).
	// The April breakdown must not let a reader compute D's hidden March
	// figure as total − A − B: D must be listed (suppressed), and then one
	// more unit hidden, or the breakdown must not add up to a shown total.
	units := []OrgUnit{
		{ID: "R", Name: "Region", Kind: KindRHF},
		{ID: "A", Name: "Alfa", Kind: KindHF, ParentID: "R"},
		{ID: "B", Name: "Beta", Kind: KindHF, ParentID: "R"},
		{ID: "D", Name: "Delta", Kind: KindHF, ParentID: "R"},
		{ID: "A1", Name: "A1", Kind: KindUnit, ParentID: "A"},
		{ID: "A2", Name: "A2", Kind: KindUnit, ParentID: "A"},
		{ID: "B1", Name: "B1", Kind: KindUnit, ParentID: "B"},
		{ID: "B2", Name: "B2", Kind: KindUnit, ParentID: "B"},
		{ID: "D1", Name: "D1", Kind: KindUnit, ParentID: "D"},
		{ID: "D2", Name: "D2", Kind: KindUnit, ParentID: "D"},
	}
	ind := with(sumInd(), func(i *Indicator) { i.MinDenominator = F(2) })
	var rows []Measurement
	for _, u := range []string{"A1", "A2", "B1", "B2"} {
		rows = append(rows, monthly("I1", u, "2025-01", 10, 10, 10, 10)...)
	}
	rows = append(rows, vr("I1", "D1", "2025-03", 7))
	x := mustIndex(t, &Register{Units: units, Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 1200)}, Measurements: rows})
	r := x.Evaluate(ind, "R", mo("2025-04"), DefaultSettings())
	// R's YTD April = 4 units × 4 months × 10 + 7 = 167, shown.
	wantPtr(t, "Value", r.Value, 167)
	var shownSum float64
	hidden := 0
	for _, u := range r.Units {
		if u.Value != nil {
			shownSum += *u.Value
		} else {
			hidden++
		}
	}
	// Total − Σ shown units must not isolate D's suppressed March (7).
	if r.Value != nil && *r.Value-shownSum == 7 && hidden < 2 {
		t.Errorf("breakdown %+v lets D's suppressed March figure be derived: %v − %v = 7", r.Units, *r.Value, shownSum)
	}
	// D is listed as suppressed, and A (first of the two smallest, 8 rows
	// each) is hidden with it; B shows its YTD 2 × 4 × 10 = 80.
	want := map[string]Status{"A": Suppressed, "B": NoAmbition, "D": Suppressed}
	if len(r.Units) != len(want) {
		t.Fatalf("Units = %+v, want A, B, D", r.Units)
	}
	for _, u := range r.Units {
		if u.Status != want[u.UnitID] {
			t.Errorf("unit %s status %s, want %s", u.UnitID, u.Status, want[u.UnitID])
		}
		if u.UnitID == "B" {
			wantPtr(t, "B", u.Value, 80)
		}
	}
	wantNote(t, r.Notes, NoteComplementarySuppression)
}

func TestAdversarialSumBreakdownListsUnitsWithEarlierRows(t *testing.T) {
	// Sum in March: A reported Jan–Mar (10 each), B only in January (5).
	// R's YTD = 35. B is part of that total and is listed; it has no data
	// in March, so it shows no figure (like a scope without data in P).
	ind := sumInd()
	rows := append(monthly("I1", "A", "2025-01", 10, 10, 10), vr("I1", "B", "2025-01", 5))
	x := mustIndex(t, &Register{Units: testUnits(), Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 120)}, Measurements: rows})
	r := x.Evaluate(ind, "R", mo("2025-03"), DefaultSettings())
	wantPtr(t, "Value", r.Value, 35)
	if len(r.Units) != 2 || r.Units[0].UnitID != "A" || r.Units[1].UnitID != "B" {
		t.Fatalf("Units = %+v, want A and B", r.Units)
	}
	wantPtr(t, "A", r.Units[0].Value, 30)
	if r.Units[1].Status != NoData || r.Units[1].Value != nil {
		t.Errorf("B = %v %s, want no data", r.Units[1].Value, r.Units[1].Status)
	}
}

func TestAdversarialPartOfWhole(t *testing.T) {
	// A sum benefit owned at R: holders at A (part) and at R (the whole).
	ind := with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(1200) })
	reg := &Register{
		Units:        testUnits(),
		Benefits:     []Benefit{{ID: "G1", Title: "Spart", Category: Savings, OrgUnitID: "R", OwnerID: "P1"}},
		Indicators:   []Indicator{ind},
		Ambitions:    []Ambition{amb(2025, 1200)},
		Measurements: append(monthly("I1", "A", "2025-04", 50, 60, 70, 80, 90, 100), monthly("I1", "B", "2025-04", 100, 100, 100, 100, 100, 100)...),
	}
	x := mustIndex(t, reg)
	t.Run("part is not judged and its trend is not scaled by the whole's target", func(t *testing.T) {
		// A alone: 50→100 per month, its own run rate doubled. No baseline of
		// its own (baseline_value is the whole's), so the stable band falls
		// back to 5 % of its mean (75 → 3.75); fitted change 50 → improving.
		r := x.Evaluate(ind, "A", mo("2025-09"), DefaultSettings())
		wantStatus(t, r, NoAmbition)
		if !r.PartOfWhole {
			t.Error("PartOfWhole = false")
		}
		if r.Trend != Improving {
			t.Errorf("Trend = %s, want improving", r.Trend)
		}
		if r.Thresholds != nil || r.Progress != nil || r.WillReach != nil {
			t.Errorf("Thresholds %v Progress %v WillReach %v, want none for a part", r.Thresholds, r.Progress, r.WillReach)
		}
		// YTD A = 50+60+70+80+90+100 = 450.
		wantPtr(t, "Value", r.Value, 450)
	})
	t.Run("a part's trend ignores the whole's target even with its own baseline", func(t *testing.T) {
		// Baseline from baseline_period 2024-01: A's 2024 year = 12 × 10 =
		// 120. The whole's target 12 000 is not A's, so the stable band is
		// 5 % of A's mean 15 = 0.75; A's fitted change 10 → improving. (Against
		// the whole's gap (12 000 − 120)/12 = 990 it would read stable.)
		pind := with(sumInd(), func(i *Indicator) { i.BaselinePeriod = mp("2024-01"); i.TargetValue = F(12000) })
		preg := &Register{
			Units:        testUnits(),
			Benefits:     []Benefit{{ID: "G1", Title: "Spart", Category: Savings, OrgUnitID: "R", OwnerID: "P1"}},
			Indicators:   []Indicator{pind},
			Ambitions:    []Ambition{amb(2025, 12000)},
			Measurements: append(monthly("I1", "A", "2024-01", 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10), monthly("I1", "A", "2025-04", 10, 12, 14, 16, 18, 20)...),
		}
		r := mustIndex(t, preg).Evaluate(pind, "A", mo("2025-09"), DefaultSettings())
		wantPtr(t, "Baseline", r.Baseline, 120)
		if r.Trend != Improving {
			t.Errorf("Trend = %s, want improving", r.Trend)
		}
	})
	t.Run("a holder at the benefit's own unit is the whole and is judged", func(t *testing.T) {
		// R: YTD 450 + 600 = 1050 against 9/12 × 1200 = 900 → green.
		r := x.Evaluate(ind, "R", mo("2025-09"), DefaultSettings())
		if r.PartOfWhole {
			t.Error("PartOfWhole = true at the benefit's own unit")
		}
		wantPtr(t, "Value", r.Value, 1050)
		wantStatus(t, r, Green)
	})
	t.Run("a ratio indicator for a part is judged on the benefit's thresholds", func(t *testing.T) {
		rind := with(ratioInd(), func(i *Indicator) { i.ID = "I2" })
		reg2 := &Register{
			Units:        testUnits(),
			Benefits:     []Benefit{{ID: "G1", Title: "Andel", Category: Satisfaction, OrgUnitID: "R", OwnerID: "P1"}},
			Indicators:   []Indicator{rind},
			Ambitions:    []Ambition{{IndicatorID: "I2", Year: 2025, Target: 30}},
			Measurements: []Measurement{rr("I2", "A", "2025-09", 35, 100), rr("I2", "B", "2025-09", 5, 100)},
		}
		x2 := mustIndex(t, reg2)
		// A: 35 % ≥ 30 → green; not a part-of-whole case.
		r := x2.Evaluate(rind, "A", mo("2025-09"), DefaultSettings())
		if r.PartOfWhole {
			t.Error("PartOfWhole = true for a ratio")
		}
		wantStatus(t, r, Green)
	})
}

func TestAdversarialAnnual(t *testing.T) {
	dec := func(y int) time.Time { return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		ind   Indicator
		ambs  []Ambition
		rows  []Measurement
		check func(t *testing.T, r AnnualResult)
	}{
		{
			// Only Jan–Jun: ratio Σ = (1+2+3+4+5+6)/(6 × 10) = 21/60 = 35 %.
			name: "ratio over the months present",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10), rr("I1", "A", "2025-02", 2, 10), rr("I1", "A", "2025-03", 3, 10),
				rr("I1", "A", "2025-04", 4, 10), rr("I1", "A", "2025-05", 5, 10), rr("I1", "A", "2025-06", 6, 10)},
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 35)
				if r.Status != Green {
					t.Errorf("Status = %s, want green", r.Status)
				}
			},
		},
		{
			// Mean over months present: (4 + 6)/2 = 5; down green 5 → green.
			name: "mean of the months present",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 5)},
			rows: []Measurement{vr("I1", "A", "2025-03", 4), vr("I1", "A", "2025-08", 6)},
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 5)
				if r.Status != Green {
					t.Errorf("Status = %s, want green", r.Status)
				}
			},
		},
		{
			// 23/80 = 28.75 → 28.8 annual figure; ambition 28.8 met.
			name: "annual figure ties round up",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 28.8)},
			rows: []Measurement{rr("I1", "A", "2025-01", 13, 40), rr("I1", "A", "2025-02", 10, 40)},
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 28.8)
				wantBool(t, "AmbitionMet", r.AmbitionMet, true)
			},
		},
		{
			// Down, target 10 by 2028, value 20 in 2025: suggested 2026 =
			// 20 + (10 − 20)/3 = 16.666… → 16.7.
			name: "down suggested ambition walks a straight path",
			ind:  with(meanInd(), func(i *Indicator) { i.TargetValue = F(10); i.TargetDate = dec(2028) }),
			ambs: []Ambition{amb(2025, 18)},
			rows: []Measurement{vr("I1", "A", "2025-06", 20)},
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "SuggestedAmbition", r.SuggestedAmbition, 16.7)
				wantBool(t, "AmbitionMet", r.AmbitionMet, false)
				wantBool(t, "FinalReached", r.FinalReached, false)
			},
		},
		{
			// Data in 2026 must not leak into 2025: 2025 has 1/10, 2026 has 9/10.
			name: "next year's data is left out",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-12", 1, 10), rr("I1", "A", "2026-01", 9, 10)},
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 10)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := mustIndex(t, &Register{Units: testUnits(), Indicators: []Indicator{tc.ind}, Ambitions: tc.ambs, Measurements: tc.rows})
			tc.check(t, x.Annual(tc.ind, "R", 2025, DefaultSettings()))
		})
	}
}
