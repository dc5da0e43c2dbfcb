package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RunOutcome is how a run of a job ended.
type RunOutcome string

// The outcomes a run can finish with. Only succeeded (and marked_done)
// make a period done: every recipient got their report or was reported to
// the coordinator as needing a person.
const (
	// RunSucceeded: the period is done.
	RunSucceeded RunOutcome = "succeeded"
	// RunFailed: the run stopped on an error before sending (register
	// unreadable, output not writable); a later run does it all.
	RunFailed RunOutcome = "failed"
	// RunPartial: the run went through every recipient, but some are not
	// done (a report or delivery failed, a delivery is pending after a relay
	// fault, or another process still holds its claim); a later run
	// delivers the rest.
	RunPartial RunOutcome = "partial"
	// RunInterrupted: the run was stopped (SIGTERM, a cancelled context, or a
	// crash found later) before it went through every recipient; what it did
	// not send is pending and a later run delivers exactly that.
	RunInterrupted RunOutcome = "interrupted"
	// RunMarkedDone: not a run; the coordinator marked the job's periods up
	// to and including this one as done (mark-done, at go-live), so the
	// daemon's catch-up never sends them.
	RunMarkedDone RunOutcome = "marked_done"
	// RunNotReady: the register did not yet hold the period's data, so
	// nothing was sent; the period is tried again later.
	RunNotReady RunOutcome = "not_ready"
)

// Valid reports whether o is one of the known outcomes.
func (o RunOutcome) Valid() bool {
	switch o {
	case RunSucceeded, RunFailed, RunPartial, RunInterrupted, RunMarkedDone, RunNotReady:
		return true
	}
	return false
}

// ErrRunNotOpen is returned by FinishRun when the run does not exist or has already finished.
var ErrRunNotOpen = errors.New("run not found or already finished")

// Run is one recorded run of a job for a period.
type Run struct {
	ID         int64
	Job        string
	Period     string
	Owner      string
	StartedAt  time.Time
	FinishedAt time.Time // zero while unfinished
	Outcome    RunOutcome
	Summary    string
}

const (
	insertRun = `INSERT INTO ledger_run (job, period, owner, started_at, summary) VALUES (?, ?, ?, ?, '')`
	finishRun = `UPDATE ledger_run SET finished_at = ?, outcome = ?, summary = ?
		WHERE id = ? AND finished_at IS NULL`
	// selectSucceeded compares periods as text: within one job they have
	// one format ("2025-09" or "2025"), whose text order is time order.
	selectSucceeded = `SELECT COUNT(*) FROM ledger_run
		WHERE job = ? AND ((period = ? AND outcome = 'succeeded')
		                   OR (outcome = 'marked_done' AND period >= ?))`
	insertMarkedDone = `INSERT INTO ledger_run (job, period, owner, started_at, finished_at, outcome, summary)
		VALUES (?, ?, ?, ?, ?, 'marked_done', ?)`
	selectLastSuccess = `SELECT MAX(finished_at) FROM ledger_run
		WHERE job = ? AND outcome = 'succeeded'`
	selectUnfinished = `SELECT id, job, period, owner, started_at, finished_at, outcome, summary
		FROM ledger_run WHERE finished_at IS NULL ORDER BY id`
	selectRuns = `SELECT id, job, period, owner, started_at, finished_at, outcome, summary
		FROM ledger_run WHERE job = ? AND period = ? ORDER BY id`
)

