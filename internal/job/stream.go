package job

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/pdf"
	"gevinstrapport/internal/register"
)

// A run is a stream of recipients through bounded stages:
//
//	plan ─▶ build+render (one per core) ─▶ file (4) ─▶ write (plan order) ─▶ send
//
// The pool builds each recipient's report model and renders its PDF; a few
// file writers put the PDFs into the period's output.Set as they come; the
// writer puts each report's entry into the manifest spool in plan order
// and hands it to the sender, which delivers it through the ledger. At
// most `window` reports are in flight at once, so the memory a run holds
// does not grow with the number of recipients: a report's model
// is dropped once rendered, its PDF once written and sent.
//
// Sending starts while later reports are still rendering, before the set
// is committed. That is safe because a mail carries its PDF's bytes and
// does not point into the folder: if the process dies before the commit,
// the folder keeps its previous set, the mails sent are recorded in the
// ledger, and the next run writes the whole set again (the reports are
// drawn from the same data and clock reading, so with the same bytes) and
// sends only what the ledger does not have. A run stopped (SIGTERM) before
// every report is written aborts its set, so the folder never holds part
// of a run.

// recipient is one report a run makes: whose it is and how to build it.
type recipient struct {
	key       string
	kind      string // "owner report", "steering pack", "annual report": for the log
	addresses int    // the deliveries it makes: counted pending when a stopped run never reaches it
	build     func() (*artifact, error)
}

// sendQueue is how many written reports may wait for the sender.
const sendQueue = 4

// window is how many reports a run holds at once (building, rendering,
// waiting to be written, written and waiting to be sent), for workers
// renderers.
func window(workers int) int { return 2*workers + sendQueue }

// rendered is a recipient's report as the pool hands it to the writer.
type rendered struct {
	i   int
	a   *artifact
	err error // the report could not be built
}

// stream is the state of one run's pipeline.
type stream struct {
	w     *Worker
	req   Request
	job   string
	log   *slog.Logger
	res   *Result
	plan  []recipient
	set   *output.Set
	prog  *tally
	clock *phaseClock // the stages' times (Result.Phases)

	// the writer's
	next   int // plan index of the next report to write
	m      output.Manifest
	built  []output.FailedEntry // reports that could not be built
	unwrit []output.FailedEntry // reports that could not be rendered or written

	// the sender's
	sd       *sending // from the first delivery on
	failures []mail.Failure
	held     []target // deliveries another process held
	missing  []mail.MissingAddress
}

// run carries every recipient of the plan through the stages, commits the
// set once every report is written (while the last ones may still be
// sent), and waits for the sender. A cancelled ctx stops it (see Run).
func (st *stream) run(ctx context.Context, x *register.Index) error {
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	workers := runtime.GOMAXPROCS(0)
	tokens := make(chan struct{}, window(workers))
	release := func() { <-tokens }
	out := st.startPool(pctx, workers, tokens)
	queue, sent := st.startSender(ctx, pctx, release)
	err := st.writeAll(ctx, out, queue, release)
	if err != nil {
		stop() // the pool and the sender stop; what was not sent is pending
	}
	for range out { // let the pool finish (it stops at once when stopped)
	}
	if queue != nil {
		close(queue)
	}
	if err == nil {
		err = st.commit(ctx, x)
	}
	<-sent
	st.countUnreached()
	return err
}

// fileWriters is how many PDFs are put into the set at once: writing one
// waits for the disk (each file is synced), not for a core, so the
// renderers should not wait for it one file at a time.
const fileWriters = 4

// startPool starts the feeder, workers renderers and the file writers, and
// returns the channel of their reports (in the order they finish), closed
// when they are done.
func (st *stream) startPool(ctx context.Context, workers int, tokens chan struct{}) <-chan rendered {
	jobs := make(chan int)
	drawn := make(chan rendered, workers)
	out := make(chan rendered, fileWriters)
	go st.feed(ctx, tokens, jobs)
	var pool, files sync.WaitGroup
	for range workers {
		pool.Go(func() { st.renderAll(ctx, jobs, drawn) })
	}
	go func() { pool.Wait(); close(drawn) }()
	for range fileWriters {
		files.Go(func() { st.storeAll(ctx, drawn, out) })
	}
	go func() { files.Wait(); close(out) }()
	return out
}

// storeAll puts each rendered PDF into the set (unless ctx is cancelled:
// the set is then aborted) and hands the report on.
func (st *stream) storeAll(ctx context.Context, in <-chan rendered, out chan<- rendered) {
	for r := range in {
		if r.err == nil && r.a.err == nil && ctx.Err() == nil {
			t := time.Now()
			r.a.err = st.set.Add(r.a.file, r.a.data)
			st.clock.add(&st.clock.write, t)
		}
		out <- r
	}
}

// startSender starts the sender with --send and returns its queue (nil
// without --send) and a channel closed when it is done.
func (st *stream) startSender(ctx, stopped context.Context, release func()) (chan *artifact, <-chan struct{}) {
	done := make(chan struct{})
	if !st.req.Send {
		close(done)
		return nil, done
	}
	queue := make(chan *artifact, sendQueue)
	go func() {
		defer close(done)
		st.sendAll(ctx, stopped, queue, release)
	}()
	return queue, done
}

// feed hands the plan's indexes to the pool in order, each once a place in
// the window is free, until the plan ends or ctx is cancelled.
func (st *stream) feed(ctx context.Context, tokens chan struct{}, jobs chan<- int) {
	defer close(jobs)
	for i := range st.plan {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			<-tokens
			return
		}
	}
}

