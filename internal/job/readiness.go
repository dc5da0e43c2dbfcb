package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/schedule"
)

// ErrNotReady marks a period the register does not hold the data of yet
// (exit 3: nothing sent, try later). The daemon waits for it with backoff.
var ErrNotReady = schedule.ErrNotReady

// ErrEmptyRegister marks a register without any measurement or without any
// active indicator: a wrong view or missing grants, not late data (exit 1).
var ErrEmptyRegister = errors.New("the register is empty")

// NotReadyError says how far the register is from holding a period's data.
type NotReadyError struct {
	Period    Period
	Readiness register.Readiness
}

// Error words the finding for the coordinator, with what to do next.
func (e *NotReadyError) Error() string {
	r := e.Readiness
	if r.State == register.NoPeriodData {
		s := fmt.Sprintf("the register has no data for %s yet", e.Period)
		if r.HasLatest {
			s += fmt.Sprintf(" (its latest data is for %s)", r.Latest)
		}
		return s + "; nothing was sent: run again when the data is loaded"
	}
	return fmt.Sprintf("the register is not ready for %s: %s; nothing was sent: run again when the data is loaded, or add --allow-incomplete to send anyway",
		e.Period, coverageText(r))
}

// Unwrap lets errors.Is(err, ErrNotReady) find it.
func (e *NotReadyError) Unwrap() error { return ErrNotReady }

// coverageText is "3 of 10 active monthly indicators have data for 2025-09
// (30 %; readiness.min_coverage is 80 %; without data: I-1, I-2, …)".
func coverageText(r register.Readiness) string {
	s := fmt.Sprintf("%d of %d active monthly indicators have data for %s (%.0f %%; readiness.min_coverage is %.0f %%",
		r.Covered, r.Total, r.Month, 100*r.Coverage(), 100*r.MinCoverage)
	if len(r.Missing) > 0 {
		const shown = 5
		ids := r.Missing[:min(len(r.Missing), shown)]
		s += "; without data: " + strings.Join(quoteAll(ids), ", ")
		if n := len(r.Missing) - len(ids); n > 0 {
			s += fmt.Sprintf(" and %d more", n)
		}
	}
	return s + ")"
}

// quoteAll quotes ids as Go strings, so that control characters in an id
// cannot forge output lines.
func quoteAll(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("%q", id)
	}
	return out
}

// readiness applies the readiness rule to req's period with the job's
// min_coverage: the month itself, or for the annual report the year with
// coverage judged on December.
func (w *Worker) readiness(x *register.Index, req Request) register.Readiness {
	return periodReadiness(x, req.Period, w.cfg.MinCoverage(w.jobName(req)))
}

// periodReadiness applies the readiness rule to p with minCoverage.
func periodReadiness(x *register.Index, p Period, minCoverage float64) register.Readiness {
	first := p.Month
	if p.Year {
		first = register.MonthOf(p.Month.Year(), time.January)
	}
	return x.Readiness(first, p.Month, minCoverage)
}

// checkReady returns the error that stops a run of req on x: always for an
// empty register or a period without any data; for coverage below the
// minimum only when sending without --allow-incomplete (a preview is
// written, with a warning in its result).
func (w *Worker) checkReady(x *register.Index, req Request, res *Result) error {
	r := w.readiness(x, req)
	switch r.State {
	case register.RegisterEmpty:
		return emptyRegisterError(r)
	case register.NoPeriodData:
		return &NotReadyError{Period: req.Period, Readiness: r}
	case register.NotReady:
		if req.Send && !req.AllowIncomplete {
			return &NotReadyError{Period: req.Period, Readiness: r}
		}
		res.Incomplete = coverageText(r)
	}
	return nil
}

// emptyRegisterError words why the register counts as empty.
func emptyRegisterError(r register.Readiness) error {
	if r.Rows == 0 {
		return fmt.Errorf("%w: it holds no measurements at all; check that database.dsn names the right database, that the measurement table or view returns rows, and that the job's database user may read it", ErrEmptyRegister)
	}
	return fmt.Errorf("%w: no benefit that is not closed has an indicator; check the benefit and indicator tables or views", ErrEmptyRegister)
}

// checkReadiness prints the readiness findings for period p and returns
// the errors and warnings they count: an empty register or a period without
// any data is an error, coverage below the minimum a warning (the data may
// simply not be loaded yet). With jobName it judges by that job's
// min_coverage alone; without, by the global one and then by each job's
// own, where it has one.
func (w *Worker) checkReadiness(x *register.Index, p Period, jobName string, out io.Writer) (errs, warnings int) {
	if jobName != "" {
		return w.checkReadinessFor(x, p, jobName, out)
	}
	errs, warnings = w.checkReadinessFor(x, p, "", out)
	if errs > 0 {
		return errs, warnings // the same for every job
	}
	for _, j := range w.cfg.Jobs {
		if j.Readiness.MinCoverage != nil {
			e, wn := w.checkReadinessFor(x, p, j.Name, out)
			errs, warnings = errs+e, warnings+wn
		}
	}
	return errs, warnings
}

