package job

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/schedule"
)

// hookBackend is an smtpBackend that calls onRcpt (in the server's
// goroutine) before answering each RCPT for a report recipient.
type hookBackend struct {
	*smtpBackend
	onRcpt func(n int, to string) // n counts report RCPTs from 1
	mu     sync.Mutex
	n      int
}

func (b *hookBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s, err := b.smtpBackend.NewSession(c)
	return hookSession{s, b}, err
}

type hookSession struct {
	smtp.Session
	b *hookBackend
}

func (s hookSession) Rcpt(to string, opts *smtp.RcptOptions) error {
	if to != coordinatorEmail {
		s.b.mu.Lock()
		s.b.n++
		n := s.b.n
		s.b.mu.Unlock()
		s.b.onRcpt(n, to)
	}
	return s.Session.Rcpt(to, opts)
}

// runsOf lists the ledger's runs of the test job's 2025-09.
func (f *fixture) runsOf() []ledger.Run {
	f.t.Helper()
	runs, err := f.ledger("inspect").Runs(context.Background(), testJob, "2025-09")
	if err != nil {
		f.t.Fatal(err)
	}
	return runs
}

func outcomes(runs []ledger.Run) []ledger.RunOutcome {
	out := make([]ledger.RunOutcome, len(runs))
	for i, r := range runs {
		out[i] = r.Outcome
	}
	return out
}

// A context cancelled while the second report is being sent (SIGTERM in
// the daemon) lets that delivery finish and be recorded, leaves the third
// pending, and records the run as interrupted; a rerun sends exactly the
// third.
func TestRunCancelledMidSendResumes(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		f.stop()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		hb := &hookBackend{smtpBackend: newSMTPBackend(), onRcpt: func(n int, _ string) {
			if n == 2 {
				cancel()
			}
		}}
		f.smtp = hb.smtpBackend
		w := f.worker("a", serveSMTP(t, hb))

		res, err := w.Run(ctx, ownerRequest(false))
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("cancelled run returned %v, want ErrInterrupted", err)
		}
		if res.Sent != 2 || res.Pending != 1 || !res.Interrupted || res.Complete() || res.Outcome() != ledger.RunInterrupted {
			t.Errorf("cancelled run: %+v; want 2 sent (the one in hand finished), 1 pending, interrupted", res)
		}
		if got := outcomes(f.runsOf()); len(got) != 1 || got[0] != ledger.RunInterrupted {
			t.Errorf("ledger runs %v, want [interrupted]", got)
		}
		if ok, _ := f.ledger("inspect").Succeeded(context.Background(), testJob, "2025-09"); ok {
			t.Error("the ledger says the period succeeded after an interrupted run")
		}

		res = run(t, w, false)
		if res.Sent != 1 || res.AlreadySent != 2 || !res.Complete() {
			t.Errorf("rerun: %+v; want the 1 pending sent, 2 already delivered", res)
		}
		if got := outcomes(f.runsOf()); len(got) != 2 || got[1] != ledger.RunSucceeded {
			t.Errorf("ledger runs %v, want [interrupted succeeded]", got)
		}
		f.checkCounts(1)
	})
}

// A claim another process still holds at the end of a run (it died
// mid-send) makes the run incomplete: not a success in the ledger, and the
// daemon's runner asks to be tried again when the lease ends. After the
// lease the rest is delivered once.
func TestHeldClaimMakesRunIncomplete(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixtureConfig(t, st, daemonJobs)
		ctx := context.Background()
		dead := f.ledger("dead")
		c, err := dead.Claim(ctx, ledger.Key{Job: testJob, Period: "2025-09", Recipient: "P-2"}, false)
		if err != nil || !c.Granted {
			t.Fatalf("claim for the process that dies: %+v, %v", c, err)
		}
		w := f.worker("next", f.port)

		res := run(t, w, false)
		if res.Sent != 2 || res.InProgress != 1 || res.Complete() || res.Outcome() != ledger.RunPartial {
			t.Errorf("run while the dead claim is live: %+v; want 2 sent, 1 held elsewhere, partial", res)
		}
		if !res.HeldUntil.Equal(c.LeaseUntil) {
			t.Errorf("HeldUntil = %v, want the claim's lease end %v", res.HeldUntil, c.LeaseUntil)
		}

		// The daemon's runner: incomplete, to be retried just after the lease.
		err = scheduled{w: w}.Run(ctx, testJob, "2025-09")
		at, ok := schedule.RetryTime(err)
		if err == nil || !ok || !at.Equal(c.LeaseUntil.Add(leaseMargin)) {
			t.Errorf("scheduled run = %v (retry at %v, %v); want an error asking for a retry at %v", err, at, ok, c.LeaseUntil.Add(leaseMargin))
		}
		if ok, _ := f.ledger("inspect").Succeeded(ctx, testJob, "2025-09"); ok {
			t.Error("the ledger says the period succeeded while a delivery is held elsewhere")
		}

		f.clock.Advance(testLease + time.Second)
		res = run(t, w, false)
		if res.Sent != 1 || res.AlreadySent != 2 || !res.Complete() {
			t.Errorf("run after the lease: %+v; want 1 sent, 2 already delivered, complete", res)
		}
		want := []ledger.RunOutcome{ledger.RunPartial, ledger.RunPartial, ledger.RunSucceeded}
		if got := outcomes(f.runsOf()); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("ledger runs %v, want %v", got, want)
		}
		f.checkCounts(1)
	})
}
