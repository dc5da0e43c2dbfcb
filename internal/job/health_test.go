package job

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/schedule"
	"gevinstrapport/internal/store"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// scheduleJobs are cfg's jobs as the scheduler takes them.
func scheduleJobs(cfg *config.Config) []schedule.Job {
	var jobs []schedule.Job
	for _, j := range cfg.Jobs {
		jobs = append(jobs, schedule.Job{Name: j.Name, Spec: j.Spec, Rule: j.Rule})
	}
	return jobs
}

// getHealth fetches /healthz from base and returns the HTTP status and the body.
func getHealth(t *testing.T, base string) (int, healthz) {
	t.Helper()
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	defer resp.Body.Close()
	var h healthz
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatalf("decode /healthz: %v", err)
	}
	return resp.StatusCode, h
}

// lastSuccessGauge reads gevinstrapport_last_success_timestamp_seconds of
// job from base's /metrics, and false when the series is not there.
func lastSuccessGauge(t *testing.T, base, job string) (float64, bool) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	prefix := `gevinstrapport_last_success_timestamp_seconds{job_name="` + job + `"} `
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), prefix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("gauge value %q: %v", v, err)
			}
			return f, true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read /metrics: %v", err)
	}
	return 0, false
}

// recordRun records a finished run of job for period in the ledger at state,
// as an earlier process would have.
func recordRun(t *testing.T, driver, dsn, job, period string, outcome ledger.RunOutcome, at time.Time) {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Open(ctx, driver, dsn, ledger.Options{Now: func() time.Time { return at }, Owner: "earlier"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	id, err := l.StartRun(ctx, job, period)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.FinishRun(ctx, id, outcome, "earlier run"); err != nil {
		t.Fatal(err)
	}
}

// A restarted daemon shows the last success the ledger holds, in /healthz
// and in the metric, before it has run anything (here it runs nothing:
// August, the latest due period, was delivered before the restart).
func TestDaemonSeedsLastSuccessFromTheLedger(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	f := newDaemonFixture(t, stateStore{driver: "sqlite", dsn: state}, 1)
	oslo := f.cfg.Location
	finished := time.Date(2025, 9, 3, 6, 5, 7, 0, oslo)
	recordRun(t, "sqlite", state, "monthly-owner", "2025-08", ledger.RunSucceeded, finished)

	clk := schedule.NewFakeClock(time.Date(2025, 10, 2, 12, 0, 0, 0, oslo))
	addr, stop := launchDaemon(t, f.cfg, Options{Now: clk.Now, Clock: clk})
	base := "http://" + addr
	code, h := getHealth(t, base)
	gauge, present := lastSuccessGauge(t, base, "monthly-owner")
	stop()

	if code != http.StatusOK || h.Status != HealthOK || len(h.Jobs) != 1 {
		t.Fatalf("/healthz = %d %+v; want 200 ok with one job", code, h)
	}
	j := h.Jobs[0]
	if !j.LastSuccess.Equal(finished) || j.LastSuccessPeriod != "2025-08" {
		t.Errorf("last success %s of %q; want %s of 2025-08 from the ledger", j.LastSuccess, j.LastSuccessPeriod, finished)
	}
	if !present || gauge != float64(finished.Unix()) {
		t.Errorf("gevinstrapport_last_success_timestamp_seconds = %v (present %v), want %d", gauge, present, finished.Unix())
	}
	f.checkCounts(0)
}

// healthCase is one way of making a dependency of the daemon unreachable.
type healthCase struct {
	name   string
	setup  func(t *testing.T, cfg *config.Config) // points cfg at the stores
	breaks func(t *testing.T, cfg *config.Config) // makes one unreachable, for real
	mends  func(t *testing.T, cfg *config.Config) // undoes it (nil: stays broken)
	reason string                                 // the reason's start
	detail string                                 // in the reason
}

func TestHealthDegradedWhenAStoreIsUnreachable(t *testing.T) {
	cases := []healthCase{
		{
			name: "sqlite register moved away",
			breaks: func(t *testing.T, cfg *config.Config) {
				if err := os.Rename(cfg.Database.DSN, cfg.Database.DSN+".away"); err != nil {
					t.Fatal(err)
				}
			},
			mends: func(t *testing.T, cfg *config.Config) {
				// The probe must not have left an empty register in its place.
				if _, err := os.Stat(cfg.Database.DSN); !os.IsNotExist(err) {
					t.Errorf("the health check created %s: %v", cfg.Database.DSN, err)
				}
				if err := os.Rename(cfg.Database.DSN+".away", cfg.Database.DSN); err != nil {
					t.Fatal(err)
				}
			},
			reason: "register: ", detail: "does not exist",
		},
		{
			name: "mysql register database dropped",
			setup: func(t *testing.T, cfg *config.Config) {
				target := testmysql.Fresh(t, "gevinst_health_reg_", "utf8mb4_bin")
				writeMySQLRegister(t, target.FormatDSN())
				cfg.Database = config.Database{Driver: "mysql", DSN: target.FormatDSN()}
			},
			breaks: func(t *testing.T, cfg *config.Config) { dropMySQL(t, cfg.Database.DSN) },
			reason: "register: ", detail: "Unknown database",
		},
		{
			name: "sqlite state store removed",
			breaks: func(t *testing.T, cfg *config.Config) {
				if err := os.Remove(cfg.State.DSN); err != nil {
					t.Fatal(err)
				}
			},
			reason: "state store: ", detail: "removed while open",
		},
		{
			name: "mysql state store database dropped",
			setup: func(t *testing.T, cfg *config.Config) {
				target := testmysql.Fresh(t, "gevinst_health_state_", "utf8mb4_bin")
				cfg.State = config.Database{Driver: "mysql", DSN: target.FormatDSN()}
			},
			breaks: func(t *testing.T, cfg *config.Config) { dropMySQL(t, cfg.State.DSN) },
			reason: "state store: ",
		},
		{
			name: "postgres register schema dropped",
			setup: func(t *testing.T, cfg *config.Config) {
				dsn := testpostgres.Fresh(t, "gevinst_health_reg_")
				writeRegisterTo(t, store.Postgres, dsn)
				cfg.Database = config.Database{Driver: "postgres", DSN: dsn}
			},
			breaks: func(t *testing.T, cfg *config.Config) { testpostgres.DropSchema(t, cfg.Database.DSN) },
			reason: "register: ", detail: `relation "org_unit" does not exist`,
		},
		{
			name: "postgres state store schema dropped",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.State = config.Database{Driver: "postgres", DSN: testpostgres.Fresh(t, "gevinst_health_state_")}
			},
			breaks: func(t *testing.T, cfg *config.Config) { testpostgres.DropSchema(t, cfg.State.DSN) },
			reason: "state store: ", detail: `relation "ledger_run" does not exist`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { testUnreachable(t, c) })
	}
}

func testUnreachable(t *testing.T, c healthCase) {
	cfg := testConfig(t, writeRegister(t, testRegister()), daemonJobs)
	cfg.State = config.Database{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "state.db")}
	if c.setup != nil {
		c.setup(t, cfg)
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, cfg.State.Driver, cfg.State.DSN, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	clk := schedule.NewFakeClock(time.Date(2025, 10, 2, 12, 0, 0, 0, cfg.Location))
	recordRun(t, cfg.State.Driver, cfg.State.DSN, "monthly-owner", "2025-08", ledger.RunSucceeded, clk.Now())
	jobs := scheduleJobs(cfg)
	sched := schedule.New(jobs, nil, nil, clk, schedule.Options{})
	h := NewHealth(sched, jobs, HealthOptions{Ledger: l, Register: (&Worker{cfg: cfg}).pingRegister, Now: clk.Now, CacheFor: -1})
	srv := httptest.NewServer(Handler(h, NewMetrics("test")))
	defer srv.Close()

	if code, got := getHealth(t, srv.URL); code != http.StatusOK || got.Status != HealthOK || len(got.Reasons) != 0 {
		t.Fatalf("before the fault: /healthz = %d %+v, want 200 ok", code, got)
	}
	c.breaks(t, cfg)
	code, got := getHealth(t, srv.URL)
	if code != http.StatusServiceUnavailable || got.Status != HealthDegraded {
		t.Errorf("after the fault: /healthz = %d %q, want 503 degraded", code, got.Status)
	}
	if len(got.Reasons) != 1 || !strings.HasPrefix(got.Reasons[0], c.reason) || !strings.Contains(got.Reasons[0], c.detail) {
		t.Errorf("reasons %q; want one starting %q and naming %q", got.Reasons, c.reason, c.detail)
	}
	// Liveness stays green: a database outage is no reason to restart.
	if body, _ := get(t, srv, "/livez"); body != "ok\n" {
		t.Errorf("/livez = %q", body)
	}
	if c.mends == nil {
		return
	}
	c.mends(t, cfg)
	if code, got := getHealth(t, srv.URL); code != http.StatusOK || got.Status != HealthOK {
		t.Errorf("after the fault was mended: /healthz = %d %+v, want 200 ok", code, got)
	}
}

// writeMySQLRegister stores the test register in the MySQL database at dsn.
func writeMySQLRegister(t *testing.T, dsn string) {
	t.Helper()
	writeRegisterTo(t, store.MySQL, dsn)
}

// writeRegisterTo stores the test register in the database of d at dsn.
func writeRegisterTo(t *testing.T, d store.Dialect, dsn string) {
	t.Helper()
	openRegister(t, d, dsn, testRegister()).Close()
}

// freshRegister writes reg to a fresh database of d: a file for SQLite, a
// database (MySQL, utf8mb4_unicode_ci) or schema (PostgreSQL) named prefix
// and a random suffix. It returns the DSN and an open handle on it, which
// the caller closes.
func freshRegister(t *testing.T, d store.Dialect, prefix string, reg *register.Register) (string, *sql.DB) {
	t.Helper()
	var dsn string
	switch d {
	case store.SQLite:
		dsn = filepath.Join(t.TempDir(), "register.db")
	case store.MySQL:
		dsn = testmysql.Fresh(t, prefix, "utf8mb4_unicode_ci").FormatDSN()
	case store.Postgres:
		dsn = testpostgres.Fresh(t, prefix)
	}
	return dsn, openRegister(t, d, dsn, reg)
}

// openRegister opens the database of d at dsn, creates the register's
// schema in it and writes reg; the caller closes the handle.
func openRegister(t *testing.T, d store.Dialect, dsn string, reg *register.Register) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, d, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateSchema(ctx, db, d); err != nil {
		db.Close()
		t.Fatal(err)
	}
	if err := store.WriteRegister(ctx, db, d, reg); err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db
}

