package pdf

import (
	"math"
	"testing"

	"gevinstrapport/internal/register"
)

// grey is the lightness a greyscale print gives a colour (ITU-R BT.601 luma).
func grey(c rgb) float64 { return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B) }

func TestTrafficLightsDifferInGrey(t *testing.T) {
	g, y, r := grey(styleOf(register.Green).Fill), grey(styleOf(register.Yellow).Fill), grey(styleOf(register.Red).Fill)
	for _, p := range []struct {
		name string
		a, b float64
	}{{"green/red", g, r}, {"red/yellow", r, y}, {"green/yellow", g, y}} {
		if math.Abs(p.a-p.b) < 35 {
			t.Errorf("%s differ by %.0f grey levels; want at least 35 so grey print tells them apart", p.name, math.Abs(p.a-p.b))
		}
	}
	if patternOf(styleOf(register.Red).Fill) == 0 || patternOf(styleOf(register.Red).Tint) == 0 {
		t.Error("red fills and zones carry no pattern")
	}
	if patternOf(styleOf(register.Green).Fill) != 0 || patternOf(styleOf(register.Yellow).Fill) != 0 {
		t.Error("green or yellow carries red's pattern")
	}
}

func TestHatchLinesStayInsideTheRectangle(t *testing.T) {
	for _, h := range []hatch{'/', '\\'} {
		lines := hatchLines(h, 10, 20, 50, 30, 3)
		if len(lines) < 10 {
			t.Fatalf("%c: %d lines over a 40×10 rectangle at gap 3", h, len(lines))
		}
		for _, l := range lines {
			for _, x := range []float64{l[0], l[2]} {
				if x < 10-1e-9 || x > 50+1e-9 {
					t.Errorf("%c: line %v leaves the rectangle in x", h, l)
				}
			}
			for _, y := range []float64{l[1], l[3]} {
				if y < 20-1e-9 || y > 30+1e-9 {
					t.Errorf("%c: line %v leaves the rectangle in y", h, l)
				}
			}
		}
	}
	if hatchLines(0, 0, 0, 10, 10, 1) != nil {
		t.Error("no pattern draws lines")
	}
}

func TestBarRangeCutsTheAxisForDotsAndCapsShares(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	scores := Bars{Dots: true, Items: []Bar{{Value: 4.12, Target: f(4.19)}, {Value: 4.11, Target: f(4.26)}, {Value: 4.12}}}
	lo, hi := barRange(scores)
	if lo < 3.9 || hi > 4.4 {
		t.Errorf("dots on 4.11–4.26 span %.2f–%.2f; want an axis cut to the values", lo, hi)
	}
	bars := scores
	bars.Dots = false
	if lo, _ := barRange(bars); lo != 0 {
		t.Errorf("bars start at %v, want 0", lo)
	}
	share := Bars{Dots: true, Max: 100, Items: []Bar{{Value: 96}, {Value: 99}, {Value: 0, Empty: true}}}
	lo, hi = barRange(share)
	if vr, _ := cutTicksOf(share, lo, hi); vr[1] != 100 {
		t.Errorf("share axis ends at %v, want 100", vr[1])
	}
	over := Bars{Dots: true, Max: 100, Items: []Bar{{Value: 104}}}
	lo, hi = barRange(over)
	if vr, _ := cutTicksOf(over, lo, hi); vr[1] <= 104 {
		t.Errorf("a value above 100 %% is cut off: axis ends at %v", vr[1])
	}
	if ts := capTicks([]float64{80, 90, 100, 110}, 99, 100); ts[len(ts)-1] != 100 {
		t.Errorf("time series share ticks %v run past 100", ts)
	}
	if ts := capTicks([]float64{80, 90, 100, 110}, 104, 100); ts[len(ts)-1] != 110 {
		t.Errorf("time series ticks %v cut a value above 100", ts)
	}
}

func cutTicksOf(s Bars, lo, hi float64) ([2]float64, int) {
	vr, vt := valueTicks(lo, hi, defaultFormat)
	vr, vt = cutTicks(vr, vt, s)
	return vr, len(vt)
}
