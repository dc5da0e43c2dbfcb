package register

import (
	"testing"
	"time"
)

func TestMonthHelpers(t *testing.T) {
	tests := []struct {
		name      string
		m         Month
		wantYear  int
		wantMonth time.Month
		wantStr   string
	}{
		{"january", MonthOf(2025, time.January), 2025, time.January, "2025-01"},
		{"december", MonthOf(2025, time.December), 2025, time.December, "2025-12"},
		{"add across december", MonthOf(2025, time.December).Add(1), 2026, time.January, "2026-01"},
		{"subtract across january", MonthOf(2025, time.January).Add(-1), 2024, time.December, "2024-12"},
		{"year zero january", Month(0), 0, time.January, "0000-01"},
		{"negative month is december of year -1", Month(-1), -1, time.December, "-001-12"},
		{"negative month thirteen back", Month(-13), -2, time.December, "-002-12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Year(); got != tc.wantYear {
				t.Errorf("Year = %d, want %d", got, tc.wantYear)
			}
			if got := tc.m.Month(); got != tc.wantMonth {
				t.Errorf("Month = %v, want %v", got, tc.wantMonth)
			}
			if got := tc.m.String(); got != tc.wantStr {
				t.Errorf("String = %q, want %q", got, tc.wantStr)
			}
		})
	}
}

func TestPeriodStart(t *testing.T) {
	tests := []struct {
		name string
		f    Frequency
		m    Month
		want Month
	}{
		{"monthly is the month", Monthly, MonthOf(2025, time.September), MonthOf(2025, time.September)},
		{"quarter of september is july", Quarterly, MonthOf(2025, time.September), MonthOf(2025, time.July)},
		{"quarter of july is july", Quarterly, MonthOf(2025, time.July), MonthOf(2025, time.July)},
		{"quarter of december is october", Quarterly, MonthOf(2025, time.December), MonthOf(2025, time.October)},
		{"quarter of january is january", Quarterly, MonthOf(2025, time.January), MonthOf(2025, time.January)},
		{"year of december is january", Yearly, MonthOf(2025, time.December), MonthOf(2025, time.January)},
		{"year of a negative month", Yearly, Month(-1), Month(-12)},
		{"quarter of a negative month", Quarterly, Month(-1), Month(-3)},
		{"unknown frequency is monthly", Frequency("week"), MonthOf(2025, time.May), MonthOf(2025, time.May)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.PeriodStart(tc.m); got != tc.want {
				t.Errorf("PeriodStart(%v) = %v, want %v", tc.m, got, tc.want)
			}
		})
	}
}

func TestParseMonth(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Month
		wantErr bool
	}{
		{"year and month", "2025-09", MonthOf(2025, time.September), false},
		{"first day of month", "2025-12-01", MonthOf(2025, time.December), false},
		{"not the first day", "2025-12-31", 0, true},
		{"month 13", "2025-13", 0, true},
		{"garbage", "sept", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMonth(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseMonth(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			}
			if !tc.wantErr && got != tc.want {
				t.Errorf("ParseMonth(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestMonthDays(t *testing.T) {
	tests := []struct {
		name      string
		m         Month
		wantFirst string
		wantLast  string
	}{
		{"february in a leap year", MonthOf(2024, time.February), "2024-02-01", "2024-02-29"},
		{"february otherwise", MonthOf(2025, time.February), "2025-02-01", "2025-02-28"},
		{"december", MonthOf(2025, time.December), "2025-12-01", "2025-12-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.FirstDay().Format(time.DateOnly); got != tc.wantFirst {
				t.Errorf("FirstDay = %s, want %s", got, tc.wantFirst)
			}
			if got := tc.m.LastDay().Format(time.DateOnly); got != tc.wantLast {
				t.Errorf("LastDay = %s, want %s", got, tc.wantLast)
			}
		})
	}
}
