package job

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"

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

// deliver sends every rendered artifact to its addresses, each exactly once
// through the ledger. A cancelled ctx stops taking new deliveries, but the
// one in hand is finished and recorded. It returns what failed, for the
// coordinator's summary.
func (w *Worker) deliver(ctx context.Context, job, period string, resend bool, arts []*artifact, res *Result, log *slog.Logger) []mail.Failure {
	var failed []mail.Failure
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
				return failed
			}
			if err := w.deliverOne(context.WithoutCancel(ctx), job, period, resend, a, to, res, log); err != nil {
				failed = append(failed, mail.Failure{Recipient: a.recipient.Name + " <" + to.Email + ">", Reason: firstLine(err.Error())})
			}
		}
	}
	return failed
}

func (w *Worker) deliverOne(ctx context.Context, job, period string, resend bool, a *artifact, to mail.Address, res *Result, log *slog.Logger) error {
	key := ledger.Key{Job: job, Period: period, Recipient: deliveryKey(a, to)}
	claim, err := w.ledger.Claim(ctx, key, resend)
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
		res.SendFailed++
		log.Error("delivery failed", "recipient", key.Recipient, "permanent", mail.IsPermanent(err), "err", err)
		if merr := w.ledger.MarkFailed(ctx, claim, mail.IsPermanent(err), err.Error()); merr != nil {
			log.Error("record failed delivery", "recipient", key.Recipient, "err", merr)
		}
		return err
	}
	if err := w.ledger.MarkSent(ctx, claim, msg.ID); err != nil {
		// The server has the message; the stable Message-ID lets a duplicate be recognised.
		log.Error("record delivery", "recipient", key.Recipient, "err", err)
	}
	res.Sent++
	log.Info("delivered", "recipient", key.Recipient, "attachment_bytes", len(a.data))
	return nil
}

// notifyCoordinator sends the coordinator one summary mail when anything in
// the run failed or could not be sent.
func (w *Worker) notifyCoordinator(ctx context.Context, job string, req Request, res Result, failures []mail.Failure, missing []mail.MissingAddress, log *slog.Logger) {
	if len(failures) == 0 && len(missing) == 0 {
		return
	}
	if w.cfg.Coordinator.Email == "" {
		log.Warn("failures in the run, but no coordinator.email to tell", "failures", len(failures))
		return
	}
	period := req.Period.String()
	body, err := mail.RenderSummaryMail(w.cfg.Language, mail.SummaryData{
		Job: job, ReportKind: req.Report, Period: period, PeriodText: w.periodText(req.Period),
		Sent: res.Sent, Failed: len(failures), Skipped: res.AlreadySent,
		Failures: failures, WithoutEmail: missing,
	})
	if err == nil {
		err = w.sender.Send(context.WithoutCancel(ctx), mail.Message{
			To:      []mail.Address{{Name: w.cfg.Coordinator.Name, Email: w.cfg.Coordinator.Email}},
			Subject: body.Subject, Text: body.Text,
			ID: strings.Join([]string{job, period, "summary", fmt.Sprint(w.now().Unix())}, "/"),
		})
	}
	if err != nil {
		log.Error("summary mail to the coordinator failed", "err", err)
	}
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
