package schedule

import (
	"slices"
	"time"
)

// Due is a period a job owes: one the Scheduler runs unless the ledger
// records it as succeeded.
type Due struct {
	Period string
	First  time.Time // the first firing of the period's window: due since then
	Latest time.Time // the latest firing of the window up to now
}

// DuePeriods returns the periods of the latest opt.CatchUpLimit windows of
// j with a due firing within opt.CatchUpWindow, oldest first: the periods a
// Scheduler with opt runs at now unless they succeeded.
func DuePeriods(j Job, now time.Time, opt Options) []Due {
	opt = opt.withDefaults()
	oldest := now.Add(-opt.CatchUpWindow)
	loc := j.Spec.Location()
	var due []Due
	cursor := now
	for len(due) < opt.CatchUpLimit {
		f, ok := j.Spec.Prev(cursor)
		if !ok || f.Before(oldest) {
			break
		}
		// Every firing of this window yields the same period; look before it.
		start := j.Rule.windowStart(f, loc)
		if start.After(f) {
			start = f
		}
		p := j.Rule.PeriodAt(f, loc)
		first, ok := j.Rule.FirstDue(j.Spec, p)
		if !ok || first.After(f) {
			first = f
		}
		if !slices.ContainsFunc(due, func(d Due) bool { return d.Period == p }) {
			due = append(due, Due{Period: p, First: first, Latest: f})
		}
		cursor = start.Add(-time.Nanosecond)
	}
	slices.Reverse(due)
	return due
}
