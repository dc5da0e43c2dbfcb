package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Key identifies one delivery: a job's report for a period to one recipient.
type Key struct {
	Job       string
	Period    string
	Recipient string
}

func (k Key) validate() error {
	if err := validateJobPeriod(k.Job, k.Period); err != nil {
		return err
	}
	switch {
	case k.Recipient == "":
		return errors.New("empty recipient")
	case len([]rune(k.Recipient)) > maxRecipientLen:
		return fmt.Errorf("recipient longer than %d characters", maxRecipientLen)
	}
	return nil
}

// String formats the key for logs and errors.
func (k Key) String() string { return k.Job + "/" + k.Period + "/" + k.Recipient }

// DeliveryStatus is the recorded state of a delivery.
type DeliveryStatus string

// The states a delivery can be in.
const (
	StatusClaimed         DeliveryStatus = "claimed"          // a process holds a claim and may be sending
	StatusSent            DeliveryStatus = "sent"             // the SMTP server accepted the message
	StatusFailed          DeliveryStatus = "failed"           // a transient failure; may be claimed again
	StatusFailedPermanent DeliveryStatus = "failed_permanent" // a permanent failure; claimed again only on resend
)

// Reasons a claim is not granted.
const (
	ReasonAlreadyDelivered    = "already_delivered"
	ReasonInProgressElsewhere = "in_progress_elsewhere"
	ReasonFailedPermanent     = "failed_permanent"
)

// ErrClaimLost is returned when a claim is no longer held: it was never
// granted, or its lease expired and another process took it over.
var ErrClaimLost = errors.New("delivery claim no longer held")

// Claim is the answer to a request for the right to send one delivery.
type Claim struct {
	Key     Key
	Granted bool
	// Reason says why the claim was not granted: ReasonAlreadyDelivered,
	// ReasonInProgressElsewhere or ReasonFailedPermanent; empty when granted.
	Reason string
	// Token identifies this grant; MarkSent and MarkFailed succeed only
	// while the store still holds the claim under this token.
	Token string
	// Attempt is the number of this attempt for the key, counting every grant.
	Attempt int
	// LeaseUntil is when the claim expires unless renewed.
	LeaseUntil time.Time
	// SHA256 is the hex sha256 of the attachment being sent; the caller sets
	// it before MarkSent or MarkFailed so the ledger records what was sent.
	SHA256 string
}

// Delivery is the recorded state of one delivery.
type Delivery struct {
	Key        Key
	Status     DeliveryStatus
	Owner      string // the process that claimed it last
	Attempts   int
	LastError  string
	SHA256     string
	MessageID  string
	SentAt     time.Time // zero unless sent
	LeaseUntil time.Time // meaningful while claimed
	ClaimedAt  time.Time
	UpdatedAt  time.Time
}

const (
	// insertClaimSQLite (also PostgreSQL's) and insertClaimMySQL grant a first claim: the
	// primary key lets exactly one concurrent insert create the row, and the
	// others affect no row.
	insertClaimSQLite = `INSERT INTO ledger_delivery
		(job, period, recipient, status, owner, token, lease_until, attempts,
		 last_error, sha256, message_id, sent_at, claimed_at, updated_at)
		VALUES (?, ?, ?, 'claimed', ?, ?, ?, 1, '', '', '', NULL, ?, ?)
		ON CONFLICT (job, period, recipient) DO NOTHING`
	insertClaimMySQL = `INSERT INTO ledger_delivery
		(job, period, recipient, status, owner, token, lease_until, attempts,
		 last_error, sha256, message_id, sent_at, claimed_at, updated_at)
		VALUES (?, ?, ?, 'claimed', ?, ?, ?, 1, '', '', '', NULL, ?, ?)
		ON DUPLICATE KEY UPDATE job = job`

	// takeoverClaim grants a claim on an existing row when its state allows
	// it; the WHERE clause is evaluated under the row's write lock, so of
	// several concurrent takeovers exactly one changes the row.
	takeoverClaim = `UPDATE ledger_delivery
		SET status = 'claimed', owner = ?, token = ?, lease_until = ?,
		    attempts = attempts + 1, claimed_at = ?, updated_at = ?
		WHERE job = ? AND period = ? AND recipient = ?
		  AND (status = 'failed'
		       OR (status = 'claimed' AND lease_until <= ?)
		       OR (? = 1 AND status IN ('sent', 'failed_permanent')))`

	selectClaimState = `SELECT status, lease_until, attempts FROM ledger_delivery
		WHERE job = ? AND period = ? AND recipient = ?`

	renewClaim = `UPDATE ledger_delivery SET lease_until = ?, updated_at = ?
		WHERE job = ? AND period = ? AND recipient = ? AND token = ? AND status = 'claimed'`

	markSent = `UPDATE ledger_delivery
		SET status = 'sent', message_id = ?, sha256 = ?, sent_at = ?, last_error = '',
		    lease_until = 0, updated_at = ?
		WHERE job = ? AND period = ? AND recipient = ? AND token = ? AND status = 'claimed'`

	markFailed = `UPDATE ledger_delivery
		SET status = ?, last_error = ?, sha256 = ?, lease_until = 0, updated_at = ?
		WHERE job = ? AND period = ? AND recipient = ? AND token = ? AND status = 'claimed'`

	selectDeliveries = `SELECT job, period, recipient, status, owner, attempts, last_error,
		       sha256, message_id, sent_at, lease_until, claimed_at, updated_at
		FROM ledger_delivery WHERE job = ? AND period = ? ORDER BY recipient`
)

