package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// pool is the ledger's connection pool. The ledger's statements are
// written with ? placeholders; for PostgreSQL, whose placeholders are
// numbered, ExecContext, QueryContext and QueryRowContext rewrite them to
// $1, $2, ... Everything else is *sql.DB's own.
type pool struct {
	*sql.DB
	numbered bool
}

// ExecContext runs a statement; see pool.
func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, p.rebind(query), args...)
}

// QueryContext runs a query; see pool.
func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, p.rebind(query), args...)
}

// QueryRowContext runs a query for one row; see pool.
func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, p.rebind(query), args...)
}

func (p *pool) rebind(query string) string {
	if !p.numbered {
		return query
	}
	return numberPlaceholders(query)
}

// numberPlaceholders turns each ? into $1, $2, ... in order. The ledger's
// statements hold no ? inside string literals.
func numberPlaceholders(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// numberedExecer is an execer (a transaction or connection) that rewrites
// ? placeholders for PostgreSQL, as pool does.
type numberedExecer struct{ ex execer }

func (n numberedExecer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return n.ex.ExecContext(ctx, numberPlaceholders(query), args...)
}

func (n numberedExecer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return n.ex.QueryRowContext(ctx, numberPlaceholders(query), args...)
}

// openPostgres opens a pool on a PostgreSQL URL or key=value DSN. Claims
// are single statements that rely on READ COMMITTED, PostgreSQL's default,
// where an UPDATE re-checks its WHERE clause on the row's latest version;
// a default_transaction_isolation in the DSN or the role's settings is
// overridden so that claims are not needlessly failed as serialization
// conflicts.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message repeats the DSN, masking the password only on a
		// best-effort basis, so it is not repeated here.
		return nil, errors.New("parse postgres state store DSN: invalid DSN")
	}
	cfg.RuntimeParams["default_transaction_isolation"] = "read committed"
	return stdlib.OpenDB(*cfg), nil
}

const (
	createSchemaTablePostgres = `CREATE TABLE IF NOT EXISTS ledger_schema (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT  NOT NULL
	)`
	// postgresMigrationLock keys the advisory lock that serialises
	// migrations across processes (a constant: "gevinst" in ASCII).
	postgresMigrationLock = 0x67657669_6e7374
	postgresLockMigration = `SELECT pg_advisory_xact_lock(?)`
	insertRunPostgres     = `INSERT INTO ledger_run (job, period, owner, started_at, summary) VALUES (?, ?, ?, ?, '') RETURNING id`
)

// migratePostgres migrates in one transaction: PostgreSQL's DDL is
// transactional, and a transaction-scoped advisory lock makes processes
// starting together take turns (concurrent CREATE TABLE IF NOT EXISTS can
// otherwise fail on the catalog's unique index).
func (l *Ledger) migratePostgres(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate state store: begin: %w", err)
	}
	defer tx.Rollback()
	ex := numberedExecer{tx}
	if _, err := ex.ExecContext(ctx, postgresLockMigration, int64(postgresMigrationLock)); err != nil {
		return fmt.Errorf("migrate state store: take migration lock: %w", err)
	}
	if err := l.applyMigrations(ctx, ex, createSchemaTablePostgres); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate state store: commit: %w", err)
	}
	return nil
}

// isRetryablePostgres reports a serialization failure or a deadlock, which
// PostgreSQL resolves by failing one statement that changed nothing.
func isRetryablePostgres(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}
