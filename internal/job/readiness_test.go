package job

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/schedule"
	"gevinstrapport/internal/store"
)

// setSeptember removes September's rows from the fixture's register file
// (the warehouse has not loaded it), or with load puts them back.
func (f *fixture) setSeptember(load bool) {
	f.t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.SQLite, f.cfg.Database.DSN)
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	sep := register.MonthOf(2025, time.September)
	if !load {
		if _, err := db.ExecContext(ctx, "DELETE FROM measurement WHERE period = ?", sep.FirstDay().Format(time.DateOnly)); err != nil {
			f.t.Fatalf("unload September: %v", err)
		}
		return
	}
	var add register.Register
	for _, m := range testRegister().Measurements {
		if m.Period == sep {
			add.Measurements = append(add.Measurements, m)
		}
	}
	if err := store.WriteRegister(ctx, db, store.SQLite, &add); err != nil {
		f.t.Fatalf("load September: %v", err)
	}
}

// runningDaemon is a Daemon on a FakeClock, stepped by the test.
type runningDaemon struct {
	t     *testing.T
	clk   *schedule.FakeClock
	sched *schedule.Scheduler
	addr  string
	stop  func()
}

// startDaemon runs Daemon on cfg with clk until the returned daemon's stop.
func startDaemon(t *testing.T, cfg *config.Config, clk *schedule.FakeClock) *runningDaemon {
	t.Helper()
	scheds := make(chan *schedule.Scheduler, 1)
	d := &runningDaemon{t: t, clk: clk}
	d.addr, d.stop = launchDaemon(t, cfg, Options{Now: clk.Now, Clock: clk, ConfigPath: "/etc/gevinstrapport/config.yaml",
		Scheduler: func(s *schedule.Scheduler) { scheds <- s }})
	d.sched = <-scheds
	return d
}

// launchDaemon runs Daemon on cfg with opts (its Ready set here) until the
// returned stop, which the test's cleanup also calls, and returns the
// address the daemon listens on.
func launchDaemon(t *testing.T, cfg *config.Config, opts Options) (addr string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts.Ready = func(a string) { ready <- a }
	go func() {
		done <- Daemon(ctx, cfg, opts)
	}()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon returned %v after cancel", err)
		}
	}
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("daemon stopped before listening: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("daemon did not start listening")
	}
	t.Cleanup(stop)
	return addr, stop
}

// idle waits until the scheduler sleeps with nothing in hand.
func (d *runningDaemon) idle() {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := d.sched.WaitIdle(ctx); err != nil {
		d.t.Fatalf("daemon never became idle: %v (status %+v)", err, d.sched.Status())
	}
}

// stepTo moves the clock from timer deadline to timer deadline, letting the
// daemon settle after each, and finally to end.
func (d *runningDaemon) stepTo(end time.Time) {
	d.t.Helper()
	for {
		d.idle()
		next, ok := d.clk.NextDeadline()
		if !ok || next.After(end) {
			d.clk.Set(end)
			d.idle()
			return
		}
		d.clk.Set(next)
	}
}

// health reads the daemon's /healthz for its one job.
func (d *runningDaemon) health() (status string, job map[string]any) {
	d.t.Helper()
	resp, err := http.Get("http://" + d.addr + "/healthz")
	if err != nil {
		d.t.Fatalf("GET /healthz: %v", err)
	}
	defer resp.Body.Close()
	var h struct {
		Status string           `json:"status"`
		Jobs   []map[string]any `json:"jobs"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		d.t.Fatalf("decode /healthz: %v", err)
	}
	if len(h.Jobs) != 1 {
		d.t.Fatalf("/healthz has %d jobs, want 1", len(h.Jobs))
	}
	return h.Status, h.Jobs[0]
}

// The daemon with September not loaded: it defers the period with backoff,
// sends nothing and records no success; notify_after after the period fell
// due the coordinator gets exactly one mail, also across a restart; once
// the data is loaded each recipient gets exactly one report.
func TestDaemonWaitsForTheData(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newDaemonFixture(t, st, 1)
		f.setSeptember(false)
		oslo := f.cfg.Location
		due := time.Date(2025, 10, 3, 6, 0, 0, 0, oslo)
		notifyAt := due.Add(48 * time.Hour) // readiness.notify_after: the default 2d
		clk := schedule.NewFakeClock(due.Add(time.Hour))
		f.now = clk.Now
		inspect := f.ledger("inspect")
		ctx := context.Background()
		coordinator := func() int { return len(f.smtp.to(coordinatorEmail)) }
		reports := func() int { return len(f.smtp.messages()) - coordinator() }

		d := startDaemon(t, f.cfg, clk)
		d.idle()
		status, job := d.health()
		if w, _ := job["waiting_for_data"].(string); status != "ok" || job["last_error"] != nil ||
			!strings.Contains(w, "period 2025-09: the register has no data for 2025-09 yet (its latest data is for 2025-08)") {
			t.Errorf("/healthz while waiting: status %q, job %v", status, job)
		}
		d.stepTo(notifyAt.Add(-time.Minute))
		if n := len(f.smtp.messages()); n != 0 {
			t.Fatalf("before notify_after the SMTP server got %d message(s), want none", n)
		}
		if ok, err := inspect.Succeeded(ctx, testJob, "2025-09"); err != nil || ok {
			t.Fatalf("the ledger records a success for the period without data (%v, %v)", ok, err)
		}

		d.stepTo(notifyAt.Add(3 * time.Hour))
		if n := coordinator(); n != 1 {
			t.Fatalf("after notify_after the coordinator got %d mail(s), want exactly 1", n)
		}
		notice := f.summaries()[0]
		if !strings.Contains(notice.subject, "september 2025: venter fortsatt på data") ||
			!strings.Contains(notice.text, "Det finnes ingen målinger for perioden; siste data er for 2025-08.") ||
			!strings.Contains(notice.text, "Perioden ble aktuell 2025-10-03 06:00.") ||
			!strings.Contains(notice.text, "gevinstrapport check --config /etc/gevinstrapport/config.yaml --period 2025-09") {
			t.Errorf("the notice does not say what is waiting:\n%s\n%s", notice.subject, notice.text)
		}
		if n := reports(); n != 0 {
			t.Errorf("%d report(s) sent without data", n)
		}

		d.stop()
		d = startDaemon(t, f.cfg, clk) // a restart: the notice is not sent again
		d.stepTo(notifyAt.Add(9 * time.Hour))
		if n := coordinator(); n != 1 {
			t.Errorf("after a restart the coordinator has %d mail(s), want still 1", n)
		}
		if _, sent, err := inspect.NoticeSent(ctx, ledger.NoticeKey{Job: testJob, Period: "2025-09", Kind: ledger.NoticeNotReady}); err != nil || !sent {
			t.Errorf("the ledger does not record the notice as sent (%v, %v)", sent, err)
		}

		f.setSeptember(true)
		d.stepTo(notifyAt.Add(11 * time.Hour))
		status, job = d.health()
		if job["last_success_period"] != "2025-09" || job["waiting_for_data"] != nil || job["last_error"] != nil {
			t.Errorf("/healthz after the data came: status %q, job %v", status, job)
		}
		d.stepTo(notifyAt.Add(48 * time.Hour))
		f.checkCounts(1)
		f.checkOnlyKnownRecipients()
		// The notice, then the run's summary naming the holder without an address.
		if n := coordinator(); n != 2 {
			t.Errorf("the coordinator got %d mail(s) in all, want 2 (the notice and the run's summary)", n)
		}
	})
}
