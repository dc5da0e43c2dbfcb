package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/job"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/sheet"
	"gevinstrapport/internal/store"
)

func cmdTemplate(args []string, stdout io.Writer, env config.Env) error {
	fs := newFlags("template")
	out := fs.String("out", "", "workbook to write (.xlsx)")
	cfgPath := fs.String("config", "", "configuration file; its language words the instructions (default nb)")
	example := fs.Bool("example", false, "fill the workbook with the demo register")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("template needs --out FILE.xlsx")
	}
	lang := "nb"
	if *cfgPath != "" {
		cfg, _, err := loadConfig(*cfgPath, env)
		if err != nil {
			return err
		}
		lang = cfg.Language
	}
	var reg *register.Register
	if *example {
		reg = demo.Generate(demo.Small)
	}
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf, lang, reg); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	what := "empty register"
	if *example {
		what = "demo register"
	}
	fmt.Fprintf(stdout, "wrote the %s workbook to %s (instructions in %s)\n", what, *out, lang)
	return nil
}

func cmdImport(ctx context.Context, args []string, stdout io.Writer, env config.Env, now func() time.Time) error {
	fs := newFlags("import")
	cfgPath := fs.String("config", "", "configuration file; its database is the register imported into")
	period := fs.String("period", "", "report period YYYY-MM for the data-quality checks (default: the last complete month)")
	dryRun := fs.Bool("dry-run", false, "only check the file; write nothing")
	force := fs.Bool("force", false, "write the rows without errors even when some rows have errors")
	path, err := importArgs(fs, args)
	if err != nil {
		return err
	}
	if *cfgPath == "" {
		return usagef("import needs --config F: its database is where the register goes")
	}
	if _, err := os.Stat(path); err != nil {
		return usageError{fmt.Errorf("import: %w", err)}
	}
	cfg, _, err := loadConfig(*cfgPath, env)
	if err != nil {
		return err
	}
	d, err := store.ParseDialect(cfg.Database.Driver)
	if err != nil {
		return usageError{err}
	}
	opt := sheet.Options{Dialect: d, DryRun: *dryRun, Force: *force, Settings: cfg.Settings()}
	opt.Settings.Today = now().In(cfg.Location)
	opt.Period = register.MonthFromTime(opt.Settings.Today).Add(-1)
	if *period != "" {
		p, err := job.ParsePeriod(job.Owner, *period)
		if err != nil {
			return usageError{err}
		}
		opt.Period = p.Month
	}
	db, err := openRegister(ctx, d, cfg.Database.DSN, *dryRun)
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	res, err := sheet.Import(ctx, db, path, opt, stdout)
	if err != nil {
		return err
	}
	if res.Errors > 0 {
		return fmt.Errorf("import found %d error(s)", res.Errors)
	}
	return nil
}

// importArgs parses import's flags before and after the one FILE|DIR.
func importArgs(fs *flag.FlagSet, args []string) (string, error) {
	if err := parseFlags(fs, args); err == nil {
		return "", usagef("import needs a workbook (.xlsx) or a folder of <table>.csv files")
	} else if fs.NArg() == 0 {
		return "", err
	}
	path := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[1:]); err != nil {
		return "", err
	}
	return path, nil
}

// openRegister connects to the register database; a dry run into an
// SQLite file that does not exist yet gets nil rather than creating it.
func openRegister(ctx context.Context, d store.Dialect, dsn string, dryRun bool) (*sql.DB, error) {
	if d == store.SQLite && dryRun {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
	}
	return store.Open(ctx, d, dsn)
}
