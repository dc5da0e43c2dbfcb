package report

import "testing"

// TestSingleIndicatorCounts pins the annual summary's count when a single
// indicator is judged: "Den ene måleindikatoren …", not "1 av 1".
func TestSingleIndicatorCounts(t *testing.T) {
	cats := loadCatalogs(t)
	tests := []struct {
		lang        string
		met, judged int
		partial     bool
		want        string
	}{
		{"nb", 1, 1, false, "Den ene måleindikatoren med årlig ambisjon og årstall nådde ambisjonen for 2024."},
		{"nb", 0, 1, true, "Den ene måleindikatoren med årlig ambisjon er ikke på sporet mot ambisjonen for 2024; året er ikke avsluttet (data til og med mars 2024)."},
		{"nb", 2, 3, false, "2 av 3 måleindikatorer med årlig ambisjon og årstall nådde ambisjonen for 2024."},
		{"nn", 0, 1, false, "Den eine måleindikatoren med årleg ambisjon og årstal nådde ikkje ambisjonen for 2024."},
		{"en", 1, 1, true, "The one indicator with a yearly ambition is on track for its ambition for 2024; the year is not over (data through mars 2024)."},
	}
	for _, tt := range tests {
		if got := metCountText(cats.For(tt.lang), tt.met, tt.judged, "2024", tt.partial, "mars 2024"); got != tt.want {
			t.Errorf("%s %d/%d partial %v: %q, want %q", tt.lang, tt.met, tt.judged, tt.partial, got, tt.want)
		}
	}
	if got := cats.For("nn").Count("steering.benefit.no_open_actions", "1"); got != "Ingen opne endringstiltak; 1 er sett i verk eller avbrote." {
		t.Errorf("nn one closed action: %q", got)
	}
}
