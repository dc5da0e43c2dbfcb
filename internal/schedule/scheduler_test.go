package schedule

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeLedger struct {
	mu   sync.Mutex
	ok   map[string]bool
	fail int // the next fail calls return an error
	hits int
}

func newFakeLedger(succeeded ...string) *fakeLedger {
	l := &fakeLedger{ok: map[string]bool{}}
	for _, k := range succeeded {
		l.ok[k] = true
	}
	return l
}

func (l *fakeLedger) Succeeded(_ context.Context, job, period string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits++
	if l.fail > 0 {
		l.fail--
		return false, errors.New("ledger unavailable")
	}
	return l.ok[job+"/"+period], nil
}

func (l *fakeLedger) mark(job, period string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ok[job+"/"+period] = true
}

type call struct {
	job, period string
	at          time.Time
}

func (c call) String() string {
	return fmt.Sprintf("%s %s @%s", c.job, c.period, c.at.UTC().Format(time.RFC3339))
}

// fakeRunner records calls, tracks concurrency, marks the ledger on success,
// and can hold a run until released or fail it.
type fakeRunner struct {
	clk    Clock
	ledger *fakeLedger

	mu        sync.Mutex
	calls     []call
	active    map[string]int
	maxActive map[string]int
	total     int
	maxTotal  int
	gates     map[string]chan struct{} // job/period -> released when closed
	failures  map[string]int           // job/period -> how many runs fail
	retryAt   map[string]time.Time     // job/period -> the retry time a failure carries
	notReady  map[string]int           // job/period -> how many runs find the data not loaded
	entered   chan call
	ctxErrs   []error // the run context's error when each run ended
}

func newFakeRunner(clk Clock, l *fakeLedger) *fakeRunner {
	return &fakeRunner{
		clk: clk, ledger: l,
		active: map[string]int{}, maxActive: map[string]int{},
		gates: map[string]chan struct{}{}, failures: map[string]int{}, retryAt: map[string]time.Time{},
		notReady: map[string]int{},
		entered:  make(chan call, 100),
	}
}

func (r *fakeRunner) hold(job, period string) chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := make(chan struct{})
	r.gates[job+"/"+period] = ch
	return ch
}

func (r *fakeRunner) Run(ctx context.Context, job, period string) error {
	key := job + "/" + period
	c := call{job, period, r.clk.Now()}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.active[job]++
	r.maxActive[job] = max(r.maxActive[job], r.active[job])
	r.total++
	r.maxTotal = max(r.maxTotal, r.total)
	gate := r.gates[key]
	var err error
	if r.failures[key] > 0 {
		r.failures[key]--
		err = errors.New("smtp down")
		if at, ok := r.retryAt[key]; ok {
			err = RetryAfter(err, at)
		}
	} else if r.notReady[key] > 0 {
		r.notReady[key]--
		err = fmt.Errorf("%w: 0 of 5 indicators have data", ErrNotReady)
	}
	r.mu.Unlock()
	r.entered <- c

	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	r.mu.Lock()
	r.active[job]--
	r.total--
	r.ctxErrs = append(r.ctxErrs, ctx.Err())
	r.mu.Unlock()
	if err == nil {
		r.ledger.mark(job, period)
	}
	return err
}

func (r *fakeRunner) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.calls))
	for i, c := range r.calls {
		out[i] = c.String()
	}
	return out
}

type harness struct {
	t      *testing.T
	clk    *FakeClock
	ledger *fakeLedger
	runner *fakeRunner
	s      *Scheduler
	cancel context.CancelFunc
	done   chan error
	steps  []time.Time // the deadlines step moved the clock to
}

func newHarness(t *testing.T, start time.Time, ledger *fakeLedger, opt Options, jobs ...Job) *harness {
	t.Helper()
	clk := NewFakeClock(start)
	h := &harness{t: t, clk: clk, ledger: ledger, runner: newFakeRunner(clk, ledger)}
	if opt.MaxSleep == 0 {
		opt.MaxSleep = 400 * 24 * time.Hour
	}
	h.s = New(jobs, h.runner, ledger, clk, opt)
	return h
}

func (h *harness) start() {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- h.s.Run(ctx) }()
	h.t.Cleanup(func() {
		cancel()
		h.closeGates()
		<-h.done
	})
}

