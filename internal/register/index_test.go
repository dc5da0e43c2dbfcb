package register

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestNewIndexTree(t *testing.T) {
	tests := []struct {
		name       string
		units      []OrgUnit
		wantCycles [][]string
		wantScope  map[[2]string]bool // (scope, unit) → InScope
	}{
		{name: "a tree", units: testUnits(), wantScope: map[[2]string]bool{{"R", "A1"}: true, {"A", "B"}: false}},
		{name: "a dangling parent is a root", units: []OrgUnit{{ID: "A", ParentID: "GONE"}}},
		{
			name:       "a self parent is detached",
			units:      []OrgUnit{{ID: "R"}, {ID: "A", ParentID: "R"}, {ID: "S", ParentID: "S"}, {ID: "S1", ParentID: "S"}},
			wantCycles: [][]string{{"S"}},
			wantScope:  map[[2]string]bool{{"R", "A"}: true, {"S", "S1"}: true, {"R", "S"}: false, {"S", "S"}: true},
		},
		{
			name: "a cycle in a far branch detaches only its units",
			units: []OrgUnit{{ID: "R"}, {ID: "K", ParentID: "R"}, {ID: "A", ParentID: "C"}, {ID: "B", ParentID: "A"},
				{ID: "C", ParentID: "B"}, {ID: "B1", ParentID: "B"}},
			wantCycles: [][]string{{"A", "C", "B"}},
			wantScope: map[[2]string]bool{{"R", "K"}: true, {"B", "B1"}: true, {"A", "B"}: false,
				{"C", "A"}: false, {"R", "A"}: false},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, err := NewIndex(&Register{Units: tc.units})
			if err != nil {
				t.Fatalf("NewIndex: %v", err)
			}
			if !slices.EqualFunc(x.cycles, tc.wantCycles, slices.Equal) {
				t.Errorf("cycles = %v, want %v", x.cycles, tc.wantCycles)
			}
			for k, want := range tc.wantScope {
				if got := x.InScope(k[0], k[1]); got != want {
					t.Errorf("InScope(%s, %s) = %v, want %v", k[0], k[1], got, want)
				}
			}
		})
	}
	if _, err := NewIndex(nil); err == nil {
		t.Error("NewIndex(nil) succeeded, want an error")
	}
}

