// Package job runs one report job end to end: it loads the register,
// evaluates it, builds and renders the reports, writes them with their
// manifest, and (with --send) delivers them exactly once through the ledger.
// The daemon in this package runs the configured jobs on their schedules.
package job

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/pdf"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/internal/schedule"
	"gevinstrapport/internal/store"
	"gevinstrapport/templates"
)

// Options are how a Worker is built.
type Options struct {
	Demo bool             // read the built-in demo register instead of the configured database
	Now  func() time.Time // the clock; nil means time.Now
	Log  *slog.Logger     // nil discards
	Send bool             // open the ledger and the SMTP sender
	// Sender and Ledger replace the ones built from the config (tests).
	Sender *mail.Sender
	Ledger *ledger.Ledger
	// Clock drives the daemon's schedule; nil means the real clock.
	Clock schedule.Clock
	// Ready, if set, is called with the daemon's /healthz and /metrics
	// address once it listens (tests listen on port 0).
	Ready func(addr string)
	// Scheduler, if set, is given the daemon's scheduler once it is built
	// (tests wait on its WaitIdle before moving a FakeClock).
	Scheduler func(*schedule.Scheduler)
	// Version is the program's version, for gevinstrapport_build_info.
	Version string
	// ConfigPath is the absolute path of --config, for the commands the
	// coordinator's summary suggests; "" when there is no file (the demo).
	ConfigPath string
	// Progress, if set, is told how far each run has come (a progress
	// line on a terminal).
	Progress Progress
}

// Worker holds what every run needs, built once: configuration, wording,
// the PDF engine and, for sending, the ledger and the SMTP sender.
type Worker struct {
	cfg      *config.Config
	opt      Options
	log      *slog.Logger
	now      func() time.Time
	catalogs report.Catalogs
	wording  mail.Wording // mail texts, with templates.dir's overrides
	engine   *pdf.Engine
	ledger   *ledger.Ledger
	sender   *mail.Sender
	closers  []func() error

	// outputStep is passed to every output.Set (tests crash the process at a step).
	outputStep func(step string)
}

// NewWorker prepares a Worker; with opt.Send it opens the ledger and checks
// that SMTP is configured.
func NewWorker(ctx context.Context, cfg *config.Config, opt Options) (*Worker, error) {
	w := &Worker{cfg: cfg, opt: opt, log: opt.Log, now: opt.Now}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.now == nil {
		w.now = time.Now
	}
	wording, err := templates.Open(cfg.Templates.Dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: templates.dir: %v", config.ErrConfig, cfg.Path, err)
	}
	cats, err := report.LoadCatalogs(wording)
	if err != nil {
		return nil, err
	}
	w.catalogs, w.wording = cats, mail.NewWording(wording)
	b, err := cfg.Brand()
	if err != nil {
		return nil, err
	}
	if w.engine, err = pdf.New(pdf.WithBrand(b)); err != nil {
		return nil, fmt.Errorf("prepare PDF engine: %w", err)
	}
	if !opt.Send {
		return w, nil
	}
	w.ledger = opt.Ledger
	if w.ledger == nil {
		// The lease (delivery.lease) outlasts a delivery with all its SMTP
		// retries, so no other process takes over a claim still worked on.
		l, err := ledger.Open(ctx, cfg.State.Driver, cfg.State.DSN, ledger.Options{Now: w.now, LeaseDuration: time.Duration(cfg.Delivery.Lease)})
		if err != nil {
			return nil, fmt.Errorf("open state %s: %w", store.RedactDSN(cfg.State.DSN), err)
		}
		w.ledger = l
		w.closers = append(w.closers, l.Close)
	}
	w.sender = opt.Sender
	if w.sender == nil {
		s, err := newSender(cfg, w.log)
		if err != nil {
			return nil, err
		}
		w.sender = s
	}
	return w, nil
}

