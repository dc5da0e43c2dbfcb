package register

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRound(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		want     float64
	}{
		{"up to next whole tenth", 9.96, 1, 10.0},
		{"down", 9.94, 1, 9.9},
		{"half away from zero although binary is below", 0.15, 1, 0.2},
		{"negative half away from zero", -0.15, 1, -0.2},
		{"half to whole", 2.5, 0, 3},
		{"negative half to whole", -2.5, 0, -3},
		{"two decimals half", 1.005, 2, 1.01},
		{"already short enough", 1.5, 2, 1.5},
		{"ratio value", 91.0 / 102 * 100, 1, 89.2},
		{"tens", 125, -1, 130},
		{"tens down", 123.45, -1, 120},
		{"large", 7624000.5, 0, 7624001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Round(tc.v, tc.decimals); got != tc.want {
				t.Errorf("Round(%v, %d) = %v, want %v", tc.v, tc.decimals, got, tc.want)
			}
		})
	}
}

func TestRoundSmallNegativeIsPositiveZero(t *testing.T) {
	if got := Round(-0.04, 1); got != 0 || math.Signbit(got) {
		t.Errorf("Round(-0.04, 1) = %v (signbit %v), want +0", got, math.Signbit(got))
	}
}

func TestRoundFastPathAgreesWithDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 200000 {
		d := rng.IntN(5)
		var v float64
		switch rng.IntN(3) {
		case 0:
			v = float64(rng.IntN(2000000)-1000000) / math.Pow(10, float64(rng.IntN(6))) // short decimals, many exact halves
		case 1:
			v = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(12)))
		default:
			v = float64(rng.IntN(1000)) / float64(1+rng.IntN(1000)) * 100
		}
		if got, want := Round(v, d), roundDecimal(v, d); got != want {
			t.Fatalf("Round(%v, %d) = %v, decimal rounding gives %v", v, d, got, want)
		}
	}
}

func TestRoundMeant(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		decimals int
		want     float64
	}{
		{"kroner to two significant digits", 6906733, 0, 6900000},
		{"half rounds up", 7550000, 0, 7600000},
		{"a thousand", 1049, 0, 1000},
		{"just below a thousand keeps its decimals", 999.44, 1, 999.4},
		{"per cent keeps its decimals", 83.349, 1, 83.3},
		{"negative", -12345, 0, -12000},
		{"a million exactly", 1000000, 0, 1000000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RoundMeant(tt.v, tt.decimals); got != tt.want {
				t.Errorf("RoundMeant(%v, %d) = %v, want %v", tt.v, tt.decimals, got, tt.want)
			}
		})
	}
}
