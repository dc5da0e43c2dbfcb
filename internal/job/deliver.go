package job

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
)

// message words the email that carries a's PDF in a's language.
func (w *Worker) message(a *artifact, job, period string, to mail.Address) (mail.Message, error) {
	data := a.mail
	data.CoordinatorName, data.CoordinatorEmail = w.cfg.Coordinator.Name, w.cfg.Coordinator.Email
	if data.SteeringTitle == "" {
		data.SteeringTitle = w.cfg.SteeringGroup.Title
	}
	body, err := mail.RenderReportMail(a.lang, data)
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{
		To:          []mail.Address{to},
		Subject:     body.Subject,
		Text:        body.Text,
		Attachments: []mail.Attachment{{Name: attachmentName(a, period), ContentType: "application/pdf", Data: a.data}},
		ID:          strings.Join([]string{job, period, a.key, to.Email}, "/"),
	}, nil
}

// attachmentName is the PDF's name in the mail: "gevinstrapport-2025-09-P-007.pdf".
func attachmentName(a *artifact, period string) string {
	return mail.SafeFileName("gevinstrapport-" + period + "-" + strings.TrimSuffix(a.file, ".pdf") + ".pdf")
}

// deliveryKey is the ledger key of one address of one artifact.
func deliveryKey(a *artifact, to mail.Address) string {
	if len(a.to) <= 1 {
		return a.key
	}
	return a.key + ":" + strings.ToLower(to.Email)
}

// Defaults for a config built without the parser (the demo); the parser
// fills in the same values.
const (
	defaultSendDeadline = time.Hour
	defaultBreakerAfter = 3
)

// breaker counts relay failures in a row and opens after limit of them, so
// a run stops sending instead of failing every recipient the same way.
type breaker struct {
	limit, inRow int
}

// record notes the outcome of one delivery attempt: a relay failure counts,
// anything the relay answered (a delivery, a recipient's rejection) resets.
// Errors that never reached the relay (the ledger, wording) change nothing.
func (b *breaker) record(sent bool, err error) {
	var merr *mail.Error
	switch {
	case sent:
		b.inRow = 0
	case errors.As(err, &merr) && merr.Fault.Relay():
		b.inRow++
	case merr != nil:
		b.inRow = 0
	}
}

func (b *breaker) open() bool { return b.inRow >= b.limit }

// sendStop is why a run stopped sending before the end; "" while it has not.
type sendStop string

const (
	stopBreaker  sendStop = "breaker"
	stopDeadline sendStop = "send_deadline"
)

// deliver sends every rendered artifact to its addresses, each exactly once
// through the ledger. A cancelled ctx stops taking new deliveries, but the
// one in hand is finished and recorded. Sending also stops, leaving the rest
// pending (unclaimed, so a later ordinary run sends them), when
// smtp.breaker_after relay failures come in a row or smtp.send_deadline
// passes. It returns what failed, for the coordinator's summary, and why
// sending stopped early.
func (w *Worker) deliver(ctx context.Context, job, period string, resend bool, arts []*artifact, res *Result, log *slog.Logger) ([]mail.Failure, sendStop) {
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.sendDeadline())
	defer cancel()
	br := breaker{limit: w.breakerAfter()}
	var (
		failed []mail.Failure
		stop   sendStop
	)
	for _, a := range arts {
		if a.err != nil {
			continue
		}
		if len(a.to) == 0 {
			res.NoAddress++
			log.Warn("recipient has no email address; report written, not sent", "recipient", a.key)
			continue
		}
		for _, to := range a.to {
			if ctx.Err() != nil {
				return failed, stop
			}
			if stop == "" {
				stop = w.shouldStop(sendCtx, &br, log)
			}
			if stop != "" {
				res.Pending++
				continue
			}
			sent := res.Sent
			err := w.deliverOne(sendCtx, job, period, resend, a, to, res, log)
			if err != nil {
				failed = append(failed, mail.Failure{Recipient: a.recipient.Name + " <" + to.Email + ">", Reason: firstLine(err.Error())})
			}
			br.record(res.Sent > sent, err)
		}
	}
	return failed, stop
}

// shouldStop says whether sending must stop before the next delivery.
func (w *Worker) shouldStop(sendCtx context.Context, br *breaker, log *slog.Logger) sendStop {
	switch {
	case sendCtx.Err() != nil:
		log.Error("send deadline passed; the rest stays pending for the next run", "send_deadline", w.sendDeadline().String())
		return stopDeadline
	case br.open():
		log.Error("the relay failed for several recipients in a row; the rest stays pending for the next run", "breaker_after", br.limit)
		return stopBreaker
	}
	return ""
}

func (w *Worker) sendDeadline() time.Duration {
	if d := time.Duration(w.cfg.SMTP.SendDeadline); d > 0 {
		return d
	}
	return defaultSendDeadline
}

func (w *Worker) breakerAfter() int {
	if n := w.cfg.SMTP.BreakerAfter; n > 0 {
		return n
	}
	return defaultBreakerAfter
}

