package ledger

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// testStore is one fresh, empty state store a test can open ledgers on.
type testStore struct {
	driver string
	dsn    string
	// altDSN reaches the same store spelled differently, with settings the
	// ledger must override (sqlite: a file: URI with a tiny busy timeout;
	// mysql: clientFoundRows=true; postgres: key=value form, serializable
	// transactions by default).
	altDSN string
}

// forEachStore runs fn against a fresh SQLite file and, when
// GEVINST_TEST_MYSQL_DSN or GEVINST_TEST_POSTGRES_DSN is set, a fresh MySQL
// database or PostgreSQL schema.
func forEachStore(t *testing.T, fn func(t *testing.T, s testStore)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLiteStore(t)) })
	t.Run("mysql", func(t *testing.T) { fn(t, newMySQLStore(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, newPostgresStore(t)) })
}

// newPostgresStore creates a schema with a random name in the database of
// GEVINST_TEST_POSTGRES_DSN and drops it when the test ends. Without the
// variable the test is skipped; with it set, failing to connect fails.
func newPostgresStore(t *testing.T) testStore {
	t.Helper()
	dsn := testpostgres.Fresh(t, "ledger_test_")
	alt := testpostgres.KeyValue(t, dsn, "default_transaction_isolation=serializable")
	return testStore{driver: "postgres", dsn: dsn, altDSN: alt}
}

func newSQLiteStore(t *testing.T) testStore {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	return testStore{
		driver: "sqlite",
		dsn:    path,
		altDSN: "file:" + path + "?_pragma=busy_timeout(1)&_txlock=deferred",
	}
}

// newMySQLStore creates a database with a random name on the server named by
// GEVINST_TEST_MYSQL_DSN and drops it when the test ends. Without the
// variable the test is skipped; with it set, failing to connect fails.
func newMySQLStore(t *testing.T) testStore {
	t.Helper()
	target := testmysql.Fresh(t, "ledger_test_", "utf8mb4_bin")
	alt := target.Clone()
	alt.ClientFoundRows = true
	return testStore{driver: "mysql", dsn: target.FormatDSN(), altDSN: alt.FormatDSN()}
}

// fakeClock is a settable clock shared by the ledgers of one test.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const testLease = time.Minute

// openLedger opens a ledger on s with the shared clock, closing it at cleanup.
func openLedger(t *testing.T, dsn string, s testStore, clock *fakeClock, owner string) *Ledger {
	t.Helper()
	l, err := Open(context.Background(), s.driver, dsn, Options{Now: clock.Now, Owner: owner, LeaseDuration: testLease})
	if err != nil {
		t.Fatalf("open ledger %s: %v", owner, err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close ledger %s: %v", owner, err)
		}
	})
	return l
}

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		driver  string
		dsn     string
		wantErr string
	}{
		{name: "unknown driver", driver: "oracle", dsn: "x", wantErr: "unknown state store driver"},
		{name: "postgres bad dsn", driver: "postgres", dsn: "postgres://u:secret@db:port/x", wantErr: "invalid DSN"},
		{name: "postgres bad key=value dsn", driver: "postgres", dsn: "host=db password='secret", wantErr: "invalid DSN"},
		{name: "postgres refused", driver: "postgres", dsn: "postgres://u:secret@127.0.0.1:1/x?connect_timeout=2", wantErr: "connect to postgres state store"},
		{name: "sqlite in memory", driver: "sqlite", dsn: ":memory:", wantErr: "in-memory"},
		{name: "sqlite empty name", driver: "sqlite", dsn: "", wantErr: "empty file name"},
		{name: "mysql bad dsn", driver: "mysql", dsn: "user:secret@nonsense(", wantErr: "invalid DSN"},
		{name: "sqlite missing directory", driver: "sqlite", dsn: filepath.Join(t.TempDir(), "no", "such", "dir", "state.db"), wantErr: "connect to sqlite state store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Open(context.Background(), tt.driver, tt.dsn, Options{})
			if err == nil {
				l.Close()
				t.Fatalf("Open succeeded, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Open error = %q, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("Open error %q leaks the DSN password", err)
			}
		})
	}
}

