package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load location %s: %v", name, err)
	}
	return loc
}

func mustParse(t testing.TB, expr string, loc *time.Location) Spec {
	t.Helper()
	s, err := Parse(expr, loc)
	if err != nil {
		t.Fatalf("Parse(%q): %v", expr, err)
	}
	return s
}

func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parse time %q: %v", s, err)
	}
	return v
}

func TestParseErrors(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	tests := []struct {
		name, expr, want string
	}{
		{"tz prefix", "TZ=Europe/Oslo 0 6 * * *", "time zone prefix"},
		{"cron_tz prefix", "CRON_TZ=UTC 0 6 * * *", "time zone prefix"},
		{"tz=0 robfig panics on", "TZ=0 0 6 * * *", "time zone prefix"},
		{"tz alone", "TZ=0", "time zone prefix"},
		{"tz without space", "TZ=UTC", "time zone prefix"},
		{"minute out of range", "61 * * * *", "minute field"},
		{"hour out of range", "0 24 * * *", "hour field"},
		{"dom zero", "0 6 0 * *", "day-of-month field"},
		{"month 13", "0 6 1 13 *", "month field"},
		{"dow 7", "0 6 * * 7", "day-of-week field"},
		{"three fields", "* * *", "expected exactly 5 fields"},
		{"six fields", "0 0 6 * * *", "expected exactly 5 fields"},
		{"empty", "", "empty"},
		{"blank", "   ", "empty"},
		{"letters", "a b c d e", "minute field"},
		{"huge number", "99999999999999999999 * * * *", "minute field"},
		{"zero step", "*/0 * * * *", "minute field"},
		{"double hyphen", "1-2-3 * * * *", "minute field"},
		{"negative", "-1 * * * *", "minute field"},
		{"reversed range", "0 6 * * 5-1", "day-of-week field"},
		{"every", "@every 1h", "unsupported descriptor"},
		{"reboot", "@reboot", "unsupported descriptor"},
		{"descriptor with fields", "@daily 0 6 * * *", "unsupported descriptor"},
		{"never fires feb 30", "0 0 30 2 *", "never fires"},
		{"never fires apr 31", "0 0 31 4,6,9,11 *", "never fires"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.expr, oslo)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want error containing %q", tc.expr, s, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tc.expr, err, tc.want)
			}
			if !s.IsZero() {
				t.Errorf("Parse(%q) returned a non-zero Spec with its error", tc.expr)
			}
		})
	}
	t.Run("nil location", func(t *testing.T) {
		if _, err := Parse("0 6 * * *", nil); err == nil {
			t.Error("Parse with nil location: want error")
		}
	})
}

func TestParseAccepts(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	after := utc(t, "2025-05-14T10:00:00Z")
	tests := []struct {
		name, expr, same string
	}{
		{"yearly", "@yearly", "0 0 1 1 *"},
		{"annually", "@annually", "0 0 1 1 *"},
		{"monthly", "@monthly", "0 0 1 * *"},
		{"weekly", "@weekly", "0 0 * * 0"},
		{"daily", "@daily", "0 0 * * *"},
		{"midnight upper case", "@MIDNIGHT", "0 0 * * *"},
		{"hourly", "@hourly", "0 * * * *"},
		{"names", "0 6 * jan-mar mon-fri", "0 6 * 1-3 1-5"},
		{"extra spaces", "  0   6 3 * *  ", "0 6 3 * *"},
		{"question mark", "0 6 ? * 1", "0 6 * * 1"},
		{"feb 29 fires", "0 0 29 2 *", "0 0 29 2 *"},
		{"feb 30 or monday fires", "0 0 30 2 1", "0 0 * 2 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := mustParse(t, tc.expr, oslo)
			b := mustParse(t, tc.same, oslo)
			ta, tb := after, after
			for range 20 {
				ta, tb = a.Next(ta), b.Next(tb)
				if !ta.Equal(tb) {
					t.Fatalf("%q fires at %v, %q at %v", tc.expr, ta, tc.same, tb)
				}
			}
			if strings.HasPrefix(tc.expr, "@") && a.String() != tc.same {
				t.Errorf("String() = %q, want the 5-field form %q", a.String(), tc.same)
			}
		})
	}
}

