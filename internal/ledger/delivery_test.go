package ledger

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestClaimSendResend(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		l := openLedger(t, s.dsn, s, clock, "daemon-1")
		key := Key{Job: "monthly-owner", Period: "2025-09", Recipient: "Snåase – Snåsa/p-7"}

		c, err := l.Claim(ctx, key, false)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Granted || c.Reason != "" || c.Token == "" || c.Attempt != 1 || !c.LeaseUntil.Equal(clock.Now().Add(testLease)) {
			t.Fatalf("first claim = %+v, want granted, attempt 1, lease until now+%v", c, testLease)
		}
		c.SHA256 = strings.Repeat("ab", 32)
		clock.Advance(5 * time.Second)
		sentAt := clock.Now()
		if err := l.MarkSent(ctx, c, "<monthly-owner.2025-09.p-7@gevinst.example.no>"); err != nil {
			t.Fatal(err)
		}

		again, err := l.Claim(ctx, key, false)
		if err != nil {
			t.Fatal(err)
		}
		if again.Granted || again.Reason != ReasonAlreadyDelivered {
			t.Fatalf("claim after sent = %+v, want refused with %q", again, ReasonAlreadyDelivered)
		}
		if err := l.MarkSent(ctx, again, "<x>"); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("MarkSent with a refused claim = %v, want ErrClaimLost", err)
		}
		if err := l.MarkSent(ctx, c, "<again>"); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("second MarkSent with the same claim = %v, want ErrClaimLost", err)
		}

		ds, err := l.Deliveries(ctx, key.Job, key.Period)
		if err != nil {
			t.Fatal(err)
		}
		want := Delivery{
			Key: key, Status: StatusSent, Owner: "daemon-1", Attempts: 1,
			SHA256: c.SHA256, MessageID: "<monthly-owner.2025-09.p-7@gevinst.example.no>",
			SentAt: sentAt, ClaimedAt: sentAt.Add(-5 * time.Second), UpdatedAt: sentAt,
		}
		if len(ds) != 1 || ds[0] != want {
			t.Fatalf("deliveries = %+v\nwant [%+v]", ds, want)
		}

		clock.Advance(time.Hour)
		re, err := l.Claim(ctx, key, true)
		if err != nil {
			t.Fatal(err)
		}
		if !re.Granted || re.Attempt != 2 || re.Token == c.Token {
			t.Fatalf("resend claim = %+v, want granted attempt 2 with a new token", re)
		}
		if err := l.MarkSent(ctx, re, "<resent>"); err != nil {
			t.Fatal(err)
		}
		ds, err = l.Deliveries(ctx, key.Job, key.Period)
		if err != nil {
			t.Fatal(err)
		}
		if ds[0].MessageID != "<resent>" || !ds[0].SentAt.Equal(clock.Now()) || ds[0].Attempts != 2 {
			t.Fatalf("delivery after resend = %+v, want message <resent> sent now after 2 attempts", ds[0])
		}
	})
}