// claimRetries bounds how often Claim re-evaluates a row whose state changed
// between its statements (or a MySQL deadlock victim) before giving up.
const claimRetries = 5

// Claim atomically claims the right to send key's delivery.
//
// The claim is granted when no delivery is recorded as sent for the key
// (unless resend), no permanent failure is recorded (unless resend), and no
// other live claim exists; a claim whose lease expired, left by a crashed
// process, is taken over. Of any number of concurrent callers, in this or
// other processes sharing the store, at most one is granted. A refusal is
// not an error: Granted is false and Reason says why.
func (l *Ledger) Claim(ctx context.Context, key Key, resend bool) (Claim, error) {
	if err := key.validate(); err != nil {
		return Claim{}, fmt.Errorf("claim %s: %w", key, err)
	}
	token, err := randomHex(16)
	if err != nil {
		return Claim{}, fmt.Errorf("claim %s: %w", key, err)
	}
	var lastErr error
	for range claimRetries {
		c, done, err := l.tryClaim(ctx, key, token, resend)
		if err == nil && done {
			return c, nil
		}
		if err != nil && !isRetryable(err) {
			return Claim{}, fmt.Errorf("claim %s: %w", key, err)
		}
		lastErr = err
		if err := ctx.Err(); err != nil {
			return Claim{}, fmt.Errorf("claim %s: %w", key, err)
		}
	}
	if lastErr == nil {
		lastErr = errors.New("delivery state kept changing")
	}
	return Claim{}, fmt.Errorf("claim %s: gave up after %d tries: %w", key, claimRetries, lastErr)
}

// tryClaim makes one attempt; done is false when the row changed between
// statements so that neither a grant nor a refusal is certain yet.
//
// It reads the row first so that refusals, the common case when a period
// is rerun, take no write lock; the grant itself is always decided by one
// atomic write statement.
func (l *Ledger) tryClaim(ctx context.Context, key Key, token string, resend bool) (Claim, bool, error) {
	now := l.now()
	until := now.Add(l.lease)
	var (
		status   string
		leaseEnd int64
		attempts int
	)
	err := l.db.QueryRowContext(ctx, selectClaimState, key.Job, key.Period, key.Recipient).Scan(&status, &leaseEnd, &attempts)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		insert := insertClaimSQLite
		if l.driver == "mysql" {
			insert = insertClaimMySQL
		}
		res, err := l.db.ExecContext(ctx, insert, key.Job, key.Period, key.Recipient,
			l.owner, token, millis(until), millis(now), millis(now))
		if err != nil {
			return Claim{}, false, fmt.Errorf("insert claim: %w", err)
		}
		granted, err := oneRow(res)
		if err != nil {
			return Claim{}, false, fmt.Errorf("insert claim: %w", err)
		}
		if !granted {
			return Claim{}, false, nil
		}
		return Claim{Key: key, Granted: true, Token: token, Attempt: 1, LeaseUntil: until.UTC()}, true, nil
	case err != nil:
		return Claim{}, false, fmt.Errorf("read delivery state: %w", err)
	}

	refused := Claim{Key: key}
	switch DeliveryStatus(status) {
	case StatusSent:
		refused.Reason = ReasonAlreadyDelivered
	case StatusFailedPermanent:
		refused.Reason = ReasonFailedPermanent
	case StatusClaimed:
		if leaseEnd > millis(now) {
			refused.Reason = ReasonInProgressElsewhere
			refused.LeaseUntil = time.UnixMilli(leaseEnd).UTC()
			return refused, true, nil
		}
	}
	if refused.Reason != "" && !resend {
		return refused, true, nil
	}

	resendFlag := 0
	if resend {
		resendFlag = 1
	}
	res, err := l.db.ExecContext(ctx, takeoverClaim, l.owner, token, millis(until), millis(now), millis(now),
		key.Job, key.Period, key.Recipient, millis(now), resendFlag)
	if err != nil {
		return Claim{}, false, fmt.Errorf("take over claim: %w", err)
	}
	granted, err := oneRow(res)
	if err != nil {
		return Claim{}, false, fmt.Errorf("take over claim: %w", err)
	}
	if !granted {
		return Claim{}, false, nil
	}
	return Claim{Key: key, Granted: true, Token: token, Attempt: attempts + 1, LeaseUntil: until.UTC()}, true, nil
}

