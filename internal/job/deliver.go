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
	body, err := w.wording.RenderReportMail(a.lang, data)
	if err != nil {
		return mail.Message{}, err
	}
	return mail.Message{
		To:          []mail.Address{to},
		Subject:     body.Subject,
		Text:        body.Text,
		Attachments: []mail.Attachment{{Name: attachmentName(a, period), ContentType: "application/pdf", Data: a.data}},
		ReplyTo:     w.cfg.ReplyTo,
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

// target is one address of one artifact: one delivery.
type target struct {
	a  *artifact
	to mail.Address
}

// sending is the state of one run's sending: its deadline and breaker, and
// why it stopped early.
type sending struct {
	ctx    context.Context // bounded by smtp.send_deadline
	cancel context.CancelFunc
	br     breaker
	stop   sendStop
}

// sending returns the run's sending state, started at its first delivery:
// smtp.send_deadline counts from there.
func (st *stream) sending(ctx context.Context) *sending {
	if st.sd == nil {
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), st.w.sendDeadline())
		st.sd = &sending{ctx: sendCtx, cancel: cancel, br: breaker{limit: st.w.breakerAfter()}}
	}
	return st.sd
}

// sendAll delivers each report the writer hands on to its addresses, each
// exactly once through the ledger, and then lets the report go. A
// cancelled ctx stops taking new deliveries: the one in hand is finished
// and recorded, the rest are counted pending and res.Interrupted is set.
// A stopped pipeline (the writer failed) leaves the rest pending too.
// Sending also stops, leaving the rest pending (unclaimed, so a later
// ordinary run sends them), when smtp.breaker_after relay failures come in
// a row or smtp.send_deadline passes. Deliveries another process held are
// kept for one more look at the end of the run (see retryHeld).
func (st *stream) sendAll(ctx, stopped context.Context, queue <-chan *artifact, release func()) {
	for a := range queue {
		failed, sent := st.res.SendFailed, st.res.Sent
		t := time.Now()
		st.sendReport(ctx, stopped, a)
		st.clock.add(&st.clock.send, t)
		if st.res.Sent > sent {
			st.clock.mailed()
		}
		st.prog.step(st.res.SendFailed > failed)
		release()
	}
}

// sendReport delivers one report to each of its addresses.
func (st *stream) sendReport(ctx, stopped context.Context, a *artifact) {
	if len(a.to) == 0 {
		st.res.NoAddress++
		st.log.Warn("recipient has no email address; report written, not sent", "recipient", a.key)
		st.missing = append(st.missing, mail.MissingAddress{ID: a.key, Name: a.recipient.Name})
		return
	}
	for i, to := range a.to {
		if ctx.Err() != nil || stopped.Err() != nil {
			st.res.Interrupted = st.res.Interrupted || ctx.Err() != nil
			st.res.Pending += len(a.to) - i
			return
		}
		if st.deliverTarget(ctx, target{a, to}) {
			st.held = append(st.held, target{a, to})
		}
	}
}

// deliverTarget makes one delivery unless the breaker or the send deadline
// stopped sending (then it is pending), and reports whether another
// process held it.
func (st *stream) deliverTarget(ctx context.Context, t target) (held bool) {
	sd := st.sending(ctx)
	if sd.stop == "" {
		sd.stop = st.w.shouldStop(sd.ctx, &sd.br, st.log)
	}
	if sd.stop != "" {
		st.res.Pending++
		return false
	}
	sent, inProgress := st.res.Sent, st.res.InProgress
	err := st.w.deliverOne(sd.ctx, st.job, st.req.Period.String(), st.req.Resend, t.a, t.to, st.res, st.log)
	if err != nil {
		f := mail.Failure{Recipient: t.a.recipient.Name + " <" + t.to.Email + ">", Reason: firstLine(err.Error())}
		if mail.IsPermanent(err) {
			f.ID = t.a.key
		}
		st.failures = append(st.failures, f)
	}
	sd.br.record(st.res.Sent > sent, err)
	return st.res.InProgress > inProgress
}