func TestOpenMigratesOnceAndKeepsData(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		first := openLedger(t, s.dsn, s, clock, "first")
		c, err := first.Claim(ctx, Key{"monthly-owner", "2025-09", "p1"}, false)
		if err != nil || !c.Granted {
			t.Fatalf("claim = %+v, %v; want granted", c, err)
		}
		if err := first.MarkSent(ctx, c, "<m1@test>"); err != nil {
			t.Fatal(err)
		}

		// Reopening (also through the alternative DSN spelling) must neither
		// fail on the existing tables nor lose what was recorded.
		second := openLedger(t, s.altDSN, s, clock, "second")
		ds, err := second.Deliveries(ctx, "monthly-owner", "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].Status != StatusSent || ds[0].MessageID != "<m1@test>" {
			t.Fatalf("deliveries after reopen = %+v, want one sent with message id <m1@test>", ds)
		}
		var versions, maxVersion int
		if err := second.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(version) FROM ledger_schema`).Scan(&versions, &maxVersion); err != nil {
			t.Fatal(err)
		}
		if versions != len(migrations()) || maxVersion != SchemaVersion() {
			t.Fatalf("ledger_schema has %d rows, max version %d; want %d rows, max %d", versions, maxVersion, len(migrations()), SchemaVersion())
		}
	})
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		l := openLedger(t, s.dsn, s, clock, "a")
		if _, err := l.db.ExecContext(ctx, insertSchemaVersion, SchemaVersion()+1, 0); err != nil {
			t.Fatal(err)
		}
		newer, err := Open(ctx, s.driver, s.dsn, Options{Now: clock.Now})
		if err == nil {
			newer.Close()
			t.Fatal("Open succeeded on a store with a newer schema version")
		}
		if !strings.Contains(err.Error(), "newer than this program supports") {
			t.Fatalf("Open error = %v, want one about the newer schema", err)
		}
	})
}

func TestSQLiteSettings(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	clock := newClock()
	for _, dsn := range []string{s.dsn, s.altDSN} {
		l := openLedger(t, dsn, s, clock, "a")
		ctx := context.Background()
		var mode string
		var busy int
		if err := l.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := l.db.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || busy < 1000 {
			t.Fatalf("dsn %q: journal_mode=%q busy_timeout=%d, want wal and at least 1000 ms", dsn, mode, busy)
		}
	}
}

// TestPostgresSettings opens one store through both spellings of its DSN
// and checks that claims run under READ COMMITTED even when the DSN asks
// for serializable transactions.
func TestPostgresSettings(t *testing.T) {
	t.Parallel()
	s := newPostgresStore(t)
	clock := newClock()
	for _, dsn := range []string{s.dsn, s.altDSN} {
		l := openLedger(t, dsn, s, clock, "a")
		var level string
		if err := l.db.QueryRowContext(context.Background(), `SHOW transaction_isolation`).Scan(&level); err != nil {
			t.Fatal(err)
		}
		if level != "read committed" {
			t.Fatalf("dsn %q: transaction_isolation = %q, want read committed", dsn, level)
		}
	}
}

func TestConcurrentOpenOfFreshStore(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		clock := newClock()
		const n = 12
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				l, err := Open(context.Background(), s.driver, s.dsn, Options{Now: clock.Now, Owner: fmt.Sprint("p", i)})
				if err != nil {
					errs <- err
					return
				}
				errs <- l.Close()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent Open: %v", err)
			}
		}
	})
}

func TestRuns(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		clock := newClock()
		l := openLedger(t, s.dsn, s, clock, "daemon-1")

		if _, ok, err := l.LastSuccess(ctx, "monthly-owner"); err != nil || ok {
			t.Fatalf("LastSuccess on empty store = %v, %v; want false, nil", ok, err)
		}
		aug, err := l.StartRun(ctx, "monthly-owner", "2025-08")
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
		if err := l.FinishRun(ctx, aug, RunSucceeded, "12 rapporter, 12 sendt"); err != nil {
			t.Fatal(err)
		}
		augDone := clock.Now()

		clock.Advance(time.Hour)
		sepFailed, err := l.StartRun(ctx, "monthly-owner", "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		if err := l.FinishRun(ctx, sepFailed, RunFailed, "database unreachable"); err != nil {
			t.Fatal(err)
		}
		sepPartial, err := l.StartRun(ctx, "monthly-owner", "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		if err := l.FinishRun(ctx, sepPartial, RunPartial, "1 permanent failure"); err != nil {
			t.Fatal(err)
		}
		crashStart := clock.Now()
		crashed, err := l.StartRun(ctx, "steering", "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		if _, err := l.StartRun(ctx, "steering", "2025-10"); err != nil {
			t.Fatal(err)
		}

		succeeded := []struct {
			name, job, period string
			want              bool
		}{
			{name: "succeeded run", job: "monthly-owner", period: "2025-08", want: true},
			{name: "only failed and partial runs", job: "monthly-owner", period: "2025-09", want: false},
			{name: "unfinished run", job: "steering", period: "2025-09", want: false},
			{name: "other job same period", job: "steering", period: "2025-08", want: false},
			{name: "never run", job: "annual", period: "2024", want: false},
		}
		for _, tt := range succeeded {
			t.Run(tt.name, func(t *testing.T) {
				got, err := l.Succeeded(ctx, tt.job, tt.period)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Fatalf("Succeeded(%s, %s) = %v, want %v", tt.job, tt.period, got, tt.want)
				}
			})
		}

		last, ok, err := l.LastSuccess(ctx, "monthly-owner")
		if err != nil || !ok || !last.Equal(augDone) {
			t.Fatalf("LastSuccess = %v, %v, %v; want %v, true, nil", last, ok, err, augDone)
		}
		if _, ok, err := l.LastSuccess(ctx, "steering"); err != nil || ok {
			t.Fatalf("LastSuccess(steering) = %v, %v; want false, nil", ok, err)
		}

		open, err := l.Unfinished(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 2 || open[0].ID != crashed || open[0].Period != "2025-09" || open[1].Period != "2025-10" {
			t.Fatalf("Unfinished = %+v, want the two steering runs, oldest first", open)
		}
		if open[0].Owner != "daemon-1" || !open[0].StartedAt.Equal(crashStart) || !open[0].FinishedAt.IsZero() {
			t.Fatalf("Unfinished[0] = %+v, want owner daemon-1, started %v, not finished", open[0], crashStart)
		}

		finishErrs := []struct {
			name    string
			id      int64
			outcome RunOutcome
			wantErr error
			wantMsg string
		}{
			{name: "unknown outcome", id: crashed, outcome: "ok", wantMsg: "unknown outcome"},
			{name: "already finished", id: aug, outcome: RunFailed, wantErr: ErrRunNotOpen},
			{name: "no such run", id: 99999, outcome: RunSucceeded, wantErr: ErrRunNotOpen},
		}
		for _, tt := range finishErrs {
			t.Run(tt.name, func(t *testing.T) {
				err := l.FinishRun(ctx, tt.id, tt.outcome, "")
				if err == nil {
					t.Fatal("FinishRun succeeded, want an error")
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Fatalf("FinishRun error = %v, want %v", err, tt.wantErr)
				}
				if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("FinishRun error = %v, want it to mention %q", err, tt.wantMsg)
				}
			})
		}
		if ok, _ := l.Succeeded(ctx, "monthly-owner", "2025-08"); !ok {
			t.Fatal("a rejected second FinishRun changed the succeeded run")
		}

		// The daemon finishes a crashed run on restart; it then leaves the list.
		if err := l.FinishRun(ctx, crashed, RunFailed, "avbrutt: prosessen stoppet"); err != nil {
			t.Fatal(err)
		}
		open, err = l.Unfinished(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].Period != "2025-10" {
			t.Fatalf("Unfinished after finishing the crashed run = %+v, want only 2025-10", open)
		}
	})
}

func TestStartRunValidates(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	l := openLedger(t, s.dsn, s, newClock(), "a")
	tests := []struct {
		name, job, period string
	}{
		{name: "empty job", job: "", period: "2025-09"},
		{name: "empty period", job: "j", period: ""},
		{name: "long job", job: strings.Repeat("j", maxJobLen+1), period: "2025-09"},
		{name: "long period", job: "j", period: strings.Repeat("9", maxPeriodLen+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.StartRun(context.Background(), tt.job, tt.period); err == nil {
				t.Fatalf("StartRun(%q, %q) succeeded, want an error", tt.job, tt.period)
			}
		})
	}
}

// An interrupted run never makes its period done; a period marked done at
// go-live is done, and so is every earlier one, but not a later one.
func TestInterruptedAndMarkedDone(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s testStore) {
		ctx := context.Background()
		l := openLedger(t, s.dsn, s, newClock(), "daemon-1")
		id, err := l.StartRun(ctx, "monthly-owner", "2025-10")
		if err != nil {
			t.Fatal(err)
		}
		if err := l.FinishRun(ctx, id, RunInterrupted, "17 of 40 sent, 23 pending"); err != nil {
			t.Fatal(err)
		}
		if err := l.MarkDone(ctx, "monthly-owner", "2025-09", "go-live"); err != nil {
			t.Fatal(err)
		}
		if err := l.MarkDone(ctx, "annual", "2024", "go-live"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			job, period string
			want        bool
		}{
			{"monthly-owner", "2025-10", false}, // interrupted only
			{"monthly-owner", "2025-09", true},
			{"monthly-owner", "2024-12", true},
			{"monthly-owner", "2025-11", false},
			{"steering", "2025-09", false}, // another job
			{"annual", "2024", true},
			{"annual", "2023", true},
			{"annual", "2025", false},
		}
		for _, tt := range tests {
			got, err := l.Succeeded(ctx, tt.job, tt.period)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Succeeded(%s, %s) = %v, want %v", tt.job, tt.period, got, tt.want)
			}
		}
		if _, ok, err := l.LastSuccess(ctx, "monthly-owner"); err != nil || ok {
			t.Errorf("LastSuccess after an interrupted run and a mark = %v, %v; want none: nothing was sent", ok, err)
		}
		runs, err := l.Runs(ctx, "monthly-owner", "2025-10")
		if err != nil || len(runs) != 1 || runs[0].Outcome != RunInterrupted || runs[0].Summary != "17 of 40 sent, 23 pending" {
			t.Errorf("Runs(monthly-owner, 2025-10) = %+v, %v; want the one interrupted run", runs, err)
		}
		if open, err := l.Unfinished(ctx); err != nil || len(open) != 0 {
			t.Errorf("Unfinished = %v, %v; want none", open, err)
		}
	})
}

// TestMigrationsCoverEveryDriver checks, without a server, that every
// migration has statements for SQLite, MySQL and PostgreSQL and creates
// the same tables for each: a
// step written for two drivers would otherwise fail only where the third
// driver's tests run.
func TestMigrationsCoverEveryDriver(t *testing.T) {
	t.Parallel()
	created := regexp.MustCompile(`CREATE TABLE IF NOT EXISTS (\w+)`)
	tables := func(stmts []string) []string {
		var out []string
		for _, s := range stmts {
			if m := created.FindStringSubmatch(s); m != nil {
				out = append(out, m[1])
			}
		}
		return out
	}
	for _, m := range migrations() {
		want := tables(m.sqlite)
		for driver, stmts := range map[string][]string{"sqlite": m.sqlite, "mysql": m.mysql, "postgres": m.postgres} {
			if len(stmts) == 0 {
				t.Errorf("migration %d has no statements for %s", m.version, driver)
			}
			if got := tables(stmts); !slices.Equal(got, want) {
				t.Errorf("migration %d creates %v for %s, %v for sqlite", m.version, got, driver, want)
			}
		}
	}
}