func TestNext(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	ny := mustLoc(t, "America/New_York")
	tokyo := mustLoc(t, "Asia/Tokyo")
	tests := []struct {
		name  string
		expr  string
		loc   *time.Location
		after string
		want  string
	}{
		{"march gap 02:30 fires at 03:00 CEST", "30 2 * * *", oslo, "2025-03-29T23:00:00Z", "2025-03-30T01:00:00Z"},
		{"march day after gap", "30 2 * * *", oslo, "2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"},
		{"march day before gap", "30 2 * * *", oslo, "2025-03-28T12:00:00Z", "2025-03-29T01:30:00Z"},
		{"october 02:30 first occurrence", "30 2 * * *", oslo, "2025-10-25T23:00:00Z", "2025-10-26T00:30:00Z"},
		{"october not again at 02:30 CET", "30 2 * * *", oslo, "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"},
		{"october from inside second 02:xx", "30 2 * * *", oslo, "2025-10-26T01:15:00Z", "2025-10-27T01:30:00Z"},
		{"march 02:00 fires at 03:00 CEST", "0 2 * * *", oslo, "2025-03-29T23:00:00Z", "2025-03-30T01:00:00Z"},
		{"october 02:00 first occurrence", "0 2 * * *", oslo, "2025-10-25T23:00:00Z", "2025-10-26T00:00:00Z"},
		{"october 02:00 not repeated", "0 2 * * *", oslo, "2025-10-26T00:00:00Z", "2025-10-27T01:00:00Z"},
		{"march 01:59 just before gap", "59 1 * * *", oslo, "2025-03-29T23:00:00Z", "2025-03-30T00:59:00Z"},
		{"october 01:59 before fold", "59 1 * * *", oslo, "2025-10-25T22:00:00Z", "2025-10-25T23:59:00Z"},
		{"march 03:00 CEST", "0 3 * * *", oslo, "2025-03-29T23:00:00Z", "2025-03-30T01:00:00Z"},
		{"october 03:00 CET", "0 3 * * *", oslo, "2025-10-25T23:00:00Z", "2025-10-26T02:00:00Z"},
		{"monthly owner report", "0 6 3 * *", oslo, "2025-09-03T04:00:00Z", "2025-10-03T04:00:00Z"},
		{"monthly just before", "0 6 3 * *", oslo, "2025-10-03T03:59:59.999Z", "2025-10-03T04:00:00Z"},
		{"monthly strictly after, into CET", "0 6 3 * *", oslo, "2025-10-03T04:00:00Z", "2025-11-03T05:00:00Z"},
		{"every 15 minutes", "*/15 * * * *", oslo, "2025-01-01T10:07:30Z", "2025-01-01T10:15:00Z"},
		{"every 15 minutes from a fire plus 1ns", "*/15 * * * *", oslo, "2025-01-01T10:15:00.000000001Z", "2025-01-01T10:30:00Z"},
		{"new year in Oslo", "0 0 1 1 *", oslo, "2025-06-01T00:00:00Z", "2025-12-31T23:00:00Z"},
		{"weekdays skip weekend", "0 6 * * 1-5", oslo, "2025-10-03T04:00:00Z", "2025-10-06T04:00:00Z"},
		{"dom or dow: monday", "0 6 1 * 1", oslo, "2025-09-01T04:00:00Z", "2025-09-08T04:00:00Z"},
		{"dom or dow: the 1st on a wednesday", "0 6 1 * 1", oslo, "2025-09-29T04:00:00Z", "2025-10-01T04:00:00Z"},
		{"star-step dom is and with dow", "0 6 */2 * 1", oslo, "2025-09-01T05:00:00Z", "2025-09-15T04:00:00Z"},
		{"feb 29", "0 12 29 2 *", oslo, "2025-01-01T00:00:00Z", "2028-02-29T11:00:00Z"},
		{"feb 29 after feb 29", "0 12 29 2 *", oslo, "2028-02-29T11:00:00Z", "2032-02-29T11:00:00Z"},
		{"utc has no gap", "30 2 * * *", time.UTC, "2025-03-30T00:00:00Z", "2025-03-30T02:30:00Z"},
		{"utc october", "30 2 * * *", time.UTC, "2025-10-26T02:30:00Z", "2025-10-27T02:30:00Z"},
		{"tokyo no dst", "30 2 * * *", tokyo, "2025-03-29T12:00:00Z", "2025-03-29T17:30:00Z"},
		{"new york gap", "30 2 * * *", ny, "2025-03-09T05:00:00Z", "2025-03-09T07:00:00Z"},
		{"new york fold", "30 1 * * *", ny, "2025-11-02T05:00:00Z", "2025-11-02T05:30:00Z"},
		{"new york fold not twice", "30 1 * * *", ny, "2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, tc.expr, tc.loc)
			got := s.Next(utc(t, tc.after))
			if want := utc(t, tc.want); !got.Equal(want) {
				t.Errorf("Next(%s) = %v (%s), want %v", tc.after, got.UTC(), got, want)
			}
			if got.Location() != tc.loc {
				t.Errorf("Next returned location %v, want %v", got.Location(), tc.loc)
			}
		})
	}
	t.Run("zero spec", func(t *testing.T) {
		if got := (Spec{}).Next(time.Now()); !got.IsZero() {
			t.Errorf("zero Spec Next = %v, want zero time", got)
		}
	})
}

