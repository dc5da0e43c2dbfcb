package main

import (
	"flag"
	"io"
	"log/slog"
	"os"

	"github.com/mattn/go-isatty"

	"gevinstrapport/internal/job"
	"gevinstrapport/internal/progress"
)

// logFormatFlag adds --log-format to a command's flags.
func logFormatFlag(fs *flag.FlagSet) *string {
	return fs.String("log-format", "", "text | json (default: text on a terminal, json otherwise: cron, containers, pipes)")
}

// newLogger is a command's log on w: JSON lines for machines, or text
// lines for a person at a terminal (term), unless format says which.
func newLogger(format string, w io.Writer, term bool) (*slog.Logger, error) {
	if format == "" {
		format = "json"
		if term {
			format = "text"
		}
	}
	opt := &slog.HandlerOptions{Level: slog.LevelInfo}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opt)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opt)), nil
	}
	return nil, usagef("--log-format %q: give text or json", format)
}

// runLog is the log of `run` and what shows its progress: on a terminal
// (term) a progress line on stderr, above which the log lines pass;
// otherwise (cron, a container, a pipe) the log alone and no Progress.
func runLog(format string, stderr io.Writer, term bool) (*slog.Logger, job.Progress, error) {
	if !term {
		log, err := newLogger(format, stderr, false)
		return log, nil, err
	}
	line := progress.New(stderr, nil)
	log, err := newLogger(format, line, true)
	return log, line, err
}

// isTerminal reports whether w is a terminal, not a file, a pipe or /dev/null.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
