// Command gevinstrapport produces and delivers benefits realisation status
// reports (SPEC §6): flags, wiring, signal handling and exit codes live here;
// the work is done by the internal packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the static image has no zoneinfo: embed it

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/job"
	"gevinstrapport/internal/store"
)

// version is set with -ldflags "-X main.version=…" by release builds.
var version = ""

// Exit statuses of SPEC §6.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitNotReady = 3
	usageHeader  = `gevinstrapport — benefits realisation status reports

Usage:
  gevinstrapport run      [--config F] [--report owner|steering|annual|all]
                          [--period YYYY-MM | YYYY] [--out DIR] [--send] [--resend]
                          [--only PERSON_ID] [--shard i/n] [--job NAME] [--eml]
                          [--allow-incomplete] [--log-format text|json]
  gevinstrapport daemon   [--config F] [--log-format text|json]
  gevinstrapport check    [--config F] [--period YYYY-MM] [--smtp] [--job NAME]
                          [--log-format text|json]
  gevinstrapport mark-done --config F --job NAME --through YYYY-MM|YYYY
  gevinstrapport schema   --dialect mysql|postgres|sqlite
  gevinstrapport manifest merge OUT/<period>/<report>
  gevinstrapport demo     [--out FILE | --driver mysql|postgres --dsn DSN]
                          [--scale small|regional|national|huge]
  gevinstrapport healthcheck [--config F] [--url URL] [--timeout DURATION]
  gevinstrapport template --out FILE.xlsx [--config F] [--example]
  gevinstrapport import   FILE.xlsx|DIR --config F [--period YYYY-MM] [--dry-run] [--force]
  gevinstrapport version  (or --version)
  gevinstrapport help     [COMMAND]

'gevinstrapport help COMMAND' (or COMMAND --help) shows what a command does,
its flags and examples.
`
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv, time.Now)
	stop()
	os.Exit(code)
}

// run is the whole program behind main, so tests can call it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env config.Env, now func() time.Time) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageHeader)
		return exitUsage
	}
	term := isTerminal(stderr)
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "run":
		err = cmdRun(ctx, rest, stdout, stderr, term, env, now)
	case "daemon":
		err = cmdDaemon(ctx, rest, stderr, term, env, now)
	case "check":
		err = cmdCheck(ctx, rest, stdout, stderr, term, env, now)
	case "mark-done":
		err = cmdMarkDone(ctx, rest, stdout, env, now)
	case "schema":
		err = cmdSchema(rest, stdout)
	case "demo":
		err = cmdDemo(ctx, rest, stdout)
	case "manifest":
		err = cmdManifest(ctx, rest, stdout)
	case "healthcheck":
		err = cmdHealthcheck(ctx, rest, stdout, env)
	case "template":
		err = cmdTemplate(rest, stdout, env)
	case "import":
		err = cmdImport(ctx, rest, stdout, env, now)
	case "version", "--version":
		err = cmdVersion(rest, stdout)
	case "help", "-h", "--help":
		return cmdHelp(ctx, rest, stdout, stderr, env, now)
	default:
		fmt.Fprintf(stderr, "gevinstrapport: %s\n\n%s", unknownCommand(cmd), usageHeader)
		return exitUsage
	}
	var help helpRequest
	if errors.As(err, &help) {
		printCommandHelp(stdout, help.fs)
		return exitOK
	}
	return exitCode(err, stderr)
}

// usageError marks errors in how the command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// exitCode is the one place where errors become exit statuses.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintln(stderr, "gevinstrapport:", err)
	switch {
	case errors.As(err, &ue), errors.Is(err, config.ErrConfig), errors.Is(err, job.ErrUsage):
		return exitUsage
	case errors.Is(err, job.ErrNotReady):
		return exitNotReady
	default:
		return exitFailed
	}
}