// deliverOne claims, sends and records one delivery. ctx bounds the
// sending (the run's send deadline); the ledger is written regardless, so
// that what happened is recorded.
func (w *Worker) deliverOne(ctx context.Context, job, period string, resend bool, a *artifact, to mail.Address, res *Result, log *slog.Logger) error {
	lctx := context.WithoutCancel(ctx)
	key := ledger.Key{Job: job, Period: period, Recipient: deliveryKey(a, to)}
	claim, err := w.ledger.Claim(lctx, key, resend)
	if err != nil {
		res.SendFailed++
		log.Error("claim delivery", "recipient", key.Recipient, "err", err)
		return err
	}
	switch {
	case claim.Granted:
	case claim.Reason == ledger.ReasonFailedPermanent:
		// Failed permanently in an earlier run, whose summary told the
		// coordinator: not retried until --resend, and not a new failure,
		// so the daemon does not retry the period over and over for it.
		res.FailedBefore++
		log.Warn("delivery not retried: it failed permanently before (use --resend after fixing the address)", "recipient", key.Recipient)
		return nil
	case claim.Reason == ledger.ReasonInProgressElsewhere:
		res.InProgress++
		log.Info("delivery skipped: another process is sending it", "recipient", key.Recipient)
		return nil
	default:
		res.AlreadySent++
		log.Info("delivery skipped", "recipient", key.Recipient, "reason", claim.Reason)
		return nil
	}
	claim.SHA256 = output.SHA256(a.data)
	msg, err := w.message(a, job, period, to)
	if err == nil {
		err = w.sender.Send(ctx, msg)
	}
	if err != nil {
		w.recordFailure(lctx, claim, err, res, log)
		return err
	}
	if err := w.ledger.MarkSent(lctx, claim, msg.ID); err != nil {
		// The server has the message; the stable Message-ID lets a duplicate be recognised.
		log.Error("record delivery", "recipient", key.Recipient, "err", err)
	}
	res.Sent++
	log.Info("delivered", "recipient", key.Recipient, "attachment_bytes", len(a.data))
	return nil
}

// recordFailure counts a failed delivery and records it in the ledger:
// permanent only when it is the recipient's (mail.FaultRecipient); a relay
// failure stays retryable by any later run.
func (w *Worker) recordFailure(ctx context.Context, claim ledger.Claim, err error, res *Result, log *slog.Logger) {
	res.SendFailed++
	fault := mail.FaultOf(err)
	if fault.Relay() {
		res.RelayFailed++
	}
	log.Error("delivery failed", "recipient", claim.Key.Recipient, "fault", string(fault), "permanent", mail.IsPermanent(err), "err", err)
	if merr := w.ledger.MarkFailed(ctx, claim, mail.IsPermanent(err), err.Error()); merr != nil {
		log.Error("record failed delivery", "recipient", claim.Key.Recipient, "err", merr)
	}
}

// notifyCoordinator sends the coordinator one summary mail when anything in
// the run failed or could not be sent. When sending stopped because of the
// relay, the relay may be what is broken: the summary gets one bounded try
// and a failure is only logged.
func (w *Worker) notifyCoordinator(ctx context.Context, job string, req Request, res Result, stop sendStop, failures []mail.Failure, missing []mail.MissingAddress, log *slog.Logger) {
	if len(failures) == 0 && len(missing) == 0 && res.Pending == 0 {
		return
	}
	if w.cfg.Coordinator.Email == "" {
		log.Warn("failures in the run, but no coordinator.email to tell", "failures", len(failures), "pending", res.Pending)
		return
	}
	period := req.Period.String()
	body, err := mail.RenderSummaryMail(w.cfg.Language, mail.SummaryData{
		Job: job, ReportKind: req.Report, Period: period, PeriodText: w.periodText(req.Period),
		Sent: res.Sent, Failed: len(failures), Skipped: res.AlreadySent, Pending: res.Pending, Stopped: string(stop),
		Failures: failures, WithoutEmail: missing,
	})
	if err == nil {
		sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		if stop != "" || res.RelayFailed > 0 {
			sendCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), w.summaryBound())
		}
		defer cancel()
		err = w.sender.Send(sendCtx, mail.Message{
			To:      []mail.Address{{Name: w.cfg.Coordinator.Name, Email: w.cfg.Coordinator.Email}},
			Subject: body.Subject, Text: body.Text,
			ID: strings.Join([]string{job, period, "summary", fmt.Sprint(w.now().Unix())}, "/"),
		})
	}
	if err != nil {
		log.Error("summary mail to the coordinator failed", "pending", res.Pending, "relay_failed", res.RelayFailed, "err", err)
	}
}

// summaryBound is how long the summary may take when the relay is failing:
// one smtp.timeout, and never more than the send deadline.
func (w *Worker) summaryBound() time.Duration {
	d := time.Duration(w.cfg.SMTP.Timeout)
	if d <= 0 {
		d = mail.DefaultTimeout
	}
	return min(d, w.sendDeadline())
}

// periodText words a period in the configured language.
func (w *Worker) periodText(p Period) string {
	if p.Year {
		return p.String()
	}
	return w.catalogs.For(w.cfg.Language).Month(p.Month)
}

// writeEML adds an .eml preview of each artifact's mail to the set, beside its PDF.
func (w *Worker) writeEML(set *output.Set, job, period string, arts []*artifact, log *slog.Logger) {
	from := w.cfg.SMTP.From
	if from == "" {
		from = "Gevinstrapport <gevinstrapport@localhost>"
	}
	for _, a := range arts {
		if a.err != nil {
			continue
		}
		if len(a.to) == 0 {
			log.Info("no email address; no .eml written", "recipient", a.key)
			continue
		}
		to := a.to[0]
		var buf bytes.Buffer
		msg, err := w.message(a, job, period, to)
		if err == nil {
			err = mail.WriteEML(&buf, msg, from, w.now())
		}
		if err == nil {
			err = set.Add(strings.TrimSuffix(a.file, ".pdf")+".eml", buf.Bytes())
		}
		if err != nil {
			log.Warn("eml preview not written", "recipient", a.key, "err", err)
		}
	}
}
