package job

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/pdf"
	"gevinstrapport/internal/register"
)

// ErrUsage marks a request that cannot be carried out as asked (exit 2).
var ErrUsage = errors.New("usage")

// Request is one run of one report kind for one period.
type Request struct {
	Report string
	Period Period
	Send   bool   // deliver by email through the ledger
	Resend bool   // send again what the ledger says was delivered
	EML    bool   // write an .eml preview beside each PDF
	Only   string // only this recipient id
	Shard  Shard
	Job    string // the ledger's job name; "" picks the configured job for the report kind
	// AllowIncomplete sends even when fewer indicators than
	// readiness.min_coverage asks for have data for the period.
	AllowIncomplete bool
}

// ErrInterrupted marks a run stopped by a cancelled context (SIGTERM)
// before it went through every recipient: what it did not send is pending.
var ErrInterrupted = errors.New("run interrupted")

// Result counts what a run did.
type Result struct {
	Report, Period, Dir string
	Produced            int    // PDFs written
	BuildFailed         int    // recipients whose report could not be built or rendered
	Sent                int    // messages accepted by the SMTP server
	AlreadySent         int    // skipped: the ledger says delivered
	InProgress          int    // skipped: another process still holds the delivery's claim at the end of the run
	FailedBefore        int    // skipped: failed permanently in an earlier run (until --resend)
	AfterData           string // the register's latest period, when the run's period is after it
	Incomplete          string // the readiness coverage, when below min_coverage and produced anyway
	SendFailed          int    // deliveries that failed
	RelayFailed         int    // of SendFailed, those that were the relay's fault (left retryable)
	Pending             int    // not tried: sending stopped early (SIGTERM, breaker, send deadline); a later run sends them
	NoAddress           int    // recipients without an email address (reported, not guessed)
	// Interrupted is set when the run was stopped (cancelled context) before
	// it went through every recipient.
	Interrupted bool
	// HeldUntil is when the latest lease of the claims held elsewhere ends
	// (with InProgress): the period can be finished after it.
	HeldUntil time.Time
	Duration  time.Duration
	// Phases is the time each step of the run took; the steps after the
	// read overlap (see Phases).
	Phases Phases
}

// Phases is where a run's time goes: the register read (wall time), and
// for the stages that run side by side the time spent in them, summed over
// their workers (evaluate and render run on one worker per core, so their
// sum may exceed the run's wall time). FirstMail is from the start of the
// run to the first mail accepted by the relay (zero when none was sent).
type Phases struct {
	Read, Evaluate, Render, Write, Send, FirstMail time.Duration
}

// phaseClock adds up the stages' times from their goroutines.
type phaseClock struct {
	start                                    time.Time
	evaluate, render, write, send, firstMail atomic.Int64
}

// add adds the time since t to the stage's total.
func (c *phaseClock) add(stage *atomic.Int64, t time.Time) { stage.Add(int64(time.Since(t))) }

// mailed records the first mail accepted.
func (c *phaseClock) mailed() { c.firstMail.CompareAndSwap(0, int64(time.Since(c.start))) }

// Failed reports whether anything that should have been produced or sent was not.
func (r Result) Failed() bool { return r.BuildFailed > 0 || r.SendFailed > 0 || r.Pending > 0 }

// Outcome is how the run ends in the ledger. The period is done
// (succeeded) only when every recipient got their report or was reported
// to the coordinator as needing a person (no address, an address rejected
// in an earlier run); anything less is not a success.
func (r Result) Outcome() ledger.RunOutcome {
	switch {
	case r.Interrupted:
		return ledger.RunInterrupted
	case r.Failed() || r.Pending > 0 || r.InProgress > 0:
		return ledger.RunPartial
	}
	return ledger.RunSucceeded
}

// Complete reports whether the run left its period done.
func (r Result) Complete() bool { return r.Outcome() == ledger.RunSucceeded }

// Summary is a one-line account of the run for the terminal.
func (r Result) Summary() string {
	s := fmt.Sprintf("%s %s: %d report(s) written to %s", r.Report, r.Period, r.Produced, r.Dir)
	if r.BuildFailed > 0 {
		s += fmt.Sprintf(", %d failed", r.BuildFailed)
	}
	if r.AfterData != "" {
		s += fmt.Sprintf(" (note: the register has no data after %s)", r.AfterData)
	}
	if r.Incomplete != "" {
		s += " (warning: the data is incomplete: " + r.Incomplete + ")"
	}
	if r.Sent+r.AlreadySent+r.InProgress+r.SendFailed+r.FailedBefore+r.NoAddress+r.Pending > 0 {
		s += fmt.Sprintf("; mail: %d sent, %d already delivered, %d in hand elsewhere, %d failed, %d without address",
			r.Sent, r.AlreadySent, r.InProgress, r.SendFailed, r.NoAddress)
	}
	if r.Interrupted {
		s += fmt.Sprintf("; interrupted: %d pending for the next run", r.Pending)
	} else if r.RelayFailed+r.Pending > 0 {
		s += fmt.Sprintf("; the relay failed %d time(s) and %d are pending: they are sent by the next run once the relay works", r.RelayFailed, r.Pending)
	}
	if r.FailedBefore > 0 {
		s += fmt.Sprintf("; %d not retried after an earlier permanent failure (fix the address, then --resend --only ID)", r.FailedBefore)
	}
	if r.InProgress > 0 {
		s += fmt.Sprintf("; incomplete: %d still claimed by another process until %s (a later run sends them if it does not)",
			r.InProgress, r.HeldUntil.UTC().Format(time.RFC3339))
	}
	return s
}