// TestClaimByState checks whether a claim is granted for each recorded state
// of a key, without and with resend.
func TestClaimByState(t *testing.T) {
	t.Parallel()
	type setup func(t *testing.T, l *Ledger, clock *fakeClock, key Key)
	claimed := func(t *testing.T, l *Ledger, key Key) Claim {
		t.Helper()
		c, err := l.Claim(context.Background(), key, false)
		if err != nil || !c.Granted {
			t.Fatalf("setup claim = %+v, %v", c, err)
		}
		return c
	}
	tests := []struct {
		name        string
		setup       setup
		wantGranted bool
		wantReason  string
		// resend only overrides a recorded outcome, never a live claim.
		wantResendGranted bool
	}{
		{
			name:        "never claimed",
			setup:       func(*testing.T, *Ledger, *fakeClock, Key) {},
			wantGranted: true, wantResendGranted: true,
		},
		{
			name:       "live claim by another process",
			setup:      func(t *testing.T, l *Ledger, _ *fakeClock, k Key) { claimed(t, l, k) },
			wantReason: ReasonInProgressElsewhere,
		},
		{
			name: "claim one second before its lease ends",
			setup: func(t *testing.T, l *Ledger, clock *fakeClock, k Key) {
				claimed(t, l, k)
				clock.Advance(testLease - time.Second)
			},
			wantReason: ReasonInProgressElsewhere,
		},
		{
			name: "claim whose lease just ended (crashed process)",
			setup: func(t *testing.T, l *Ledger, clock *fakeClock, k Key) {
				claimed(t, l, k)
				clock.Advance(testLease)
			},
			wantGranted: true, wantResendGranted: true,
		},
		{
			name: "renewed claim past its first lease",
			setup: func(t *testing.T, l *Ledger, clock *fakeClock, k Key) {
				c := claimed(t, l, k)
				clock.Advance(testLease / 2)
				if err := l.Renew(context.Background(), &c); err != nil {
					t.Fatal(err)
				}
				clock.Advance(testLease/2 + time.Second)
			},
			wantReason: ReasonInProgressElsewhere,
		},
		{
			name: "sent",
			setup: func(t *testing.T, l *Ledger, _ *fakeClock, k Key) {
				if err := l.MarkSent(context.Background(), claimed(t, l, k), "<m>"); err != nil {
					t.Fatal(err)
				}
			},
			wantReason: ReasonAlreadyDelivered, wantResendGranted: true,
		},
		{
			name: "transient failure",
			setup: func(t *testing.T, l *Ledger, _ *fakeClock, k Key) {
				if err := l.MarkFailed(context.Background(), claimed(t, l, k), false, "421 try later"); err != nil {
					t.Fatal(err)
				}
			},
			wantGranted: true, wantResendGranted: true,
		},
		{
			name: "permanent failure",
			setup: func(t *testing.T, l *Ledger, _ *fakeClock, k Key) {
				if err := l.MarkFailed(context.Background(), claimed(t, l, k), true, "550 no such user"); err != nil {
					t.Fatal(err)
				}
			},
			wantReason: ReasonFailedPermanent, wantResendGranted: true,
		},
	}
	forEachStore(t, func(t *testing.T, s testStore) {
		clock := newClock()
		other := openLedger(t, s.dsn, s, clock, "other")
		l := openLedger(t, s.dsn, s, clock, "this")
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, resend := range []bool{false, true} {
					key := Key{Job: "monthly-owner", Period: "2025-09", Recipient: fmt.Sprintf("p%d-resend-%v", i, resend)}
					tt.setup(t, other, clock, key)
					c, err := l.Claim(context.Background(), key, resend)
					if err != nil {
						t.Fatal(err)
					}
					wantGranted, wantReason := tt.wantGranted, tt.wantReason
					if resend {
						wantGranted = tt.wantResendGranted
						if wantGranted {
							wantReason = ""
						}
					}
					if c.Granted != wantGranted || c.Reason != wantReason {
						t.Errorf("resend=%v: claim = granted %v reason %q, want granted %v reason %q", resend, c.Granted, c.Reason, wantGranted, wantReason)
					}
				}
			})
		}
	})
}