// newFlags is a command's flag set. It prints nothing itself: run prints
// the help on stdout (printCommandHelp) and exitCode the errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpRequest{fs}
		}
		return usageError{flagError(fs, err)}
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// loadConfig reads the config file, or gives the built-in defaults (demo
// register) when path is empty.
func loadConfig(path string, env config.Env) (*config.Config, bool, error) {
	if path == "" {
		return config.Default(), true, nil
	}
	cfg, err := config.Load(path, env)
	return cfg, false, err
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer, term bool, env config.Env, now func() time.Time) error {
	fs := newFlags("run")
	cfgPath := fs.String("config", "", "configuration file (none: the built-in demo register)")
	report := fs.String("report", "owner", "owner | steering | annual | all")
	period := fs.String("period", "", "YYYY-MM (YYYY for annual); default: the last complete month (year)")
	out := fs.String("out", "", "output folder (default: output.dir of the config, or ./out)")
	send := fs.Bool("send", false, "email the reports (default: only write them)")
	resend := fs.Bool("resend", false, "with --send: send again what the ledger says was delivered")
	eml := fs.Bool("eml", false, "also write an .eml preview of each email beside the PDFs")
	only := fs.String("only", "", "only the report for this person id")
	shard := fs.String("shard", "", "i/n: only this worker's deterministic share of recipients")
	jobName := fs.String("job", "", "ledger job name for --send (default: the configured job for the report kind)")
	allowIncomplete := fs.Bool("allow-incomplete", false, "with --send: send even when fewer indicators than readiness.min_coverage have data for the period")
	logFormat := logFormatFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, prog, err := runLog(*logFormat, stderr, term)
	if err != nil {
		return err
	}
	cfg, isDemo, err := loadConfig(*cfgPath, env)
	if err != nil {
		return err
	}
	if *out != "" {
		cfg.Output.Dir = *out
	}
	sh, err := job.ParseShard(*shard)
	if err != nil {
		return usageError{err}
	}
	if *resend && !*send {
		return usagef("--resend needs --send")
	}
	if err := reportOfJob(fs, cfg, *jobName, report); err != nil {
		return err
	}
	kinds, err := job.ParseReports(*report)
	if err != nil {
		return usageError{err}
	}
	w, err := job.NewWorker(ctx, cfg, job.Options{Demo: isDemo, Now: now, Log: log, Send: *send, ConfigPath: absPath(*cfgPath), Progress: prog})
	if err != nil {
		return err
	}
	defer w.Close()
	var metrics *job.Metrics
	if cfg.Daemon.Pushgateway != "" {
		// Pushed however the run ends, so a failed run is seen too.
		metrics = job.NewMetrics(buildVersion())
		defer func() {
			if err := metrics.Push(context.WithoutCancel(ctx), cfg.Daemon.Pushgateway, "run-"+*report, sh); err != nil {
				log.Error("push metrics", "err", err)
			}
		}()
	}
	var failed, notReady []string
	incomplete := false
	for _, kind := range kinds {
		want := *period
		if *report == "all" {
			want = job.PeriodForAll(kind, want)
		}
		p, err := w.ResolvePeriod(kind, want)
		if err != nil {
			return usageError{err}
		}
		res, err := w.RunAndObserve(ctx, job.Request{
			Report: kind, Period: p, Send: *send, Resend: *resend, EML: *eml,
			Only: *only, Shard: sh, Job: *jobName, AllowIncomplete: *allowIncomplete,
		}, metrics)
		if errors.Is(err, job.ErrInterrupted) {
			fmt.Fprintln(stdout, res.Summary())
		}
		switch {
		case err == nil:
			fmt.Fprintln(stdout, res.Summary())
			// A delivery that failed permanently before is still undelivered.
			incomplete = incomplete || !res.Complete() || res.FailedBefore > 0
			continue
		case len(kinds) == 1, errors.Is(err, job.ErrInterrupted), ctx.Err() != nil:
			return err // a stop ends every kind
		case errors.Is(err, job.ErrNotReady):
			notReady = append(notReady, fmt.Sprintf("%s %s: %v", kind, p, err))
		default:
			failed = append(failed, fmt.Sprintf("%s %s: %v", kind, p, err))
		}
		log.Error("report kind not done; going on with the next", "report", kind, "period", p.String(), "err", err)
	}
	return worstOfKinds(failed, notReady, incomplete)
}

// worstOfKinds is the result of `run --report all`, where every kind is run
// on its own: a failure or an incomplete run (exit 1) outranks a kind that
// was not ready (exit 3), which outranks success; the message names every
// kind that is not done.
func worstOfKinds(failed, notReady []string, incomplete bool) error {
	parts := slices.Clone(failed)
	if incomplete {
		parts = append(parts, "some reports or deliveries failed or are still pending (see the log and manifest.json)")
	}
	parts = append(parts, notReady...)
	switch {
	case len(failed) > 0 || incomplete:
		return errors.New(strings.Join(parts, "; "))
	case len(notReady) > 0:
		return notReadyKinds(strings.Join(parts, "; "))
	}
	return nil
}

// notReadyKinds says which kinds of `run --report all` were not ready.
type notReadyKinds string

func (e notReadyKinds) Error() string { return string(e) }
func (e notReadyKinds) Unwrap() error { return job.ErrNotReady }

func cmdDaemon(ctx context.Context, args []string, stderr io.Writer, term bool, env config.Env, now func() time.Time) error {
	fs := newFlags("daemon")
	cfgPath := fs.String("config", "", "configuration file")
	logFormat := logFormatFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := newLogger(*logFormat, stderr, term)
	if err != nil {
		return err
	}
	if *cfgPath == "" {
		return usagef("daemon needs --config: it sends mail on a schedule")
	}
	cfg, _, err := loadConfig(*cfgPath, env)
	if err != nil {
		return err
	}
	return job.Daemon(ctx, cfg, job.Options{Now: now, Log: log, Send: true, Version: buildVersion(), ConfigPath: absPath(*cfgPath)})
}

