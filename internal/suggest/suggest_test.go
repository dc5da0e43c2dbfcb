package suggest

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones must load without the machine's zoneinfo
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"run", "run", 0},
		{"rn", "run", 1},
		{"", "abc", 3},
		{"conifg", "config", 1},
		{"startls", "starttls", 1},
		{"Olso", "Oslo", 1},
		{"kitten", "sitting", 3},
		{"ØÆÅ", "ÆØÅ", 1},
		{"ca", "abc", 3}, // optimal string alignment: no edit after a swap
	}
	for _, tt := range tests {
		t.Run(tt.a+"→"+tt.b, func(t *testing.T) {
			if got := Distance(tt.a, tt.b); got != tt.want {
				t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := Distance(tt.b, tt.a); got != tt.want {
				t.Errorf("Distance(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	commands := []string{"run", "daemon", "check", "mark-done", "schema", "demo", "healthcheck", "version", "help"}
	tests := []struct {
		name, word string
		candidates []string
		want       string
	}{
		{"command one letter missing", "rn", commands, "run"},
		{"command swapped letters", "deamon", commands, "daemon"},
		{"command case", "RUN", commands, "run"},
		{"command prefix", "health", commands, "healthcheck"},
		{"ambiguous prefix", "de", commands, ""},
		{"nothing close", "frobnicate", commands, ""},
		{"flag", "conifg", []string{"config", "period", "out"}, "config"},
		{"enum", "startls", []string{"starttls", "tls", "none"}, "starttls"},
		{"enum too far", "ssl", []string{"starttls", "tls", "none"}, ""},
		{"single letter", "x", []string{"nb", "nn", "en"}, ""},
		{"empty", "", []string{"a"}, ""},
		{"first of equals", "nx", []string{"nb", "nn"}, "nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Closest(tt.word, tt.candidates...); got != tt.want {
				t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestZone(t *testing.T) {
	tests := []struct{ name, want string }{
		{"Europe/Olso", "Europe/Oslo"},
		{"europe/oslo", "Europe/Oslo"},
		{"Europe/Osl", "Europe/Oslo"},
		{"Oslo", "Europe/Oslo"},
		{"Stokholm", "Europe/Stockholm"},
		{"Isle of Man", "Europe/Isle_of_Man"},
		{"Europe/Trondheim", ""},
		{"Mars/Olympus", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Zone(tt.name); got != tt.want {
				t.Errorf("Zone(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestZonesLoad checks every suggestion is a zone the program can load, so
// a suggestion never leads to a second error.
func TestZonesLoad(t *testing.T) {
	seen := map[string]bool{}
	for _, z := range Zones() {
		if seen[z] {
			t.Errorf("%s is listed twice", z)
		}
		seen[z] = true
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("suggested zone %s does not load: %v", z, err)
		}
	}
}

func TestHint(t *testing.T) {
	if got := Hint("run"); got != `; did you mean "run"?` {
		t.Errorf("Hint(run) = %q", got)
	}
	if got := Hint(""); got != "" {
		t.Errorf("Hint() = %q", got)
	}
}
