package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Job is one configured job: what to run and when.
type Job struct {
	Name string
	Spec Spec
	Rule PeriodRule
}

// Runner produces and delivers one job's report period.
type Runner interface {
	Run(ctx context.Context, job string, period string) error
}

// Ledger tells whether a job's period has already been run successfully.
type Ledger interface {
	Succeeded(ctx context.Context, job, period string) (bool, error)
}

// ErrNotReady marks a run that found its period's data not loaded yet: the
// period is deferred and looked at again with backoff, which is waiting,
// not a failure.
var ErrNotReady = errors.New("the register is not ready for the period")

// ErrRunsCancelled is returned by Run when runs in hand had to be cancelled
// because they did not finish within the shutdown grace period.
var ErrRunsCancelled = errors.New("runs in hand cancelled after the shutdown grace period")

// Options tunes a Scheduler; the zero value gives the defaults.
type Options struct {
	// CatchUpLimit is how many of a job's latest due periods are checked and
	// run if unsucceeded; default 1, the latest due period only.
	CatchUpLimit int
	// NoCatchUp ignores firings from before Run started: a job runs only for
	// firings that come while the scheduler runs (and retries those), never
	// for one missed while it was down.
	NoCatchUp bool
	// CatchUpWindow ignores firings older than this; default 40 days.
	CatchUpWindow time.Duration
	// RetryBackoff is the wait before a failed period is tried again; it
	// doubles with each further failure of that period. Default 10 minutes.
	RetryBackoff time.Duration
	// RetryBackoffMax caps RetryBackoff's doubling; default 6 hours.
	RetryBackoffMax time.Duration
	// WaitBackoffMax caps the doubling for a period that is not ready
	// (ErrNotReady), so that data loaded late is picked up soon; default 1
	// hour.
	WaitBackoffMax time.Duration
	// MaxSleep is the longest the loop sleeps before looking at the clock
	// again, so a wall-clock jump or a suspended machine is noticed; default
	// 10 minutes.
	MaxSleep time.Duration
	// ShutdownGrace is how long runs in hand may go on after Run's context is
	// done before their own context is cancelled; default 25 seconds,
	// negative waits for them without limit.
	ShutdownGrace time.Duration
	// Logger receives the scheduler's log lines; default discards them.
	Logger *slog.Logger
	// OnRunDone, if set, is called after every run (for metrics).
	OnRunDone func(job, period string, err error, dur time.Duration)
	// OnTickSkipped, if set, is called when a job fires while its previous
	// run is still going (for metrics).
	OnTickSkipped func(job, period string)
}

