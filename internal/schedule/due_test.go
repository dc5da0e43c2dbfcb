package schedule

import (
	"testing"
	"time"
)

func TestDuePeriods(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, oslo) }
	cases := []struct {
		name string
		spec string
		rule PeriodRule
		now  time.Time
		opt  Options
		want []Due
	}{
		{"monthly on the 3rd, before it fires", "0 6 3 * *", PreviousMonth, at(2025, 10, 3, 5), Options{},
			[]Due{{"2025-08", at(2025, 9, 3, 6), at(2025, 9, 3, 6)}}},
		{"monthly on the 3rd, after it fired", "0 6 3 * *", PreviousMonth, at(2025, 10, 3, 7), Options{},
			[]Due{{"2025-09", at(2025, 10, 3, 6), at(2025, 10, 3, 6)}}},
		{"daily firings of one month's period: due since the first", "0 6 * * *", PreviousMonth, at(2025, 10, 10, 12), Options{},
			[]Due{{"2025-09", at(2025, 10, 1, 6), at(2025, 10, 10, 6)}}},
		{"two periods caught up", "0 6 * * *", PreviousMonth, at(2025, 10, 10, 12), Options{CatchUpLimit: 2},
			[]Due{{"2025-08", at(2025, 9, 1, 6), at(2025, 9, 30, 6)}, {"2025-09", at(2025, 10, 1, 6), at(2025, 10, 10, 6)}}},
		{"firing older than the window", "0 6 3 * *", PreviousMonth, at(2025, 10, 20, 7), Options{CatchUpWindow: 10 * 24 * time.Hour},
			nil},
		{"yearly", "0 6 15 1 *", PreviousYear, at(2026, 1, 20, 0), Options{},
			[]Due{{"2025", at(2026, 1, 15, 6), at(2026, 1, 15, 6)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := Parse(c.spec, oslo)
			if err != nil {
				t.Fatal(err)
			}
			got := DuePeriods(Job{Name: "j", Spec: spec, Rule: c.rule}, c.now, c.opt)
			if len(got) != len(c.want) {
				t.Fatalf("DuePeriods = %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i].Period != c.want[i].Period || !got[i].First.Equal(c.want[i].First) || !got[i].Latest.Equal(c.want[i].Latest) {
					t.Errorf("due[%d] = %v, want %v", i, got[i], c.want[i])
				}
			}
		})
	}
}