func TestLeaseTakeover(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		crashed := openLedger(t, s.dsn, s, clock, "crashed")
		next := openLedger(t, s.altDSN, s, clock, "next")
		key := Key{Job: "steering", Period: "2025-09", Recipient: "styringsgruppe@example.no"}

		old, err := crashed.Claim(ctx, key, false)
		if err != nil || !old.Granted {
			t.Fatalf("claim = %+v, %v", old, err)
		}
		clock.Advance(testLease + time.Second)
		c, err := next.Claim(ctx, key, false)
		if err != nil || !c.Granted || c.Attempt != 2 {
			t.Fatalf("takeover claim = %+v, %v; want granted attempt 2", c, err)
		}

		// The process that lost its claim can neither renew nor record it.
		tests := []struct {
			name string
			do   func() error
		}{
			{name: "renew", do: func() error { return crashed.Renew(ctx, &old) }},
			{name: "mark sent", do: func() error { return crashed.MarkSent(ctx, old, "<old>") }},
			{name: "mark failed", do: func() error { return crashed.MarkFailed(ctx, old, false, "x") }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.do(); !errors.Is(err, ErrClaimLost) {
					t.Fatalf("%s with a taken-over claim = %v, want ErrClaimLost", tt.name, err)
				}
			})
		}

		if err := next.MarkSent(ctx, c, "<new>"); err != nil {
			t.Fatal(err)
		}
		ds, err := next.Deliveries(ctx, key.Job, key.Period)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Owner != "next" || ds[0].MessageID != "<new>" || ds[0].Attempts != 2 {
			t.Fatalf("deliveries = %+v, want one sent by next as <new> after 2 attempts", ds)
		}
	})
}

func TestMarkFailed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		l := openLedger(t, s.dsn, s, clock, "daemon")
		transientKey := Key{Job: "monthly-owner", Period: "2025-09", Recipient: "a"}
		permanentKey := Key{Job: "monthly-owner", Period: "2025-09", Recipient: "b"}

		c, err := l.Claim(ctx, transientKey, false)
		if err != nil {
			t.Fatal(err)
		}
		c.SHA256 = "aa"
		if err := l.MarkFailed(ctx, c, false, "421 4.7.0 try again later"); err != nil {
			t.Fatal(err)
		}
		if err := l.MarkFailed(ctx, c, false, "again"); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("second MarkFailed on a released claim = %v, want ErrClaimLost", err)
		}
		retry, err := l.Claim(ctx, transientKey, false)
		if err != nil || !retry.Granted || retry.Attempt != 2 {
			t.Fatalf("claim after transient failure = %+v, %v; want granted attempt 2", retry, err)
		}
		if err := l.MarkSent(ctx, retry, "<ok>"); err != nil {
			t.Fatal(err)
		}

		p, err := l.Claim(ctx, permanentKey, false)
		if err != nil {
			t.Fatal(err)
		}
		p.SHA256 = "bb"
		long := strings.Repeat("æ", maxTextBytes)
		if err := l.MarkFailed(ctx, p, true, "550 5.1.1 "+long); err != nil {
			t.Fatal(err)
		}

		ds, err := l.Deliveries(ctx, "monthly-owner", "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 {
			t.Fatalf("deliveries = %+v, want 2", ds)
		}
		a, b := ds[0], ds[1]
		if a.Status != StatusSent || a.LastError != "" || a.Attempts != 2 || a.MessageID != "<ok>" {
			t.Fatalf("retried delivery = %+v, want sent after 2 attempts, error cleared", a)
		}
		if b.Status != StatusFailedPermanent || b.SHA256 != "bb" || !b.SentAt.IsZero() || b.Attempts != 1 {
			t.Fatalf("permanently failed delivery = %+v, want failed_permanent, sha bb, not sent", b)
		}
		if !strings.HasPrefix(b.LastError, "550 5.1.1 ææ") || len(b.LastError) > maxTextBytes || !strings.HasSuffix(b.LastError, "æ") {
			t.Fatalf("last error = %d bytes starting %q, want the reason clipped to at most %d bytes on a rune boundary", len(b.LastError), b.LastError[:12], maxTextBytes)
		}
	})
}