// artifact is one PDF to write and deliver, built from a report model.
type artifact struct {
	key        string // the recipient's key in the ledger and the file name stem
	file       string // file name within the report folder
	recipient  output.Recipient
	to         []mail.Address // the addresses to deliver to; empty when the register has none
	lang       string
	doc        pdf.Document
	indicators []output.Indicator
	mail       mail.ReportMailData
	// manifest, if set, adds the report's own fields to the run's manifest
	// (the steering pack's portfolio, savings and attention list).
	manifest func(*output.Manifest)

	// filled by render
	data  []byte
	pages int
	err   error
}

// Run produces (and with req.Send delivers) one report kind for one period.
//
// A cancelled ctx (SIGTERM) stops the run at the next recipient: the
// delivery in hand is finished and recorded, the rest stays pending, the
// ledger records the run as interrupted, and Run returns ErrInterrupted.
func (w *Worker) Run(ctx context.Context, req Request) (Result, error) {
	start := w.now()
	period := req.Period.String()
	res := Result{Report: req.Report, Period: period, Dir: output.Dir(w.cfg.Output.Dir, period, req.Report)}
	jobName := w.jobName(req)
	log := w.log.With("job", jobName, "report", req.Report, "period", period)

	var runID int64
	if req.Send {
		w.closeInterrupted(ctx)
		id, err := w.ledger.StartRun(ctx, jobName, period)
		if err != nil {
			return res, err
		}
		runID = id
	}
	err := w.produce(ctx, req, jobName, &res, log)
	if err != nil && ctx.Err() != nil {
		res.Interrupted = true
	}
	w.publish(ctx, req, log)
	res.Duration = w.now().Sub(start)
	outcome, summary := res.Outcome(), res.Summary()
	switch {
	case res.Interrupted:
		err = fmt.Errorf("%w: %s %s: %d sent, %d pending for the next run", ErrInterrupted, req.Report, period, res.Sent, res.Pending)
	case errors.Is(err, ErrNotReady):
		outcome, summary = ledger.RunNotReady, err.Error()
	case err != nil:
		outcome, summary = ledger.RunFailed, err.Error()
	}
	if req.Send {
		if ferr := w.ledger.FinishRun(context.WithoutCancel(ctx), runID, outcome, summary); ferr != nil {
			log.Error("record run", "err", ferr)
		}
	}
	log.Info("run finished", "outcome", outcome, "reports", res.Produced, "build_failed", res.BuildFailed,
		"sent", res.Sent, "already_sent", res.AlreadySent, "in_progress_elsewhere", res.InProgress, "failed_before", res.FailedBefore, "send_failed", res.SendFailed,
		"relay_failed", res.RelayFailed, "no_address", res.NoAddress, "pending", res.Pending, "duration_ms", res.Duration.Milliseconds(),
		"read_ms", res.Phases.Read.Milliseconds(), "evaluate_ms", res.Phases.Evaluate.Milliseconds(), "render_ms", res.Phases.Render.Milliseconds(),
		"write_ms", res.Phases.Write.Milliseconds(), "send_ms", res.Phases.Send.Milliseconds(), "first_mail_ms", res.Phases.FirstMail.Milliseconds(),
		"dir", res.Dir)
	return res, err
}

// produce loads the register, plans the run and streams its recipients
// through build, render, write and (with req.Send) delivery, filling res.
// A run stopped before every report is written leaves the output as it
// was.
func (w *Worker) produce(ctx context.Context, req Request, jobName string, res *Result, log *slog.Logger) error {
	clock := &phaseClock{start: time.Now()}
	x, err := w.load(ctx, w.readWindow(req))
	res.Phases.Read = time.Since(clock.start)
	if err != nil {
		return err
	}
	if err := w.checkReady(x, req, res); err != nil {
		log.Warn("no reports made", "err", err)
		return err
	}
	if res.Incomplete != "" {
		log.Warn("the register is not ready for the period; producing the reports anyway", "coverage", res.Incomplete, "send", req.Send)
	}
	if latest, ok := x.LatestPeriod(); ok && req.Period.Month > latest && !req.Period.Year {
		res.AfterData = latest.String()
		log.Warn("the period is after the register's latest data", "latest", latest.String())
	}
	plan, err := w.plan(x, req)
	if err != nil {
		return err
	}
	set, err := output.OpenSet(ctx, res.Dir, w.setOptions(req))
	if err != nil {
		return err
	}
	defer set.Abort() // a no-op after Commit
	defer func() {
		res.Phases.Evaluate, res.Phases.Render = time.Duration(clock.evaluate.Load()), time.Duration(clock.render.Load())
		res.Phases.Write, res.Phases.Send = time.Duration(clock.write.Load()), time.Duration(clock.send.Load())
		res.Phases.FirstMail = time.Duration(clock.firstMail.Load())
	}()
	st := &stream{w: w, req: req, job: jobName, log: log, res: res, plan: plan, set: set, clock: clock,
		prog: &tally{p: w.opt.Progress, total: len(plan)}}
	if w.opt.Progress != nil {
		w.opt.Progress.Start(req.Report, req.Period.String(), len(plan))
		defer w.opt.Progress.End()
	}
	err = st.run(ctx, x)
	if req.Send {
		st.retryHeld(ctx)
		if st.sd != nil {
			st.sd.cancel()
		}
	}
	if res.Interrupted || (err != nil && ctx.Err() != nil) {
		log.Warn("run stopped; the remaining deliveries stay pending for the next run", "pending", res.Pending)
		return cmp.Or(err, ctx.Err())
	}
	if err != nil {
		return err
	}
	if req.Send {
		st.notify(ctx)
	}
	return nil
}