func (h *harness) closeGates() {
	h.runner.mu.Lock()
	defer h.runner.mu.Unlock()
	for k, g := range h.runner.gates {
		select {
		case <-g:
		default:
			close(g)
		}
		delete(h.runner.gates, k)
	}
}

func (h *harness) waitIdle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.s.WaitIdle(ctx); err != nil {
		h.t.Fatalf("scheduler never became idle: %v (status %+v)", err, h.s.Status())
	}
}

// stepTo moves the clock from timer deadline to timer deadline, letting the
// scheduler settle after each, and finally to end.
func (h *harness) stepTo(end time.Time) {
	h.t.Helper()
	for {
		h.waitIdle()
		d, ok := h.clk.NextDeadline()
		if !ok || d.After(end) {
			h.clk.Set(end)
			h.waitIdle()
			return
		}
		h.steps = append(h.steps, d)
		h.clk.Set(d)
	}
}

func (h *harness) entered() call {
	h.t.Helper()
	select {
	case c := <-h.runner.entered:
		return c
	case <-time.After(5 * time.Second):
		h.t.Fatalf("runner was never called; calls so far %v", h.runner.got())
		return call{}
	}
}

func wantCalls(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("runs:\n got  %q\n want %q", got, want)
	}
}

func job(t *testing.T, name, expr string, rule PeriodRule) Job {
	t.Helper()
	return Job{Name: name, Spec: mustParse(t, expr, mustLoc(t, "Europe/Oslo")), Rule: rule}
}

func TestSchedulerAcrossDST(t *testing.T) {
	h := newHarness(t, utc(t, "2025-03-29T12:00:00Z"), newFakeLedger(), Options{},
		job(t, "march", "30 2 30 3 *", PreviousMonth),
		job(t, "october", "30 2 26 10 *", PreviousMonth),
		job(t, "daily", "30 2 * * *", PreviousMonth),
	)
	h.start()
	h.stepTo(utc(t, "2025-10-27T12:00:00Z"))

	wantCalls(t, h.runner.got(),
		"daily 2025-02 @2025-03-29T12:00:00Z", // catch-up of the 02:30 firing that morning
		"march 2025-02 @2025-03-30T01:00:00Z", // 02:30 does not exist: 03:00 CEST
		"daily 2025-03 @2025-04-01T00:30:00Z",
		"daily 2025-04 @2025-05-01T00:30:00Z",
		"daily 2025-05 @2025-06-01T00:30:00Z",
		"daily 2025-06 @2025-07-01T00:30:00Z",
		"daily 2025-07 @2025-08-01T00:30:00Z",
		"daily 2025-08 @2025-09-01T00:30:00Z",
		"daily 2025-09 @2025-10-01T00:30:00Z",
		"october 2025-09 @2025-10-26T00:30:00Z", // first 02:30, CEST
	)
	// The loop woke at each firing exactly: once in the March gap, once in
	// the October fold, never at the repeated 02:30 CET.
	wantSteps := []string{"2025-03-30T01:00:00Z", "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"}
	notSteps := []string{"2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z", "2025-10-26T01:30:00Z"}
	for _, s := range wantSteps {
		if !slices.ContainsFunc(h.steps, func(d time.Time) bool { return d.Equal(utc(t, s)) }) {
			t.Errorf("loop never woke at %s", s)
		}
	}
	for _, s := range notSteps {
		if slices.ContainsFunc(h.steps, func(d time.Time) bool { return d.Equal(utc(t, s)) }) {
			t.Errorf("loop woke at %s", s)
		}
	}
	for i := 1; i < len(h.steps); i++ {
		if !h.steps[i].After(h.steps[i-1]) {
			t.Errorf("wake-ups not increasing: %v then %v", h.steps[i-1], h.steps[i])
		}
	}
	// One wake-up per day of the daily job over the span, no more.
	if n := len(h.steps); n != 212 {
		t.Errorf("loop woke %d times, want 212 (one per daily firing, 30 March to 27 October)", n)
	}
}