// reportOfJob makes --job NAME of a configured job imply its report kind
// when --report is not given, so that `run --job monthly-steering` makes
// the steering pack; a --report that contradicts the job is a usage error.
func reportOfJob(fs *flag.FlagSet, cfg *config.Config, name string, report *string) error {
	j, ok := cfg.Job(name)
	if name == "" || !ok {
		return nil
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "report" })
	switch {
	case !given:
		*report = j.Report
	case *report != j.Report:
		return usagef("--job %s makes %s reports, not --report %s", name, j.Report, *report)
	}
	return nil
}

// absPath is path made absolute, for the commands the coordinator's
// summary suggests; "" stays "" (no config file).
func absPath(path string) string {
	if path == "" {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

func cmdMarkDone(ctx context.Context, args []string, stdout io.Writer, env config.Env, now func() time.Time) error {
	fs := newFlags("mark-done")
	cfgPath := fs.String("config", "", "configuration file")
	jobName := fs.String("job", "", "the configured job whose periods are done")
	through := fs.String("through", "", "the last period already sent (YYYY-MM; YYYY for annual)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cfgPath == "" || *jobName == "" || *through == "" {
		return usagef("mark-done needs --config, --job and --through")
	}
	cfg, _, err := loadConfig(*cfgPath, env)
	if err != nil {
		return err
	}
	if err := job.MarkDone(ctx, cfg, *jobName, *through, now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: every period up to and including %s is marked done; the daemon will not catch them up\n", *jobName, *through)
	return nil
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer, term bool, env config.Env, now func() time.Time) error {
	fs := newFlags("check")
	cfgPath := fs.String("config", "", "configuration file (none: the built-in demo register)")
	period := fs.String("period", "", "report period YYYY-MM for the data-quality checks (default: the last complete month)")
	smtp := fs.Bool("smtp", false, "also connect to the SMTP relay (TLS, certificate, AUTH) and QUIT without sending")
	jobName := fs.String("job", "", "judge readiness with this job's readiness.min_coverage only (default: the global one and each job's own)")
	logFormat := logFormatFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := newLogger(*logFormat, stderr, term)
	if err != nil {
		return err
	}
	cfg, isDemo, err := loadConfig(*cfgPath, env)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "config %s: ok\n", cfg.Path)
	errs, err := job.Check(ctx, cfg, job.Options{Demo: isDemo, Now: now, Log: log}, *period, *jobName, stdout)
	if err != nil {
		return err
	}
	if *smtp {
		errs += job.CheckSMTP(ctx, cfg, stdout)
	}
	if errs > 0 {
		return fmt.Errorf("check found %d error(s)", errs)
	}
	return nil
}

func cmdSchema(args []string, stdout io.Writer) error {
	fs := newFlags("schema")
	dialect := fs.String("dialect", "", "mysql | postgres | sqlite")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dialect == "" {
		return usageError{errors.New("schema needs --dialect mysql, postgres or sqlite")}
	}
	d, err := store.ParseDialect(*dialect)
	if err != nil {
		return usageError{err}
	}
	_, err = io.WriteString(stdout, store.Schema(d))
	return err
}

func cmdDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("demo")
	out := fs.String("out", "demo.db", "SQLite file to write")
	scale := fs.String("scale", "small", "small | regional | national | huge")
	driver := fs.String("driver", "sqlite", "sqlite (writes --out) | mysql | postgres (write --dsn)")
	dsn := fs.String("dsn", "", "with --driver mysql or postgres: the database to fill (must be empty; a missing database is created)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sc, err := demo.ParseScale(*scale)
	if err != nil {
		return usageError{err}
	}
	target, where, err := demoTarget(fs, *driver, *out, *dsn)
	if err != nil {
		return err
	}
	sum, err := demo.WriteTo(ctx, target, sc)
	if errors.Is(err, demo.ErrNotEmpty) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the %s demo register to %s (latest month %s)\n", sc, where, demo.Latest(sc))
	fmt.Fprintf(stdout, "%d units, %d people (%d recipients), %d benefits, %d indicators, %d measurement rows in %.2f s\n",
		sum.Units, sum.People, sum.Recipients, sum.Benefits, sum.Indicators, sum.Measurements, sum.Elapsed.Seconds())
	return nil
}

// demoTarget turns demo's --driver, --out and --dsn into where the register
// goes, and how to name that place in the output.
func demoTarget(fs *flag.FlagSet, driver, out, dsn string) (demo.Target, string, error) {
	d, err := store.ParseDialect(driver)
	if err != nil {
		return demo.Target{}, "", usageError{err}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if d == store.SQLite {
		if set["dsn"] {
			return demo.Target{}, "", usagef("demo: --dsn is for a database server; an SQLite register goes to --out FILE")
		}
		return demo.Target{Driver: d, DSN: out}, out, nil
	}
	if set["out"] {
		return demo.Target{}, "", usagef("demo: --out is for SQLite; with --driver %s give --dsn", d)
	}
	if dsn == "" {
		return demo.Target{}, "", usagef("demo: --driver %s needs --dsn", d)
	}
	return demo.Target{Driver: d, DSN: dsn}, fmt.Sprintf("%s %s", d, store.RedactDSN(dsn)), nil
}