func TestClaimValidatesKey(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	l := openLedger(t, s.dsn, s, newClock(), "a")
	tests := []struct {
		name string
		key  Key
	}{
		{name: "empty recipient", key: Key{Job: "j", Period: "2025-09"}},
		{name: "empty job", key: Key{Period: "2025-09", Recipient: "r"}},
		{name: "long recipient", key: Key{Job: "j", Period: "2025-09", Recipient: strings.Repeat("r", maxRecipientLen+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := l.Claim(context.Background(), tt.key, false); err == nil {
				t.Fatalf("Claim(%+v) = %+v, want an error", tt.key, c)
			}
		})
	}
}

// TestConcurrentClaims races many goroutines, spread over two Ledgers with
// their own connection pools (as two processes would have), for the same
// keys, in each of the states from which a claim can be granted.
func TestConcurrentClaims(t *testing.T) {
	t.Parallel()
	const (
		keys       = 12
		goroutines = 16
	)
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		ledgers := []*Ledger{
			openLedger(t, s.dsn, s, clock, "A"),
			openLedger(t, s.altDSN, s, clock, "B"),
		}
		race := func(t *testing.T) []Claim {
			t.Helper()
			winners := make([]Claim, keys)
			var (
				mu      sync.Mutex
				granted = make([]int, keys)
				wg      sync.WaitGroup
				start   = make(chan struct{})
			)
			for g := range goroutines {
				wg.Go(func() {
					<-start
					l := ledgers[g%len(ledgers)]
					for k := range keys {
						// Half the goroutines walk the keys backwards so
						// that contention is spread over time.
						if g%4 >= 2 {
							k = keys - 1 - k
						}
						c, err := l.Claim(ctx, Key{Job: "j", Period: "2025-09", Recipient: fmt.Sprint("r", k)}, false)
						if err != nil {
							t.Errorf("goroutine %d key %d: %v", g, k, err)
							continue
						}
						if c.Granted {
							mu.Lock()
							granted[k]++
							winners[k] = c
							mu.Unlock()
						} else if c.Reason != ReasonInProgressElsewhere {
							t.Errorf("goroutine %d key %d refused with %q, want %q", g, k, c.Reason, ReasonInProgressElsewhere)
						}
					}
				})
			}
			close(start)
			wg.Wait()
			for k, n := range granted {
				if n != 1 {
					t.Errorf("key r%d granted %d times, want exactly 1", k, n)
				}
			}
			return winners
		}

		t.Run("fresh keys", func(t *testing.T) { race(t) })
		clock.Advance(testLease)
		var winners []Claim
		t.Run("expired claims", func(t *testing.T) { winners = race(t) })
		for _, c := range winners {
			if c.Token == "" {
				continue
			}
			l := ledgers[0]
			if c.Attempt < 2 {
				t.Errorf("takeover of %s has attempt %d, want at least 2", c.Key, c.Attempt)
			}
			if err := l.MarkFailed(ctx, c, false, "421"); err != nil {
				t.Fatalf("mark %s failed: %v", c.Key, err)
			}
		}
		t.Run("transient failures", func(t *testing.T) { race(t) })
	})
}

// BenchmarkClaimAndMarkSent measures one first delivery on an SQLite store.
func BenchmarkClaimAndMarkSent(b *testing.B) {
	l := benchLedger(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		c, err := l.Claim(ctx, Key{Job: "j", Period: "2025-09", Recipient: fmt.Sprint("r", i)}, false)
		if err != nil || !c.Granted {
			b.Fatalf("claim = %+v, %v", c, err)
		}
		if err := l.MarkSent(ctx, c, "<m>"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkClaimAlreadyDelivered measures the refusal a rerun of a
// delivered period meets for each recipient on an SQLite store.
func BenchmarkClaimAlreadyDelivered(b *testing.B) {
	l := benchLedger(b)
	ctx := context.Background()
	key := Key{Job: "j", Period: "2025-09", Recipient: "r"}
	c, err := l.Claim(ctx, key, false)
	if err != nil {
		b.Fatal(err)
	}
	if err := l.MarkSent(ctx, c, "<m>"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := l.Claim(ctx, key, false)
		if err != nil || c.Reason != ReasonAlreadyDelivered {
			b.Fatalf("claim = %+v, %v", c, err)
		}
	}
}

func benchLedger(b *testing.B) *Ledger {
	b.Helper()
	l, err := Open(context.Background(), "sqlite", filepath.Join(b.TempDir(), "state.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return l
}