func TestSchedulerCatchUpAfterDowntime(t *testing.T) {
	tests := []struct {
		name      string
		succeeded []string
		want      []string
	}{
		{"missed period runs once at start", nil, []string{
			"monthly-owner 2025-09 @2025-10-05T10:00:00Z",
			"monthly-owner 2025-10 @2025-11-03T05:00:00Z",
		}},
		{"crash before success recorded: rerun on restart", []string{"monthly-owner/2025-08"}, []string{
			"monthly-owner 2025-09 @2025-10-05T10:00:00Z",
			"monthly-owner 2025-10 @2025-11-03T05:00:00Z",
		}},
		{"already succeeded: nothing at start", []string{"monthly-owner/2025-09"}, []string{
			"monthly-owner 2025-10 @2025-11-03T05:00:00Z",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(tc.succeeded...), Options{},
				job(t, "monthly-owner", "0 6 3 * *", PreviousMonth))
			h.start()
			h.waitIdle()
			if d, ok := h.clk.NextDeadline(); !ok || !d.Equal(utc(t, "2025-11-03T05:00:00Z")) {
				t.Errorf("after catch-up the loop sleeps until %v, want 2025-11-03T05:00Z", d)
			}
			h.stepTo(utc(t, "2025-11-20T00:00:00Z"))
			wantCalls(t, h.runner.got(), tc.want...)
		})
	}
}

func TestSchedulerCatchUpLimitAndWindow(t *testing.T) {
	tests := []struct {
		name      string
		opt       Options
		succeeded []string
		want      []string
	}{
		{"default: latest period only", Options{}, nil, []string{"m 2025-11 @2025-12-10T12:00:00Z"}},
		{"limit 3 within 100 days, oldest first", Options{CatchUpLimit: 3, CatchUpWindow: 100 * 24 * time.Hour}, nil,
			[]string{"m 2025-09 @2025-12-10T12:00:00Z", "m 2025-10 @2025-12-10T12:00:00Z", "m 2025-11 @2025-12-10T12:00:00Z"}},
		{"limit 3 skips succeeded", Options{CatchUpLimit: 3, CatchUpWindow: 100 * 24 * time.Hour}, []string{"m/2025-10"},
			[]string{"m 2025-09 @2025-12-10T12:00:00Z", "m 2025-11 @2025-12-10T12:00:00Z"}},
		{"limit 3 cut by default 40-day window", Options{CatchUpLimit: 3}, nil,
			[]string{"m 2025-10 @2025-12-10T12:00:00Z", "m 2025-11 @2025-12-10T12:00:00Z"}},
		{"window shorter than the last firing", Options{CatchUpWindow: 24 * time.Hour}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, utc(t, "2025-12-10T12:00:00Z"), newFakeLedger(tc.succeeded...), tc.opt,
				job(t, "m", "0 6 3 * *", PreviousMonth))
			h.start()
			h.waitIdle()
			wantCalls(t, h.runner.got(), tc.want...)
		})
	}
}

func TestSchedulerNoOverlap(t *testing.T) {
	skipped := make(chan string, 10)
	opt := Options{OnTickSkipped: func(job, period string) { skipped <- job + " " + period }}
	h := newHarness(t, utc(t, "2025-10-03T03:00:00Z"), newFakeLedger("m/2025-08"), opt,
		job(t, "m", "0 6 3 * *", PreviousMonth),
		job(t, "q", "0 6 3 * *", PreviousQuarter))
	releaseM := h.runner.hold("m", "2025-09")
	releaseQ := h.runner.hold("q", "2025-09")
	h.runner.ledger.mark("q", "2025-06")
	h.start()
	h.waitIdle()
	wantCalls(t, h.runner.got()) // nothing due at start

	h.clk.Set(utc(t, "2025-10-03T04:00:00Z"))
	h.entered() // both jobs run, concurrently
	h.entered()
	if err := h.clk.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	// The next firing comes while both runs are still going.
	h.clk.Set(utc(t, "2025-11-03T05:00:00Z"))
	got := []string{<-skipped, <-skipped}
	slices.Sort(got)
	if want := []string{"m 2025-10", "q 2025-09"}; !slices.Equal(got, want) {
		t.Errorf("skipped ticks %q, want %q", got, want)
	}
	if n := len(h.runner.got()); n != 2 {
		t.Fatalf("runner called %d times while the first runs were going, want 2: %v", n, h.runner.got())
	}
	close(releaseM)
	close(releaseQ)
	h.waitIdle()

	calls := h.runner.got()
	slices.Sort(calls[:2])
	wantCalls(t, calls,
		"m 2025-09 @2025-10-03T04:00:00Z",
		"q 2025-09 @2025-10-03T04:00:00Z",
		"m 2025-10 @2025-11-03T05:00:00Z", // the missed period, run after
	)
	h.runner.mu.Lock()
	defer h.runner.mu.Unlock()
	for j, n := range h.runner.maxActive {
		if n != 1 {
			t.Errorf("job %s had %d concurrent runs, want 1", j, n)
		}
	}
	if h.runner.maxTotal != 2 {
		t.Errorf("max concurrent runs over jobs = %d, want 2 (different jobs run together)", h.runner.maxTotal)
	}
	for _, st := range h.s.Status() {
		if st.SkippedTicks != 1 {
			t.Errorf("job %s SkippedTicks = %d, want 1", st.Name, st.SkippedTicks)
		}
	}
}