func (o Options) withDefaults() Options {
	if o.CatchUpLimit <= 0 {
		o.CatchUpLimit = 1
	}
	if o.CatchUpWindow <= 0 {
		o.CatchUpWindow = 40 * 24 * time.Hour
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = 10 * time.Minute
	}
	if o.RetryBackoffMax <= 0 {
		o.RetryBackoffMax = 6 * time.Hour
	}
	if o.WaitBackoffMax <= 0 {
		o.WaitBackoffMax = time.Hour
	}
	if o.MaxSleep <= 0 {
		o.MaxSleep = 10 * time.Minute
	}
	if o.ShutdownGrace == 0 {
		o.ShutdownGrace = 25 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// JobStatus is a snapshot of one job's state, for health checks and metrics.
type JobStatus struct {
	Name              string
	Running           bool
	Period            string    // the period in hand while Running
	NextFire          time.Time // the next firing after the last wake-up
	LastSuccess       time.Time // when the last successful run ended (this process)
	LastSuccessPeriod string
	LastError         string // the last run's error, "" after a success
	WaitingForData    string // the period deferred for its data and why, "" when none
	SkippedTicks      int    // firings that came while a run was still going
}

// Scheduler runs jobs on their schedules with catch-up, one run of a job at
// a time.
//
// Every wake-up (at start, at each firing, when a run ends, when a failed
// period's backoff expires, and at least every MaxSleep) looks at the latest
// due firing of each job within CatchUpWindow and runs the periods it yields
// that the Ledger does not record as succeeded. The decision rests on the
// ledger and the current time, not on which timer fired, so a late wake-up, a
// clock jump or a restart after downtime all end in the same catch-up.
//
// Shutdown: when Run's context is done no new run starts; runs in hand keep
// a context that is not cancelled (so SIGTERM lets the report in hand be
// finished and sent) until ShutdownGrace has passed, then theirs is cancelled
// and Run returns ErrRunsCancelled once they have returned.
type Scheduler struct {
	jobs   []Job
	runner Runner
	ledger Ledger
	clk    Clock
	opt    Options
	log    *slog.Logger

	wg      sync.WaitGroup
	wake    chan struct{} // a run ended; buffered 1
	startAt time.Time     // when Run started; firings before it are ignored with NoCatchUp

	mu         sync.Mutex
	state      []jobState
	started    bool
	sleeping   bool      // the loop waits on its timer or wake
	sleepUntil time.Time // when the loop's timer fires
	pending    int       // wake-ups sent and not yet taken by the loop
	changed    chan struct{}
}

type jobState struct {
	running     bool
	period      string    // in hand
	batchFire   time.Time // the latest due firing when the batch started
	skippedFire time.Time // the last firing reported as skipped
	skipped     int
	done        map[string]bool    // periods known to have succeeded
	failures    map[string]failure // periods that failed, by period
	next        time.Time
	lastSuccess time.Time
	lastPeriod  string
	lastErr     string
	waiting     string // the period waiting for its data, "" when none
	waitingMsg  string
}

type failure struct {
	count   int
	retryAt time.Time
	waiting bool // deferred for its data (ErrNotReady), not failed
}

// New returns a Scheduler for jobs; jobs are validated when Run starts.
func New(jobs []Job, r Runner, l Ledger, clk Clock, opt Options) *Scheduler {
	opt = opt.withDefaults()
	s := &Scheduler{
		jobs:    slices.Clone(jobs),
		runner:  r,
		ledger:  l,
		clk:     clk,
		opt:     opt,
		log:     opt.Logger,
		wake:    make(chan struct{}, 1),
		state:   make([]jobState, len(jobs)),
		changed: make(chan struct{}),
	}
	for i := range s.state {
		s.state[i].done = map[string]bool{}
		s.state[i].failures = map[string]failure{}
	}
	return s
}

func (s *Scheduler) validate() error {
	seen := map[string]bool{}
	for i, j := range s.jobs {
		switch {
		case j.Name == "":
			return fmt.Errorf("job %d: no name", i+1)
		case seen[j.Name]:
			return fmt.Errorf("job %q: name used twice", j.Name)
		case j.Spec.IsZero():
			return fmt.Errorf("job %q: no schedule", j.Name)
		}
		if _, err := ParsePeriodRule(string(j.Rule)); err != nil {
			return fmt.Errorf("job %q: %w", j.Name, err)
		}
		seen[j.Name] = true
	}
	if s.runner == nil || s.ledger == nil || s.clk == nil {
		return errors.New("scheduler needs a runner, a ledger and a clock")
	}
	return nil
}

// Run schedules the jobs until ctx is done, then waits for runs in hand as
// described on Scheduler. It returns an error if the jobs are invalid, if it
// is called twice, or ErrRunsCancelled.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.validate(); err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("start scheduler: already started")
	}
	s.started = true
	s.startAt = s.clk.Now()
	s.mu.Unlock()

	runCtx, cancelRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRuns()
	s.log.Info("scheduler started", "jobs", len(s.jobs))
	for {
		now := s.clk.Now()
		s.dispatch(ctx, runCtx, now)
		wakeAt := s.nextWake(now)
		timer := s.clk.NewTimer(wakeAt.Sub(now))
		s.setSleeping(true, wakeAt)
		select {
		case <-ctx.Done():
			timer.Stop()
			s.setSleeping(false, time.Time{})
			return s.shutdown(cancelRuns)
		case <-timer.C():
		case <-s.wake:
			timer.Stop()
		}
		s.setSleeping(false, time.Time{})
	}
}

