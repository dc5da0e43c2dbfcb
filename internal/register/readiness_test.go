package register

import (
	"slices"
	"testing"
)

// readinessRegister has five monthly indicators (I1–I5, ratio, sum, mean
// kinds) on an active benefit, a quarterly one (Q1), and a monthly one (IC)
// on a closed benefit; every indicator has data through 2025-08.
func readinessRegister() *Register {
	reg := &Register{
		Units: testUnits(),
		Benefits: []Benefit{
			{ID: "G1", Title: "Aktiv", OrgUnitID: "R", OwnerID: "P", Phase: PhaseRealise},
			{ID: "G2", Title: "Lukket", OrgUnitID: "R", OwnerID: "P", Phase: PhaseClosed},
		},
	}
	for _, id := range []string{"I1", "I2", "I3", "I4", "I5"} {
		ind := ratioInd()
		ind.ID = id
		reg.Indicators = append(reg.Indicators, ind)
	}
	reg.Indicators[3].Aggregation = Sum
	reg.Indicators[4].Aggregation = Mean
	q := ratioInd()
	q.ID, q.Frequency = "Q1", Quarterly
	c := ratioInd()
	c.ID, c.BenefitID = "IC", "G2"
	reg.Indicators = append(reg.Indicators, q, c)
	for m := mo("2025-01"); m <= mo("2025-08"); m++ {
		for _, id := range []string{"I1", "I2", "I3", "IC"} {
			reg.Measurements = append(reg.Measurements, rr(id, "A", m.String(), 10, 20))
		}
		reg.Measurements = append(reg.Measurements, vr("I4", "A", m.String(), 5), vr("I5", "B", m.String(), 7))
	}
	reg.Measurements = append(reg.Measurements, rr("Q1", "A", "2025-07", 3, 4))
	return reg
}