func TestIndexLookups(t *testing.T) {
	reg := &Register{
		Units:      testUnits(),
		People:     []Person{{ID: "P1", Name: "Kari"}},
		Benefits:   []Benefit{{ID: "G1", OrgUnitID: "R", OwnerID: "P1"}},
		Holders:    []Holder{{"G1", "B", "P1"}, {"G1", "A", "P1"}},
		Indicators: []Indicator{{ID: "I2", BenefitID: "G1"}, {ID: "I1", BenefitID: "G1"}},
		Ambitions:  []Ambition{amb(2025, 10)},
		Measurements: []Measurement{
			vr("I1", "A", "2025-03", 1), vr("I1", "A", "2025-11", 1), vr("I2", "B", "2024-01", 1),
		},
		Actions: []ChangeAction{
			{ID: "T3", BenefitID: "G1"},
			{ID: "T2", BenefitID: "G1", DueDate: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			{ID: "T1", BenefitID: "G1", DueDate: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)},
		},
	}
	x := mustIndex(t, reg)
	ids := func(n int, id func(int) string) []string {
		var out []string
		for i := range n {
			out = append(out, id(i))
		}
		return out
	}
	inds := x.IndicatorsOf("G1")
	acts := x.ActionsOf("G1")
	hold := x.HoldersOf("G1")
	kids := x.Children("R")
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"indicators by id", ids(len(inds), func(i int) string { return inds[i].ID }), []string{"I1", "I2"}},
		{"actions by due date, none last", ids(len(acts), func(i int) string { return acts[i].ID }), []string{"T2", "T1", "T3"}},
		{"holders by unit", ids(len(hold), func(i int) string { return hold[i].OrgUnitID }), []string{"A", "B"}},
		{"children by name", ids(len(kids), func(i int) string { return kids[i].ID }), []string{"A", "B", "C"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	scopes := []struct {
		scope, unit string
		want        bool
	}{
		{"R", "R", true}, {"R", "A1", true}, {"A", "A1", true}, {"A1", "A", false}, {"B", "A1", false}, {"R", "X", false}, {"R", "GONE", false},
	}
	for _, sc := range scopes {
		t.Run(fmt.Sprintf("InScope(%s,%s)", sc.scope, sc.unit), func(t *testing.T) {
			if got := x.InScope(sc.scope, sc.unit); got != sc.want {
				t.Errorf("got %v, want %v", got, sc.want)
			}
		})
	}
	if p, ok := x.LatestPeriod(); !ok || p != mo("2025-11") {
		t.Errorf("LatestPeriod = %v %v, want 2025-11", p, ok)
	}
	if _, ok := x.Ambition("I1", 2025); !ok {
		t.Error("Ambition(I1, 2025) not found")
	}
	if _, ok := x.Ambition("I1", 2026); ok {
		t.Error("Ambition(I1, 2026) found, want none")
	}
	if u, ok := x.Unit("A1"); !ok || u.ParentID != "A" {
		t.Errorf("Unit(A1) = %+v %v", u, ok)
	}
	if _, ok := x.Person("P1"); !ok {
		t.Error("Person(P1) not found")
	}
	if _, ok := x.Benefit("G1"); !ok {
		t.Error("Benefit(G1) not found")
	}
	if _, ok := x.Indicator("NOPE"); ok {
		t.Error("Indicator(NOPE) found")
	}
	if x.Register() != reg {
		t.Error("Register() is not the register given")
	}
}

// TestRollupMatchesBruteForce compares the roll-up with sums taken straight
// from the measurements over a random tree, for every unit as scope.
func TestRollupMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	units := []OrgUnit{{ID: "u0", Name: "u0"}}
	for i := 1; i < 60; i++ {
		units = append(units, OrgUnit{ID: fmt.Sprintf("u%d", i), Name: fmt.Sprintf("n%d", rng.IntN(100)), ParentID: fmt.Sprintf("u%d", rng.IntN(i))})
	}
	aggs := []Aggregation{Ratio, Sum, Mean}
	var inds []Indicator
	var rows []Measurement
	for k, agg := range aggs {
		ind := Indicator{ID: fmt.Sprintf("I%d", k), Aggregation: agg, Direction: Up, Frequency: Monthly, Decimals: 3, Unit: "%"}
		inds = append(inds, ind)
		for _, u := range units {
			for p := mo("2025-01"); p <= mo("2025-06"); p++ {
				if rng.IntN(3) == 0 {
					continue
				}
				m := Measurement{IndicatorID: ind.ID, OrgUnitID: u.ID, Period: p}
				switch rng.IntN(4) {
				case 0:
					m.Value = F(float64(rng.IntN(100)))
				case 1:
					m.Numerator, m.Denominator = F(float64(rng.IntN(50))), F(float64(1+rng.IntN(50)))
				default:
					m.Value = F(float64(rng.IntN(100)))
					m.Numerator, m.Denominator = F(float64(rng.IntN(50))), F(float64(1+rng.IntN(50)))
				}
				rows = append(rows, m)
			}
		}
	}
	x := mustIndex(t, &Register{Units: units, Indicators: inds, Measurements: rows})
	p := mo("2025-04")
	for _, ind := range inds {
		for _, scope := range units {
			var num, den, val float64
			var n int
			for _, m := range rows {
				if m.IndicatorID != ind.ID || m.Period != p || !x.InScope(scope.ID, m.OrgUnitID) {
					continue
				}
				switch {
				case ind.Aggregation == Ratio && m.Numerator != nil && m.Denominator != nil:
					num, den, n = num+*m.Numerator, den+*m.Denominator, n+1
				case ind.Aggregation != Ratio && m.Value != nil:
					val, n = val+*m.Value, n+1
				case ind.Aggregation == Mean && m.Numerator != nil:
					val, n = val + *m.Numerator / *m.Denominator * 100, n+1
				}
			}
			r := x.Evaluate(ind, scope.ID, p, DefaultSettings())
			name := fmt.Sprintf("%s scope %s", ind.ID, scope.ID)
			if n == 0 {
				if r.Status != NoData {
					t.Errorf("%s: status %s, want no_data", name, r.Status)
				}
				continue
			}
			var want float64
			switch ind.Aggregation {
			case Ratio:
				want = num / den * 100
			case Sum:
				want = 0
				// Sum is judged year to date: add January–March.
				for _, m := range rows {
					if m.IndicatorID == ind.ID && m.Period.Year() == 2025 && m.Period <= p && m.Value != nil && x.InScope(scope.ID, m.OrgUnitID) {
						want += *m.Value
					}
				}
			case Mean:
				want = val / float64(n)
			}
			if r.Value == nil || !near(*r.Value, Round(want, 3)) {
				t.Errorf("%s: value %v, want %v", name, r.Value, Round(want, 3))
			}
		}
	}
}
