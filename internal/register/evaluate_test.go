package register

import (
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
)

type evalCase struct {
	name  string
	ind   Indicator
	ambs  []Ambition
	rows  []Measurement
	scope string    // default R
	p     string    // default 2025-09
	s     *Settings // default DefaultSettings
	check func(t *testing.T, r Result)
}

func runEvalCases(t *testing.T, tests []evalCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := &Register{Units: testUnits(), Indicators: []Indicator{tc.ind}, Ambitions: tc.ambs, Measurements: tc.rows}
			x := mustIndex(t, reg)
			scope, p, s := tc.scope, tc.p, DefaultSettings()
			if scope == "" {
				scope = "R"
			}
			if p == "" {
				p = "2025-09"
			}
			if tc.s != nil {
				s = *tc.s
			}
			tc.check(t, x.Evaluate(tc.ind, scope, mo(p), s))
		})
	}
}

func wantStatus(t *testing.T, r Result, want Status) {
	t.Helper()
	if r.Status != want {
		t.Errorf("Status = %s, want %s (notes %v)", r.Status, want, noteCodes(r.Notes))
	}
}

func with(ind Indicator, f func(*Indicator)) Indicator {
	f(&ind)
	return ind
}

func TestEvaluateValue(t *testing.T) {
	tests := []evalCase{
		{
			name: "ratio is not a mean of percentages",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 2), rr("I1", "B", "2025-09", 90, 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 89.2) // 91/102 = 89.22 %, not (50+90)/2 = 70
				wantStatus(t, r, Green)
			},
		},
		{
			name: "scale defaults to 1 when unit is not %",
			ind:  with(ratioInd(), func(i *Indicator) { i.Unit = "andel"; i.Decimals = 3 }),
			ambs: []Ambition{amb(2025, 0.5)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 2), rr("I1", "B", "2025-09", 90, 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 0.892)
			},
		},
		{
			name: "per-1000 scale",
			ind:  with(ratioInd(), func(i *Indicator) { i.Unit = "per 1000"; i.Scale = F(1000) }),
			ambs: []Ambition{amb(2025, 5)},
			rows: []Measurement{rr("I1", "A", "2025-09", 3, 1500)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 2.0)
			},
		},
		{
			name: "quarterly picks the quarter containing P",
			ind:  with(ratioInd(), func(i *Indicator) { i.Frequency = Quarterly }),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-04", 1, 10), rr("I1", "A", "2025-07", 3, 10), rr("I1", "A", "2025-10", 9, 10)},
			check: func(t *testing.T, r Result) {
				if r.ValuePeriod != mo("2025-07") {
					t.Errorf("ValuePeriod = %v, want 2025-07", r.ValuePeriod)
				}
				wantPtr(t, "Value", r.Value, 30)
				if len(r.Series) != 2 || r.Series[1].Period != mo("2025-07") {
					t.Errorf("Series = %+v, want 2025-04 and 2025-07", r.Series)
				}
			},
		},
		{
			name: "yearly picks the year containing P",
			ind:  with(ratioInd(), func(i *Indicator) { i.Frequency = Yearly }),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2024-01", 1, 10), rr("I1", "A", "2025-01", 7, 10)},
			check: func(t *testing.T, r Result) {
				if r.ValuePeriod != mo("2025-01") {
					t.Errorf("ValuePeriod = %v, want 2025-01", r.ValuePeriod)
				}
				wantPtr(t, "Value", r.Value, 70)
			},
		},
		{
			name: "no rows is no data",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-08", 1, 2)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
				wantNil(t, "Value", r.Value)
				wantNote(t, r.Notes, NoteNoData)
			},
		},
		{
			name: "zero denominator is no data",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 0, 0), rr("I1", "B", "2025-09", 0, 0)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
				wantNil(t, "Value", r.Value)
			},
		},
		{
			name: "ratio rows without numerator are left out",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 4), {IndicatorID: "I1", OrgUnitID: "B", Period: mo("2025-09"), Denominator: F(100)}},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 25)
			},
		},
		{
			name:  "scope is the unit and everything below it only",
			ind:   ratioInd(),
			ambs:  []Ambition{amb(2025, 50)},
			scope: "A",
			rows:  []Measurement{rr("I1", "A", "2025-09", 1, 10), rr("I1", "A1", "2025-09", 3, 10), rr("I1", "B", "2025-09", 100, 100), rr("I1", "X", "2025-09", 100, 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 20)
			},
		},
		{
			name: "sum adds the units' values",
			ind:  sumInd(),
			ambs: []Ambition{amb(2025, 12000)},
			p:    "2025-01",
			rows: []Measurement{vr("I1", "A", "2025-01", 700), vr("I1", "A1", "2025-01", 200), vr("I1", "C", "2025-01", 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 1000)
			},
		},
		{
			name: "mean of unit values, scale not applied to values",
			ind:  with(meanInd(), func(i *Indicator) { i.Scale = F(100) }),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{vr("I1", "A", "2025-09", 10), vr("I1", "B", "2025-09", 20), vr("I1", "C", "2025-09", 40)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 23.3)
			},
		},
		{
			name: "mean uses num/den × scale for a row without value",
			ind:  with(meanInd(), func(i *Indicator) { i.Unit = "%" }),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{vr("I1", "A", "2025-09", 10), rr("I1", "B", "2025-09", 1, 5)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 15) // (10 + 20) / 2
			},
		},
		{
			name:  "unknown scope is no data with a dangling reference",
			ind:   ratioInd(),
			ambs:  []Ambition{amb(2025, 50)},
			scope: "NOPE",
			rows:  []Measurement{rr("I1", "A", "2025-09", 1, 2)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
				wantNote(t, r.Notes, NoteDanglingReference)
			},
		},
		{
			name: "unknown aggregation is invalid",
			ind:  with(ratioInd(), func(i *Indicator) { i.Aggregation = "median" }),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 2)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Invalid)
				wantNote(t, r.Notes, NoteBadEnum)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateSuppression(t *testing.T) {
	minDen := func(v float64) func(*Indicator) { return func(i *Indicator) { i.MinDenominator = F(v) } }
	tests := []evalCase{
		{
			name: "denominator equal to the minimum is shown",
			ind:  with(ratioInd(), minDen(10)),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 6), rr("I1", "B", "2025-09", 1, 4)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 50)
				wantStatus(t, r, Green)
			},
		},
		{
			name: "denominator below the minimum is suppressed",
			ind:  with(ratioInd(), func(i *Indicator) { i.MinDenominator = F(10); i.BaselineValue = F(0); i.TargetValue = F(80) }),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 9)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Suppressed)
				wantNil(t, "Value", r.Value)
				wantNil(t, "Progress", r.Progress)
				wantNote(t, r.Notes, NoteSuppressed)
				if last := r.Series[len(r.Series)-1]; !last.Suppressed || last.Value != nil {
					t.Errorf("last point = %+v, want suppressed without value", last)
				}
			},
		},
		{
			name: "mean row count below the minimum is suppressed",
			ind:  with(meanInd(), minDen(3)),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{vr("I1", "A", "2025-09", 10), vr("I1", "B", "2025-09", 20)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Suppressed)
			},
		},
		{
			name: "mean row count equal to the minimum is shown",
			ind:  with(meanInd(), minDen(2)),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{vr("I1", "A", "2025-09", 10), vr("I1", "B", "2025-09", 20)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 15)
			},
		},
		{
			name: "one suppressed unit cell hides the next smallest too",
			ind:  with(ratioInd(), minDen(5)),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 3), rr("I1", "B", "2025-09", 25, 50), rr("I1", "C", "2025-09", 10, 20)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 49.3) // 36/73
				want := map[string]Status{"A": Suppressed, "B": Green, "C": Suppressed}
				if len(r.Units) != 3 {
					t.Fatalf("Units = %+v, want 3", r.Units)
				}
				for _, u := range r.Units {
					if u.Status != want[u.UnitID] {
						t.Errorf("unit %s status %s, want %s", u.UnitID, u.Status, want[u.UnitID])
					}
					if u.Status == Suppressed && u.Value != nil {
						t.Errorf("unit %s suppressed but has value %v", u.UnitID, *u.Value)
					}
				}
				wantNote(t, r.Notes, NoteComplementarySuppression)
			},
		},
		{
			name: "two suppressed unit cells need no complementary suppression",
			ind:  with(ratioInd(), minDen(5)),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 3), rr("I1", "B", "2025-09", 25, 50), rr("I1", "C", "2025-09", 1, 4)},
			check: func(t *testing.T, r Result) {
				wantNoNote(t, r.Notes, NoteComplementarySuppression)
				for _, u := range r.Units {
					if u.UnitID == "B" && u.Status != Green {
						t.Errorf("unit B status %s, want green", u.Status)
					}
				}
			},
		},
		{
			name: "sum year to date is suppressed when any period in it is",
			ind:  with(sumInd(), minDen(2)),
			ambs: []Ambition{amb(2025, 1000)},
			p:    "2025-03",
			rows: append(append(monthly("I1", "A", "2025-01", 10, 10, 10), monthly("I1", "B", "2025-01", 10)...),
				monthly("I1", "B", "2025-03", 10)...),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Suppressed) // February has one row only
				wantNil(t, "Value", r.Value)
			},
		},
		{
			name: "baseline from a suppressed baseline period is nil",
			ind: with(ratioInd(), func(i *Indicator) {
				i.MinDenominator = F(10)
				i.BaselinePeriod = mp("2024-01")
				i.TargetValue = F(80)
			}),
			ambs: []Ambition{amb(2025, 50)},
			rows: []Measurement{rr("I1", "A", "2024-01", 1, 5), rr("I1", "A", "2025-09", 6, 10)},
			check: func(t *testing.T, r Result) {
				wantNil(t, "Baseline", r.Baseline)
				wantNil(t, "Progress", r.Progress)
				wantNote(t, r.Notes, NoteBaselineSuppressed)
				wantPtr(t, "Value", r.Value, 60)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateThresholdsAndStatus(t *testing.T) {
	withBase := func(b float64) func(*Indicator) { return func(i *Indicator) { i.BaselineValue = F(b) } }
	row := func(num float64) []Measurement { return []Measurement{rr("I1", "A", "2025-09", num, 1000)} }
	half := DefaultSettings()
	eighty := DefaultSettings()
	eighty.RedFraction = 0.8
	tests := []evalCase{
		{
			name: "green defaults to the ambition and red to halfway from baseline",
			ind:  with(ratioInd(), withBase(0)),
			ambs: []Ambition{amb(2025, 10)},
			rows: row(60),
			s:    &half,
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || r.Thresholds.GreenLimit != 10 || r.Thresholds.RedLimit != 5 || r.Thresholds.Ambition != 10 {
					t.Errorf("Thresholds = %+v, want green 10, red 5", r.Thresholds)
				}
				wantStatus(t, r, Yellow)
			},
		},
		{
			name: "red fraction comes from the settings",
			ind:  with(ratioInd(), withBase(0)),
			ambs: []Ambition{amb(2025, 10)},
			rows: row(60),
			s:    &eighty,
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || r.Thresholds.RedLimit != 8 {
					t.Errorf("Thresholds = %+v, want red 8", r.Thresholds)
				}
				wantStatus(t, r, Red)
			},
		},
		{
			name: "explicit limits win over defaults",
			ind:  with(ratioInd(), withBase(0)),
			ambs: []Ambition{ambLimits(2025, 10, 2, 5)},
			rows: row(60),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Green)
				wantPtr(t, "YearTarget", r.YearTarget, 10)
			},
		},
		{
			name: "without baseline and red limit red equals green",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: row(99),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Red)
				wantNote(t, r.Notes, NoteRedFromGreen)
				wantNote(t, r.Notes, NoteNoBaseline)
			},
		},
		{
			name: "no ambition row keeps the value",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2024, 10)},
			rows: row(99),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoAmbition)
				wantPtr(t, "Value", r.Value, 9.9)
				wantNote(t, r.Notes, NoteNoAmbition)
				if r.Thresholds != nil {
					t.Errorf("Thresholds = %+v, want nil", r.Thresholds)
				}
			},
		},
		{
			name: "rounding before judging lifts 9.96 to green",
			ind:  with(ratioInd(), withBase(0)),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 996, 10000)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 10.0)
				wantStatus(t, r, Green)
			},
		},
		{
			name: "rounding before judging keeps 9.94 yellow",
			ind:  with(ratioInd(), withBase(0)),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{rr("I1", "A", "2025-09", 994, 10000)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 9.9)
				wantStatus(t, r, Yellow)
			},
		},
		{
			name:  "up exactly at green is green",
			ind:   ratioInd(),
			ambs:  []Ambition{ambLimits(2025, 10, 5, 10)},
			rows:  row(100),
			check: func(t *testing.T, r Result) { wantStatus(t, r, Green) },
		},
		{
			name:  "up exactly at red is yellow",
			ind:   ratioInd(),
			ambs:  []Ambition{ambLimits(2025, 10, 5, 10)},
			rows:  row(50),
			check: func(t *testing.T, r Result) { wantStatus(t, r, Yellow) },
		},
		{
			name:  "up just below red is red",
			ind:   ratioInd(),
			ambs:  []Ambition{ambLimits(2025, 10, 5, 10)},
			rows:  row(49),
			check: func(t *testing.T, r Result) { wantStatus(t, r, Red) },
		},
		{
			name:  "down exactly at green is green",
			ind:   with(ratioInd(), func(i *Indicator) { i.Direction = Down }),
			ambs:  []Ambition{ambLimits(2025, 5, 10, 5)},
			rows:  row(50),
			check: func(t *testing.T, r Result) { wantStatus(t, r, Green) },
		},
		{
			name:  "down exactly at red is yellow",
			ind:   with(ratioInd(), func(i *Indicator) { i.Direction = Down }),
			ambs:  []Ambition{ambLimits(2025, 5, 10, 5)},
			rows:  row(100),
			check: func(t *testing.T, r Result) { wantStatus(t, r, Yellow) },
		},
		{
			name:  "down above red is red",
			ind:   with(ratioInd(), func(i *Indicator) { i.Direction = Down }),
			ambs:  []Ambition{ambLimits(2025, 5, 10, 5)},
			rows:  row(101),
			check: func(t *testing.T, r Result) { wantStatus(t, r, Red) },
		},
		{
			name: "down red default lies above green",
			ind:  with(ratioInd(), func(i *Indicator) { i.Direction = Down; i.BaselineValue = F(20) }),
			ambs: []Ambition{amb(2025, 10)},
			rows: row(140),
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || r.Thresholds.RedLimit != 15 {
					t.Errorf("Thresholds = %+v, want red 15", r.Thresholds)
				}
				wantStatus(t, r, Yellow)
			},
		},
		{
			name: "up with red above green is invalid",
			ind:  ratioInd(),
			ambs: []Ambition{ambLimits(2025, 10, 12, 10)},
			rows: row(110),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Invalid)
				wantNote(t, r.Notes, NoteInvalidThresholds)
				for _, n := range r.Notes {
					if n.Code == NoteInvalidThresholds && n.Severity != SeverityError {
						t.Errorf("invalid thresholds severity %s, want error", n.Severity)
					}
				}
				wantPtr(t, "Value", r.Value, 11)
			},
		},
		{
			name: "down with red below green is invalid",
			ind:  with(ratioInd(), func(i *Indicator) { i.Direction = Down }),
			ambs: []Ambition{ambLimits(2025, 10, 8, 10)},
			rows: row(90),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Invalid)
				wantNote(t, r.Notes, NoteInvalidThresholds)
			},
		},
		{
			name: "thresholds come from the year of P",
			ind:  with(ratioInd(), withBase(0)),
			ambs: []Ambition{amb(2024, 100), amb(2025, 10), amb(2026, 100)},
			rows: row(100),
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Green)
				wantPtr(t, "YearTarget", r.YearTarget, 10)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateSum(t *testing.T) {
	nine := monthly("I1", "A", "2025-01", 10, 10, 10, 10, 10, 10, 10, 10, 10)
	tests := []evalCase{
		{
			name: "september is judged on the year to date against 9/12 of the year",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0) }),
			ambs: []Ambition{amb(2025, 120)},
			rows: append(monthly("I1", "A", "2024-12", 1000), nine...),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 90)
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 90) || !near(r.Thresholds.RedLimit, 45) || !near(r.Thresholds.Ambition, 90) {
					t.Errorf("Thresholds = %+v, want ambition 90, green 90, red 45", r.Thresholds)
				}
				wantPtr(t, "YearTarget", r.YearTarget, 120)
				wantStatus(t, r, Green)
			},
		},
		{
			name: "year to date just short of the pro-rated green is yellow",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0) }),
			ambs: []Ambition{amb(2025, 121)},
			rows: nine,
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Yellow)
			},
		},
		{
			name: "quarterly sum in september counts 3 of 4 quarters",
			ind:  with(sumInd(), func(i *Indicator) { i.Frequency = Quarterly; i.BaselineValue = F(0) }),
			ambs: []Ambition{amb(2025, 400)},
			rows: []Measurement{vr("I1", "A", "2025-01", 100), vr("I1", "A", "2025-04", 100), vr("I1", "A", "2025-07", 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 300)
				if r.Thresholds == nil || !near(r.Thresholds.GreenLimit, 300) {
					t.Errorf("Thresholds = %+v, want green 300", r.Thresholds)
				}
				wantStatus(t, r, Green)
			},
		},
		{
			name: "missing earlier months count as zero and are noted",
			ind:  sumInd(),
			ambs: []Ambition{amb(2025, 120)},
			p:    "2025-03",
			rows: []Measurement{vr("I1", "A", "2025-01", 10), vr("I1", "A", "2025-03", 10)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 20)
				wantNote(t, r.Notes, NoteMissingPeriods)
			},
		},
		{
			name: "no data in the value period is no data",
			ind:  sumInd(),
			ambs: []Ambition{amb(2025, 120)},
			p:    "2025-03",
			rows: []Measurement{vr("I1", "A", "2025-01", 10)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateBaselineAndProgress(t *testing.T) {
	tests := []evalCase{
		{
			name: "baseline from baseline_period is the scope value there",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselinePeriod = mp("2023-01"); i.TargetValue = F(60) }),
			ambs: []Ambition{amb(2025, 40)},
			rows: []Measurement{rr("I1", "A", "2023-01", 1, 10), rr("I1", "B", "2023-01", 3, 10), rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Baseline", r.Baseline, 20)
				wantPtr(t, "Progress", r.Progress, 0.5)
				if r.Thresholds == nil || r.Thresholds.RedLimit != 30 {
					t.Errorf("Thresholds = %+v, want red 30 from baseline 20", r.Thresholds)
				}
			},
		},
		{
			name: "a sum's baseline from baseline_period is the year of periods starting there",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselinePeriod = mp("2023-03"); i.TargetValue = F(360) }),
			ambs: []Ambition{amb(2025, 240)},
			rows: append(monthly("I1", "A", "2023-03", 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 99),
				monthly("I1", "A", "2025-01", 20, 20, 20, 20, 20, 20, 20, 20, 20)...),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Baseline", r.Baseline, 120)
				// red = 120 + 0.5 × (240 − 120) = 180 for the year, 9/12 of it by September
				if r.Thresholds == nil || !near(r.Thresholds.RedLimit, 135) || !near(r.Thresholds.GreenLimit, 180) {
					t.Errorf("Thresholds = %+v, want red 135 and green 180 (9/12 of 180 and 240)", r.Thresholds)
				}
				wantStatus(t, r, Green)
			},
		},
		{
			name: "a sum's baseline year with an empty period gives no baseline",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselinePeriod = mp("2023-03"); i.TargetValue = F(360) }),
			ambs: []Ambition{amb(2025, 240)},
			rows: append(monthly("I1", "A", "2023-03", 10, 10, 10), monthly("I1", "A", "2025-09", 20)...),
			check: func(t *testing.T, r Result) {
				wantNil(t, "Baseline", r.Baseline)
				wantNote(t, r.Notes, NoteNoBaseline)
			},
		},
		{
			name: "baseline_value wins over baseline_period",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(0); i.BaselinePeriod = mp("2023-01"); i.TargetValue = F(80) }),
			ambs: []Ambition{amb(2025, 40)},
			rows: []Measurement{rr("I1", "A", "2023-01", 1, 10), rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Baseline", r.Baseline, 0)
				wantPtr(t, "Progress", r.Progress, 0.5)
			},
		},
		{
			name: "baseline period without data gives no baseline",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselinePeriod = mp("2023-01"); i.TargetValue = F(80) }),
			ambs: []Ambition{amb(2025, 40)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantNil(t, "Baseline", r.Baseline)
				wantNil(t, "Progress", r.Progress)
				wantNote(t, r.Notes, NoteNoBaseline)
			},
		},
		{
			name: "no baseline gives no progress",
			ind:  with(ratioInd(), func(i *Indicator) { i.TargetValue = F(80) }),
			ambs: []Ambition{amb(2025, 40)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantNil(t, "Progress", r.Progress)
				wantNote(t, r.Notes, NoteNoBaseline)
			},
		},
		{
			name: "progress for down is positive when the value falls toward the target",
			ind:  with(meanInd(), func(i *Indicator) { i.BaselineValue = F(40); i.TargetValue = F(20) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{vr("I1", "A", "2025-09", 30)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Progress", r.Progress, 0.5)
			},
		},
		{
			name: "progress for down is negative when the value rises",
			ind:  with(meanInd(), func(i *Indicator) { i.BaselineValue = F(40); i.TargetValue = F(20) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{vr("I1", "A", "2025-09", 50)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Progress", r.Progress, -0.5)
			},
		},
		{
			name: "progress beyond the target exceeds one",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(10); i.TargetValue = F(30) }),
			ambs: []Ambition{amb(2025, 20)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Progress", r.Progress, 1.5)
			},
		},
		{
			name: "target equal to baseline gives no progress",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(30); i.TargetValue = F(30) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantNil(t, "Progress", r.Progress)
				wantNote(t, r.Notes, NoteTargetEqualsBaseline)
			},
		},
		{
			name: "no target gives no progress",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(30) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-09", 4, 10)},
			check: func(t *testing.T, r Result) {
				wantNil(t, "Progress", r.Progress)
				wantNote(t, r.Notes, NoteNoTarget)
			},
		},
		{
			name: "sum progress uses the rolling twelve months",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(240) }),
			ambs: []Ambition{amb(2025, 120)},
			rows: monthly("I1", "A", "2024-09", 500, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 90)        // YTD Jan–Sep
				wantPtr(t, "Progress", r.Progress, 0.5) // Oct 2024 – Sep 2025 = 120 of 240
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateTrendAndForecast(t *testing.T) {
	rising := monthly("I1", "A", "2025-04", 10, 12, 14, 16, 18, 20)
	falling := monthly("I1", "A", "2025-04", 20, 18, 16, 14, 12, 10)
	flat := monthly("I1", "A", "2025-04", 15, 15.1, 14.9, 15, 15.1, 15)
	mean := func(d Direction) Indicator {
		return with(meanInd(), func(i *Indicator) { i.Direction = d; i.BaselineValue = F(0); i.TargetValue = F(40) })
	}
	tests := []evalCase{
		{
			name: "up rising is improving",
			ind:  mean(Up),
			ambs: []Ambition{amb(2025, 25)},
			rows: rising,
			check: func(t *testing.T, r Result) {
				if r.Trend != Improving {
					t.Errorf("Trend = %s, want improving", r.Trend)
				}
				if !near(r.Slope, 2) {
					t.Errorf("Slope = %v, want 2", r.Slope)
				}
				wantPtr(t, "Forecast", r.Forecast, 26) // Sep 20 + 3 × 2
				wantBool(t, "WillReach", r.WillReach, true)
			},
		},
		{
			name: "up falling is worsening and will not reach",
			ind:  mean(Up),
			ambs: []Ambition{amb(2025, 25)},
			rows: falling,
			check: func(t *testing.T, r Result) {
				if r.Trend != Worsening {
					t.Errorf("Trend = %s, want worsening", r.Trend)
				}
				wantPtr(t, "Forecast", r.Forecast, 4)
				wantBool(t, "WillReach", r.WillReach, false)
			},
		},
		{
			name: "down falling is improving",
			ind:  mean(Down),
			ambs: []Ambition{amb(2025, 5)},
			rows: falling,
			check: func(t *testing.T, r Result) {
				if r.Trend != Improving {
					t.Errorf("Trend = %s, want improving", r.Trend)
				}
				wantBool(t, "WillReach", r.WillReach, true)
			},
		},
		{
			name: "down rising is worsening",
			ind:  mean(Down),
			ambs: []Ambition{amb(2025, 5)},
			rows: rising,
			check: func(t *testing.T, r Result) {
				if r.Trend != Worsening {
					t.Errorf("Trend = %s, want worsening", r.Trend)
				}
				wantBool(t, "WillReach", r.WillReach, false)
			},
		},
		{
			name: "small wobble is stable",
			ind:  mean(Up),
			ambs: []Ambition{amb(2025, 25)},
			rows: flat,
			check: func(t *testing.T, r Result) {
				if r.Trend != Stable {
					t.Errorf("Trend = %s, want stable", r.Trend)
				}
			},
		},
		{
			name: "stable scale falls back to the mean value without a target",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 25)},
			rows: monthly("I1", "A", "2025-04", 100, 100.5, 101, 101.5, 102, 102.5), // change 2.5 < 5 % of ~101
			check: func(t *testing.T, r Result) {
				if r.Trend != Stable {
					t.Errorf("Trend = %s, want stable", r.Trend)
				}
			},
		},
		{
			name: "only the last TrendPeriods periods are fitted",
			ind:  mean(Up),
			ambs: []Ambition{amb(2025, 25)},
			rows: monthly("I1", "A", "2025-01", 90, 80, 70, 10, 12, 14, 16, 18, 20),
			check: func(t *testing.T, r Result) {
				if !near(r.Slope, 2) || r.Trend != Improving {
					t.Errorf("Slope = %v, Trend = %s, want 2, improving", r.Slope, r.Trend)
				}
			},
		},
		{
			name: "two points give an unknown trend and no forecast",
			ind:  mean(Up),
			ambs: []Ambition{amb(2025, 25)},
			rows: monthly("I1", "A", "2025-08", 10, 12),
			check: func(t *testing.T, r Result) {
				if r.Trend != TrendUnknown {
					t.Errorf("Trend = %s, want unknown", r.Trend)
				}
				wantNil(t, "Forecast", r.Forecast)
				if r.WillReach != nil {
					t.Errorf("WillReach = %v, want nil", *r.WillReach)
				}
			},
		},
		{
			name: "suppressed periods are left out of the fit",
			ind:  with(mean(Up), func(i *Indicator) { i.MinDenominator = F(2) }),
			ambs: []Ambition{amb(2025, 25)},
			rows: append(monthly("I1", "A", "2025-05", 100, 10, 12, 14, 16), monthly("I1", "B", "2025-06", 10, 12, 14, 16)...),
			check: func(t *testing.T, r Result) {
				if !near(r.Slope, 2) {
					t.Errorf("Slope = %v, want 2 (May has one row and is suppressed)", r.Slope)
				}
				if len(r.Series) != 5 || !r.Series[0].Suppressed {
					t.Errorf("Series = %+v, want May suppressed first", r.Series)
				}
			},
		},
		{
			name: "forecast without ambition has no WillReach",
			ind:  mean(Up),
			rows: rising,
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Forecast", r.Forecast, 26)
				if r.WillReach != nil {
					t.Errorf("WillReach = %v, want nil", *r.WillReach)
				}
			},
		},
		{
			name: "sum forecast adds the fitted remaining months to the year to date",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(200) }),
			ambs: []Ambition{amb(2025, 121)},
			rows: monthly("I1", "A", "2025-01", 10, 10, 10, 10, 10, 10, 10, 10, 10),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Forecast", r.Forecast, 120)
				wantBool(t, "WillReach", r.WillReach, false)
				if r.Trend != Stable {
					t.Errorf("Trend = %s, want stable", r.Trend)
				}
			},
		},
		{
			name: "sum forecast uses the per-period slope",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(200) }),
			ambs: []Ambition{amb(2025, 150)},
			rows: monthly("I1", "A", "2025-04", 5, 6, 7, 8, 9, 10),
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Forecast", r.Forecast, 45+11+12+13) // YTD 45 + Oct..Dec on the line
				wantBool(t, "WillReach", r.WillReach, false)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateStaleness(t *testing.T) {
	two := DefaultSettings()
	tests := []evalCase{
		{
			name: "latest two periods back is not stale",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: monthly("I1", "A", "2025-06", 5, 6),
			s:    &two,
			check: func(t *testing.T, r Result) {
				if r.Latest == nil || *r.Latest != mo("2025-07") {
					t.Errorf("Latest = %v, want 2025-07", r.Latest)
				}
				if r.Stale {
					t.Error("Stale = true, want false")
				}
				wantStatus(t, r, NoData)
			},
		},
		{
			name: "latest three periods back is stale",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: monthly("I1", "A", "2025-05", 5, 6),
			s:    &two,
			check: func(t *testing.T, r Result) {
				if !r.Stale {
					t.Error("Stale = false, want true")
				}
				wantNote(t, r.Notes, NoteStale)
			},
		},
		{
			name: "quarterly staleness counts quarters",
			ind:  with(meanInd(), func(i *Indicator) { i.Frequency = Quarterly }),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{vr("I1", "A", "2025-01", 5)},
			p:    "2025-09",
			check: func(t *testing.T, r Result) {
				if r.Stale {
					t.Error("Stale = true, want false (two quarters back)")
				}
			},
		},
		{
			name: "a suppressed period counts as latest data",
			ind:  with(meanInd(), func(i *Indicator) { i.MinDenominator = F(2) }),
			ambs: []Ambition{amb(2025, 10)},
			rows: append(monthly("I1", "A", "2025-01", 5), monthly("I1", "A", "2025-09", 5)...),
			check: func(t *testing.T, r Result) {
				if r.Latest == nil || *r.Latest != mo("2025-09") || r.Stale {
					t.Errorf("Latest = %v, Stale = %v, want 2025-09 and not stale", r.Latest, r.Stale)
				}
				wantStatus(t, r, Suppressed)
			},
		},
		{
			name: "no data at all",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 10)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, NoData)
				if r.Latest != nil || r.Series != nil {
					t.Errorf("Latest = %v, Series = %v, want none", r.Latest, r.Series)
				}
				wantNote(t, r.Notes, NoteNoData)
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateSeriesAndUnits(t *testing.T) {
	tests := []evalCase{
		{
			name: "series runs from the first data to P with gaps as nil",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{vr("I1", "A", "2025-05", 5), vr("I1", "A", "2025-07", 7), vr("I1", "A", "2025-09", 9), vr("I1", "A", "2025-11", 11)},
			check: func(t *testing.T, r Result) {
				if len(r.Series) != 5 {
					t.Fatalf("Series has %d points, want 5 (May–Sep)", len(r.Series))
				}
				for i, want := range []float64{5, -1, 7, -1, 9} {
					pt := r.Series[i]
					if pt.Period != mo("2025-05").Add(i) {
						t.Errorf("point %d period %v", i, pt.Period)
					}
					if want < 0 {
						wantNil(t, fmt.Sprintf("point %d", i), pt.Value)
					} else {
						wantPtr(t, fmt.Sprintf("point %d", i), pt.Value, want)
					}
				}
			},
		},
		{
			name: "units are the root's children with data plus the root's own rows, by name",
			ind:  meanInd(),
			ambs: []Ambition{ambLimits(2025, 10, 20, 10)},
			rows: []Measurement{vr("I1", "R", "2025-09", 30), vr("I1", "B", "2025-09", 5), vr("I1", "A1", "2025-09", 15), vr("I1", "C", "2025-08", 1)},
			check: func(t *testing.T, r Result) {
				want := []UnitResult{{"A", F(15), Yellow}, {"B", F(5), Green}, {"R", F(30), Red}}
				if len(r.Units) != len(want) {
					t.Fatalf("Units = %+v, want %d", r.Units, len(want))
				}
				for i, w := range want {
					g := r.Units[i]
					if g.UnitID != w.UnitID || g.Status != w.Status || g.Value == nil || *g.Value != *w.Value {
						t.Errorf("unit %d = %s %v %s, want %s %v %s", i, g.UnitID, g.Value, g.Status, w.UnitID, *w.Value, w.Status)
					}
				}
			},
		},
		{
			name: "a single unit with data gives no breakdown",
			ind:  meanInd(),
			ambs: []Ambition{amb(2025, 10)},
			rows: []Measurement{vr("I1", "A", "2025-09", 5), vr("I1", "A1", "2025-09", 7)},
			check: func(t *testing.T, r Result) {
				if r.Units != nil {
					t.Errorf("Units = %+v, want none", r.Units)
				}
			},
		},
		{
			name: "sum units show their year to date without a colour of their own",
			ind:  sumInd(),
			ambs: []Ambition{amb(2025, 100)},
			p:    "2025-02",
			rows: append(monthly("I1", "A", "2025-01", 10, 20), monthly("I1", "B", "2025-02", 5)...),
			check: func(t *testing.T, r Result) {
				if len(r.Units) != 2 {
					t.Fatalf("Units = %+v, want 2", r.Units)
				}
				wantPtr(t, "A", r.Units[0].Value, 30)
				wantPtr(t, "B", r.Units[1].Value, 5)
				if r.Units[0].Status != NoAmbition {
					t.Errorf("unit status %s, want no_ambition", r.Units[0].Status)
				}
			},
		},
	}
	runEvalCases(t, tests)
}

func TestEvaluateConcurrent(t *testing.T) {
	reg := &Register{Units: testUnits(), Indicators: []Indicator{ratioInd()}, Ambitions: []Ambition{amb(2025, 50)}}
	for i := range 12 {
		p := mo("2025-01").Add(i).String()
		reg.Measurements = append(reg.Measurements, rr("I1", "A1", p, float64(i), 20), rr("I1", "B", p, 5, 10))
	}
	x := mustIndex(t, reg)
	want := x.Evaluate(ratioInd(), "R", mo("2025-09"), DefaultSettings())
	x = mustIndex(t, reg) // fresh roll-up cache: the goroutines race to build it
	var wg sync.WaitGroup
	results := make([]Result, 16)
	for i := range results {
		wg.Go(func() { results[i] = x.Evaluate(ratioInd(), "R", mo("2025-09"), DefaultSettings()) })
	}
	wg.Wait()
	for i, r := range results {
		if r.Value == nil || *r.Value != *want.Value || r.Status != want.Status {
			t.Errorf("goroutine %d got %v %s, want %v %s", i, r.Value, r.Status, *want.Value, want.Status)
		}
	}
}

func TestEvaluateUsesTargetDate(t *testing.T) {
	ind := with(ratioInd(), func(i *Indicator) {
		i.TargetValue = F(30)
		i.TargetDate = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	})
	x := mustIndex(t, &Register{Units: testUnits(), Indicators: []Indicator{ind}})
	r := x.Evaluate(ind, "R", mo("2025-09"), DefaultSettings())
	wantPtr(t, "Target", r.Target, 30)
	if r.TargetDate.Year() != 2026 {
		t.Errorf("TargetDate = %v, want 2026-12-31", r.TargetDate)
	}
}

func TestEvaluateSuppressedValueHasNoForecast(t *testing.T) {
	ind := with(meanInd(), func(i *Indicator) { i.MinDenominator = F(2); i.Direction = Up })
	rows := append(monthly("I1", "A", "2025-04", 10, 12, 14, 16, 18, 20), monthly("I1", "B", "2025-04", 10, 12, 14, 16, 18)...)
	x := mustIndex(t, &Register{Units: testUnits(), Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 25)}, Measurements: rows})
	r := x.Evaluate(ind, "R", mo("2025-09"), DefaultSettings())
	wantStatus(t, r, Suppressed)
	wantNil(t, "Forecast", r.Forecast)
	if r.WillReach != nil {
		t.Errorf("WillReach = %v, want nil", *r.WillReach)
	}
	if r.Trend != Improving {
		t.Errorf("Trend = %s, want improving from the shown months", r.Trend)
	}
}

