package job

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/push"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/schedule"
)

// Metrics are the Prometheus metrics of runs, reports and deliveries.
type Metrics struct {
	// Registry holds the job's own metrics and gevinstrapport_build_info:
	// what a one-shot run pushes to a Pushgateway.
	Registry *prometheus.Registry
	// runtime holds the Go and process collectors, served by the daemon's
	// /metrics but never pushed: they describe a process that has ended.
	runtime     *prometheus.Registry
	lastSuccess *prometheus.GaugeVec
	reports     *prometheus.CounterVec
	deliveries  *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	skipped     *prometheus.CounterVec
}

// NewMetrics registers the metrics in a registry of their own; version is
// the program's version for gevinstrapport_build_info.
func NewMetrics(version string) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		runtime:  prometheus.NewRegistry(),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "gevinstrapport_last_success_timestamp_seconds",
			Help: "Unix time when the job last finished a run successfully.",
		}, []string{"job_name"}),
		reports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gevinstrapport_reports_total",
			Help: "Reports by report kind and outcome (produced, failed).",
		}, []string{"report", "outcome"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gevinstrapport_deliveries_total",
			Help: "Deliveries by outcome (sent, already_delivered, in_progress_elsewhere, failed, failed_before, no_address, pending).",
		}, []string{"outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gevinstrapport_run_duration_seconds",
			Help:    "Duration of job runs by outcome (succeeded, partial, interrupted, failed).",
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 12),
		}, []string{"job_name", "outcome"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gevinstrapport_skipped_ticks_total",
			Help: "Schedule firings that came while the job's previous run was still going.",
		}, []string{"job_name"}),
	}
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "gevinstrapport_build_info",
		Help: "Always 1; the labels say which build runs.",
	}, []string{"version", "goversion"})
	buildInfo.WithLabelValues(version, runtime.Version()).Set(1)
	m.Registry.MustRegister(m.lastSuccess, m.reports, m.deliveries, m.duration, m.skipped, buildInfo)
	m.runtime.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// gatherer is everything /metrics serves: the job's metrics and the Go and
// process collectors.
func (m *Metrics) gatherer() prometheus.Gatherer {
	return prometheus.Gatherers{m.Registry, m.runtime}
}

// observe records one run's result.
func (m *Metrics) observe(job string, r Result, err error, now time.Time) {
	m.reports.WithLabelValues(r.Report, "produced").Add(float64(r.Produced))
	m.reports.WithLabelValues(r.Report, "failed").Add(float64(r.BuildFailed))
	m.deliveries.WithLabelValues("sent").Add(float64(r.Sent))
	m.deliveries.WithLabelValues("already_delivered").Add(float64(r.AlreadySent))
	m.deliveries.WithLabelValues("in_progress_elsewhere").Add(float64(r.InProgress))
	m.deliveries.WithLabelValues("failed").Add(float64(r.SendFailed))
	m.deliveries.WithLabelValues("failed_before").Add(float64(r.FailedBefore))
	m.deliveries.WithLabelValues("no_address").Add(float64(r.NoAddress))
	m.deliveries.WithLabelValues("pending").Add(float64(r.Pending))
	// outcome is the ledger's: succeeded only when the period is done.
	outcome := string(r.Outcome())
	switch {
	case errors.Is(err, ErrNotReady):
		outcome = string(ledger.RunNotReady) // waiting for data, not a failure
	case r.Interrupted:
	case err != nil:
		outcome = string(ledger.RunFailed)
	case r.Complete():
		m.lastSuccess.WithLabelValues(job).Set(float64(now.Unix()))
	}
	m.duration.WithLabelValues(job, outcome).Observe(r.Duration.Seconds())
}

// Push sends the metrics to a Prometheus Pushgateway, for one-shot runs
// under a Kubernetes CronJob or a systemd timer. The group is the run name
// and, for a sharded run, the shard ("2-of-8"), so the shards of one run
// each keep their own group instead of overwriting each other's.
func (m *Metrics) Push(ctx context.Context, url, run string, shard Shard) error {
	p := push.New(url, "gevinstrapport").Grouping("run", run)
	if shard.N > 1 {
		p = p.Grouping("shard", shard.label())
	}
	if err := p.Gatherer(m.Registry).PushContext(ctx); err != nil {
		return fmt.Errorf("push metrics to %s: %w", url, err)
	}
	return nil
}

// RunAndObserve is Run with the result recorded in m (nil: not recorded).
func (w *Worker) RunAndObserve(ctx context.Context, req Request, m *Metrics) (Result, error) {
	res, err := w.Run(ctx, req)
	if m != nil {
		m.observe(w.jobName(req), res, err, w.now())
	}
	return res, err
}

// scheduled adapts the Worker to the scheduler: one configured job, one period.
type scheduled struct {
	w       *Worker
	metrics *Metrics
	// stop is the daemon's own context: when it is done (SIGTERM) a run in
	// hand takes no new delivery, so the scheduler's grace period only has
	// to cover the delivery in hand.
	stop context.Context
}

// leaseMargin is how long after a claim's lease ends the daemon tries the
// period again, so that the claim has surely expired by then.
const leaseMargin = time.Second