// retryHeld looks once more at the deliveries another process held, which
// it may have finished by now, unless the run was stopped. What is still
// held stays counted as in progress elsewhere.
func (st *stream) retryHeld(ctx context.Context) {
	held := st.held
	st.held = nil
	if len(held) == 0 || st.res.Interrupted || st.sd == nil || st.sd.stop != "" {
		return
	}
	st.res.InProgress -= len(held)
	st.res.HeldUntil = time.Time{}
	for i, t := range held {
		if ctx.Err() != nil {
			st.res.Interrupted = true
			st.res.Pending += len(held) - i
			return
		}
		st.deliverTarget(ctx, t)
	}
}

// shouldStop says whether sending must stop before the next delivery.
func (w *Worker) shouldStop(sendCtx context.Context, br *breaker, log *slog.Logger) sendStop {
	switch {
	case sendCtx.Err() != nil:
		log.Error("send deadline passed; the rest stays pending for the next run", "send_deadline_ms", w.sendDeadline().Milliseconds())
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
		// Another process holds the claim: it is sending, or it died and
		// the claim frees itself when its lease ends. Either way the
		// delivery is not done yet, so neither is the run.
		res.InProgress++
		if claim.LeaseUntil.After(res.HeldUntil) {
			res.HeldUntil = claim.LeaseUntil
		}
		log.Warn("delivery not done: another process holds its claim", "recipient", key.Recipient, "lease_until", claim.LeaseUntil)
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
	// Deliveries left pending only by an interruption (SIGTERM) need nobody:
	// the next run sends them.
	if len(failures) == 0 && len(missing) == 0 && (res.Pending == 0 || stop == "") {
		return
	}
	if w.cfg.Coordinator.Email == "" {
		log.Warn("failures in the run, but no coordinator.email to tell", "failures", len(failures), "pending", res.Pending)
		return
	}
	period := req.Period.String()
	rerun := w.rerunCommand(job, req)
	for i, f := range failures {
		if f.ID != "" {
			failures[i].Resend = rerun + " --resend --only " + shellQuote(f.ID)
		}
	}
	body, err := w.wording.RenderSummaryMail(w.cfg.Language, mail.SummaryData{
		Job: job, ReportKind: req.Report, Period: period, PeriodText: w.periodText(req.Period),
		Sent: res.Sent, Failed: len(failures), Skipped: res.AlreadySent, Pending: res.Pending, Stopped: string(stop),
		Failures: failures, WithoutEmail: missing, Rerun: rerun,
	})
	if err == nil {
		sendCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		if stop != "" || res.RelayFailed > 0 {
			sendCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), w.summaryBound())
		}
		defer cancel()
		err = w.sender.Send(sendCtx, mail.Message{
			To:      []mail.Address{{Name: w.cfg.Coordinator.Name, Email: w.cfg.Coordinator.Email}},
			Subject: body.Subject, Text: body.Text, ReplyTo: w.cfg.ReplyTo,
			ID: strings.Join([]string{job, period, "summary", fmt.Sprint(w.now().Unix())}, "/"),
		})
	}
	if err != nil {
		log.Error("summary mail to the coordinator failed", "pending", res.Pending, "relay_failed", res.RelayFailed, "err", err)
	}
}

// rerunCommand is the command line, ready to paste, that runs job for the
// request's period again with --send: with the absolute --config the run
// was given, --job and --period, and --report when the job is not one of
// the configured jobs (whose report kind --job implies).
func (w *Worker) rerunCommand(job string, req Request) string {
	args := []string{"gevinstrapport", "run"}
	if w.opt.ConfigPath != "" {
		args = append(args, "--config", shellQuote(w.opt.ConfigPath))
	}
	args = append(args, "--job", shellQuote(job))
	if j, ok := w.cfg.Job(job); !ok || j.Report != req.Report {
		args = append(args, "--report", req.Report)
	}
	return strings.Join(append(args, "--period", req.Period.String(), "--send"), " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and -_./:=@+,
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@+,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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

// writeEML adds an .eml preview of a's mail to the set, beside its PDF.
func (w *Worker) writeEML(set *output.Set, job, period string, a *artifact, log *slog.Logger) {
	if len(a.to) == 0 {
		log.Info("no email address; no .eml written", "recipient", a.key)
		return
	}
	from := w.cfg.SMTP.From
	if from == "" {
		from = "Gevinstrapport <gevinstrapport@localhost>"
	}
	var buf bytes.Buffer
	msg, err := w.message(a, job, period, a.to[0])
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