func TestEvaluateSumForPartOfBenefitScope(t *testing.T) {
	ind := with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(200) })
	reg := &Register{
		Units:        testUnits(),
		Benefits:     []Benefit{{ID: "G1", Title: "Spart", Category: Savings, OrgUnitID: "R", OwnerID: "P1"}},
		Indicators:   []Indicator{ind},
		Ambitions:    []Ambition{amb(2025, 120)},
		Measurements: append(monthly("I1", "A", "2025-01", 10, 10, 10, 10, 10, 10, 10, 10, 10), monthly("I1", "B", "2025-01", 1, 1, 1, 1, 1, 1, 1, 1, 1)...),
	}
	x := mustIndex(t, reg)
	tests := []struct {
		name       string
		scope      string
		wantStatus Status
		wantValue  float64
		judged     bool
	}{
		{"the benefit's own scope is judged on the whole", "R", Green, 99, true},
		{"a holder's unit is a part: shown, not judged against the whole", "A", NoAmbition, 90, false},
		{"a small part would otherwise look red", "B", NoAmbition, 9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := x.Evaluate(ind, tt.scope, mo("2025-09"), DefaultSettings())
			wantStatus(t, r, tt.wantStatus)
			wantPtr(t, "Value", r.Value, tt.wantValue)
			if tt.judged != (r.Thresholds != nil) || tt.judged != (r.Progress != nil) {
				t.Errorf("judged = %v, but Thresholds = %v, Progress = %v", tt.judged, r.Thresholds, r.Progress)
			}
			if r.PartOfWhole == tt.judged {
				t.Errorf("PartOfWhole = %v for scope %s", r.PartOfWhole, tt.scope)
			}
			if !tt.judged {
				wantNote(t, r.Notes, NotePartOfWhole)
				// The whole benefit's amounts are not the part's.
				wantNil(t, "Target", r.Target)
				wantNil(t, "Baseline", r.Baseline)
			} else {
				wantPtr(t, "Target", r.Target, 200)
				wantPtr(t, "Baseline", r.Baseline, 0)
			}
		})
	}
}