// newSender builds the SMTP sender of cfg, reading the password and the CA
// file now: only sending (and check --smtp) needs them.
func newSender(cfg *config.Config, log *slog.Logger, opts ...mail.Option) (*mail.Sender, error) {
	if cfg.SMTP.Host == "" {
		return nil, fmt.Errorf("%w: %s: smtp.host: sending needs an SMTP server", config.ErrConfig, cfg.Path)
	}
	password, err := cfg.SMTP.ReadPassword()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", config.ErrConfig, cfg.Path, err)
	}
	var roots *x509.CertPool
	if cfg.SMTP.CAFile != "" {
		if roots, err = mail.CertPool(cfg.SMTP.CAFile); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", config.ErrConfig, cfg.Path, err)
		}
	}
	var signer *tls.Certificate
	if cfg.SMTP.SMIMECert != "" {
		if signer, err = mail.LoadSMIME(cfg.SMTP.SMIMECert, cfg.SMTP.SMIMEKey, time.Now()); err != nil {
			return nil, fmt.Errorf("%w: %s: smtp.smime_cert: %v", config.ErrConfig, cfg.Path, err)
		}
	}
	s, err := mail.NewSender(mail.Config{
		Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, TLS: mail.TLSMode(cfg.SMTP.TLS),
		Auth: mail.AuthMechanism(cfg.SMTP.Auth), Username: cfg.SMTP.Username, Password: password, Token: tokenSource(cfg.SMTP),
		From: cfg.SMTP.From, HELO: cfg.SMTP.HELO, SMIME: signer, RootCAs: roots,
		Timeout: time.Duration(cfg.SMTP.Timeout), Retries: cfg.SMTP.Retries, Backoff: time.Duration(cfg.SMTP.Backoff),
	}, append([]mail.Option{mail.WithLogger(log)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: smtp: %v", config.ErrConfig, cfg.Path, err)
	}
	return s, nil
}

// tokenReuse is how long a token from smtp.token_command is used before
// the command runs again: well inside the hour an Entra ID client-credentials
// token lives, so it never expires in use.
const tokenReuse = 5 * time.Minute

// tokenSource is where smtp.auth: xoauth2 gets its access token: the token
// file, else the token command (bounded by smtp.timeout); nil for password AUTH.
func tokenSource(s config.SMTP) mail.TokenSource {
	switch {
	case s.Auth != config.AuthXOAUTH2:
		return nil
	case s.TokenFile != "":
		return mail.TokenFile(s.TokenFile)
	case len(s.TokenCommand) > 0:
		timeout := time.Duration(s.Timeout)
		if timeout <= 0 {
			timeout = mail.DefaultTimeout
		}
		return mail.TokenCommand(s.TokenCommand, timeout, tokenReuse)
	}
	return nil
}

// Close releases the ledger.
func (w *Worker) Close() error {
	var errs []error
	for _, c := range w.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// load reads the register (the demo or the configured database) and
// indexes it; with a window, of the measurements only what a run inside it
// can show (store.LoadWindow).
func (w *Worker) load(ctx context.Context, win *register.Window) (*register.Index, error) {
	var reg *register.Register
	if w.opt.Demo {
		reg = demo.Generate(demo.Small)
	} else {
		d, err := store.ParseDialect(w.cfg.Database.Driver)
		if err != nil {
			return nil, err
		}
		db, err := store.Open(ctx, d, w.cfg.Database.DSN)
		if err != nil {
			return nil, fmt.Errorf("open register %s: %w", store.RedactDSN(w.cfg.Database.DSN), err)
		}
		defer db.Close()
		if win != nil {
			reg, err = store.LoadWindow(ctx, db, d, *win, w.settings().Today)
		} else {
			reg, err = store.Load(ctx, db, d)
		}
		if err != nil {
			return nil, fmt.Errorf("read register %s: %w", store.RedactDSN(w.cfg.Database.DSN), err)
		}
	}
	x, err := register.NewIndex(reg)
	if err != nil {
		return nil, fmt.Errorf("index register: %w", err)
	}
	return x, nil
}

// readWindow is the part of the measurement table a run of req reads in
// full: the report month (steering: also the month it compares with; annual:
// the year), the charts' years and the trend's reach (register.NewWindow).
func (w *Worker) readWindow(req Request) *register.Window {
	p := req.Period.Month
	earliest, chartFrom, firstYear := p, report.ChartFrom(p), 0
	switch req.Report {
	case Steering:
		earliest = p.Add(-w.compareMonths(req))
	case Annual:
		y := p.Year()
		firstYear = report.AnnualChartFirstYear(y)
		earliest, p = register.MonthOf(y, time.January), register.MonthOf(y, time.December)
		chartFrom = register.MonthOf(firstYear, time.January)
	}
	win := register.NewWindow(earliest, p, chartFrom, firstYear, w.settings())
	return &win
}

// Report kinds.
const (
	Owner    = config.ReportOwner
	Steering = config.ReportSteering
	Annual   = config.ReportAnnual
)

// ParseReports turns --report into the kinds to run.
func ParseReports(s string) ([]string, error) {
	switch s {
	case Owner, Steering, Annual:
		return []string{s}, nil
	case "all":
		return []string{Owner, Steering, Annual}, nil
	}
	return nil, fmt.Errorf("--report %q is not one of owner, steering, annual, all", s)
}

// Period is a report period: a month for owner and steering reports, a year
// for the annual report.
type Period struct {
	Month register.Month // the report month; December of the year for annual
	Year  bool
}

// String is the period as the output folder and the ledger name it: "2025-09" or "2025".
func (p Period) String() string {
	if p.Year {
		return strconv.Itoa(p.Month.Year())
	}
	return p.Month.String()
}

// ParsePeriod parses "YYYY-MM", or "YYYY" for the annual report.
func ParsePeriod(kind, s string) (Period, error) {
	if kind == Annual {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 9999 || len(s) != 4 {
			return Period{}, fmt.Errorf("--period %q: the annual report takes a year, YYYY", s)
		}
		return Period{Month: register.MonthOf(y, time.December), Year: true}, nil
	}
	m, err := register.ParseMonth(s)
	if err != nil || len(s) != 7 {
		return Period{}, fmt.Errorf("--period %q: give a month as YYYY-MM", s)
	}
	return Period{Month: m}, nil
}

// ResolvePeriod parses an explicit --period or gives the default: the last
// complete month (year for annual) in the configured timezone, or on the
// demo register the demo's latest month (its last complete year).
func (w *Worker) ResolvePeriod(kind, s string) (Period, error) {
	if s != "" {
		return ParsePeriod(kind, s)
	}
	var latest register.Month
	if w.opt.Demo {
		latest = demo.Latest(demo.Small)
	} else {
		latest = register.MonthFromTime(w.now().In(w.cfg.Location)).Add(-1)
	}
	if kind == Annual {
		y := latest.Year()
		if latest.Month() != time.December {
			y--
		}
		return Period{Month: register.MonthOf(y, time.December), Year: true}, nil
	}
	return Period{Month: latest}, nil
}

// PeriodForAll adapts one --period to each kind of `--report all`: a month
// gives the annual report the last complete year at that month, and a year
// gives the monthly reports its December.
func PeriodForAll(kind, s string) string {
	switch {
	case kind == Annual && len(s) == 7:
		m, err := register.ParseMonth(s)
		if err != nil {
			return s // ParsePeriod words the error
		}
		y := m.Year()
		if m.Month() != time.December {
			y--
		}
		return strconv.Itoa(y)
	case kind != Annual && len(s) == 4:
		return s + "-12"
	}
	return s
}

// Shard selects a deterministic share of recipients: those whose id hashes
// to I modulo N. The zero Shard selects everyone.
type Shard struct{ I, N int }

// ParseShard parses "i/n" with 0 ≤ i < n; "" is every recipient.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("--shard %q: give i/n with 0 ≤ i < n, e.g. 0/4", s)
	}
	return Shard{I: i, N: n}, nil
}

// label names the shard in a Pushgateway group: "2-of-8".
func (s Shard) label() string { return fmt.Sprintf("%d-of-%d", s.I, s.N) }

// Takes reports whether this shard handles the recipient with the given id.
func (s Shard) Takes(id string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%uint32(s.N)) == s.I
}