// Run produces and delivers one job's period. A run that leaves the period
// undone returns an error, so the scheduler tries the period again later
// (what was delivered is not sent twice: the ledger says so); when only
// claims held elsewhere are left, it is tried again when their lease ends.
func (s scheduled) Run(ctx context.Context, jobName, period string) error {
	if s.stop != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(s.stop, cancel)()
	}
	j, ok := s.w.cfg.Job(jobName)
	if !ok {
		return fmt.Errorf("unknown job %q", jobName)
	}
	p, err := ParsePeriod(j.Report, period)
	if err != nil {
		return err
	}
	res, err := s.w.RunAndObserve(ctx, Request{Report: j.Report, Period: p, Send: true, Job: j.Name}, s.metrics)
	if errors.Is(err, ErrNotReady) {
		s.w.noticeNotReady(ctx, j, err)
	}
	if err != nil {
		return err
	}
	if res.Complete() {
		return nil
	}
	err = errors.New(res.Summary())
	if res.InProgress > 0 && !res.Failed() && res.Pending == 0 {
		return schedule.RetryAfter(err, res.HeldUntil.Add(leaseMargin))
	}
	return err
}

// Daemon runs the configured jobs on their schedules with catch-up, serving
// /healthz and /metrics, until ctx is cancelled (SIGTERM): then the report in
// hand is finished and recorded before it returns.
func Daemon(ctx context.Context, cfg *config.Config, opt Options) error {
	if len(cfg.Jobs) == 0 {
		return fmt.Errorf("%w: %s: jobs: the daemon has no jobs to run", config.ErrConfig, cfg.Path)
	}
	opt.Send = true
	w, err := NewWorker(ctx, cfg, opt)
	if err != nil {
		return err
	}
	defer w.Close()
	log := w.log
	w.closeInterrupted(ctx)
	metrics := NewMetrics(opt.Version)
	jobs := make([]schedule.Job, 0, len(cfg.Jobs))
	for _, j := range cfg.Jobs {
		jobs = append(jobs, schedule.Job{Name: j.Name, Spec: j.Spec, Rule: j.Rule})
	}
	clock := opt.Clock
	if clock == nil {
		clock = schedule.RealClock{}
	}
	sched := schedule.New(jobs, scheduled{w: w, metrics: metrics, stop: ctx}, w.ledger, clock, schedule.Options{
		CatchUpLimit:  cfg.Daemon.CatchUpPeriods,
		NoCatchUp:     cfg.Daemon.CatchUpPeriods == 0,
		CatchUpWindow: time.Duration(cfg.Daemon.CatchUpWindow),
		Logger:        log,
		OnTickSkipped: func(job, period string) { metrics.skipped.WithLabelValues(job).Inc() },
	})
	if opt.Scheduler != nil {
		opt.Scheduler(sched)
	}

	health := NewHealth(sched, jobs, HealthOptions{
		Ledger: w.ledger, Register: w.pingRegister, Now: clock.Now, Log: log,
		OverdueAfter: time.Duration(cfg.Daemon.OverdueAfter),
	})
	if err := health.Seed(ctx, metrics); err != nil {
		log.Error("read the last successes from the ledger", "err", err)
	}

	ln, err := net.Listen("tcp", cfg.Daemon.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s for /healthz and /metrics: %w", cfg.Daemon.Listen, err)
	}
	srv := &http.Server{Handler: Handler(health, metrics), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("health and metrics server stopped", "err", err)
		}
	}()
	log.Info("daemon started", "jobs", len(jobs), "listen", ln.Addr().String(), "timezone", cfg.Timezone)
	if opt.Ready != nil {
		opt.Ready(ln.Addr().String())
	}
	err = sched.Run(ctx)
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	log.Info("daemon stopped")
	return err
}

// Handler serves /healthz (h), /livez (200 while the process serves
// HTTP, for a liveness probe that must not restart the daemon because a
// database is down) and /metrics (Prometheus).
func Handler(h *Health, m *Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.gatherer(), promhttp.HandlerOpts{}))
	mux.Handle("GET /healthz", h)
	mux.HandleFunc("GET /livez", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = rw.Write([]byte("ok\n"))
	})
	return mux
}

// interruptedAfter is how long a run may stay unfinished before it is
// taken for one interrupted by a crash even when its process cannot be
// seen (another host); no real run takes this long.
const interruptedAfter = 6 * time.Hour

// closeInterrupted records runs that a crashed process left unfinished as
// interrupted, so a run never stays without an outcome once its process is
// gone: a run of a process known to be gone (ledger.OwnerGone: same host,
// pid gone or reused by a restarted container) at once, any other after
// interruptedAfter. It is called at the daemon's start and before every
// sending run. A run still going in a live process, here or on another
// host, is left alone; two closers finishing the same run are harmless (a
// run finishes once). Catch-up runs their periods again (the delivery
// ledger keeps that from sending twice).
func (w *Worker) closeInterrupted(ctx context.Context) {
	runs, err := w.ledger.Unfinished(ctx)
	if err != nil {
		w.log.Error("list unfinished runs", "err", err)
		return
	}
	for _, r := range runs {
		gone := w.ledger.OwnerGone(r.Owner)
		if !gone && w.now().Sub(r.StartedAt) < interruptedAfter {
			continue
		}
		w.log.Warn("a run never finished (crash?); recorded as interrupted, catch-up runs its period again",
			"job", r.Job, "period", r.Period, "started_at", r.StartedAt, "owner", r.Owner, "process_gone", gone)
		err := w.ledger.FinishRun(ctx, r.ID, ledger.RunInterrupted, "never finished: the process stopped (crash?)")
		if err != nil && !errors.Is(err, ledger.ErrRunNotOpen) {
			w.log.Error("record interrupted run", "run", r.ID, "err", err)
		}
	}
}