func TestEvaluateReviewFixes(t *testing.T) {
	tests := []evalCase{
		{
			name: "a yearly indicator measured for the year forecasts its own value, not the trend line",
			ind:  with(ratioInd(), func(i *Indicator) { i.Frequency = Yearly; i.BaselineValue = F(30); i.TargetValue = F(80) }),
			ambs: []Ambition{amb(2025, 60)},
			// 40, 70, 50: the fitted line ends at 60 for 2025, the measured value is 50.
			rows: []Measurement{rr("I1", "A", "2023-01", 40, 100), rr("I1", "A", "2024-01", 70, 100), rr("I1", "A", "2025-01", 50, 100)},
			check: func(t *testing.T, r Result) {
				wantPtr(t, "Value", r.Value, 50)
				wantPtr(t, "Forecast", r.Forecast, 50)
				if r.WillReach == nil || *r.WillReach {
					t.Errorf("WillReach = %v, want false: 50 is below the ambition 60", r.WillReach)
				}
			},
		},
		{
			name: "pro-rated limits of a sum are rounded like the value",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0) }),
			// 100 a year: 75 by September; red default 50 → 37.5 → 38 at 0 decimals.
			ambs: []Ambition{amb(2025, 100)},
			rows: monthly("I1", "A", "2025-01", 9, 9, 9, 9, 9, 9, 9, 8, 8),
			check: func(t *testing.T, r Result) {
				if r.Thresholds == nil || r.Thresholds.GreenLimit != 75 || r.Thresholds.RedLimit != 38 {
					t.Errorf("Thresholds = %+v, want green 75 and red 38 (37.5 rounded)", r.Thresholds)
				}
				wantPtr(t, "Value", r.Value, 79)
				wantStatus(t, r, Green)
			},
		},
	}
	runEvalCases(t, tests)
}