func TestSchedulerRetriesFailedRunsWithBackoff(t *testing.T) {
	var mu sync.Mutex
	var done []string
	opt := Options{OnRunDone: func(job, period string, err error, _ time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		done = append(done, fmt.Sprintf("%s %s err=%v", job, period, err))
	}}
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(), opt,
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.runner.failures["m/2025-09"] = 3
	h.start()
	h.stepTo(utc(t, "2025-10-31T00:00:00Z"))
	wantCalls(t, h.runner.got(),
		"m 2025-09 @2025-10-05T10:00:00Z",
		"m 2025-09 @2025-10-05T10:10:00Z",
		"m 2025-09 @2025-10-05T10:30:00Z",
		"m 2025-09 @2025-10-05T11:10:00Z",
	)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"m 2025-09 err=smtp down", "m 2025-09 err=smtp down", "m 2025-09 err=smtp down", "m 2025-09 err=<nil>"}
	if !slices.Equal(done, want) {
		t.Errorf("OnRunDone calls %q, want %q", done, want)
	}
	st := h.s.Status()[0]
	if st.LastSuccessPeriod != "2025-09" || st.LastError != "" || !st.LastSuccess.Equal(utc(t, "2025-10-05T11:10:00Z")) {
		t.Errorf("status after recovery = %+v", st)
	}
}

// A failure that says when it can proceed (a claim held elsewhere until its
// lease ends) is retried then, not after the backoff.
func TestSchedulerRetriesAtTheTimeTheRunGives(t *testing.T) {
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(), Options{},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.runner.failures["m/2025-09"] = 1
	h.runner.retryAt["m/2025-09"] = utc(t, "2025-10-05T10:00:30Z")
	h.start()
	h.stepTo(utc(t, "2025-10-06T00:00:00Z"))
	wantCalls(t, h.runner.got(),
		"m 2025-09 @2025-10-05T10:00:00Z",
		"m 2025-09 @2025-10-05T10:00:30Z",
	)
}

// With NoCatchUp a period whose firing came while the scheduler was down
// is never run; the next firing is.
func TestSchedulerNoCatchUp(t *testing.T) {
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(), Options{NoCatchUp: true},
		job(t, "monthly-owner", "0 6 3 * *", PreviousMonth))
	h.runner.failures["monthly-owner/2025-10"] = 1
	h.start()
	h.stepTo(utc(t, "2025-11-20T00:00:00Z"))
	wantCalls(t, h.runner.got(),
		"monthly-owner 2025-10 @2025-11-03T05:00:00Z",
		"monthly-owner 2025-10 @2025-11-03T05:10:00Z", // a failure is still retried
	)
}

// A period whose data is not loaded is looked at again with backoff capped
// at WaitBackoffMax, shown as waiting rather than as an error, and runs
// normally once the data is there.
func TestSchedulerWaitsForData(t *testing.T) {
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(), Options{},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.runner.failures["m/2025-09"] = 1
	h.runner.notReady["m/2025-09"] = 6
	h.start()
	h.waitIdle()
	if st := h.s.Status()[0]; st.LastError == "" || st.WaitingForData != "" {
		t.Errorf("after a failure: last error %q, waiting %q; want an error and no waiting", st.LastError, st.WaitingForData)
	}
	h.stepTo(utc(t, "2025-10-05T10:10:00Z"))
	st := h.s.Status()[0]
	if st.LastError != "" || !strings.Contains(st.WaitingForData, "period 2025-09: the register is not ready") ||
		!strings.Contains(st.WaitingForData, "0 of 5 indicators have data; looked at 1 time(s), next 2025-10-05T10:20:00Z") {
		t.Errorf("waiting: last error %q, waiting %q", st.LastError, st.WaitingForData)
	}
	h.stepTo(utc(t, "2025-10-05T18:00:00Z"))
	wantCalls(t, h.runner.got(),
		"m 2025-09 @2025-10-05T10:00:00Z", // failed
		"m 2025-09 @2025-10-05T10:10:00Z", // not ready: waits anew from 10 minutes
		"m 2025-09 @2025-10-05T10:20:00Z",
		"m 2025-09 @2025-10-05T10:40:00Z",
		"m 2025-09 @2025-10-05T11:20:00Z",
		"m 2025-09 @2025-10-05T12:20:00Z", // capped at an hour
		"m 2025-09 @2025-10-05T13:20:00Z",
		"m 2025-09 @2025-10-05T14:20:00Z", // the data is there
	)
	st = h.s.Status()[0]
	if st.LastSuccessPeriod != "2025-09" || st.LastError != "" || st.WaitingForData != "" {
		t.Errorf("after the data came: %+v", st)
	}
}

