package ledger

import (
	"context"
	"database/sql"
	"fmt"
)

// migration is one step of the ledger's schema, with its statements per dialect.
type migration struct {
	version int
	sqlite  []string
	mysql   []string
}

// migrations lists the schema steps in order; a step is never edited once
// released, only new steps are appended.
func migrations() []migration {
	return []migration{
		{
			version: 1,
			sqlite: []string{
				`CREATE TABLE IF NOT EXISTS ledger_run (
				id          INTEGER PRIMARY KEY AUTOINCREMENT,
				job         TEXT    NOT NULL,
				period      TEXT    NOT NULL,
				owner       TEXT    NOT NULL,
				started_at  INTEGER NOT NULL,
				finished_at INTEGER,
				outcome     TEXT,
				summary     TEXT    NOT NULL
			)`,
				`CREATE INDEX IF NOT EXISTS ledger_run_job_period ON ledger_run (job, period)`,
				`CREATE TABLE IF NOT EXISTS ledger_delivery (
				job         TEXT    NOT NULL,
				period      TEXT    NOT NULL,
				recipient   TEXT    NOT NULL,
				status      TEXT    NOT NULL,
				owner       TEXT    NOT NULL,
				token       TEXT    NOT NULL,
				lease_until INTEGER NOT NULL,
				attempts    INTEGER NOT NULL,
				last_error  TEXT    NOT NULL,
				sha256      TEXT    NOT NULL,
				message_id  TEXT    NOT NULL,
				sent_at     INTEGER,
				claimed_at  INTEGER NOT NULL,
				updated_at  INTEGER NOT NULL,
				PRIMARY KEY (job, period, recipient)
			)`,
			},
			mysql: []string{
				`CREATE TABLE IF NOT EXISTS ledger_run (
				id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
				job         VARCHAR(128) NOT NULL,
				period      VARCHAR(16)  NOT NULL,
				owner       VARCHAR(255) NOT NULL,
				started_at  BIGINT       NOT NULL,
				finished_at BIGINT       NULL,
				outcome     VARCHAR(16)  NULL,
				summary     TEXT         NOT NULL,
				KEY ledger_run_job_period (job, period)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
				`CREATE TABLE IF NOT EXISTS ledger_delivery (
				job         VARCHAR(128) NOT NULL,
				period      VARCHAR(16)  NOT NULL,
				recipient   VARCHAR(255) NOT NULL,
				status      VARCHAR(24)  NOT NULL,
				owner       VARCHAR(255) NOT NULL,
				token       VARCHAR(64)  NOT NULL,
				lease_until BIGINT       NOT NULL,
				attempts    INT          NOT NULL,
				last_error  TEXT         NOT NULL,
				sha256      VARCHAR(64)  NOT NULL,
				message_id  VARCHAR(998) NOT NULL,
				sent_at     BIGINT       NULL,
				claimed_at  BIGINT       NOT NULL,
				updated_at  BIGINT       NOT NULL,
				PRIMARY KEY (job, period, recipient)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			},
		},
		{
			// One-time notices to the coordinator about a job's period, such
			// as "still waiting for the data", so a restart never repeats one.
			version: 2,
			sqlite: []string{
				`CREATE TABLE IF NOT EXISTS ledger_notice (
				job         TEXT    NOT NULL,
				period      TEXT    NOT NULL,
				kind        TEXT    NOT NULL,
				owner       TEXT    NOT NULL,
				token       TEXT    NOT NULL,
				lease_until INTEGER NOT NULL,
				sent_at     INTEGER,
				updated_at  INTEGER NOT NULL,
				PRIMARY KEY (job, period, kind)
			)`,
			},
			mysql: []string{
				`CREATE TABLE IF NOT EXISTS ledger_notice (
				job         VARCHAR(128) NOT NULL,
				period      VARCHAR(16)  NOT NULL,
				kind        VARCHAR(32)  NOT NULL,
				owner       VARCHAR(255) NOT NULL,
				token       VARCHAR(64)  NOT NULL,
				lease_until BIGINT       NOT NULL,
				sent_at     BIGINT       NULL,
				updated_at  BIGINT       NOT NULL,
				PRIMARY KEY (job, period, kind)
			) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
			},
		},
	}
}

// SchemaVersion is the ledger schema version this code writes.
func SchemaVersion() int {
	ms := migrations()
	return ms[len(ms)-1].version
}

const (
	createSchemaTableSQLite = `CREATE TABLE IF NOT EXISTS ledger_schema (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`
	createSchemaTableMySQL = `CREATE TABLE IF NOT EXISTS ledger_schema (
		version    INT    NOT NULL PRIMARY KEY,
		applied_at BIGINT NOT NULL
	) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`
	selectSchemaVersion = `SELECT COALESCE(MAX(version), 0) FROM ledger_schema`
	insertSchemaVersion = `INSERT INTO ledger_schema (version, applied_at) VALUES (?, ?)`

	// mysqlMigrationLock serialises migrations across processes; MySQL DDL
	// is not transactional, so a named lock stands in for a transaction.
	mysqlMigrationLock = `gevinstrapport.ledger.migrate`
	mysqlGetLock       = `SELECT GET_LOCK(?, 30)`
	mysqlReleaseLock   = `SELECT RELEASE_LOCK(?)`
)

// execer is what both *sql.Tx and *sql.Conn offer for running statements.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// migrate brings the store's tables to SchemaVersion, holding a store-wide
// lock so that processes starting together do not race each other.
func (l *Ledger) migrate(ctx context.Context) error {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate state store: get connection: %w", err)
	}
	defer conn.Close()

	if l.driver == "mysql" {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, mysqlGetLock, mysqlMigrationLock).Scan(&got); err != nil {
			return fmt.Errorf("migrate state store: take migration lock: %w", err)
		}
		if !got.Valid || got.Int64 != 1 {
			return fmt.Errorf("migrate state store: migration lock %q not obtained within 30 s", mysqlMigrationLock)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), mysqlReleaseLock, mysqlMigrationLock)
		return l.applyMigrations(ctx, conn, createSchemaTableMySQL)
	}

	// SQLite: the DSN makes this an immediate transaction, which takes the
	// database's write lock before reading the version.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate state store: begin: %w", err)
	}
	defer tx.Rollback()
	if err := l.applyMigrations(ctx, tx, createSchemaTableSQLite); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate state store: commit: %w", err)
	}
	return nil
}

func (l *Ledger) applyMigrations(ctx context.Context, ex execer, createSchema string) error {
	if _, err := ex.ExecContext(ctx, createSchema); err != nil {
		return fmt.Errorf("migrate state store: create ledger_schema: %w", err)
	}
	var current int
	if err := ex.QueryRowContext(ctx, selectSchemaVersion).Scan(&current); err != nil {
		return fmt.Errorf("migrate state store: read schema version: %w", err)
	}
	if current > SchemaVersion() {
		return fmt.Errorf("migrate state store: schema version %d is newer than this program supports (%d)", current, SchemaVersion())
	}
	for _, m := range migrations() {
		if m.version <= current {
			continue
		}
		stmts := m.sqlite
		if l.driver == "mysql" {
			stmts = m.mysql
		}
		for i, stmt := range stmts {
			if _, err := ex.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrate state store to version %d (statement %d): %w", m.version, i+1, err)
			}
		}
		if _, err := ex.ExecContext(ctx, insertSchemaVersion, m.version, millis(l.now())); err != nil {
			return fmt.Errorf("migrate state store: record version %d: %w", m.version, err)
		}
	}
	return nil
}
