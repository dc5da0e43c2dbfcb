package register

import (
	"math"
	"strconv"
	"strings"
)

// Round rounds v to decimals places, halves away from zero, on v's decimal
// representation at 15 significant digits (so 0.15 rounds to 0.2 although
// the binary value is slightly below 0.15, and 23/80 × 100, computed as
// 28.749999999999996, rounds to 28.8 like the exact 28.75); negative
// decimals round to tens, hundreds, ….
func Round(v float64, decimals int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	if decimals < 0 {
		p := math.Pow(10, float64(-decimals))
		return Round(v/p, 0) * p
	}
	p := math.Pow(10, float64(decimals))
	if x := v * p; math.Abs(x) < 1e12 {
		// Fast path: away from a half the binary product rounds the same way
		// as the decimal representation does.
		frac := math.Abs(x) - math.Floor(math.Abs(x))
		if math.Abs(frac-0.5) > 1e-9+math.Abs(x)*1e-15 {
			r := math.Round(x) / p
			if r == 0 {
				return 0
			}
			return r
		}
	}
	return roundDecimal(v, decimals)
}

// roundDecimal rounds v's decimal representation half away from zero. It
// reads v at 15 significant digits first, the precision float64 holds
// reliably: the error a division or a running sum leaves in the last bits
// (28.749999999999996 for 23/80 × 100) would otherwise turn an exact half
// into a value just below it and round it the wrong way.
func roundDecimal(v float64, decimals int) float64 {
	neg := v < 0
	a, err := strconv.ParseFloat(strconv.FormatFloat(math.Abs(v), 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	s := strconv.FormatFloat(a, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) <= decimals {
		if neg {
			return -a
		}
		return a
	}
	up := frac[decimals] >= '5'
	truncated, err := strconv.ParseFloat(intPart+"."+frac[:decimals]+"0", 64)
	if err != nil {
		return v
	}
	p := math.Pow(10, float64(decimals))
	k := math.Round(truncated * p)
	if up {
		k++
	}
	r := k / p
	if neg && k != 0 {
		r = -r
	}
	return r
}

// RoundMeant rounds a forecast or a suggested ambition to what it can
// mean: at 1 000 and above (kroner, large counts) to two significant
// digits, as a projection is not known to the krone (6 906 733 kr is
// 6 900 000 kr); below 1 000 to the indicator's decimals.
func RoundMeant(v float64, decimals int) float64 {
	a := math.Abs(v)
	if math.IsNaN(v) || math.IsInf(v, 0) || a < 1000 {
		return Round(v, decimals)
	}
	digits := int(math.Floor(math.Log10(a))) + 1
	return Round(v, 2-digits)
}