func TestPrev(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	tests := []struct {
		name   string
		expr   string
		at     string
		want   string
		wantOK bool
	}{
		{"october inside second 02:xx finds first occurrence", "30 2 * * *", "2025-10-26T01:45:00Z", "2025-10-26T00:30:00Z", true},
		{"october at the fire", "30 2 * * *", "2025-10-26T00:30:00Z", "2025-10-26T00:30:00Z", true},
		{"october just before the fire", "30 2 * * *", "2025-10-26T00:29:59Z", "2025-10-25T00:30:00Z", true},
		{"october 02:10 CET is after the 02:30 CEST fire", "30 2 * * *", "2025-10-26T01:10:00Z", "2025-10-26T00:30:00Z", true},
		{"october second 02:30 is no fire", "30 2 * * *", "2025-10-26T01:30:00Z", "2025-10-26T00:30:00Z", true},
		{"march gap fire", "30 2 * * *", "2025-03-30T01:00:00Z", "2025-03-30T01:00:00Z", true},
		{"march before gap fire", "30 2 * * *", "2025-03-30T00:59:59Z", "2025-03-29T01:30:00Z", true},
		{"every 30 min: march gap collapses", "*/30 * * * *", "2025-03-30T01:10:00Z", "2025-03-30T01:00:00Z", true},
		{"every 30 min: before the gap", "*/30 * * * *", "2025-03-30T00:59:00Z", "2025-03-30T00:30:00Z", true},
		{"every 30 min: in the fold", "*/30 * * * *", "2025-10-26T01:50:00Z", "2025-10-26T00:30:00Z", true},
		{"monthly", "0 6 3 * *", "2025-10-10T00:00:00Z", "2025-10-03T04:00:00Z", true},
		{"yearly", "0 0 1 1 *", "2025-06-01T00:00:00Z", "2024-12-31T23:00:00Z", true},
		{"feb 29 within lookback", "0 12 29 2 *", "2025-01-01T00:00:00Z", "2024-02-29T11:00:00Z", true},
		{"feb 29 beyond lookback", "0 12 29 2 *", "2025-06-01T00:00:00Z", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, tc.expr, oslo)
			got, ok := s.Prev(utc(t, tc.at))
			if ok != tc.wantOK {
				t.Fatalf("Prev(%s) ok = %v, want %v (got %v)", tc.at, ok, tc.wantOK, got)
			}
			if ok && !got.Equal(utc(t, tc.want)) {
				t.Errorf("Prev(%s) = %v (%s), want %s", tc.at, got.UTC(), got, tc.want)
			}
		})
	}
	t.Run("zero spec", func(t *testing.T) {
		if _, ok := (Spec{}).Prev(time.Now()); ok {
			t.Error("zero Spec Prev ok = true, want false")
		}
	})
}

// bruteFires is an independent oracle: it walks every minute instant of
// [from, to) and derives the fire instants from the wall clocks it sees.
func bruteFires(s Spec, from, to time.Time) []time.Time {
	first := map[time.Time]time.Time{} // wall clock -> first instant showing it
	var walls []time.Time
	for i := from; i.Before(to); i = i.Add(time.Minute) {
		w := civil(i.In(s.loc))
		if _, seen := first[w]; !seen {
			first[w] = i
			walls = append(walls, w)
		}
	}
	var fires []time.Time
	add := func(f time.Time) {
		if len(fires) == 0 || !fires[len(fires)-1].Equal(f) {
			fires = append(fires, f)
		}
	}
	lo, hi := civil(from.In(s.loc)), civil(to.In(s.loc))
	for w := lo; w.Before(hi); w = w.Add(time.Minute) {
		if !s.dayMatches(w) || s.hour&(1<<w.Hour()) == 0 || s.minute&(1<<w.Minute()) == 0 {
			continue
		}
		if i, ok := first[w]; ok {
			add(i)
			continue
		}
		// Not shown by any instant: skipped; fires at the first instant
		// whose wall clock is later.
		for _, v := range walls {
			if v.After(w) {
				add(first[v])
				break
			}
		}
	}
	return fires
}