// dropMySQL drops the database dsn names, and creates it again (empty) when
// the test ends, for testmysql's own cleanup to drop.
func dropMySQL(t *testing.T, dsn string) {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := cfg.DBName
	cfg.DBName = ""
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("DROP DATABASE " + name); err != nil {
		t.Fatalf("drop %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("CREATE DATABASE IF NOT EXISTS " + name); err != nil {
			t.Errorf("create %s again: %v", name, err)
		}
	})
}

// A job's period is overdue when its firing is OverdueAfter past and the
// ledger has no successful run of it; the monthly job fires on the 3rd at
// 06:00 for the month before.
func TestHealthOverdue(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		now     time.Time
		limit   int
		window  time.Duration
		runs    map[string]ledger.RunOutcome // period → outcome in the ledger
		overdue string                       // the overdue period, "" for none
	}{
		{"September not yet due a day", time.Date(2025, 10, 4, 5, 0, 0, 0, oslo), 0, 0,
			map[string]ledger.RunOutcome{"2025-08": ledger.RunSucceeded}, ""},
		{"September a day overdue", time.Date(2025, 10, 4, 7, 0, 0, 0, oslo), 0, 0,
			map[string]ledger.RunOutcome{"2025-08": ledger.RunSucceeded}, "2025-09"},
		{"September failed", time.Date(2025, 10, 10, 7, 0, 0, 0, oslo), 0, 0,
			map[string]ledger.RunOutcome{"2025-09": ledger.RunFailed}, "2025-09"},
		{"September delivered", time.Date(2025, 10, 10, 7, 0, 0, 0, oslo), 0, 0,
			map[string]ledger.RunOutcome{"2025-09": ledger.RunSucceeded}, ""},
		{"a catch-up of one period no longer owes September", time.Date(2025, 11, 3, 12, 0, 0, 0, oslo), 1, 0,
			map[string]ledger.RunOutcome{"2025-10": ledger.RunSucceeded}, ""},
		{"October delivered, September still owed by a catch-up of two", time.Date(2025, 11, 3, 12, 0, 0, 0, oslo), 2, 0,
			map[string]ledger.RunOutcome{"2025-10": ledger.RunSucceeded}, "2025-09"},
		{"October not yet a day due, September still owed", time.Date(2025, 11, 3, 12, 0, 0, 0, oslo), 2, 0,
			map[string]ledger.RunOutcome{"2025-08": ledger.RunSucceeded}, "2025-09"},
		{"firing past the catch-up window", time.Date(2025, 10, 20, 7, 0, 0, 0, oslo), 0, 10 * 24 * time.Hour,
			nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig(t, writeRegister(t, testRegister()), daemonJobs)
			state := filepath.Join(t.TempDir(), "state.db")
			for period, outcome := range c.runs {
				recordRun(t, "sqlite", state, "monthly-owner", period, outcome, c.now.Add(-time.Hour))
			}
			l, err := ledger.Open(context.Background(), "sqlite", state, ledger.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			clk := schedule.NewFakeClock(c.now)
			jobs := scheduleJobs(cfg)
			sched := schedule.New(jobs, nil, nil, clk, schedule.Options{CatchUpLimit: c.limit, CatchUpWindow: c.window})
			h := NewHealth(sched, jobs, HealthOptions{Ledger: l, Now: clk.Now, CacheFor: -1})
			srv := httptest.NewServer(Handler(h, NewMetrics("test")))
			defer srv.Close()

			code, got := getHealth(t, srv.URL)
			if c.overdue == "" {
				if code != http.StatusOK || got.Status != HealthOK || got.Jobs[0].OverduePeriod != "" {
					t.Errorf("/healthz = %d %+v, want 200 ok", code, got)
				}
				return
			}
			if code != http.StatusServiceUnavailable || got.Status != HealthDegraded || got.Jobs[0].OverduePeriod != c.overdue {
				t.Errorf("/healthz = %d %+v, want 503 degraded with %s overdue", code, got, c.overdue)
			}
			if len(got.Reasons) != 1 || !strings.Contains(got.Reasons[0], "overdue: job monthly-owner: period "+c.overdue) {
				t.Errorf("reasons %q", got.Reasons)
			}
		})
	}
}