// TestSumTrendOnRollingYear pins the stability rule of sum indicators with
// a year of history: the trend is that of the rolling yearly total, so one
// month's dip in an otherwise higher run rate is not a worsening (G-009 on
// the demo), while a run rate that really falls is.
func TestSumTrendOnRollingYear(t *testing.T) {
	ind := with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(1200000) })
	year2024 := []float64{70500, 68700, 78400, 60500, 62000, 86100, 111000, 114000, 109800, 101700, 95800, 76700}
	tests := []struct {
		name string
		y25  []float64
		want Trend
	}{
		// Apr–Sep 2025 119 900 … 130 100, then 82 500 in August: a per-month
		// fit over the last six months falls about 4 000 a month (20 000 over
		// the window, far above 5 % of the monthly share 100 000), but every
		// month of 2025 except August beats the same month of 2024, so the
		// rolling yearly total keeps rising.
		{"one month's dip in a rising year", []float64{112500, 106600, 90900, 119900, 127100, 113100, 130100, 82500, 114000}, Improving},
		// The run rate the same as a year ago, month for month: the rolling
		// total stands still.
		{"same as last year", year2024[:9], Stable},
		// Every month of 2025 well below the same month of 2024: the rolling
		// yearly total falls by more than 5 % of the 1 200 000 gap.
		{"run rate falls all year", []float64{40000, 40000, 40000, 30000, 30000, 40000, 50000, 50000, 50000}, Worsening},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := append(monthly("I1", "A", "2024-01", year2024...), monthly("I1", "A", "2025-01", tt.y25...)...)
			reg := &Register{Units: testUnits(), Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 900000)}, Measurements: rows}
			r := mustIndex(t, reg).Evaluate(ind, "A", mo("2025-09"), DefaultSettings())
			if r.Trend != tt.want {
				t.Errorf("Trend = %s (slope %.0f a month), want %s", r.Trend, r.Slope, tt.want)
			}
		})
	}
}

