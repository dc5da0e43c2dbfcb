package schedule

import (
	"context"
	"testing"
	"time"
)

func TestFakeClock(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		timers    []time.Duration
		stop      []int // indexes of timers stopped before moving
		move      func(c *FakeClock)
		wantFired []bool
		wantLeft  int
	}{
		{"advance fires due timers", []time.Duration{time.Minute, time.Hour}, nil,
			func(c *FakeClock) { c.Advance(time.Minute) }, []bool{true, false}, 1},
		{"advance short of the deadline fires nothing", []time.Duration{time.Minute}, nil,
			func(c *FakeClock) { c.Advance(time.Second) }, []bool{false}, 1},
		{"set jumps over all", []time.Duration{time.Minute, time.Hour}, nil,
			func(c *FakeClock) { c.Set(start.Add(48 * time.Hour)) }, []bool{true, true}, 0},
		{"set back fires nothing", []time.Duration{time.Minute}, nil,
			func(c *FakeClock) { c.Set(start.Add(-time.Hour)) }, []bool{false}, 1},
		{"stopped timer does not fire", []time.Duration{time.Minute, time.Minute}, []int{0},
			func(c *FakeClock) { c.Advance(time.Hour) }, []bool{false, true}, 0},
		{"zero duration fires at once", []time.Duration{0}, nil,
			func(c *FakeClock) {}, []bool{true}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewFakeClock(start)
			var timers []Timer
			for _, d := range tc.timers {
				timers = append(timers, c.NewTimer(d))
			}
			for _, i := range tc.stop {
				if !timers[i].Stop() {
					t.Errorf("Stop of pending timer %d = false", i)
				}
				if timers[i].Stop() {
					t.Errorf("second Stop of timer %d = true", i)
				}
			}
			tc.move(c)
			for i, tm := range timers {
				select {
				case <-tm.C():
					if !tc.wantFired[i] {
						t.Errorf("timer %d fired", i)
					}
				default:
					if tc.wantFired[i] {
						t.Errorf("timer %d did not fire", i)
					}
				}
			}
			if got := c.Waiters(); got != tc.wantLeft {
				t.Errorf("Waiters() = %d, want %d", got, tc.wantLeft)
			}
		})
	}
}

func TestFakeClockBlockUntilAndNextDeadline(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewFakeClock(start)
	if _, ok := c.NextDeadline(); ok {
		t.Error("NextDeadline with no timers: ok = true")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		c.NewTimer(2 * time.Hour)
		c.NewTimer(time.Hour)
	}()
	if err := c.BlockUntil(ctx, 2); err != nil {
		t.Fatalf("BlockUntil: %v", err)
	}
	if d, ok := c.NextDeadline(); !ok || !d.Equal(start.Add(time.Hour)) {
		t.Errorf("NextDeadline = %v, %v; want %v", d, ok, start.Add(time.Hour))
	}
	short, cancelShort := context.WithCancel(context.Background())
	cancelShort()
	if err := c.BlockUntil(short, 3); err == nil {
		t.Error("BlockUntil with a cancelled context and too few timers: want error")
	}
}

func TestRealClock(t *testing.T) {
	var c Clock = RealClock{}
	before := time.Now()
	if now := c.Now(); now.Before(before) {
		t.Errorf("RealClock.Now() = %v, before %v", now, before)
	}
	tm := c.NewTimer(time.Millisecond)
	select {
	case <-tm.C():
	case <-time.After(5 * time.Second):
		t.Fatal("RealClock timer never fired")
	}
	if tm.Stop() {
		t.Error("Stop after firing = true")
	}
	if !c.NewTimer(time.Hour).Stop() {
		t.Error("Stop of a pending timer = false")
	}
}