func TestReadiness(t *testing.T) {
	dropQuarter := func(reg *Register) {
		reg.Measurements = slices.DeleteFunc(reg.Measurements, func(m Measurement) bool { return m.IndicatorID == "Q1" })
	}
	sep := func(ids ...string) func(*Register) {
		return func(reg *Register) {
			for _, id := range ids {
				row := rr(id, "A1", "2025-09", 1, 2)
				row.Value = F(0.5) // usable whatever the aggregation
				reg.Measurements = append(reg.Measurements, row)
			}
		}
	}
	tests := []struct {
		name    string
		edit    func(*Register)
		month   string
		min     float64
		state   ReadyState
		covered int
		total   int
		missing []string
	}{
		{"a month fully loaded", nil, "2025-08", 0.8, Ready, 5, 5, nil},
		{"not loaded, but the quarter's row covers the month", nil, "2025-09", 0.8, NotReady, 0, 5, []string{"I1", "I2", "I3", "I4", "I5"}},
		{"nothing for the month at all", nil, "2025-10", 0.8, NoPeriodData, 0, 5, []string{"I1", "I2", "I3", "I4", "I5"}},
		{"three of five is below 0.8", sep("I1", "I2", "I3"), "2025-09", 0.8, NotReady, 3, 5, []string{"I4", "I5"}},
		{"four of five is exactly 0.8", sep("I1", "I2", "I3", "I5"), "2025-09", 0.8, Ready, 4, 5, []string{"I4"}},
		{"three of five with a lower bar", sep("I1", "I2", "I3"), "2025-09", 0.6, Ready, 3, 5, []string{"I4", "I5"}},
		{"min_coverage 0: anything at all is enough", sep("I1"), "2025-09", 0, Ready, 1, 5, []string{"I2", "I3", "I4", "I5"}},
		{"min_coverage 1 wants every indicator", sep("I1", "I2", "I3", "I5"), "2025-09", 1, NotReady, 4, 5, []string{"I4"}},
		{"the closed benefit's data does not count", sep("IC", "I1", "I2"), "2025-09", 0.8, NotReady, 2, 5, []string{"I3", "I4", "I5"}},
		{"a row of NULLs is no data", func(reg *Register) {
			sep("I1", "I2", "I3")(reg)
			reg.Measurements = append(reg.Measurements,
				Measurement{IndicatorID: "I4", OrgUnitID: "A", Period: mo("2025-09")},
				Measurement{IndicatorID: "I5", OrgUnitID: "A", Period: mo("2025-09"), Numerator: F(1)})
		}, "2025-09", 0.8, NotReady, 3, 5, []string{"I4", "I5"}},
		{"not loaded, and no quarterly row either", dropQuarter, "2025-09", 0.8, NoPeriodData, 0, 5, []string{"I1", "I2", "I3", "I4", "I5"}},
		{"a ratio row needs numerator and denominator", func(reg *Register) {
			dropQuarter(reg)
			reg.Measurements = append(reg.Measurements,
				Measurement{IndicatorID: "I1", OrgUnitID: "A", Period: mo("2025-09"), Value: F(3)})
		}, "2025-09", 0.8, NoPeriodData, 0, 5, []string{"I1", "I2", "I3", "I4", "I5"}},
		{"only quarterly indicators: ready once the quarter has data", func(reg *Register) {
			reg.Indicators = slices.DeleteFunc(reg.Indicators, func(i Indicator) bool { return i.ID != "Q1" })
		}, "2025-09", 0.8, Ready, 0, 0, nil},
		{"no measurements at all", func(reg *Register) { reg.Measurements = nil }, "2025-09", 0.8, RegisterEmpty, 0, 5, []string{"I1", "I2", "I3", "I4", "I5"}},
		{"no active indicator", func(reg *Register) {
			reg.Benefits[0].Phase = PhaseClosed
		}, "2025-08", 0.8, RegisterEmpty, 0, 0, nil},
		{"a benefit's second row does not reopen it", func(reg *Register) {
			reg.Benefits[0].Phase = PhaseClosed
			reg.Benefits = append(reg.Benefits, Benefit{ID: "G1", Phase: PhaseRealise})
		}, "2025-08", 0.8, RegisterEmpty, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := readinessRegister()
			if tt.edit != nil {
				tt.edit(reg)
			}
			x, err := NewIndex(reg)
			if err != nil {
				t.Fatal(err)
			}
			r := x.Readiness(mo(tt.month), mo(tt.month), tt.min)
			if r.State != tt.state || r.Covered != tt.covered || r.Total != tt.total || !slices.Equal(r.Missing, tt.missing) {
				t.Errorf("Readiness(%s, %v) = %s, %d of %d, missing %v; want %s, %d of %d, missing %v",
					tt.month, tt.min, r.State, r.Covered, r.Total, r.Missing, tt.state, tt.covered, tt.total, tt.missing)
			}
			if r.Month != mo(tt.month) || r.MinCoverage != tt.min {
				t.Errorf("Readiness echoes month %s, min %v", r.Month, r.MinCoverage)
			}
		})
	}
}

// The annual report's period is the year: coverage is judged on December,
// but a year with data in any month is not "no data at all".
func TestReadinessOfAYear(t *testing.T) {
	x, err := NewIndex(readinessRegister())
	if err != nil {
		t.Fatal(err)
	}
	r := x.Readiness(mo("2025-01"), mo("2025-12"), 0.8)
	if r.State != NotReady || r.Covered != 0 || r.Total != 5 || r.Month != mo("2025-12") {
		t.Errorf("2025 without December = %s, %d of %d at %s; want not_ready, 0 of 5 at 2025-12", r.State, r.Covered, r.Total, r.Month)
	}
	if r := x.Readiness(mo("2026-01"), mo("2026-12"), 0.8); r.State != NoPeriodData {
		t.Errorf("2026, a year without data = %s, want no_data", r.State)
	}
	if r := x.Readiness(mo("2024-01"), mo("2024-12"), 0.8); r.State != NoPeriodData || !r.HasLatest || r.Latest != mo("2025-08") {
		t.Errorf("2024, a year before the data = %s (latest %s), want no_data (latest 2025-08)", r.State, r.Latest)
	}
}

func TestReadinessCoverage(t *testing.T) {
	for _, tt := range []struct {
		covered, total int
		want           float64
	}{{0, 5, 0}, {4, 5, 0.8}, {5, 5, 1}, {0, 0, 1}} {
		if got := (Readiness{Covered: tt.covered, Total: tt.total}).Coverage(); got != tt.want {
			t.Errorf("Coverage of %d/%d = %v, want %v", tt.covered, tt.total, got, tt.want)
		}
	}
}
