// Package schedule runs the daemon's jobs on 5-field cron expressions in the
// configured time zone (SPEC §8), with anacron-like catch-up.
//
// Only robfig/cron's parser is used; the next-fire computation and the loop
// are our own, because robfig's runner skips, doubles or panics around
// daylight-saving changes in Europe/Oslo and never catches up.
//
// # Cron semantics
//
// Fields are minute (0–59), hour (0–23), day of month (1–31), month (1–12 or
// jan–dec) and day of week (0–6 with Sunday = 0, or sun–sat), each a list of
// values, ranges and steps. Day of month and day of week combine as in
// Vixie cron: when either field starts with "*" (including "*/n") a day must
// match both, otherwise it must match either ("0 6 1 * 1" fires on the 1st
// and on every Monday). The descriptors @yearly, @annually, @monthly,
// @weekly, @daily, @midnight and @hourly are accepted as their 5-field
// equivalents; @every and @reboot are rejected because they have no meaning
// on a wall clock. A "TZ=" or "CRON_TZ=" prefix is rejected: every schedule
// runs in the one configured time zone. An expression that can never fire
// ("0 0 30 2 *") is a parse error, so Next never has to give up on a parsed
// Spec.
//
// A Spec is defined on wall-clock time in its location: every matching
// wall-clock minute fires once, at an instant decided as follows.
//
//   - A wall-clock time that exists once fires at that instant.
//   - A wall-clock time that does not exist (the hour skipped when clocks go
//     forward: Europe/Oslo 2025-03-30 02:00–03:00) fires at the instant right
//     after the jump (03:00 CEST). Several matching minutes in the gap
//     collapse into that one firing, which also coincides with a firing of
//     03:00 itself if that matches.
//   - A wall-clock time that occurs twice (the hour repeated when clocks go
//     back: Europe/Oslo 2025-10-26 02:00–03:00) fires once, at its first
//     occurrence (CEST).
//
// This is what Vixie cron does for jobs at a fixed time of day. Unlike Vixie
// cron, jobs with wildcards in the minute or hour get the same treatment, so
// "*/30 * * * *" does not fire twice at 02:30 on the October night; that is
// what the reports need, since every firing produces and sends a report.
package schedule

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// starBit is the bit robfig's parser sets on a field written as "*".
const starBit = uint64(1) << 63

// lookbackDays bounds how far Prev searches into the past.
const lookbackDays = 400

// lookaheadDays bounds how far Next searches into the future; Parse rejects
// expressions that never fire, and Feb 29 recurs well within this.
const lookaheadDays = 30 * 366

// Spec is a parsed 5-field cron schedule bound to a time zone. The zero Spec
// never fires.
type Spec struct {
	expr                          string
	minute, hour, dom, month, dow uint64
	domStar, dowStar              bool
	loc                           *time.Location
}

var fieldNames = [5]string{"minute", "hour", "day-of-month", "month", "day-of-week"}

var descriptors = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

// Parse parses a 5-field cron expression whose times are wall-clock times in
// loc. It never panics.
func Parse(expr string, loc *time.Location) (spec Spec, err error) {
	defer func() {
		if r := recover(); r != nil {
			spec, err = Spec{}, fmt.Errorf("cron expression %q: invalid (%v)", expr, r)
		}
	}()
	if loc == nil {
		return Spec{}, fmt.Errorf("cron expression %q: no time zone given", expr)
	}
	fields := strings.Fields(expr)
	if len(fields) == 0 {
		return Spec{}, errors.New("cron expression is empty")
	}
	if strings.Contains(fields[0], "=") {
		return Spec{}, fmt.Errorf("cron expression %q: a time zone prefix (%s) is not allowed; schedules run in the configured time zone (%s)", expr, fields[0], loc)
	}
	if strings.HasPrefix(fields[0], "@") {
		std, ok := descriptors[strings.ToLower(fields[0])]
		if !ok || len(fields) != 1 {
			return Spec{}, fmt.Errorf("cron expression %q: unsupported descriptor; use 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @monthly, @weekly, @daily, @hourly", expr)
		}
		fields = strings.Fields(std)
	}
	if len(fields) != 5 {
		return Spec{}, fmt.Errorf("cron expression %q: expected exactly 5 fields (minute hour day-of-month month day-of-week), found %d", expr, len(fields))
	}
	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
	sched, perr := parser.Parse(strings.Join(fields, " "))
	if perr != nil {
		return Spec{}, fmt.Errorf("cron expression %q: %s", expr, fieldError(parser, fields, perr))
	}
	ss, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return Spec{}, fmt.Errorf("cron expression %q: unexpected schedule type %T", expr, sched)
	}
	spec = Spec{
		expr:    strings.Join(fields, " "),
		minute:  ss.Minute &^ starBit,
		hour:    ss.Hour &^ starBit,
		dom:     ss.Dom &^ starBit,
		month:   ss.Month &^ starBit,
		dow:     ss.Dow &^ starBit,
		domStar: isStar(fields[2]),
		dowStar: isStar(fields[4]),
		loc:     loc,
	}
	if !spec.canFire() {
		return Spec{}, fmt.Errorf("cron expression %q never fires: no month it names has the days of month it names", expr)
	}
	return spec, nil
}

// fieldError names the first field robfig rejects, falling back to its error.
func fieldError(parser cron.Parser, fields []string, whole error) string {
	for i := range fields {
		probe := []string{"*", "*", "*", "*", "*"}
		probe[i] = fields[i]
		if _, err := parser.Parse(strings.Join(probe, " ")); err != nil {
			return fmt.Sprintf("%s field %q: %v", fieldNames[i], fields[i], err)
		}
	}
	return whole.Error()
}