// setSleeping records whether the loop waits; on waking it also takes any
// wake-up sent meanwhile, since the dispatch that follows sees its cause.
func (s *Scheduler) setSleeping(sleeping bool, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sleeping, s.sleepUntil = sleeping, until
	if !sleeping {
		s.pending = 0
		select {
		case <-s.wake:
		default:
		}
	}
	s.notifyLocked()
}

func (s *Scheduler) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Idle reports whether the loop is asleep with no run in hand and nothing
// due at the current time; tests use it to step a FakeClock.
func (s *Scheduler) Idle() bool {
	now := s.clk.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idleLocked(now)
}

func (s *Scheduler) idleLocked(now time.Time) bool {
	if !s.sleeping || s.pending > 0 || !now.Before(s.sleepUntil) {
		return false
	}
	for _, st := range s.state {
		if st.running {
			return false
		}
	}
	return true
}

// WaitIdle blocks until Idle would report true or ctx is done.
func (s *Scheduler) WaitIdle(ctx context.Context) error {
	for {
		now := s.clk.Now()
		s.mu.Lock()
		if s.idleLocked(now) {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wait for idle scheduler: %w", ctx.Err())
		}
	}
}

// Status returns a snapshot of every job's state.
func (s *Scheduler) Status() []JobStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]JobStatus, len(s.jobs))
	for i, j := range s.jobs {
		st := s.state[i]
		out[i] = JobStatus{
			Name: j.Name, Running: st.running, Period: st.period, NextFire: st.next,
			LastSuccess: st.lastSuccess, LastSuccessPeriod: st.lastPeriod,
			LastError: st.lastErr, WaitingForData: st.waitingMsg, SkippedTicks: st.skipped,
		}
	}
	return out
}

// Owed returns the periods of j the scheduler runs at now unless the
// ledger records them as succeeded, oldest first: DuePeriods under its
// options, and with NoCatchUp only those with a firing since Run started
// (since now, before Run). Health checks ask it so that they never call a
// period overdue that the scheduler will not run.
func (s *Scheduler) Owed(j Job, now time.Time) []Due {
	due := DuePeriods(j, now, s.opt)
	if !s.opt.NoCatchUp {
		return due
	}
	s.mu.Lock()
	since := s.startAt
	if !s.started {
		since = s.clk.Now()
	}
	s.mu.Unlock()
	// Only firings that came while the scheduler runs count.
	return slices.DeleteFunc(due, func(d Due) bool { return d.Latest.Before(since) })
}

// duePeriods returns the periods Owed gives, oldest first, and the latest
// due firing.
func (s *Scheduler) duePeriods(j Job, now time.Time) ([]string, time.Time) {
	due := s.Owed(j, now)
	if len(due) == 0 {
		return nil, time.Time{}
	}
	periods := make([]string, len(due))
	for i, d := range due {
		periods[i] = d.Period
	}
	return periods, due[len(due)-1].Latest
}