// A period still waiting when the next one falls due beyond the catch-up
// limit is no longer shown as waiting; the new period is.
func TestSchedulerWaitingMovesOn(t *testing.T) {
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(), Options{RetryBackoff: 24 * time.Hour, WaitBackoffMax: 7 * 24 * time.Hour},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.runner.notReady["m/2025-09"] = 1000
	h.runner.notReady["m/2025-10"] = 1
	h.start()
	h.stepTo(utc(t, "2025-11-03T04:30:00Z"))
	if st := h.s.Status()[0]; !strings.HasPrefix(st.WaitingForData, "period 2025-09:") {
		t.Errorf("before November's firing: waiting %q", st.WaitingForData)
	}
	h.stepTo(utc(t, "2025-11-03T05:30:00Z"))
	if st := h.s.Status()[0]; !strings.HasPrefix(st.WaitingForData, "period 2025-10:") {
		t.Errorf("after November's firing: waiting %q, want 2025-10", st.WaitingForData)
	}
	h.stepTo(utc(t, "2025-11-05T07:00:00Z"))
	if st := h.s.Status()[0]; st.WaitingForData != "" || st.LastSuccessPeriod != "2025-10" {
		t.Errorf("after October's data came: waiting %q, last success %q", st.WaitingForData, st.LastSuccessPeriod)
	}
}

func TestSchedulerBackoffIsCapped(t *testing.T) {
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), newFakeLedger(),
		Options{RetryBackoff: time.Hour, RetryBackoffMax: 3 * time.Hour},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.runner.failures["m/2025-09"] = 1000
	h.start()
	h.stepTo(utc(t, "2025-10-06T10:00:00Z"))
	h.runner.mu.Lock()
	defer h.runner.mu.Unlock()
	var gaps []time.Duration
	for i := 1; i < len(h.runner.calls); i++ {
		gaps = append(gaps, h.runner.calls[i].at.Sub(h.runner.calls[i-1].at))
	}
	// 10:00, 11:00, 13:00, then every 3 hours up to 10:00 the next day.
	want := []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 3 * time.Hour, 3 * time.Hour, 3 * time.Hour, 3 * time.Hour, 3 * time.Hour, 3 * time.Hour}
	if !slices.Equal(gaps, want) {
		t.Errorf("retry gaps %v, want %v", gaps, want)
	}
}

func TestSchedulerLedgerErrorBacksOff(t *testing.T) {
	l := newFakeLedger()
	l.fail = 2
	h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), l, Options{},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.start()
	h.stepTo(utc(t, "2025-10-06T00:00:00Z"))
	wantCalls(t, h.runner.got(), "m 2025-09 @2025-10-05T10:30:00Z")
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hits != 3 {
		t.Errorf("ledger asked %d times, want 3 (two failures backed off, then one answer)", l.hits)
	}
}