// StartRun records that this process started a run of job for period and returns its id.
func (l *Ledger) StartRun(ctx context.Context, job, period string) (int64, error) {
	if err := validateJobPeriod(job, period); err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	if l.driver == "postgres" {
		// PostgreSQL has no LastInsertId; the INSERT returns the id.
		var id int64
		if err := l.db.QueryRowContext(ctx, insertRunPostgres, job, period, l.owner, millis(l.now())).Scan(&id); err != nil {
			return 0, fmt.Errorf("start run %s %s: %w", job, period, err)
		}
		return id, nil
	}
	res, err := l.db.ExecContext(ctx, insertRun, job, period, l.owner, millis(l.now()))
	if err != nil {
		return 0, fmt.Errorf("start run %s %s: %w", job, period, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("start run %s %s: read run id: %w", job, period, err)
	}
	return id, nil
}

// FinishRun records how the run with the given id ended; a run finishes once.
func (l *Ledger) FinishRun(ctx context.Context, id int64, outcome RunOutcome, summary string) error {
	if !outcome.Valid() {
		return fmt.Errorf("finish run %d: unknown outcome %q", id, outcome)
	}
	res, err := l.db.ExecContext(ctx, finishRun, millis(l.now()), string(outcome), clip(summary), id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if n != 1 {
		return fmt.Errorf("finish run %d: %w", id, ErrRunNotOpen)
	}
	return nil
}

// Succeeded reports whether (job, period) is done: some run of it finished
// with outcome succeeded, or the period was marked done with MarkDone.
func (l *Ledger) Succeeded(ctx context.Context, job, period string) (bool, error) {
	var n int
	if err := l.db.QueryRowContext(ctx, selectSucceeded, job, period, period).Scan(&n); err != nil {
		return false, fmt.Errorf("check run %s %s succeeded: %w", job, period, err)
	}
	return n > 0, nil
}

// MarkDone records that every period of job up to and including through is
// done without a run (periods the old routine already sent, at go-live), so
// that Succeeded reports them done and the daemon's catch-up skips them.
func (l *Ledger) MarkDone(ctx context.Context, job, through, note string) error {
	if err := validateJobPeriod(job, through); err != nil {
		return fmt.Errorf("mark done: %w", err)
	}
	now := millis(l.now())
	if _, err := l.db.ExecContext(ctx, insertMarkedDone, job, through, l.owner, now, now, clip(note)); err != nil {
		return fmt.Errorf("mark %s done through %s: %w", job, through, err)
	}
	return nil
}

// LastSuccess returns when the latest succeeded run of job finished, and false if none has.
func (l *Ledger) LastSuccess(ctx context.Context, job string) (time.Time, bool, error) {
	var v sql.NullInt64
	if err := l.db.QueryRowContext(ctx, selectLastSuccess, job).Scan(&v); err != nil {
		return time.Time{}, false, fmt.Errorf("read last success of %s: %w", job, err)
	}
	if !v.Valid {
		return time.Time{}, false, nil
	}
	return fromMillis(v), true, nil
}

// Runs lists the recorded runs of job for period, oldest first.
func (l *Ledger) Runs(ctx context.Context, job, period string) ([]Run, error) {
	runs, err := l.listRuns(ctx, selectRuns, job, period)
	if err != nil {
		return nil, fmt.Errorf("list runs of %s %s: %w", job, period, err)
	}
	return runs, nil
}

// Unfinished lists runs that were started but never finished, oldest first.
//
// Most are runs of a process that crashed; the daemon finishes them on
// restart. When several processes share the store, a run listed here may
// still be going in another process: compare Owner with Ledger.Owner and
// StartedAt with the longest plausible run before finishing it.
func (l *Ledger) Unfinished(ctx context.Context) ([]Run, error) {
	runs, err := l.listRuns(ctx, selectUnfinished)
	if err != nil {
		return nil, fmt.Errorf("list unfinished runs: %w", err)
	}
	return runs, nil
}

func (l *Ledger) listRuns(ctx context.Context, query string, args ...any) ([]Run, error) {
	rows, err := l.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var (
			r                 Run
			started, finished sql.NullInt64
			outcome           sql.NullString
		)
		if err := rows.Scan(&r.ID, &r.Job, &r.Period, &r.Owner, &started, &finished, &outcome, &r.Summary); err != nil {
			return nil, err
		}
		r.StartedAt = fromMillis(started)
		r.FinishedAt = fromMillis(finished)
		r.Outcome = RunOutcome(outcome.String)
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// Key limits: the MySQL and PostgreSQL columns are VARCHAR of these lengths.
const (
	maxJobLen       = 128
	maxPeriodLen    = 16
	maxRecipientLen = 255
)

func validateJobPeriod(job, period string) error {
	switch {
	case job == "":
		return errors.New("empty job name")
	case len([]rune(job)) > maxJobLen:
		return fmt.Errorf("job name longer than %d characters", maxJobLen)
	case period == "":
		return errors.New("empty period")
	case len([]rune(period)) > maxPeriodLen:
		return fmt.Errorf("period %q longer than %d characters", period, maxPeriodLen)
	}
	return nil
}
