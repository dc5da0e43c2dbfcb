package job

import "testing"

func TestPeriodForAll(t *testing.T) {
	tests := []struct {
		name, kind, in, want string
	}{
		{"a month gives the annual report the last complete year", Annual, "2025-09", "2024"},
		{"december completes its own year", Annual, "2025-12", "2025"},
		{"a year gives the monthly reports its december", Owner, "2024", "2024-12"},
		{"a month stays a month", Steering, "2025-09", "2025-09"},
		{"a year stays a year for the annual report", Annual, "2024", "2024"},
		{"empty stays empty: the default applies", Owner, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PeriodForAll(tt.kind, tt.in); got != tt.want {
				t.Errorf("PeriodForAll(%s, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}