func TestSchedulerClockJumpRunsLatestOnly(t *testing.T) {
	h := newHarness(t, utc(t, "2025-06-10T00:00:00Z"), newFakeLedger("m/2025-05"), Options{},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.start()
	h.waitIdle()
	// The machine was suspended, or the wake-up came very late.
	h.clk.Set(utc(t, "2025-09-20T00:00:00Z"))
	h.waitIdle()
	wantCalls(t, h.runner.got(), "m 2025-08 @2025-09-20T00:00:00Z")
	if d, _ := h.clk.NextDeadline(); !d.Equal(utc(t, "2025-10-03T04:00:00Z")) {
		t.Errorf("next wake-up %v, want 2025-10-03T04:00Z", d)
	}
}

func TestSchedulerMaxSleep(t *testing.T) {
	h := newHarness(t, utc(t, "2025-06-10T00:00:00Z"), newFakeLedger("m/2025-05"), Options{MaxSleep: 10 * time.Minute},
		job(t, "m", "0 6 3 * *", PreviousMonth))
	h.start()
	h.waitIdle()
	if d, _ := h.clk.NextDeadline(); !d.Equal(utc(t, "2025-06-10T00:10:00Z")) {
		t.Errorf("loop sleeps until %v, want at most MaxSleep (00:10)", d)
	}
	if st := h.s.Status()[0]; !st.NextFire.Equal(utc(t, "2025-07-03T04:00:00Z")) {
		t.Errorf("Status NextFire = %v, want 2025-07-03T04:00Z", st.NextFire)
	}
}

func TestSchedulerShutdown(t *testing.T) {
	tests := []struct {
		name       string
		pastGrace  bool
		wantErr    error
		wantRerun  bool
		wantCtxErr bool
	}{
		{"run in hand finishes within grace", false, nil, false, false},
		{"crash-like: run cancelled after grace, rerun on restart", true, ErrRunsCancelled, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ledger := newFakeLedger()
			h := newHarness(t, utc(t, "2025-10-05T10:00:00Z"), ledger, Options{ShutdownGrace: time.Minute},
				job(t, "m", "0 6 3 * *", PreviousMonth))
			release := h.runner.hold("m", "2025-09")
			h.start()
			h.entered()
			if err := h.clk.BlockUntil(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			h.cancel() // SIGTERM
			// The loop's own timer goes; the grace timer comes.
			waitFor(t, func() bool {
				d, ok := h.clk.NextDeadline()
				return ok && d.Equal(utc(t, "2025-10-05T10:01:00Z"))
			})
			select {
			case err := <-h.done:
				t.Fatalf("Run returned %v while a run was in hand", err)
			default:
			}
			if tc.pastGrace {
				h.clk.Advance(time.Minute)
			} else {
				close(release)
			}
			var err error
			select {
			case err = <-h.done:
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return after the run in hand ended")
			}
			h.done <- err // for the cleanup
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("Run returned %v, want %v", err, tc.wantErr)
			}
			h.runner.mu.Lock()
			ctxErr := h.runner.ctxErrs[0]
			h.runner.mu.Unlock()
			if (ctxErr != nil) != tc.wantCtxErr {
				t.Errorf("run context error at end = %v, want error %v", ctxErr, tc.wantCtxErr)
			}

			// Restart on the same ledger.
			h2 := newHarness(t, utc(t, "2025-10-05T10:05:00Z"), ledger, Options{},
				job(t, "m", "0 6 3 * *", PreviousMonth))
			h2.start()
			h2.waitIdle()
			if got := len(h2.runner.got()) > 0; got != tc.wantRerun {
				t.Errorf("rerun on restart = %v, want %v (%v)", got, tc.wantRerun, h2.runner.got())
			}
		})
	}
}

// waitFor polls cond during goroutine hand-off; it fails after 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never met")
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func TestSchedulerValidation(t *testing.T) {
	good := job(t, "a", "0 6 3 * *", PreviousMonth)
	tests := []struct {
		name string
		jobs []Job
		want string
	}{
		{"no name", []Job{{Spec: good.Spec, Rule: PreviousMonth}}, "no name"},
		{"duplicate", []Job{good, good}, "used twice"},
		{"zero spec", []Job{{Name: "a", Rule: PreviousMonth}}, "no schedule"},
		{"bad rule", []Job{{Name: "a", Spec: good.Spec, Rule: "weekly"}}, "period rule"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := NewFakeClock(utc(t, "2025-10-05T10:00:00Z"))
			l := newFakeLedger()
			s := New(tc.jobs, newFakeRunner(clk, l), l, clk, Options{})
			err := s.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSchedulerRunnerPanicIsAFailure(t *testing.T) {
	clk := NewFakeClock(utc(t, "2025-10-05T10:00:00Z"))
	l := newFakeLedger()
	errs := make(chan error, 1)
	s := New([]Job{job(t, "m", "0 6 3 * *", PreviousMonth)}, panicRunner{}, l, clk,
		Options{OnRunDone: func(_, _ string, err error, _ time.Duration) { errs <- err }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	err := <-errs
	cancel()
	<-done
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Errorf("run error = %v, want a panic error", err)
	}
}

type panicRunner struct{}

func (panicRunner) Run(context.Context, string, string) error { panic("boom") }
