package schedule

import (
	"testing"
	"time"
)

func TestParsePeriodRule(t *testing.T) {
	tests := []struct {
		in      string
		want    PeriodRule
		wantErr bool
	}{
		{"previous_month", PreviousMonth, false},
		{"previous_quarter", PreviousQuarter, false},
		{"previous_year", PreviousYear, false},
		{"", "", true},
		{"month", "", true},
		{"Previous_Month", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParsePeriodRule(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParsePeriodRule(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("ParsePeriodRule(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPeriodAt(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	tests := []struct {
		name string
		rule PeriodRule
		fire string
		want string
	}{
		{"month", PreviousMonth, "2025-10-03T04:00:00Z", "2025-09"},
		{"month across new year", PreviousMonth, "2026-01-03T05:00:00Z", "2025-12"},
		{"month uses the local date", PreviousMonth, "2025-09-30T22:30:00Z", "2025-09"}, // 00:30 on 1 October in Oslo
		{"quarter in Q4", PreviousQuarter, "2025-10-03T04:00:00Z", "2025-09"},
		{"quarter end of Q4", PreviousQuarter, "2025-12-31T12:00:00Z", "2025-09"},
		{"quarter in Q1", PreviousQuarter, "2026-02-15T12:00:00Z", "2025-12"},
		{"quarter in Q2", PreviousQuarter, "2026-04-01T12:00:00Z", "2026-03"},
		{"quarter in Q3", PreviousQuarter, "2026-09-30T12:00:00Z", "2026-06"},
		{"year", PreviousYear, "2026-01-15T06:00:00Z", "2025"},
		{"year uses the local date", PreviousYear, "2025-12-31T23:30:00Z", "2025"}, // 00:30 on 1 January 2026 in Oslo
		{"unknown rule", PeriodRule("weekly"), "2026-01-15T06:00:00Z", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.PeriodAt(utc(t, tc.fire), oslo); got != tc.want {
				t.Errorf("%s.PeriodAt(%s) = %q, want %q", tc.rule, tc.fire, got, tc.want)
			}
		})
	}
}

func TestWindowStart(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	tests := []struct {
		rule PeriodRule
		fire string
		want string
	}{
		{PreviousMonth, "2025-10-03T04:00:00Z", "2025-09-30T22:00:00Z"},
		{PreviousQuarter, "2025-11-03T05:00:00Z", "2025-09-30T22:00:00Z"},
		{PreviousYear, "2025-11-03T05:00:00Z", "2024-12-31T23:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(string(tc.rule), func(t *testing.T) {
			fire := utc(t, tc.fire)
			got := tc.rule.windowStart(fire, oslo)
			if !got.Equal(utc(t, tc.want)) {
				t.Errorf("windowStart(%s) = %v, want %s", tc.fire, got.UTC(), tc.want)
			}
			// The whole window yields one period; just before it, another.
			if a, b := tc.rule.PeriodAt(got, oslo), tc.rule.PeriodAt(fire, oslo); a != b {
				t.Errorf("window start yields %s, fire yields %s", a, b)
			}
			if a, b := tc.rule.PeriodAt(got.Add(-time.Nanosecond), oslo), tc.rule.PeriodAt(fire, oslo); a == b {
				t.Errorf("instant before the window also yields %s", a)
			}
		})
	}
}

func TestFirstDue(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	tests := []struct {
		name   string
		rule   PeriodRule
		spec   string
		period string
		want   string // "" when none
	}{
		{"month", PreviousMonth, "0 6 3 * *", "2025-09", "2025-10-03T04:00:00Z"},
		{"month across new year", PreviousMonth, "0 6 3 * *", "2025-12", "2026-01-03T05:00:00Z"},
		{"firing at midnight of the first", PreviousMonth, "0 0 1 * *", "2025-09", "2025-09-30T22:00:00Z"},
		{"daily job: the first day's firing", PreviousMonth, "30 7 * * *", "2025-09", "2025-10-01T05:30:00Z"},
		{"quarter", PreviousQuarter, "0 6 5 1,4,7,10 *", "2025-09", "2025-10-05T04:00:00Z"},
		{"year", PreviousYear, "0 6 15 1 *", "2025", "2026-01-15T05:00:00Z"},
		{"a period the rule does not produce", PreviousQuarter, "0 6 5 * *", "2025-08", ""},
		{"no firing before the next period", PreviousMonth, "0 6 3 1 *", "2025-09", ""},
		{"not a period", PreviousMonth, "0 6 3 * *", "september", ""},
		{"a month for a yearly rule", PreviousYear, "0 6 15 1 *", "2025-09", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := Parse(tc.spec, oslo)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := tc.rule.FirstDue(spec, tc.period)
			if tc.want == "" {
				if ok {
					t.Errorf("FirstDue(%s) = %v, want none", tc.period, got.UTC())
				}
				return
			}
			if !ok || !got.Equal(utc(t, tc.want)) {
				t.Errorf("FirstDue(%s) = %v, %v; want %s", tc.period, got.UTC(), ok, tc.want)
			}
		})
	}
}