// checkReadinessFor prints one readiness line for p, judged with the named
// job's min_coverage, or the global one when jobName is "".
func (w *Worker) checkReadinessFor(x *register.Index, p Period, jobName string, out io.Writer) (errs, warnings int) {
	label := p.String()
	if jobName != "" {
		label += " (job " + jobName + ")"
	}
	r := periodReadiness(x, p, w.cfg.MinCoverage(jobName))
	switch r.State {
	case register.RegisterEmpty:
		fmt.Fprintf(out, "error: %v\n", emptyRegisterError(r))
		return 1, 0
	case register.NoPeriodData:
		fmt.Fprintf(out, "error: readiness %s: %v\n", label, &NotReadyError{Period: p, Readiness: r})
		return 1, 0
	case register.NotReady:
		fmt.Fprintf(out, "warning: readiness %s: not ready: %s; run --send would send nothing and exit 3\n", label, coverageText(r))
		return 0, 1
	}
	fmt.Fprintf(out, "readiness %s: ready: %s\n", label, coverageText(r))
	return 0, 0
}

// noticeNotReady tells the coordinator, once per job and period, that the
// period is still not ready readiness.notify_after after it fell due; the
// daemon keeps waiting. The ledger keeps the fact, so neither a restart nor
// a second daemon on the same state repeats the mail; a mail that fails is
// tried again at the next look.
func (w *Worker) noticeNotReady(ctx context.Context, j config.Job, runErr error) {
	var nr *NotReadyError
	if !errors.As(runErr, &nr) {
		return
	}
	period := nr.Period.String()
	due, ok := j.Rule.FirstDue(j.Spec, period)
	if !ok || w.now().Before(due.Add(w.cfg.NotifyAfter(j.Name))) {
		return
	}
	log := w.log.With("job", j.Name, "period", period)
	if w.cfg.Coordinator.Email == "" {
		log.Warn("the period is still not ready, but there is no coordinator.email to tell")
		return
	}
	ctx = context.WithoutCancel(ctx)
	claim, err := w.ledger.ClaimNotice(ctx, ledger.NoticeKey{Job: j.Name, Period: period, Kind: ledger.NoticeNotReady})
	if err != nil || !claim.Granted {
		if err != nil {
			log.Error("claim the not-ready notice", "err", err)
		}
		return
	}
	body, err := w.wording.RenderNotReadyMail(w.cfg.Language, w.notReadyData(j, nr, due))
	if err == nil {
		err = w.sender.Send(ctx, mail.Message{
			To:      []mail.Address{{Name: w.cfg.Coordinator.Name, Email: w.cfg.Coordinator.Email}},
			Subject: body.Subject, Text: body.Text, ReplyTo: w.cfg.ReplyTo,
			ID: strings.Join([]string{j.Name, period, "not-ready"}, "/"),
		})
	}
	if err != nil {
		log.Error("not-ready notice to the coordinator failed; tried again at the next look", "err", err)
		if rerr := w.ledger.ReleaseNotice(ctx, claim); rerr != nil {
			log.Error("release the not-ready notice", "err", rerr)
		}
		return
	}
	if err := w.ledger.MarkNoticeSent(ctx, claim); err != nil {
		log.Error("record the not-ready notice", "err", err)
	}
	log.Warn("told the coordinator that the period is still waiting for its data", "due_since", due)
}

// notReadyData is what the coordinator's not-ready notice says.
func (w *Worker) notReadyData(j config.Job, nr *NotReadyError, due time.Time) mail.NotReadyData {
	r := nr.Readiness
	d := mail.NotReadyData{
		Job: j.Name, ReportKind: j.Report, Period: nr.Period.String(), PeriodText: w.periodText(nr.Period),
		Month: r.Month.String(), DueSince: due.In(w.cfg.Location).Format("2006-01-02 15:04"),
		Covered: r.Covered, Total: r.Total, MinCoverage: int(100*r.MinCoverage + 0.5),
		NoData: r.State == register.NoPeriodData,
	}
	if w.opt.ConfigPath != "" {
		d.Config = shellQuote(w.opt.ConfigPath)
	}
	if r.HasLatest {
		d.Latest = r.Latest.String()
	}
	const shown = 20
	ids := r.Missing[:min(len(r.Missing), shown)]
	d.Missing, d.MoreMissing = quoteAll(ids), len(r.Missing)-len(ids)
	return d
}