// dispatch starts a batch for every idle job with unsucceeded due periods.
func (s *Scheduler) dispatch(ctx, runCtx context.Context, now time.Time) {
	for i, j := range s.jobs {
		periods, latest := s.duePeriods(j, now)
		next := j.Spec.Next(now)

		s.mu.Lock()
		st := &s.state[i]
		st.next = next
		if st.running {
			skipped := !latest.IsZero() && latest.After(st.batchFire) && !latest.Equal(st.skippedFire)
			if skipped {
				st.skippedFire = latest
				st.skipped++
			}
			inHand := st.period
			s.mu.Unlock()
			if skipped {
				p := j.Rule.PeriodAt(latest, j.Spec.Location())
				s.log.Warn("job fired while its previous run is still going; not starting a second run",
					"job", j.Name, "fire", latest, "period", p, "period_in_hand", inHand)
				if s.opt.OnTickSkipped != nil {
					s.opt.OnTickSkipped(j.Name, p)
				}
			}
			continue
		}
		// Forget what no longer matters, so the maps stay small.
		for p := range st.done {
			if !slices.Contains(periods, p) {
				delete(st.done, p)
			}
		}
		for p := range st.failures {
			if !slices.Contains(periods, p) {
				delete(st.failures, p)
			}
		}
		if st.waiting != "" && !slices.Contains(periods, st.waiting) {
			st.waiting, st.waitingMsg = "", ""
		}
		var unknown []string
		for _, p := range periods {
			if f, failed := st.failures[p]; st.done[p] || failed && now.Before(f.retryAt) {
				continue
			}
			unknown = append(unknown, p)
		}
		s.mu.Unlock()

		var todo []string
		for _, p := range unknown {
			ok, err := s.ledger.Succeeded(ctx, j.Name, p)
			switch {
			case err != nil:
				s.log.Error("check ledger", "job", j.Name, "period", p, "err", err)
				s.recordFailure(i, p, now)
			case ok:
				s.mu.Lock()
				st.done[p] = true
				s.mu.Unlock()
			default:
				todo = append(todo, p)
			}
		}
		if len(todo) == 0 || ctx.Err() != nil {
			continue
		}
		s.mu.Lock()
		st.running, st.period, st.batchFire = true, todo[0], latest
		s.notifyLocked()
		s.mu.Unlock()
		s.wg.Add(1)
		go s.runBatch(ctx, runCtx, i, todo)
	}
}

// runBatch runs a job's periods one after another, oldest first.
func (s *Scheduler) runBatch(ctx, runCtx context.Context, i int, periods []string) {
	defer s.wg.Done()
	j := s.jobs[i]
	for _, p := range periods {
		if ctx.Err() != nil {
			break // shutting down: the rest waits for the next start's catch-up
		}
		s.mu.Lock()
		s.state[i].period = p
		s.mu.Unlock()

		s.log.Info("run started", "job", j.Name, "period", p)
		start := s.clk.Now()
		err := s.runOne(runCtx, j.Name, p)
		end := s.clk.Now()
		dur := end.Sub(start)
		switch {
		case errors.Is(err, ErrNotReady):
			s.log.Info("period not ready; waiting for its data", "job", j.Name, "period", p, "err", err, "duration_ms", dur.Milliseconds())
			s.recordWaiting(i, p, end, err)
		case err != nil:
			s.log.Error("run failed", "job", j.Name, "period", p, "err", err, "duration_ms", dur.Milliseconds())
			s.recordFailure(i, p, end)
			if at, ok := RetryTime(err); ok && at.After(end) {
				s.retryAt(i, p, at)
			}
		default:
			s.log.Info("run succeeded", "job", j.Name, "period", p, "duration_ms", dur.Milliseconds())
			s.mu.Lock()
			st := &s.state[i]
			st.done[p] = true
			delete(st.failures, p)
			st.lastSuccess, st.lastPeriod, st.lastErr = end, p, ""
			st.clearWaiting(p)
			s.mu.Unlock()
		}
		if s.opt.OnRunDone != nil {
			s.opt.OnRunDone(j.Name, p, err, dur)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state[i].running, s.state[i].period = false, ""
	s.pending++
	select {
	case s.wake <- struct{}{}:
	default:
	}
	s.notifyLocked()
}

// runOne calls the runner, turning a panic into an error so one bad run
// cannot take the daemon down.
func (s *Scheduler) runOne(ctx context.Context, job, period string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("run %s %s: panic: %v", job, period, r)
		}
	}()
	return s.runner.Run(ctx, job, period)
}

