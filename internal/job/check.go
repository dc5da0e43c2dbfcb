package job

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// Check validates what a run depends on beyond the config file itself: the
// reporting database against the data contract, the register's data
// quality for the period, the state store and the output folder. It prints
// one line per finding to out and returns the number of errors. Readiness
// is judged with the global readiness.min_coverage and for every job with
// its own, or with jobName ("" none) only for that job.
func Check(ctx context.Context, cfg *config.Config, opt Options, period, jobName string, out io.Writer) (errCount int, err error) {
	if _, ok := cfg.Job(jobName); jobName != "" && !ok {
		return 0, usagePeriod{fmt.Errorf("--job %q: no such job in %s", jobName, cfg.Path)}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	w, err := NewWorker(ctx, cfg, Options{Demo: opt.Demo, Now: opt.Now, Log: opt.Log})
	if err != nil {
		return 0, err
	}
	defer w.Close()
	if !opt.Demo {
		// Probed however the register's checks end, also after an early return.
		defer func() {
			if err == nil {
				errCount += checkStateStore(ctx, cfg, opt, out) + checkOutputDir(cfg.Output.Dir, out)
			}
		}()
	}
	errs := 0
	if !opt.Demo {
		d, err := store.ParseDialect(cfg.Database.Driver)
		if err != nil {
			return 0, err
		}
		db, err := store.Open(ctx, d, cfg.Database.DSN)
		if err != nil {
			fmt.Fprintf(out, "error: database %s: %v\n", store.RedactDSN(cfg.Database.DSN), err)
			return 1, nil
		}
		problems := store.CheckContract(ctx, db, d)
		absent, absentErr := store.AbsentOptional(ctx, db, d)
		db.Close()
		for _, p := range problems {
			fmt.Fprintf(out, "error: data contract: %s\n", p)
		}
		if len(problems) > 0 {
			return len(problems), nil
		}
		fmt.Fprintf(out, "data contract (%s): ok\n", d)
		if absentErr == nil {
			for _, t := range absent {
				fmt.Fprintf(out, "info: data contract: optional table %s is absent; reports show no owner comments\n", t)
			}
		}
	}
	p, err := w.ResolvePeriod(Owner, period)
	if err != nil {
		return 0, usagePeriod{err}
	}
	x, err := w.load(ctx, nil)
	if err != nil {
		fmt.Fprintf(out, "error: %v\n", err)
		return 1, nil
	}
	notes := register.Check(x, p.Month, w.settings())
	warnings := 0
	for _, n := range notes {
		fmt.Fprintf(out, "%s: %s\n", n.Severity, oneLine(n.Message))
		if n.Severity == register.SeverityError {
			errs++
		} else {
			warnings++
		}
	}
	re, rw := w.checkReadiness(x, p, jobName, out)
	errs, warnings = errs+re, warnings+rw
	fmt.Fprintf(out, "data quality %s: %d error(s), %d warning(s)\n", p, errs, warnings)
	if len(cfg.Jobs) > 0 {
		if cfg.SMTP.Host == "" {
			fmt.Fprintf(out, "error: %s: smtp.host: the jobs send mail, but no SMTP server is configured\n", cfg.Path)
			errs++
		}
	}
	return errs, nil
}

// oneLine escapes control characters, so one finding is always one line
// whatever the register's text holds (ids in messages are quoted already).
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckSMTP connects to the configured relay as a delivery would (TLS,
// certificate, AUTH with the password read now) and says QUIT without
// sending anything. It prints one verdict line to out and returns the
// number of errors (0 or 1).
func CheckSMTP(ctx context.Context, cfg *config.Config, out io.Writer, opts ...mail.Option) int {
	if cfg.SMTP.Host == "" {
		fmt.Fprintf(out, "error: %s: smtp.host: no SMTP server is configured to check\n", cfg.Path)
		return 1
	}
	s, err := newSender(cfg, slog.New(slog.DiscardHandler), opts...)
	if err != nil {
		fmt.Fprintf(out, "error: smtp: %v\n", err)
		return 1
	}
	p, err := s.Probe(ctx)
	if err != nil {
		fmt.Fprintf(out, "error: smtp %s: %s (%v)\n", p.Addr, mail.Explain(err), firstLine(err.Error()))
		return 1
	}
	fmt.Fprintf(out, "smtp: %s\n", p)
	return 0
}

// usagePeriod marks a bad --period given to check.
type usagePeriod struct{ error }

func (u usagePeriod) Unwrap() error { return config.ErrConfig }