// TestEvaluateNonFinite feeds NaN and ±Inf (possible only in a register
// built in memory: Load skips such rows) and checks they are never shown
// nor judged by colour.
func TestEvaluateNonFinite(t *testing.T) {
	notShown := func(t *testing.T, r Result) {
		t.Helper()
		wantStatus(t, r, Invalid)
		wantNote(t, r.Notes, NoteNotFinite)
		if r.Value != nil {
			t.Errorf("Value = %v, want none", *r.Value)
		}
		for _, u := range r.Units {
			if u.Value != nil && !Finite(*u.Value) || u.Value == nil && (u.Status == Green || u.Status == Yellow || u.Status == Red) {
				t.Errorf("unit %s: value %v with status %s", u.UnitID, u.Value, u.Status)
			}
		}
		if r.Forecast != nil && !Finite(*r.Forecast) || r.Progress != nil && !Finite(*r.Progress) {
			t.Errorf("forecast %v, progress %v: want finite or none", r.Forecast, r.Progress)
		}
	}
	tests := []evalCase{
		{
			name:  "NaN value in a mean",
			ind:   meanInd(),
			ambs:  []Ambition{amb(2025, 5)},
			rows:  append(monthly("I1", "A", "2025-06", 6, 6, 6), vr("I1", "A", "2025-09", math.NaN()), vr("I1", "B", "2025-09", 4)),
			check: notShown,
		},
		{
			name:  "infinite numerator in a ratio",
			ind:   ratioInd(),
			ambs:  []Ambition{amb(2025, 50)},
			rows:  []Measurement{rr("I1", "A", "2025-09", math.Inf(1), 2), rr("I1", "B", "2025-09", 1, 2)},
			check: notShown,
		},
		{
			name: "NaN threshold",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, math.NaN())},
			rows: []Measurement{rr("I1", "A", "2025-09", 1, 2)},
			check: func(t *testing.T, r Result) {
				wantStatus(t, r, Invalid)
				wantNote(t, r.Notes, NoteNotFinite)
			},
		},
	}
	runEvalCases(t, tests)
}