// renderAll builds and renders the reports it is handed. A report that
// cannot be built or rendered (an error or a panic) is handed on with its
// error, so one bad recipient never stops the others.
func (st *stream) renderAll(ctx context.Context, jobs <-chan int, out chan<- rendered) {
	for i := range jobs {
		r := st.plan[i]
		var a *artifact
		t := time.Now()
		err := guard("build "+r.kind+" for "+r.key, func() error {
			var err error
			a, err = r.build()
			return err
		})
		st.clock.add(&st.clock.evaluate, t)
		if err == nil {
			t = time.Now()
			a.err = guard("render "+a.key, func() error { return st.renderOne(ctx, a) })
			st.clock.add(&st.clock.render, t)
			a.doc = pdf.Document{} // the model is no longer needed
		}
		out <- rendered{i: i, a: a, err: err}
	}
}

// renderOne draws a's PDF into a.data.
func (st *stream) renderOne(ctx context.Context, a *artifact) error {
	var buf bytes.Buffer
	info, err := st.w.engine.Render(ctx, &buf, a.doc)
	if err != nil {
		return err
	}
	if len(info.Replaced) > 0 {
		st.w.log.Warn("characters missing from the font were replaced",
			"recipient", a.key, "characters", string(info.Replaced))
	}
	a.data, a.pages = buf.Bytes(), info.Pages
	return nil
}

// writeAll takes the pool's reports, puts them back in plan order and
// writes each (see write). It stops writing when ctx is cancelled, and on
// an error that makes the set unusable, which it returns.
func (st *stream) writeAll(ctx context.Context, out <-chan rendered, queue chan<- *artifact, release func()) error {
	waiting := map[int]rendered{}
	for r := range out {
		waiting[r.i] = r
		for {
			r, ok := waiting[st.next]
			if !ok {
				break
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			delete(waiting, st.next)
			if err := st.write(r, queue, release); err != nil {
				return err
			}
			st.next++
		}
	}
	if st.next < len(st.plan) {
		// The pool stopped early: only a cancelled ctx does that.
		return fmt.Errorf("write: %w", context.Cause(ctx))
	}
	return nil
}

// write puts one report into the set and its manifest, then hands it to
// the sender (with --send) or lets it go. A report that could not be
// built, rendered or written is counted and listed in the manifest's
// failures; an error from the manifest's spool is returned, since the set
// can no longer be committed.
func (st *stream) write(r rendered, queue chan<- *artifact, release func()) error {
	a := r.a
	if r.err != nil {
		p := st.plan[r.i]
		st.w.log.Error(p.kind+" failed", "recipient", p.key, "err", r.err)
		st.built = append(st.built, output.FailedEntry{RecipientID: p.key, Error: firstLine(r.err.Error())})
		st.res.BuildFailed++
		st.prog.step(true)
		release()
		return nil
	}
	if a.manifest != nil {
		a.manifest(&st.m)
	}
	if a.err != nil {
		st.w.log.Error("report failed", "recipient", a.key, "err", a.err)
		st.unwrit = append(st.unwrit, output.FailedEntry{RecipientID: a.key, Error: firstLine(a.err.Error())})
		st.res.BuildFailed++
		st.prog.step(true)
		release()
		return nil
	}
	t := time.Now()
	err := st.set.AddReport(output.Report{
		File: a.file, SHA256: output.SHA256(a.data), Pages: a.pages,
		Recipient: a.recipient, Indicators: a.indicators,
	})
	st.clock.add(&st.clock.write, t)
	if err != nil {
		release()
		return err
	}
	st.res.Produced++
	a.indicators = nil
	if st.req.EML {
		st.w.writeEML(st.set, st.job, st.req.Period.String(), a, st.log)
	}
	if queue == nil {
		st.prog.step(false)
		release()
		return nil
	}
	queue <- a
	return nil
}

// commit completes the manifest and swaps the set in.
func (st *stream) commit(ctx context.Context, x *register.Index) error {
	m := st.m
	m.Report, m.Period, m.GeneratedAt = st.req.Report, st.req.Period.String(), st.w.now().UTC().Truncate(time.Second)
	m.Failures = append(append(m.Failures, st.built...), st.unwrit...)
	m.DataQuality = findings(register.Check(x, st.req.Period.Month, st.w.settings()))
	return st.set.Commit(ctx, m)
}

// countUnreached counts, with --send, the deliveries of the reports a
// stopped run never wrote as pending.
func (st *stream) countUnreached() {
	if !st.req.Send {
		return
	}
	n := 0
	for _, r := range st.plan[st.next:] {
		n += r.addresses
	}
	st.res.Pending += n
}

// Progress shows how far a run has come: the terminal's progress line.
type Progress interface {
	// Start begins a run of total recipients.
	Start(report, period string, total int)
	// Update says that done of the total recipients are through the run
	// (written, and with --send sent), failed of them with a failure.
	Update(done, total, failed int)
	// End ends the run's display.
	End()
}

// tally counts the recipients done for a Progress.
type tally struct {
	mu                  sync.Mutex
	p                   Progress
	done, failed, total int
}

// step counts one recipient done (written, and sent with --send), failed or not.
func (t *tally) step(failed bool) {
	if t == nil || t.p == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done++
	if failed {
		t.failed++
	}
	t.p.Update(t.done, t.total, t.failed)
}