func TestNextMatchesBruteForce(t *testing.T) {
	exprs := []string{"30 2 * * *", "0 2 * * *", "59 1 * * *", "0 3 * * *", "*/30 * * * *", "*/7 1-3 * * *", "15,45 2 * * *", "0 0 * * *"}
	windows := []struct {
		zone, from string
	}{
		{"Europe/Oslo", "2025-03-29T12:00:00Z"},
		{"Europe/Oslo", "2025-10-25T12:00:00Z"},
		{"America/New_York", "2025-03-08T12:00:00Z"},
		{"America/New_York", "2025-11-01T12:00:00Z"},
		{"Australia/Lord_Howe", "2025-04-05T00:00:00Z"},
		{"Australia/Lord_Howe", "2025-10-04T00:00:00Z"},
		{"America/Santiago", "2025-04-05T12:00:00Z"},
		{"UTC", "2025-03-29T12:00:00Z"},
		{"Asia/Kolkata", "2025-03-29T12:00:00Z"},
	}
	for _, w := range windows {
		loc := mustLoc(t, w.zone)
		from := utc(t, w.from)
		to := from.Add(48 * time.Hour)
		for _, expr := range exprs {
			t.Run(w.zone+" "+w.from+" "+expr, func(t *testing.T) {
				s := mustParse(t, expr, loc)
				want := bruteFires(s, from, to)
				var got []time.Time
				for f := s.Next(from.Add(-time.Nanosecond)); f.Before(to); f = s.Next(f) {
					got = append(got, f)
				}
				if len(got) != len(want) {
					t.Fatalf("Next gives %d fires, brute force %d\n got: %v\nwant: %v", len(got), len(want), got, want)
				}
				for i := range got {
					if !got[i].Equal(want[i]) {
						t.Fatalf("fire %d: Next gives %v, brute force %v", i, got[i], want[i])
					}
				}
				for x := from; x.Before(to); x = x.Add(5 * time.Minute) {
					var latest time.Time
					for _, f := range want {
						if !f.After(x) {
							latest = f
						}
					}
					if p, ok := s.Prev(x); !latest.IsZero() && (!ok || !p.Equal(latest)) {
						t.Errorf("Prev(%v) = %v, %v; want %v", x, p, ok, latest)
					}
				}
				for i, f := range want {
					if p, ok := s.Prev(f); !ok || !p.Equal(f) {
						t.Errorf("Prev(%v) = %v, %v; want the fire itself", f, p, ok)
					}
					if i > 0 {
						if p, ok := s.Prev(f.Add(-time.Nanosecond)); !ok || !p.Equal(want[i-1]) {
							t.Errorf("Prev(%v - 1ns) = %v, %v; want %v", f, p, ok, want[i-1])
						}
					}
				}
			})
		}
	}
}

func TestFiringsPerDSTDay(t *testing.T) {
	oslo := mustLoc(t, "Europe/Oslo")
	tests := []struct {
		name      string
		expr      string
		day       string // local date
		wantFires int
	}{
		{"march every 30 min: 02:00 and 02:30 collapse into 03:00", "*/30 * * * *", "2025-03-30", 46},
		{"october every 30 min: no repeated wall clock", "*/30 * * * *", "2025-10-26", 48},
		{"plain day every 30 min", "*/30 * * * *", "2025-06-01", 48},
		{"march 02:30 once", "30 2 * * *", "2025-03-30", 1},
		{"october 02:30 once", "30 2 * * *", "2025-10-26", 1},
		{"march 02:xx every minute collapse to one", "* 2 * * *", "2025-03-30", 1},
		{"october 02:xx every minute once each", "* 2 * * *", "2025-10-26", 60},
		{"march 0 3 once", "0 3 * * *", "2025-03-30", 1},
		{"march 0 2 and 0 3 collapse", "0 2,3 * * *", "2025-03-30", 1},
		{"october 0 2 and 0 3 twice", "0 2,3 * * *", "2025-10-26", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, tc.expr, oslo)
			d, err := time.ParseInLocation("2006-01-02", tc.day, oslo)
			if err != nil {
				t.Fatal(err)
			}
			end := d.AddDate(0, 0, 1)
			seen := map[string]bool{}
			n := 0
			for f := s.Next(d.Add(-time.Nanosecond)); f.Before(end); f = s.Next(f) {
				n++
				wall := f.Format("15:04")
				if seen[wall] {
					t.Errorf("wall clock %s fires twice", wall)
				}
				seen[wall] = true
			}
			if n != tc.wantFires {
				t.Errorf("%s on %s fires %d times, want %d", tc.expr, tc.day, n, tc.wantFires)
			}
		})
	}
}

func BenchmarkNext(b *testing.B) {
	oslo := mustLoc(b, "Europe/Oslo")
	for _, expr := range []string{"0 6 3 * *", "*/15 * * * *", "0 12 29 2 *"} {
		s := mustParse(b, expr, oslo)
		at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		b.Run(expr, func(b *testing.B) {
			for b.Loop() {
				s.Next(at)
			}
		})
	}
}

func BenchmarkPrev(b *testing.B) {
	oslo := mustLoc(b, "Europe/Oslo")
	for _, expr := range []string{"0 6 3 * *", "*/15 * * * *", "0 12 29 2 *"} {
		s := mustParse(b, expr, oslo)
		at := time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC)
		b.Run(expr, func(b *testing.B) {
			for b.Loop() {
				s.Prev(at)
			}
		})
	}
}
