package report

import (
	"time"

	"gevinstrapport/internal/register"
)

// dataThrough finds the latest measured period over a report's indicators
// by the last month that period covers, up to the report period, so that a
// quarter ending in September counts as September and is worded "3. kvartal
// 2025", never by its first month ("juli 2025"); a year already measured in
// September counts as September too. Of periods ending the same month, the
// finest is named ("september 2025" before "3. kvartal 2025" before "2025").
type dataThrough struct {
	until register.Month // the report period: no period counts beyond it
	start register.Month // first month of the latest period
	freq  register.Frequency
	set   bool
}

// add takes one indicator's latest measured period (nil: none).
func (d *dataThrough) add(ind register.Indicator, latest *register.Month) {
	if latest == nil {
		return
	}
	f := ind.Frequency
	start := f.PeriodStart(*latest)
	end := min(periodEnd(start, f), d.until)
	switch {
	case !d.set, end > d.end():
	case end == d.end() && f.Months() < d.freq.Months():
		// Same last month: the finer period says more ("september 2025").
	default:
		return
	}
	d.start, d.freq, d.set = start, f, true
}

func (d dataThrough) end() register.Month { return min(periodEnd(d.start, d.freq), d.until) }

// month is the last month covered, nil when nothing was measured.
func (d dataThrough) month() *register.Month {
	if !d.set {
		return nil
	}
	m := d.end()
	return &m
}

// text words the latest period in its own frequency, or Missing.
func (d dataThrough) text(c *Catalog) string {
	if !d.set {
		return Missing
	}
	return c.Period(d.start, d.freq)
}

// periodEnd is the last month of the period of frequency f starting at start.
func periodEnd(start register.Month, f register.Frequency) register.Month {
	n := f.Months()
	if n < 1 {
		n = 1
	}
	return start.Add(n - 1)
}

// periodAt is where a chart draws the value of the period of frequency f
// that starts at start, on an axis whose month labels sit at each month's
// first day: a month at that day, a longer period at the middle of its
// months' first days (a quarter at its middle month, a year at mid-June).
func periodAt(start register.Month, f register.Frequency) time.Time {
	first := start.FirstDay()
	n := f.Months()
	if n <= 1 {
		return first
	}
	last := start.Add(n - 1).FirstDay()
	return first.Add(last.Sub(first) / 2)
}
