package ledger

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// A notice is sent once: one claim at a time, a released or expired claim
// can be taken over, and a sent notice is never claimed again, also by a
// ledger opened later on the same store (a restarted daemon).
func TestNoticeOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		a := openLedger(t, s.dsn, s, clock, "a")
		b := openLedger(t, s.altDSN, s, clock, "b")
		k := NoticeKey{Job: "monthly-owner", Period: "2025-09", Kind: NoticeNotReady}
		claim := func(l *Ledger, want bool, when string) NoticeClaim {
			t.Helper()
			c, err := l.ClaimNotice(ctx, k)
			if err != nil {
				t.Fatalf("%s: claim: %v", when, err)
			}
			if c.Granted != want {
				t.Fatalf("%s: %s granted %v, want %v", when, l.Owner(), c.Granted, want)
			}
			return c
		}

		c := claim(a, true, "first claim")
		claim(b, false, "while a holds it")
		if err := a.ReleaseNotice(ctx, c); err != nil {
			t.Fatal(err)
		}
		c = claim(b, true, "after a released it (its mail failed)")
		clock.Advance(testLease + time.Second)
		c2 := claim(a, true, "after b's lease ran out (b crashed)")
		if err := b.MarkNoticeSent(ctx, c); !errors.Is(err, ErrClaimLost) {
			t.Errorf("b marks a claim taken over from it sent: %v, want ErrClaimLost", err)
		}
		if _, sent, err := a.NoticeSent(ctx, k); err != nil || sent {
			t.Fatalf("NoticeSent before it was sent = %v, %v", sent, err)
		}
		if err := a.MarkNoticeSent(ctx, c2); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
		claim(b, false, "after it was sent")
		restarted := openLedger(t, s.dsn, s, clock, "a-restarted")
		claim(restarted, false, "after a restart")
		at, sent, err := restarted.NoticeSent(ctx, k)
		if err != nil || !sent || at.IsZero() {
			t.Errorf("NoticeSent after sending = %v, %v, %v", at, sent, err)
		}
		other := k
		other.Period = "2025-10"
		if c, err := b.ClaimNotice(ctx, other); err != nil || !c.Granted {
			t.Errorf("another period's notice: granted %v, %v", c.Granted, err)
		}
	})
}

// Of ledgers claiming the same notice at once, exactly one is granted.
func TestNoticeClaimRace(t *testing.T) {
	forEachStore(t, func(t *testing.T, s testStore) {
		clock := newClock()
		const n = 8
		ledgers := make([]*Ledger, n)
		for i := range ledgers {
			ledgers[i] = openLedger(t, s.dsn, s, clock, fmt.Sprintf("l%d", i))
		}
		k := NoticeKey{Job: "monthly-owner", Period: "2025-09", Kind: NoticeNotReady}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			granted int
		)
		for _, l := range ledgers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := l.ClaimNotice(context.Background(), k)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if c.Granted {
					mu.Lock()
					granted++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if granted != 1 {
			t.Errorf("%d of %d concurrent claims granted, want 1", granted, n)
		}
	})
}