// recordFailure schedules the next attempt at a failed period with
// exponential backoff.
func (s *Scheduler) recordFailure(i int, period string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state[i]
	f := st.failures[period]
	f.count++
	f.waiting = false
	f.retryAt = now.Add(s.backoff(f.count, s.opt.RetryBackoffMax))
	st.failures[period] = f
	st.lastErr = fmt.Sprintf("period %s failed %d time(s); next attempt %s", period, f.count, f.retryAt.Format(time.RFC3339))
	st.clearWaiting(period)
}

// recordWaiting defers a period whose data is not loaded yet: it is looked
// at again with backoff like a failure, but shown as waiting, not as an
// error, since late data is the data team's normal course.
func (s *Scheduler) recordWaiting(i int, period string, now time.Time, why error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state[i]
	f := st.failures[period]
	if !f.waiting {
		f.count = 0
	}
	f.count++
	f.waiting = true
	f.retryAt = now.Add(s.backoff(f.count, s.opt.WaitBackoffMax))
	st.failures[period] = f
	st.lastErr = ""
	st.waiting = period
	st.waitingMsg = fmt.Sprintf("period %s: %v; looked at %d time(s), next %s", period, why, f.count, f.retryAt.Format(time.RFC3339))
}

// clearWaiting forgets that period was waiting for its data.
func (st *jobState) clearWaiting(period string) {
	if st.waiting == period {
		st.waiting, st.waitingMsg = "", ""
	}
}

// backoff is the wait before the count-th retry: RetryBackoff doubling
// with each further try, at most limit.
func (s *Scheduler) backoff(count int, limit time.Duration) time.Duration {
	wait := s.opt.RetryBackoff
	for n := 1; n < count && wait < limit; n++ {
		wait *= 2
	}
	return min(wait, limit)
}

// RetryAfterError is a run's error that knows when its period can usefully
// be tried again, such as when another process's claim on a delivery ends.
type RetryAfterError struct {
	Err error
	At  time.Time
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter wraps a run's error with the time its period should be tried
// again, which then replaces the backoff.
func RetryAfter(err error, at time.Time) error { return &RetryAfterError{Err: err, At: at} }

// RetryTime returns the time carried by a RetryAfter error.
func RetryTime(err error) (time.Time, bool) {
	var re *RetryAfterError
	if errors.As(err, &re) && !re.At.IsZero() {
		return re.At, true
	}
	return time.Time{}, false
}

// retryAt sets when a failed period is tried again.
func (s *Scheduler) retryAt(i int, period string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state[i]
	f := st.failures[period]
	f.retryAt = at
	st.failures[period] = f
	st.lastErr = fmt.Sprintf("period %s failed %d time(s); next attempt %s", period, f.count, at.Format(time.RFC3339))
}

// nextWake is the earliest of the jobs' next firings and their failed
// periods' retry times, at most MaxSleep away.
func (s *Scheduler) nextWake(now time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	wake := now.Add(s.opt.MaxSleep)
	for _, st := range s.state {
		if !st.next.IsZero() && st.next.Before(wake) {
			wake = st.next
		}
		if st.running {
			continue
		}
		for _, f := range st.failures {
			if f.retryAt.After(now) && f.retryAt.Before(wake) {
				wake = f.retryAt
			}
		}
	}
	return wake
}

// shutdown waits for runs in hand, cancelling them after the grace period.
func (s *Scheduler) shutdown(cancelRuns context.CancelFunc) error {
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.log.Info("scheduler stopped")
		return nil
	default:
	}
	s.log.Info("scheduler stopping; waiting for runs in hand", "grace_ms", s.opt.ShutdownGrace.Milliseconds())
	if s.opt.ShutdownGrace < 0 {
		<-done
		s.log.Info("scheduler stopped")
		return nil
	}
	t := s.clk.NewTimer(s.opt.ShutdownGrace)
	select {
	case <-done:
		t.Stop()
		s.log.Info("scheduler stopped")
		return nil
	case <-t.C():
	}
	s.log.Warn("runs in hand did not finish within the grace period; cancelling them")
	cancelRuns()
	<-done
	return ErrRunsCancelled
}