// Renew extends a held claim's lease by the ledger's lease duration from
// now, for work that may outlast one lease.
func (l *Ledger) Renew(ctx context.Context, c *Claim) error {
	now := l.now()
	until := now.Add(l.lease)
	if err := l.updateClaim(ctx, *c, renewClaim, millis(until), millis(now)); err != nil {
		return fmt.Errorf("renew claim %s: %w", c.Key, err)
	}
	c.LeaseUntil = until.UTC()
	return nil
}

// MarkSent records that the SMTP server accepted the message for c's key,
// with the message's Message-ID; the key is then never claimed again unless
// resent.
func (l *Ledger) MarkSent(ctx context.Context, c Claim, messageID string) error {
	now := millis(l.now())
	if err := l.updateClaim(ctx, c, markSent, messageID, c.SHA256, now, now); err != nil {
		return fmt.Errorf("mark %s sent: %w", c.Key, err)
	}
	return nil
}

// MarkFailed releases c with a failure: a transient one may be claimed again
// later, a permanent one stays recorded and is not claimed again unless
// resent.
func (l *Ledger) MarkFailed(ctx context.Context, c Claim, permanent bool, reason string) error {
	status := StatusFailed
	if permanent {
		status = StatusFailedPermanent
	}
	if err := l.updateClaim(ctx, c, markFailed, string(status), clip(reason), c.SHA256, millis(l.now())); err != nil {
		return fmt.Errorf("mark %s failed: %w", c.Key, err)
	}
	return nil
}

// updateClaim runs a statement whose trailing WHERE arguments are the key
// and the token, and reports ErrClaimLost when it changed no row.
func (l *Ledger) updateClaim(ctx context.Context, c Claim, query string, args ...any) error {
	return l.updateHeld(ctx, c.Granted, c.Token, query, append(args, c.Key.Job, c.Key.Period, c.Key.Recipient)...)
}

// updateHeld runs a statement on a row held under token, whose WHERE
// arguments (the row's key, then the token) end args, and reports
// ErrClaimLost when the claim was not granted or the statement changed no
// row (the lease ended and another process took the row).
func (l *Ledger) updateHeld(ctx context.Context, granted bool, token, query string, args ...any) error {
	if !granted || token == "" {
		return ErrClaimLost
	}
	res, err := l.db.ExecContext(ctx, query, append(args, token)...)
	if err != nil {
		return err
	}
	ok, err := oneRow(res)
	if err != nil {
		return err
	}
	if !ok {
		return ErrClaimLost
	}
	return nil
}

// Deliveries lists the recorded deliveries of job for period, by recipient.
func (l *Ledger) Deliveries(ctx context.Context, job, period string) ([]Delivery, error) {
	rows, err := l.db.QueryContext(ctx, selectDeliveries, job, period)
	if err != nil {
		return nil, fmt.Errorf("list deliveries %s %s: %w", job, period, err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var (
			d                       Delivery
			status                  string
			sent                    sql.NullInt64
			lease, claimed, updated int64
		)
		if err := rows.Scan(&d.Key.Job, &d.Key.Period, &d.Key.Recipient, &status, &d.Owner, &d.Attempts,
			&d.LastError, &d.SHA256, &d.MessageID, &sent, &lease, &claimed, &updated); err != nil {
			return nil, fmt.Errorf("list deliveries %s %s: %w", job, period, err)
		}
		d.Status = DeliveryStatus(status)
		d.SentAt = fromMillis(sent)
		if lease != 0 {
			d.LeaseUntil = time.UnixMilli(lease).UTC()
		}
		d.ClaimedAt = time.UnixMilli(claimed).UTC()
		d.UpdatedAt = time.UnixMilli(updated).UTC()
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list deliveries %s %s: %w", job, period, err)
	}
	return out, nil
}

func oneRow(res sql.Result) (bool, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("read affected rows: %w", err)
	}
	return n == 1, nil
}

// isRetryable reports whether a failed claim statement may simply be run
// again: MySQL picks deadlock victims and times out lock waits under
// contention, PostgreSQL too picks deadlock victims, and neither leaves a
// partial change behind.
func isRetryable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	return isRetryablePostgres(err)
}
