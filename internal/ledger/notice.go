package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// NoticeKey names a one-time notice to the coordinator: one kind of news
// about one job's period, such as NoticeNotReady.
type NoticeKey struct {
	Job    string
	Period string
	Kind   string
}

// NoticeNotReady is the notice that a period is still not ready
// readiness.notify_after after it fell due.
const NoticeNotReady = "not_ready"

// maxKindLen is the length of the kind column in MySQL.
const maxKindLen = 32

func (k NoticeKey) validate() error {
	if err := validateJobPeriod(k.Job, k.Period); err != nil {
		return err
	}
	if k.Kind == "" || len(k.Kind) > maxKindLen {
		return fmt.Errorf("notice kind %q: empty or longer than %d bytes", k.Kind, maxKindLen)
	}
	return nil
}

// String formats the key for logs and errors.
func (k NoticeKey) String() string { return k.Job + "/" + k.Period + "/" + k.Kind }

// NoticeClaim is the answer to a request for the right to send a notice.
type NoticeClaim struct {
	Key     NoticeKey
	Granted bool   // this caller sends the notice now
	Token   string // identifies the grant for MarkNoticeSent and ReleaseNotice
}

const (
	insertNoticeSQLite = `INSERT INTO ledger_notice (job, period, kind, owner, token, lease_until, sent_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
		ON CONFLICT (job, period, kind) DO NOTHING`
	insertNoticeMySQL = `INSERT INTO ledger_notice (job, period, kind, owner, token, lease_until, sent_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
		ON DUPLICATE KEY UPDATE job = job`
	// takeoverNotice grants a notice that was claimed but never sent, once
	// its lease has run out (the sender crashed or its mail failed).
	takeoverNotice = `UPDATE ledger_notice SET owner = ?, token = ?, lease_until = ?, updated_at = ?
		WHERE job = ? AND period = ? AND kind = ? AND sent_at IS NULL AND lease_until <= ?`
	markNoticeSent = `UPDATE ledger_notice SET sent_at = ?, lease_until = 0, updated_at = ?
		WHERE job = ? AND period = ? AND kind = ? AND token = ? AND sent_at IS NULL`
	releaseNotice = `UPDATE ledger_notice SET lease_until = 0, updated_at = ?
		WHERE job = ? AND period = ? AND kind = ? AND token = ? AND sent_at IS NULL`
	selectNoticeSent = `SELECT sent_at FROM ledger_notice WHERE job = ? AND period = ? AND kind = ?`
)

// ClaimNotice claims the right to send the notice k. It is granted to one
// caller, in this or another process sharing the store, unless the notice
// was sent already or another claim on it is live; a claim that was never
// marked sent expires with the ledger's lease and can be taken over.
func (l *Ledger) ClaimNotice(ctx context.Context, k NoticeKey) (NoticeClaim, error) {
	if err := k.validate(); err != nil {
		return NoticeClaim{}, fmt.Errorf("claim notice %s: %w", k, err)
	}
	token, err := randomHex(16)
	if err != nil {
		return NoticeClaim{}, fmt.Errorf("claim notice %s: %w", k, err)
	}
	now := l.now()
	until := millis(now.Add(l.lease))
	insert := insertNoticeSQLite
	if l.driver == "mysql" {
		insert = insertNoticeMySQL
	}
	res, err := l.db.ExecContext(ctx, insert, k.Job, k.Period, k.Kind, l.owner, token, until, millis(now))
	if err != nil {
		return NoticeClaim{}, fmt.Errorf("claim notice %s: %w", k, err)
	}
	granted, err := oneRow(res)
	if err == nil && !granted {
		res, err = l.db.ExecContext(ctx, takeoverNotice, l.owner, token, until, millis(now),
			k.Job, k.Period, k.Kind, millis(now))
		if err == nil {
			granted, err = oneRow(res)
		}
	}
	if err != nil {
		return NoticeClaim{}, fmt.Errorf("claim notice %s: %w", k, err)
	}
	c := NoticeClaim{Key: k, Granted: granted}
	if granted {
		c.Token = token
	}
	return c, nil
}

// MarkNoticeSent records that c's notice was sent: it is never claimed again.
func (l *Ledger) MarkNoticeSent(ctx context.Context, c NoticeClaim) error {
	now := millis(l.now())
	if err := l.updateNotice(ctx, c, markNoticeSent, now, now); err != nil {
		return fmt.Errorf("mark notice %s sent: %w", c.Key, err)
	}
	return nil
}

// ReleaseNotice gives up c after its notice could not be sent, so that the
// next attempt can claim it at once.
func (l *Ledger) ReleaseNotice(ctx context.Context, c NoticeClaim) error {
	if err := l.updateNotice(ctx, c, releaseNotice, millis(l.now())); err != nil {
		return fmt.Errorf("release notice %s: %w", c.Key, err)
	}
	return nil
}

func (l *Ledger) updateNotice(ctx context.Context, c NoticeClaim, query string, args ...any) error {
	return l.updateHeld(ctx, c.Granted, c.Token, query, append(args, c.Key.Job, c.Key.Period, c.Key.Kind)...)
}

// NoticeSent returns when the notice k was sent, and false if it has not been.
func (l *Ledger) NoticeSent(ctx context.Context, k NoticeKey) (time.Time, bool, error) {
	var sent sql.NullInt64
	err := l.db.QueryRowContext(ctx, selectNoticeSent, k.Job, k.Period, k.Kind).Scan(&sent)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("read notice %s: %w", k, err)
	}
	return fromMillis(sent), sent.Valid, nil
}