// notify tells the coordinator what failed (see notifyCoordinator).
func (st *stream) notify(ctx context.Context) {
	failures := st.failures
	for _, f := range st.built {
		failures = append(failures, mail.Failure{Recipient: f.RecipientID, Reason: "report not produced: " + f.Error})
	}
	// Recipients without an address are reported with a run that sent or
	// failed something; a rerun that delivers nothing stays quiet.
	missing := st.missing
	if st.res.Sent == 0 && len(failures) == 0 {
		missing = nil
	}
	stop := sendStop("")
	if st.sd != nil {
		stop = st.sd.stop
	}
	st.w.notifyCoordinator(ctx, st.job, st.req, *st.res, stop, failures, missing, st.log)
}

// jobName is the ledger's name for the job: the request's, else the first
// configured job producing this report kind, else the kind itself.
func (w *Worker) jobName(req Request) string {
	if req.Job != "" {
		return req.Job
	}
	for _, j := range w.cfg.Jobs {
		if j.Report == req.Report {
			return j.Name
		}
	}
	return req.Report
}

// plan lists the recipients of the requested kind, in manifest order.
func (w *Worker) plan(x *register.Index, req Request) ([]recipient, error) {
	var (
		plan []recipient
		err  error
	)
	switch req.Report {
	case Owner:
		plan = w.planOwner(x, req)
	case Steering:
		plan = w.planSteering(x, req)
	case Annual:
		plan, err = w.planAnnual(x, req)
	default:
		return nil, fmt.Errorf("unknown report kind %q", req.Report)
	}
	if err != nil {
		return nil, err
	}
	if req.Only != "" && len(plan) == 0 {
		return nil, fmt.Errorf("%w: --only %s: no %s report has that recipient", ErrUsage, req.Only, req.Report)
	}
	return plan, nil
}

// selected reports whether a recipient id passes --only and --shard.
func (req Request) selected(id string) bool {
	return (req.Only == "" || req.Only == id) && req.Shard.Takes(id)
}

// guard runs fn, turning a panic into an error so one bad recipient never
// stops the others.
func guard(what string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v\n%s", what, r, debug.Stack())
		}
	}()
	return fn()
}

// setOptions says how a run's set replaces the folder: a whole run replaces
// it, --only one recipient's files (keeping the other entries of
// manifest.json), a shard its own files and manifest-shard-i-of-n.json (and
// drops an unsharded run's manifest.json, which would no longer match).
func (w *Worker) setOptions(req Request) output.SetOptions {
	opt := output.SetOptions{Mode: w.cfg.Output.Mode.Perm(), Step: w.outputStep}
	switch {
	case req.Shard.N > 1:
		opt.Manifest = fmt.Sprintf("manifest-shard-%d-of-%d.json", req.Shard.I, req.Shard.N)
		opt.Keep, opt.Drop = output.KeepOthers, []string{"manifest.json"}
	case req.Only != "":
		opt.Keep, opt.Merge = output.KeepOthers, true
	}
	return opt
}

func findings(notes []register.Note) []output.Finding {
	out := make([]output.Finding, 0, len(notes))
	for _, n := range notes {
		out = append(out, output.Finding{Severity: string(n.Severity), IndicatorID: n.IndicatorID, Message: n.Message})
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// indicatorEntry is a manifest entry for one evaluated indicator.
func indicatorEntry(r register.Result) output.Indicator {
	e := output.Indicator{
		IndicatorID: r.IndicatorID, BenefitID: r.BenefitID, Scope: r.Scope,
		Value: r.Value, Status: string(r.Status), Baseline: r.Baseline,
		Target: r.Target, Progress: r.Progress, Trend: string(r.Trend), Notes: []string{},
	}
	if t := r.Thresholds; t != nil {
		e.Ambition, e.RedLimit, e.GreenLimit = register.F(t.Ambition), register.F(t.RedLimit), register.F(t.GreenLimit)
	}
	for _, n := range r.Notes {
		e.Notes = append(e.Notes, n.Message)
	}
	return e
}
