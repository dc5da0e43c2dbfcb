package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

const (
	selectLastSucceeded = `SELECT id, job, period, owner, started_at, finished_at, outcome, summary
		FROM ledger_run WHERE job = ? AND outcome = 'succeeded'
		ORDER BY finished_at DESC, id DESC LIMIT 1`
	pingRuns       = `SELECT id FROM ledger_run WHERE 1 = 0`
	sqliteMainFile = `SELECT file FROM pragma_database_list WHERE name = 'main'`
)

// LastSucceeded returns the latest run of job (by finish time) that
// succeeded, and false if none has; the daemon seeds its health report and
// metrics from it at start.
func (l *Ledger) LastSucceeded(ctx context.Context, job string) (Run, bool, error) {
	var (
		r                 Run
		started, finished sql.NullInt64
		outcome           sql.NullString
	)
	err := l.db.QueryRowContext(ctx, selectLastSucceeded, job).
		Scan(&r.ID, &r.Job, &r.Period, &r.Owner, &started, &finished, &outcome, &r.Summary)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, fmt.Errorf("read last succeeded run of %s: %w", job, err)
	}
	r.StartedAt, r.FinishedAt, r.Outcome = fromMillis(started), fromMillis(finished), RunOutcome(outcome.String)
	return r, true, nil
}

// Ping checks that the state store answers and still holds the ledger's
// tables. For SQLite it also checks that the file is still where it was
// opened: a file deleted under a running process keeps working through the
// open handle, but what is recorded there is lost at the next start.
func (l *Ledger) Ping(ctx context.Context) error {
	if err := l.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s state store: %w", l.driver, err)
	}
	rows, err := l.db.QueryContext(ctx, pingRuns)
	if err != nil {
		return fmt.Errorf("read %s state store: %w", l.driver, err)
	}
	rows.Close()
	if l.driver != "sqlite" {
		return nil
	}
	var file string
	if err := l.db.QueryRowContext(ctx, sqliteMainFile).Scan(&file); err != nil {
		return fmt.Errorf("read sqlite state store file name: %w", err)
	}
	if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite state store %s was removed while open: what is recorded now is lost at restart", file)
	} else if err != nil {
		return fmt.Errorf("sqlite state store %s: %w", file, err)
	}
	return nil
}
