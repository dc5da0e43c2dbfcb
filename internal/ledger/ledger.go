// Package ledger is the job's own state store: it records runs and
// deliveries so that each (job, period, recipient) is delivered exactly once
// (SPEC §8), also when several processes share one store.
//
// The store is SQLite (a file, in WAL mode, shared safely by several
// processes on one host; it must sit on a local file system, as SQLite's
// locking is not reliable over NFS), MySQL/MariaDB or PostgreSQL (shared by
// workers on several hosts, such as the shards of a Kubernetes Indexed
// Job). It is
// never the reporting database's tables: the ledger creates and migrates
// its own tables, all named ledger_*.
//
// Delivery is guarded by claims. Before sending, a process calls Claim for
// the key; the claim is granted to exactly one caller, by a single atomic
// statement (an INSERT guarded by the primary key, or an UPDATE whose WHERE
// clause re-checks the row's state), so no two processes can both hold it.
// A claim carries a lease: a process that crashes after claiming leaves a
// claim that expires, after which the next run takes it over. The lease
// must cover rendering and sending one delivery (Renew extends it); leases
// are compared with the clock of the process claiming, so hosts sharing a
// store need synchronised clocks. A delivery recorded as sent is never
// claimed again unless the caller asks to resend.
//
// The remaining window is the one every SMTP sender has: if the process
// crashes (or loses its store connection) after the SMTP server accepted the
// message but before MarkSent is recorded, the lease expires and the message
// is sent a second time. Delivery is therefore exactly once except in that
// window, where it is at least once; callers should give the message a
// stable Message-ID derived from the key so that the receiving side can
// recognise the duplicate.
package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"modernc.org/sqlite" // also registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// DefaultLeaseDuration is how long a claim stays live when Options does not say.
const DefaultLeaseDuration = 10 * time.Minute

// Options configures a Ledger.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Owner names this process in the store; empty means hostname+pid+random.
	Owner string
	// LeaseDuration is how long a claim stays live before another process
	// may take it over; zero means DefaultLeaseDuration.
	LeaseDuration time.Duration
}

// Ledger records runs and deliveries in the job's own state store.
type Ledger struct {
	db     *pool
	driver string
	now    func() time.Time
	owner  string
	lease  time.Duration
}

// Open connects to the state store, creating or migrating its tables, and
// returns a Ledger; driver is "sqlite", "mysql" or "postgres".
func Open(ctx context.Context, driver, dsn string, opts Options) (*Ledger, error) {
	l := &Ledger{driver: driver, now: opts.Now, owner: opts.Owner, lease: opts.LeaseDuration}
	if l.now == nil {
		l.now = time.Now
	}
	if l.lease <= 0 {
		l.lease = DefaultLeaseDuration
	}
	if l.owner == "" {
		owner, err := defaultOwner()
		if err != nil {
			return nil, fmt.Errorf("open ledger: %w", err)
		}
		l.owner = owner
	}
	db, err := openDB(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	l.db = &pool{DB: db, numbered: driver == "postgres"}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger: connect to %s state store: %w", driver, err)
	}
	if err := l.prepare(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	return l, nil
}

// prepareTries bounds how often Open retries preparing an SQLite store that
// another process is preparing at the same moment.
const prepareTries = 40

// prepare puts an SQLite file in WAL mode and migrates the tables. Switching
// to WAL needs an exclusive lock that SQLite does not wait for, so when
// several processes open a fresh file at once the losers retry briefly.
func (l *Ledger) prepare(ctx context.Context) error {
	for try := 1; ; try++ {
		err := l.setJournalMode(ctx)
		if err == nil {
			err = l.migrate(ctx)
		}
		if err == nil || !isSQLiteBusy(err) || try == prepareTries {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("prepare state store: %w (after %v)", ctx.Err(), err)
		case <-time.After(time.Duration(try) * 5 * time.Millisecond):
		}
	}
}

const setWAL = `PRAGMA journal_mode=WAL`

func (l *Ledger) setJournalMode(ctx context.Context) error {
	if l.driver != "sqlite" {
		return nil
	}
	var mode string
	if err := l.db.QueryRowContext(ctx, setWAL).Scan(&mode); err != nil {
		return fmt.Errorf("switch sqlite state store to WAL: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("switch sqlite state store to WAL: journal mode is still %q", mode)
	}
	return nil
}

func isSQLiteBusy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// Close closes the connection pool to the state store.
func (l *Ledger) Close() error {
	if err := l.db.Close(); err != nil {
		return fmt.Errorf("close ledger: %w", err)
	}
	return nil
}

// Owner is the name under which this Ledger records its runs and claims.
func (l *Ledger) Owner() string { return l.owner }

func openDB(driver, dsn string) (*sql.DB, error) {
	switch driver {
	case "sqlite":
		full, err := sqliteDSN(dsn)
		if err != nil {
			return nil, err
		}
		if err := protectSQLite(dsn); err != nil {
			return nil, err
		}
		db, err := sql.Open("sqlite", full)
		if err != nil {
			return nil, fmt.Errorf("open sqlite state store: %w", err)
		}
		return db, nil
	case "mysql":
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			// The DSN may hold a password, so it is not repeated here.
			return nil, errors.New("parse mysql state store DSN: invalid DSN")
		}
		// Claims depend on affected rows meaning rows changed, not rows found.
		cfg.ClientFoundRows = false
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, fmt.Errorf("open mysql state store: %w", err)
		}
		return sql.OpenDB(conn), nil
	case "postgres":
		return openPostgres(dsn)
	default:
		return nil, fmt.Errorf("unknown state store driver %q (want sqlite, mysql or postgres)", driver)
	}
}

