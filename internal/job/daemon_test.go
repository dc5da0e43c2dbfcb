package job

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/schedule"
)

const daemonJobs = `jobs:
  - name: monthly-owner
    report: owner
    schedule: "0 6 3 * *"
    period: previous_month
`

// get fetches path from srv and returns the body, failing unless the status is 200.
func get(t *testing.T, srv *httptest.Server, path string) (string, http.Header) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	return string(body), resp.Header
}

type healthz struct {
	Status  string   `json:"status"`
	Reasons []string `json:"reasons"`
	Jobs    []struct {
		Name              string    `json:"name"`
		Running           bool      `json:"running"`
		NextRun           time.Time `json:"next_run"`
		LastSuccess       time.Time `json:"last_success"`
		LastSuccessPeriod string    `json:"last_success_period"`
		LastError         string    `json:"last_error"`
		SkippedTicks      int       `json:"skipped_ticks"`
		OverduePeriod     string    `json:"overdue_period"`
	} `json:"jobs"`
}

func TestHandlerHealthAndMetrics(t *testing.T) {
	f := newFixtureConfig(t, stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")}, daemonJobs)
	oslo := f.cfg.Location
	// The daemon starts on the 3rd at 07:00, an hour after the monthly job
	// was due: catch-up runs September at once.
	clk := schedule.NewFakeClock(time.Date(2025, 10, 3, 7, 0, 0, 0, oslo))
	f.now = clk.Now
	w := f.worker("daemon", f.port)
	metrics := NewMetrics("test")
	jobs := make([]schedule.Job, 0, len(f.cfg.Jobs))
	for _, j := range f.cfg.Jobs {
		jobs = append(jobs, schedule.Job{Name: j.Name, Spec: j.Spec, Rule: j.Rule})
	}
	sched := schedule.New(jobs, scheduled{w: w, metrics: metrics}, w.ledger, clk, schedule.Options{})
	health := NewHealth(sched, jobs, HealthOptions{Ledger: w.ledger, Register: w.pingRegister, Now: clk.Now, CacheFor: -1})
	srv := httptest.NewServer(Handler(health, metrics))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sched.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("scheduler: %v", err)
		}
	}()

	// Wait for the catch-up run; the bound only keeps a broken scheduler
	// from hanging the suite.
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := sched.Status()
		if len(st) == 1 && st[0].LastSuccessPeriod != "" && !st[0].Running && sched.Idle() {
			break
		}
		if len(st) == 1 && st[0].LastError != "" {
			t.Fatalf("catch-up run failed: %s", st[0].LastError)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no catch-up run finished; status %+v", st)
		}
		time.Sleep(5 * time.Millisecond)
	}

	body, header := get(t, srv, "/healthz")
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("/healthz Content-Type %q", ct)
	}
	var h healthz
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatalf("/healthz is not JSON: %v\n%s", err, body)
	}
	if h.Status != "ok" || len(h.Jobs) != 1 {
		t.Fatalf("/healthz = %s", body)
	}
	j := h.Jobs[0]
	if j.Name != "monthly-owner" || j.Running || j.LastSuccessPeriod != "2025-09" || j.LastError != "" {
		t.Errorf("/healthz job = %+v; want monthly-owner, idle, last success 2025-09", j)
	}
	if want := time.Date(2025, 11, 3, 6, 0, 0, 0, oslo); !j.NextRun.Equal(want) {
		t.Errorf("next_run = %s, want %s", j.NextRun, want)
	}
	if j.LastSuccess.IsZero() {
		t.Errorf("last_success is not set: %s", body)
	}
	f.checkCounts(1)

	body, _ = get(t, srv, "/metrics")
	for _, want := range []string{
		`gevinstrapport_reports_total{outcome="produced",report="owner"} 4`,
		`gevinstrapport_reports_total{outcome="failed",report="owner"} 0`,
		`gevinstrapport_deliveries_total{outcome="sent"} 3`,
		`gevinstrapport_deliveries_total{outcome="no_address"} 1`,
		`gevinstrapport_deliveries_total{outcome="failed"} 0`,
		`gevinstrapport_last_success_timestamp_seconds{job_name="monthly-owner"}`,
		`gevinstrapport_run_duration_seconds_count{job_name="monthly-owner",outcome="succeeded"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	resp, err := http.Post(srv.URL+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz: %s, want 405", resp.Status)
	}
}

// The daemon end to end: it catches up the month that fell due while it was
// down, delivers each report once, serves /healthz, stops on cancel, and a
// restart on the same state sends nothing again.
func TestDaemonCatchesUpOnceAndRestartsQuietly(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	f := newDaemonFixture(t, stateStore{driver: "sqlite", dsn: state}, 1)
	// Down over 3 October 06:00, started at 07:00: September is due.
	clk := schedule.NewFakeClock(time.Date(2025, 10, 3, 7, 0, 0, 0, f.cfg.Location))

	start := func() (addr string, stop func()) {
		return launchDaemon(t, f.cfg, Options{Now: clk.Now, Clock: clk})
	}
	health := func(addr string) healthz {
		_, h := getHealth(t, "http://"+addr)
		return h
	}
	waitFor := func(what string, ok func() bool) {
		deadline := time.Now().Add(15 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	addr, stop := start()
	waitFor("September to be delivered", func() bool {
		h := health(addr)
		return len(h.Jobs) == 1 && h.Jobs[0].LastSuccessPeriod == "2025-09"
	})
	stop()
	f.checkCounts(1)
	f.checkReportMails(true)

	addr, stop = start()
	// Before the restarted daemon has run anything, its last success comes
	// from the ledger.
	if h := health(addr); h.Status != HealthOK || len(h.Jobs) != 1 || h.Jobs[0].LastSuccessPeriod != "2025-09" || h.Jobs[0].LastSuccess.IsZero() {
		t.Errorf("/healthz right after the restart = %+v; want ok with the last success of 2025-09", h)
	}
	if v, ok := lastSuccessGauge(t, "http://"+addr, "monthly-owner"); !ok || v == 0 {
		t.Errorf("right after the restart the last-success gauge is %v (present %v)", v, ok)
	}
	waitFor("the restarted daemon to look at its job", func() bool {
		h := health(addr)
		return len(h.Jobs) == 1 && !h.Jobs[0].NextRun.IsZero() && !h.Jobs[0].Running
	})
	stop()
	f.checkCounts(1)
}

// newDaemonFixture is a fixture for the daemon's jobs: the ledger in st,
// mail to the test's SMTP server, /healthz on a free port and the given
// catch_up_periods.
func newDaemonFixture(t *testing.T, st stateStore, catchUp int) *fixture {
	t.Helper()
	f := newFixtureConfig(t, st, daemonJobs)
	f.cfg.SMTP = config.SMTP{Host: "127.0.0.1", Port: f.port, TLS: "none", From: "Gevinstrapport <gevinst@example.no>",
		Timeout: config.Duration(5 * time.Second), Retries: 2, Backoff: config.Duration(time.Millisecond)}
	f.cfg.State = config.Database{Driver: st.driver, DSN: st.dsn}
	f.cfg.Daemon = config.Daemon{Listen: "127.0.0.1:0", CatchUpPeriods: catchUp, CatchUpWindow: config.Duration(40 * 24 * time.Hour)}
	return f
}