// TestForecastRoundedToWhatItCanMean pins the rounding of projections: a
// kroner forecast to two significant digits, judged as shown; a measured
// year keeps its decimals.
func TestForecastRoundedToWhatItCanMean(t *testing.T) {
	ind := with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(12000000) })
	// 575 561 a month: 5 180 049 by September, 6 906 732 by December.
	rows := monthly("I1", "A", "2025-01", 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561)
	reg := &Register{Units: testUnits(), Indicators: []Indicator{ind}, Ambitions: []Ambition{amb(2025, 6950000)}, Measurements: rows}
	r := mustIndex(t, reg).Evaluate(ind, "A", mo("2025-09"), DefaultSettings())
	wantPtr(t, "Forecast", r.Forecast, 6900000)
	wantBool(t, "WillReach", r.WillReach, false)

	yearly := Indicator{ID: "I2", BenefitID: "G1", Name: "Andel", Unit: "%", Direction: Up, Aggregation: Ratio, Frequency: Yearly, Decimals: 1}
	yreg := &Register{Units: testUnits(), Indicators: []Indicator{yearly},
		Ambitions:    []Ambition{{IndicatorID: "I2", Year: 2025, Target: 95}},
		Measurements: []Measurement{rr("I2", "A", "2023-01", 700, 1000), rr("I2", "A", "2024-01", 800, 1000), rr("I2", "A", "2025-01", 867, 1000)}}
	yr := mustIndex(t, yreg).Evaluate(yearly, "A", mo("2025-09"), DefaultSettings())
	wantPtr(t, "Forecast of a measured year", yr.Forecast, 86.7)
}
