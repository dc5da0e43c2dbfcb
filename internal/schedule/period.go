package schedule

import (
	"fmt"
	"time"
)

// PeriodRule says which report period a job's firing produces (SPEC §7 `period`).
type PeriodRule string

// The period rules a job may name.
const (
	PreviousMonth   PeriodRule = "previous_month"
	PreviousQuarter PeriodRule = "previous_quarter"
	PreviousYear    PeriodRule = "previous_year"
)

// ParsePeriodRule validates a period rule as written in the configuration.
func ParsePeriodRule(s string) (PeriodRule, error) {
	switch r := PeriodRule(s); r {
	case PreviousMonth, PreviousQuarter, PreviousYear:
		return r, nil
	}
	return "", fmt.Errorf("period rule %q: want previous_month, previous_quarter or previous_year", s)
}

// PeriodAt returns the report period for a firing at fire, read in loc:
// "YYYY-MM" for the previous month, the last month of the previous quarter
// as "YYYY-MM", or "YYYY" for the previous year; "" for an unknown rule.
func (r PeriodRule) PeriodAt(fire time.Time, loc *time.Location) string {
	t := fire.In(loc)
	y, m := t.Year(), int(t.Month())
	switch r {
	case PreviousMonth:
		m--
	case PreviousQuarter:
		m = (m-1)/3*3 + 1 - 1 // first month of the quarter, minus one
	case PreviousYear:
		return fmt.Sprintf("%04d", y-1)
	default:
		return ""
	}
	if m == 0 {
		y, m = y-1, 12
	}
	return fmt.Sprintf("%04d-%02d", y, m)
}

// windowStart is the first instant of the calendar month, quarter or year
// containing fire in loc: every firing from there up to fire yields the same
// period under r.
func (r PeriodRule) windowStart(fire time.Time, loc *time.Location) time.Time {
	t := fire.In(loc)
	y, m := t.Year(), t.Month()
	switch r {
	case PreviousQuarter:
		m = (m-1)/3*3 + 1
	case PreviousYear:
		m = time.January
	}
	return time.Date(y, m, 1, 0, 0, 0, 0, loc)
}

// FirstDue returns when period first fell due under r and spec: the first
// firing after the period ended that yields it. False when period is not
// one r produces, or spec does not fire before the next period takes over.
func (r PeriodRule) FirstDue(spec Spec, period string) (time.Time, bool) {
	loc := spec.Location()
	if loc == nil {
		return time.Time{}, false
	}
	var end time.Time // the first instant after the period
	switch r {
	case PreviousYear:
		t, err := time.ParseInLocation("2006", period, loc)
		if err != nil {
			return time.Time{}, false
		}
		end = t.AddDate(1, 0, 0)
	case PreviousMonth, PreviousQuarter:
		t, err := time.ParseInLocation("2006-01", period, loc)
		if err != nil {
			return time.Time{}, false
		}
		end = t.AddDate(0, 1, 0)
	default:
		return time.Time{}, false
	}
	f := spec.Next(end.Add(-time.Nanosecond))
	if f.IsZero() || r.PeriodAt(f, loc) != period {
		return time.Time{}, false
	}
	return f, true
}
