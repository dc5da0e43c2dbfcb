package job

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/schedule"
	"gevinstrapport/internal/store"
)

// Health statuses of /healthz.
const (
	HealthOK       = "ok"
	HealthDegraded = "degraded"
)

// Health is the daemon's /healthz: every job's schedule state and last
// success (seeded from the ledger at start, so it survives a restart), and
// whether the register and the state store answer and every job's due
// period was delivered in time.
type Health struct {
	sched *schedule.Scheduler
	jobs  []schedule.Job
	opt   HealthOptions

	mu      sync.Mutex
	seeded  map[string]ledger.Run // each job's last success in the ledger at start
	checked time.Time             // when found was checked (real time, for the cache)
	found   healthFindings
}

// HealthOptions says what Health checks beyond the scheduler's own view.
type HealthOptions struct {
	// Ledger is pinged, asked whether due periods succeeded, and read by
	// Seed; nil checks neither the state store nor overdue periods.
	Ledger *ledger.Ledger
	// Register probes the reporting database; nil does not.
	Register func(ctx context.Context) error
	// Now is the schedule's clock; nil means time.Now.
	Now func() time.Time
	// OverdueAfter is how long after its firing a period may stay
	// undelivered before it is overdue; default 24 hours.
	OverdueAfter time.Duration
	// Timeout bounds one round of checks; default 2 seconds.
	Timeout time.Duration
	// CacheFor is how long one round's findings answer every request, so a
	// storm of scrapes does not hammer the databases; default 10 seconds,
	// negative checks on every request.
	CacheFor time.Duration
	// Log receives a line whenever the status or its reasons change.
	Log *slog.Logger
}

// healthFindings are what one round of checks found.
type healthFindings struct {
	reasons []string
	overdue map[string]string // job name → its overdue period
}