// isStar tells whether a day field counts as unrestricted for the
// day-of-month/day-of-week rule; Vixie cron looks at the first character.
func isStar(field string) bool {
	return strings.HasPrefix(field, "*") || strings.HasPrefix(field, "?")
}

// canFire reports whether some calendar date matches the day fields.
func (s Spec) canFire() bool {
	if s.minute == 0 || s.hour == 0 || s.month == 0 {
		return false
	}
	if !s.domStar && !s.dowStar && s.dow != 0 {
		return true // either field may match, and every month has every weekday
	}
	maxDays := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for m := 1; m <= 12; m++ {
		if s.month&(1<<m) == 0 {
			continue
		}
		for d := 1; d <= maxDays[m]; d++ {
			// Over the 400-year calendar cycle every date falls on every
			// weekday, so a nonempty day-of-week field can always be met.
			if s.dom&(1<<d) != 0 && s.dow != 0 {
				return true
			}
		}
	}
	return false
}

// String returns the expression in its 5-field form.
func (s Spec) String() string { return s.expr }

// Location is the time zone the Spec's wall-clock times are in.
func (s Spec) Location() *time.Location { return s.loc }

// IsZero reports whether s is the zero Spec, which never fires.
func (s Spec) IsZero() bool { return s.loc == nil }

// dayMatches applies the month and day fields to a calendar date.
func (s Spec) dayMatches(day time.Time) bool {
	if s.month&(1<<uint(day.Month())) == 0 {
		return false
	}
	domMatch := s.dom&(1<<uint(day.Day())) != 0
	dowMatch := s.dow&(1<<uint(day.Weekday())) != 0
	if s.domStar || s.dowStar {
		return domMatch && dowMatch
	}
	return domMatch || dowMatch
}

// Next returns the first fire instant strictly after after, in the Spec's
// location; the zero time for the zero Spec.
func (s Spec) Next(after time.Time) time.Time {
	if s.IsZero() {
		return time.Time{}
	}
	// fire is non-decreasing in wall-clock order, and no wall-clock minute
	// before after's own can fire after it, so scan forward from there.
	w0 := civil(after.In(s.loc)).Truncate(time.Minute)
	day := w0.Truncate(24 * time.Hour)
	for range lookaheadDays {
		if s.dayMatches(day) {
			for h := 0; h < 24; h++ {
				if s.hour&(1<<h) == 0 {
					continue
				}
				for m := 0; m < 60; m++ {
					if s.minute&(1<<m) == 0 {
						continue
					}
					w := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
					if w.Before(w0) {
						continue
					}
					if f := s.fire(w); f.After(after) {
						return f
					}
				}
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}
}

// Prev returns the latest fire instant at or before atOrBefore, searching
// back at most 400 days; false when there is none in that window.
func (s Spec) Prev(atOrBefore time.Time) (time.Time, bool) {
	if s.IsZero() {
		return time.Time{}, false
	}
	t := atOrBefore.In(s.loc)
	// After clocks go back, wall-clock minutes up to the size of the fold
	// later than t's own first occurred before t.
	start := civil(t).Add(foldAt(t))
	first := civil(t).Truncate(24*time.Hour).AddDate(0, 0, -lookbackDays)
	for day := start.Truncate(24 * time.Hour); !day.Before(first); day = day.AddDate(0, 0, -1) {
		if !s.dayMatches(day) {
			continue
		}
		for h := 23; h >= 0; h-- {
			if s.hour&(1<<h) == 0 {
				continue
			}
			for m := 59; m >= 0; m-- {
				if s.minute&(1<<m) == 0 {
					continue
				}
				w := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
				if w.After(start) {
					continue
				}
				if f := s.fire(w); !f.After(atOrBefore) {
					return f, true
				}
			}
		}
	}
	return time.Time{}, false
}

// civil returns t's wall clock in its location as the same reading in UTC,
// which makes calendar arithmetic free of zone transitions.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// foldAt is how far the clocks went back at the transition that started the
// zone in effect at t, or 0.
func foldAt(t time.Time) time.Duration {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return 0
	}
	_, before := start.Add(-time.Second).Zone()
	_, after := start.Zone()
	if before <= after {
		return 0
	}
	return time.Duration(before-after) * time.Second
}

// fire maps a wall-clock minute w (as a UTC reading) to its fire instant in
// s.loc: its first occurrence, or the end of the gap it falls in.
func (s Spec) fire(w time.Time) time.Time {
	naive := w.Unix()
	offsets := [3]int{
		offsetAt(naive-86400, s.loc),
		offsetAt(naive, s.loc),
		offsetAt(naive+86400, s.loc),
	}
	best, found := int64(0), false
	minOff := offsets[0]
	for _, o := range offsets {
		minOff = min(minOff, o)
		i := naive - int64(o)
		if offsetAt(i, s.loc) == o && (!found || i < best) {
			best, found = i, true
		}
	}
	if found {
		return time.Unix(best, 0).In(s.loc)
	}
	// w is in a gap: taken with the earlier (smaller) offset it lands after
	// the jump, in the zone that the jump starts.
	after := time.Unix(naive-int64(minOff), 0).In(s.loc)
	if start, _ := after.ZoneBounds(); !start.IsZero() {
		return start
	}
	return after
}

func offsetAt(unix int64, loc *time.Location) int {
	_, off := time.Unix(unix, 0).In(loc).Zone()
	return off
}