// A storm of requests runs one round of checks, not one per request.
func TestHealthCachesChecks(t *testing.T) {
	var probes atomic.Int32
	clk := schedule.NewFakeClock(time.Date(2025, 10, 2, 12, 0, 0, 0, time.UTC))
	h := NewHealth(schedule.New(nil, nil, nil, clk, schedule.Options{}), nil, HealthOptions{
		Register: func(context.Context) error { probes.Add(1); return nil },
		CacheFor: time.Hour,
	})
	srv := httptest.NewServer(Handler(h, NewMetrics("test")))
	defer srv.Close()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if code, got := getHealth(t, srv.URL); code != http.StatusOK || got.Status != HealthOK {
				t.Errorf("/healthz = %d %+v", code, got)
			}
		})
	}
	wg.Wait()
	if n := probes.Load(); n != 1 {
		t.Errorf("20 requests probed the register %d times, want 1", n)
	}
}

// With daemon.catch_up_periods: 0 a period whose firing came while the
// daemon was down is never run, so /healthz must not call it overdue.
func TestDaemonWithoutCatchUpDoesNotCallAMissedPeriodOverdue(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	f := newDaemonFixture(t, stateStore{driver: "sqlite", dsn: state}, 0)
	oslo := f.cfg.Location
	recordRun(t, "sqlite", state, "monthly-owner", "2025-08", ledger.RunSucceeded, time.Date(2025, 9, 3, 6, 5, 7, 0, oslo))

	// September fired on 3 October at 06:00, two days before the start.
	clk := schedule.NewFakeClock(time.Date(2025, 10, 5, 12, 0, 0, 0, oslo))
	addr, stop := launchDaemon(t, f.cfg, Options{Now: clk.Now, Clock: clk})
	code, h := getHealth(t, "http://"+addr)
	stop()
	if code != http.StatusOK || h.Status != HealthOK || len(h.Jobs) != 1 || h.Jobs[0].OverduePeriod != "" {
		t.Errorf("/healthz = %d %+v; want 200 ok: without catch-up September is not owed", code, h)
	}
	f.checkCounts(0)
}
