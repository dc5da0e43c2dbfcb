package register

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchRegister generates a region of 1 + hfs + hfs×perHF units with
// indicators of every aggregation, measured monthly in every leaf unit.
func benchRegister(hfs, perHF, indicators, months int) *Register {
	rng := rand.New(rand.NewPCG(7, 11))
	reg := &Register{Units: []OrgUnit{{ID: "R", Name: "Region", Kind: KindRHF}}}
	var leaves []string
	for h := range hfs {
		hid := fmt.Sprintf("H%02d", h)
		reg.Units = append(reg.Units, OrgUnit{ID: hid, Name: "Foretak " + hid, Kind: KindHF, ParentID: "R"})
		for u := range perHF {
			uid := fmt.Sprintf("%s-U%02d", hid, u)
			reg.Units = append(reg.Units, OrgUnit{ID: uid, Name: "Enhet " + uid, Kind: KindUnit, ParentID: hid})
			leaves = append(leaves, uid)
		}
	}
	start := mo("2022-01")
	aggs := []Aggregation{Ratio, Sum, Mean}
	for i := range indicators {
		ind := Indicator{
			ID: fmt.Sprintf("I%02d", i), BenefitID: "G1", Unit: "%", Direction: Up,
			Aggregation: aggs[i%3], Frequency: Monthly, Decimals: 1,
			BaselineValue: F(10), TargetValue: F(60), MinDenominator: F(5),
		}
		reg.Indicators = append(reg.Indicators, ind)
		for y := 2022; y <= 2025; y++ {
			reg.Ambitions = append(reg.Ambitions, Ambition{IndicatorID: ind.ID, Year: y, Target: float64(20 + 10*(y-2022))})
		}
		for _, u := range leaves {
			for m := range months {
				den := float64(1 + rng.IntN(200))
				reg.Measurements = append(reg.Measurements, Measurement{
					IndicatorID: ind.ID, OrgUnitID: u, Period: start.Add(m),
					Value: F(float64(rng.IntN(100))), Numerator: F(float64(rng.IntN(int(den) + 1))), Denominator: F(den),
				})
			}
		}
	}
	return reg
}

// BenchmarkEvaluate times one Evaluate on warm roll-ups (~400 units × 30
// indicators × 48 months), cycling through indicators and scopes at every level.
func BenchmarkEvaluate(b *testing.B) {
	reg := benchRegister(20, 19, 30, 48)
	x, err := NewIndex(reg)
	if err != nil {
		b.Fatal(err)
	}
	scopes := []string{"R", "H00", "H07", "H19", "H03-U04"}
	p := mo("2025-09")
	s := DefaultSettings()
	for _, ind := range reg.Indicators {
		x.Evaluate(ind, "R", p, s)
	}
	b.ReportMetric(float64(len(reg.Measurements)), "rows")
	i := 0
	for b.Loop() {
		ind := reg.Indicators[i%len(reg.Indicators)]
		x.Evaluate(ind, scopes[i%len(scopes)], p, s)
		i++
	}
}

// BenchmarkEvaluateCold times building the index and evaluating every
// indicator once at the top (every roll-up built once).
func BenchmarkEvaluateCold(b *testing.B) {
	reg := benchRegister(20, 19, 30, 48)
	p := mo("2025-09")
	s := DefaultSettings()
	for b.Loop() {
		x, err := NewIndex(reg)
		if err != nil {
			b.Fatal(err)
		}
		for _, ind := range reg.Indicators {
			x.Evaluate(ind, "R", p, s)
		}
	}
}

// BenchmarkCheck times the register-wide data-quality check on a fresh index.
func BenchmarkCheck(b *testing.B) {
	reg := benchRegister(20, 19, 30, 48)
	p := mo("2025-09")
	s := DefaultSettings()
	for b.Loop() {
		x, err := NewIndex(reg)
		if err != nil {
			b.Fatal(err)
		}
		Check(x, p, s)
	}
}
