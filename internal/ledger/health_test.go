package ledger

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLastSucceeded(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		l := openLedger(t, s.dsn, s, clock, "daemon-1")
		if _, ok, err := l.LastSucceeded(ctx, "monthly-owner"); err != nil || ok {
			t.Fatalf("LastSucceeded on an empty store = %v, %v; want false, nil", ok, err)
		}
		run := func(period string, outcome RunOutcome) time.Time {
			id, err := l.StartRun(ctx, "monthly-owner", period)
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
			if err := l.FinishRun(ctx, id, outcome, ""); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Hour)
			return clock.Now().Add(-time.Hour)
		}
		run("2025-09", RunSucceeded)
		// A catch-up of an older period finishes later: it is the latest success.
		augDone := run("2025-08", RunSucceeded)
		run("2025-10", RunFailed)
		got, ok, err := l.LastSucceeded(ctx, "monthly-owner")
		if err != nil || !ok {
			t.Fatalf("LastSucceeded = %v, %v", ok, err)
		}
		if got.Period != "2025-08" || !got.FinishedAt.Equal(augDone) || got.Outcome != RunSucceeded {
			t.Errorf("LastSucceeded = %+v; want 2025-08 finished %s", got, augDone)
		}
	})
}

func TestPing(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	l := openLedger(t, s.dsn, s, newClock(), "daemon-1")
	if err := l.Ping(context.Background()); err != nil {
		t.Fatalf("Ping = %v", err)
	}
	if err := os.Remove(s.dsn); err != nil {
		t.Fatal(err)
	}
	if err := l.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), "removed while open") {
		t.Errorf("Ping after the file was removed = %v", err)
	}
}