// NewHealth returns the health report of the scheduler running jobs.
func NewHealth(sched *schedule.Scheduler, jobs []schedule.Job, opt HealthOptions) *Health {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.OverdueAfter <= 0 {
		opt.OverdueAfter = 24 * time.Hour
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.CacheFor == 0 {
		opt.CacheFor = 10 * time.Second
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Health{sched: sched, jobs: slices.Clone(jobs), opt: opt, seeded: map[string]ledger.Run{}}
}

// Seed reads every job's last success from the ledger, so /healthz and
// gevinstrapport_last_success_timestamp_seconds (in m, if not nil) show it
// from the start instead of only after the next successful run.
func (h *Health) Seed(ctx context.Context, m *Metrics) error {
	if h.opt.Ledger == nil {
		return nil
	}
	for _, j := range h.jobs {
		r, ok, err := h.opt.Ledger.LastSucceeded(ctx, j.Name)
		if err != nil {
			return fmt.Errorf("seed last success: %w", err)
		}
		if !ok {
			continue
		}
		h.mu.Lock()
		h.seeded[j.Name] = r
		h.mu.Unlock()
		if m != nil {
			m.lastSuccess.WithLabelValues(j.Name).Set(float64(r.FinishedAt.Unix()))
		}
	}
	return nil
}

// healthReport is the JSON body of /healthz.
type healthReport struct {
	Status  string      `json:"status"`
	Reasons []string    `json:"reasons,omitempty"`
	Jobs    []jobHealth `json:"jobs"`
}

type jobHealth struct {
	Name              string    `json:"name"`
	Running           bool      `json:"running"`
	NextRun           time.Time `json:"next_run"`
	LastSuccess       time.Time `json:"last_success,omitzero"`
	LastSuccessPeriod string    `json:"last_success_period,omitempty"`
	LastError         string    `json:"last_error,omitempty"`
	WaitingForData    string    `json:"waiting_for_data,omitempty"`
	SkippedTicks      int       `json:"skipped_ticks"`
	OverduePeriod     string    `json:"overdue_period,omitempty"`
}

// ServeHTTP answers /healthz: 200 with status ok, or 503 with status
// degraded and the reasons.
func (h *Health) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rep := h.report(r.Context())
	rw.Header().Set("Content-Type", "application/json")
	if rep.Status != HealthOK {
		rw.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(rw).Encode(rep)
}

// report puts the scheduler's view, the seeded last successes and the
// latest findings together.
func (h *Health) report(ctx context.Context) healthReport {
	found := h.check(ctx)
	rep := healthReport{Status: HealthOK, Reasons: found.reasons}
	if len(found.reasons) > 0 {
		rep.Status = HealthDegraded
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.sched.Status() {
		j := jobHealth{s.Name, s.Running, s.NextFire, s.LastSuccess, s.LastSuccessPeriod, s.LastError, s.WaitingForData, s.SkippedTicks, found.overdue[s.Name]}
		if seed, ok := h.seeded[s.Name]; ok && j.LastSuccess.IsZero() {
			j.LastSuccess, j.LastSuccessPeriod = seed.FinishedAt, seed.Period
		}
		rep.Jobs = append(rep.Jobs, j)
	}
	return rep
}

// check returns the findings of the latest round of checks, running a new
// round when the cached one is older than CacheFor. Requests that come
// during a round wait for it rather than start their own. The cache runs on
// the real clock: it limits load, it decides nothing about the schedule.
func (h *Health) check(ctx context.Context) healthFindings {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.opt.CacheFor > 0 && !h.checked.IsZero() && time.Since(h.checked) < h.opt.CacheFor {
		return h.found
	}
	// A client that hangs up must not leave a cancelled round in the cache.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.opt.Timeout)
	defer cancel()
	var registerErr error
	var wg sync.WaitGroup
	if h.opt.Register != nil {
		wg.Go(func() { registerErr = h.opt.Register(ctx) })
	}
	found := h.checkLedger(ctx)
	wg.Wait()
	if registerErr != nil {
		found.reasons = append([]string{"register: " + registerErr.Error()}, found.reasons...)
	}
	if !slices.Equal(found.reasons, h.found.reasons) || h.checked.IsZero() {
		h.logChange(found.reasons)
	}
	h.found, h.checked = found, time.Now()
	return found
}

// checkLedger pings the state store and, when it answers, looks for
// overdue periods.
func (h *Health) checkLedger(ctx context.Context) healthFindings {
	var f healthFindings
	if h.opt.Ledger == nil {
		return f
	}
	if err := h.opt.Ledger.Ping(ctx); err != nil {
		f.reasons = append(f.reasons, "state store: "+err.Error())
		return f
	}
	return h.overdue(ctx)
}

// overdue finds every period the scheduler owes (Scheduler.Owed: its own
// catch-up limit and window, and nothing missed while it was down when
// catch-up is off) that has been due for OverdueAfter and has no successful
// run in the ledger.
func (h *Health) overdue(ctx context.Context) healthFindings {
	var f healthFindings
	now := h.opt.Now()
	for _, j := range h.jobs {
		for _, d := range h.sched.Owed(j, now) {
			if now.Sub(d.First) < h.opt.OverdueAfter {
				continue
			}
			done, err := h.opt.Ledger.Succeeded(ctx, j.Name, d.Period)
			if err != nil {
				f.reasons = append(f.reasons, "state store: "+err.Error())
				return f
			}
			if done {
				continue
			}
			if f.overdue == nil {
				f.overdue = map[string]string{}
			}
			f.overdue[j.Name] = d.Period
			f.reasons = append(f.reasons, fmt.Sprintf("overdue: job %s: period %s is due since %s and not delivered %s later",
				j.Name, d.Period, d.First.Format(time.RFC3339), h.opt.OverdueAfter))
		}
	}
	return f
}

func (h *Health) logChange(reasons []string) {
	if len(reasons) == 0 {
		h.opt.Log.Info("health ok")
		return
	}
	h.opt.Log.Warn("health degraded", "reasons", reasons)
}

// pingRegister probes the configured reporting database for /healthz.
func (w *Worker) pingRegister(ctx context.Context) error {
	d, err := store.ParseDialect(w.cfg.Database.Driver)
	if err != nil {
		return err
	}
	return store.Ping(ctx, d, w.cfg.Database.DSN)
}
