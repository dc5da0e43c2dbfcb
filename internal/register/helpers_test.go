package register

import (
	"math"
	"slices"
	"testing"
)

// testUnits is a small org tree: R (Region) with A (Alfa, with A1), B and C; X is a separate root.
func testUnits() []OrgUnit {
	return []OrgUnit{
		{ID: "R", Name: "Region", Kind: KindRHF},
		{ID: "B", Name: "Beta", Kind: KindHF, ParentID: "R"},
		{ID: "A", Name: "Alfa", Kind: KindHF, ParentID: "R"},
		{ID: "C", Name: "Celsius", Kind: KindKommune, ParentID: "R"},
		{ID: "A1", Name: "Alfa avdeling", Kind: KindUnit, ParentID: "A"},
		{ID: "X", Name: "Other", Kind: KindRHF},
	}
}

func mo(s string) Month {
	m, err := ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func mp(s string) *Month {
	m := mo(s)
	return &m
}

func rr(ind, unit, p string, num, den float64) Measurement {
	return Measurement{IndicatorID: ind, OrgUnitID: unit, Period: mo(p), Numerator: F(num), Denominator: F(den)}
}

func vr(ind, unit, p string, v float64) Measurement {
	return Measurement{IndicatorID: ind, OrgUnitID: unit, Period: mo(p), Value: F(v)}
}

// monthly returns value rows for unit from the month start, one per value.
func monthly(ind, unit, start string, values ...float64) []Measurement {
	var out []Measurement
	for i, v := range values {
		out = append(out, Measurement{IndicatorID: ind, OrgUnitID: unit, Period: mo(start).Add(i), Value: F(v)})
	}
	return out
}

func ratioInd() Indicator {
	return Indicator{ID: "I1", BenefitID: "G1", Name: "Andel", Unit: "%", Direction: Up, Aggregation: Ratio, Frequency: Monthly, Decimals: 1}
}

func sumInd() Indicator {
	return Indicator{ID: "I1", BenefitID: "G1", Name: "Sparte kroner", Unit: "kr", Direction: Up, Aggregation: Sum, Frequency: Monthly, Decimals: 0}
}

func meanInd() Indicator {
	return Indicator{ID: "I1", BenefitID: "G1", Name: "Ventetid", Unit: "dager", Direction: Down, Aggregation: Mean, Frequency: Monthly, Decimals: 1}
}

func amb(year int, target float64) Ambition {
	return Ambition{IndicatorID: "I1", Year: year, Target: target}
}

func ambLimits(year int, target, red, green float64) Ambition {
	return Ambition{IndicatorID: "I1", Year: year, Target: target, RedLimit: F(red), GreenLimit: F(green)}
}

func mustIndex(t testing.TB, reg *Register) *Index {
	t.Helper()
	x, err := NewIndex(reg)
	if err != nil {
		t.Fatalf("NewIndex: %v", err)
	}
	return x
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func wantPtr(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", what, want)
		return
	}
	if !near(*got, want) {
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func wantNil(t *testing.T, what string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", what, *got)
	}
}

func wantBool(t *testing.T, what string, got *bool, want bool) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", what, want)
		return
	}
	if *got != want {
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func hasNote(notes []Note, code NoteCode) bool {
	return slices.ContainsFunc(notes, func(n Note) bool { return n.Code == code })
}

func wantNote(t *testing.T, notes []Note, code NoteCode) {
	t.Helper()
	if !hasNote(notes, code) {
		t.Errorf("no %s note in %v", code, noteCodes(notes))
	}
}

func wantNoNote(t *testing.T, notes []Note, code NoteCode) {
	t.Helper()
	if hasNote(notes, code) {
		t.Errorf("unexpected %s note in %v", code, noteCodes(notes))
	}
}

func noteCodes(notes []Note) []NoteCode {
	var out []NoteCode
	for _, n := range notes {
		out = append(out, n.Code)
	}
	return out
}