// sqliteFileMode is the mode of the ledger's SQLite files: they say who got
// which report, so only the job's own user reads them. SQLite gives its
// -wal, -shm and -journal files the mode of the database file.
const sqliteFileMode os.FileMode = 0o600

// protectSQLite creates the ledger's database file with sqliteFileMode
// before SQLite does (SQLite makes it 0644, even under umask 077), and
// narrows the files an earlier version left readable to others. A missing
// folder is left for SQLite to report.
func protectSQLite(dsn string) error {
	path, _, _ := strings.Cut(dsn, "?")
	path = strings.TrimPrefix(path, "file:")
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, sqliteFileMode)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create sqlite state store: %w", err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("protect sqlite state store: %w", err)
		}
		if perm := info.Mode().Perm(); perm&^sqliteFileMode != 0 {
			if err := os.Chmod(p, perm&sqliteFileMode); err != nil {
				return fmt.Errorf("protect sqlite state store: %w", err)
			}
		}
	}
	return nil
}

// sqliteDSN adds the connection settings the ledger relies on to a file
// name or file: URI: a busy timeout so concurrent writers from other
// processes wait instead of failing, and immediate transactions so a
// transaction takes the write lock up front. WAL mode, which lets readers
// and the writer proceed together, is set once by prepare: it is stored in
// the file, and a journal_mode given in the DSN is dropped.
func sqliteDSN(dsn string) (string, error) {
	if dsn == "" {
		return "", errors.New("sqlite state store: empty file name")
	}
	if dsn == ":memory:" || strings.Contains(dsn, "mode=memory") {
		return "", errors.New("sqlite state store: an in-memory database cannot be shared and would forget deliveries; use a file")
	}
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sqlite state store: parse DSN parameters: %w", err)
	}
	var pragmas []string
	for _, p := range q["_pragma"] {
		name := strings.ToLower(strings.TrimSpace(p))
		if strings.HasPrefix(name, "journal_mode") || strings.HasPrefix(name, "busy_timeout") {
			continue
		}
		pragmas = append(pragmas, p)
	}
	q["_pragma"] = append([]string{"busy_timeout(10000)"}, pragmas...)
	q.Set("_txlock", "immediate")
	return base + "?" + q.Encode(), nil
}

func defaultOwner() (string, error) {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	suffix, err := randomHex(4)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), suffix), nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// millis converts a time to the integer milliseconds the ledger stores.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts stored milliseconds back to a UTC time; NULL gives the zero time.
func fromMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// maxTextBytes bounds free-text columns (errors, summaries) so one huge
// SMTP transcript cannot bloat the store.
const maxTextBytes = 8000

func clip(s string) string {
	if len(s) <= maxTextBytes {
		return s
	}
	cut := maxTextBytes
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
