package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/suggest"
)

// commandHelp is what `help CMD` says about a command besides its flags,
// which come from the command's own flag set.
type commandHelp struct {
	name     string
	args     string // positional arguments after the flags, if any
	summary  string
	detail   string // a few lines more, if the summary is not enough
	examples []string
}

const exampleConfig = "/etc/gevinstrapport/config.yaml"

// commandHelps lists every command in the order `help` shows them.
func commandHelps() []commandHelp {
	return []commandHelp{
		{name: "run", summary: "write the reports of one period as PDFs (with --send, also email them, exactly once)", examples: []string{
			"gevinstrapport run --only P-001 --out /tmp/demo",
			"gevinstrapport run --config " + exampleConfig + " --period 2025-09",
			"gevinstrapport run --config " + exampleConfig + " --report all --send",
		}},
		{name: "daemon", summary: "run the configured jobs on their schedules, with catch-up, /healthz and /metrics", examples: []string{
			"gevinstrapport daemon --config " + exampleConfig,
			"gevinstrapport daemon --config ./gevinstrapport.yaml",
		}},
		{name: "check", summary: "validate the configuration, the register data and the state store without sending anything", examples: []string{
			"gevinstrapport check --config " + exampleConfig,
			"gevinstrapport check --config " + exampleConfig + " --period 2025-09",
			"gevinstrapport check --config " + exampleConfig + " --smtp",
			"gevinstrapport check --config " + exampleConfig + " --job monthly-steering",
		}},
		{name: "mark-done", summary: "record the periods a job already delivered by other means, so the daemon does not catch them up", examples: []string{
			"gevinstrapport mark-done --config " + exampleConfig + " --job monthly-owner --through 2025-09",
			"gevinstrapport mark-done --config " + exampleConfig + " --job annual-evaluation --through 2024",
		}},
		{name: "schema", summary: "print the DDL of the data contract for a database dialect", examples: []string{
			"gevinstrapport schema --dialect mysql",
			"gevinstrapport schema --dialect postgres",
		}},
		{name: "demo", summary: "write a made-up register to a SQLite file to try the reports on", examples: []string{
			"gevinstrapport demo --out demo.db",
			"gevinstrapport demo --scale regional --out regional.db",
			"gevinstrapport demo --driver mysql --dsn 'gevinst:secret@tcp(127.0.0.1:3306)/gevinst_demo'",
		}},
		manifestHelp,
		{name: "template", summary: "write a workbook (.xlsx) to keep the register in, one sheet per table of the data contract", examples: []string{
			"gevinstrapport template --out gevinstregister.xlsx",
			"gevinstrapport template --out demo.xlsx --example --config " + exampleConfig,
		}},
		{name: "import", args: "FILE.xlsx|DIR", summary: "check a filled workbook (or a folder of <table>.csv) and load it into the configured register database",
			detail: "Each table in the file replaces that table in the database, all in one transaction;\n" +
				"tables not in the file are left alone. Nothing is written while there are errors,\n" +
				"unless --force (the rows without errors are written then). Exit 1 on errors.",
			examples: []string{
				"gevinstrapport import gevinstregister.xlsx --config " + exampleConfig + " --dry-run",
				"gevinstrapport import gevinstregister.xlsx --config " + exampleConfig,
			}},
		{name: "healthcheck", summary: "ask a running daemon's /healthz: exit 0 when it answers 200, else 1",
			detail: "The address is daemon.listen of the configuration (an empty or 0.0.0.0 host is\n" +
				"asked on 127.0.0.1) unless --url names it. Every failure exits 1, also a bad\n" +
				"configuration: Docker reserves exit 2 for its HEALTHCHECK.",
			examples: []string{
				"gevinstrapport healthcheck --config " + exampleConfig,
				"gevinstrapport healthcheck --url http://127.0.0.1:9464/healthz --timeout 2s",
			}},
		{name: "version", summary: "print the version, the commit and the build date", examples: []string{
			"gevinstrapport version",
			"gevinstrapport --version",
		}},
		{name: "help", args: "[COMMAND]", summary: "print the commands, or one command's flags and examples", examples: []string{
			"gevinstrapport help",
			"gevinstrapport help run",
			"gevinstrapport run --help",
		}},
	}
}

// findCommand is the help of the named command.
func findCommand(name string) (commandHelp, bool) {
	for _, c := range commandHelps() {
		if c.name == name {
			return c, true
		}
	}
	return commandHelp{}, false
}

// commandNames are the names of every command, for suggestions.
func commandNames() []string {
	var names []string
	for _, c := range commandHelps() {
		names = append(names, c.name)
	}
	return names
}

// unknownCommand is the message for a command that does not exist, with
// the one probably meant.
func unknownCommand(name string) string {
	return fmt.Sprintf("unknown command %q%s", name, suggest.Hint(suggest.Closest(name, commandNames()...)))
}

// helpRequest is what parseFlags returns for -h or --help: run prints the
// help of the flag set on stdout and exits 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return "help requested" }
func (h helpRequest) Unwrap() error { return flag.ErrHelp }

// printCommandHelp writes the help of the command whose flag set fs is:
// what it does, every flag with two dashes, and examples.
func printCommandHelp(w io.Writer, fs *flag.FlagSet) {
	h, _ := findCommand(fs.Name())
	usage := "gevinstrapport " + fs.Name()
	if hasFlags(fs) {
		usage += " [flags]"
	}
	if h.args != "" {
		usage += " " + h.args
	}
	if h.summary != "" {
		fmt.Fprintf(w, "gevinstrapport %s: %s\n\n", fs.Name(), h.summary)
	}
	fmt.Fprintf(w, "Usage:\n  %s\n", usage)
	if h.detail != "" {
		fmt.Fprintf(w, "\n%s\n", h.detail)
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.VisitAll(func(f *flag.Flag) { printFlag(w, f) })
	fmt.Fprintln(w, "  --help, -h\n        print this help and exit")
	if len(h.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range h.examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// printFlag writes one flag as "--name VALUE", its usage on the next line
// and its default when that is not the zero value.
func printFlag(w io.Writer, f *flag.Flag) {
	placeholder, usage := flag.UnquoteUsage(f)
	if !strings.Contains(f.Usage, "`") && placeholder != "" {
		placeholder = flagPlaceholder(f.Name, placeholder)
	}
	line := "  --" + f.Name
	if placeholder != "" {
		line += " " + placeholder
	}
	fmt.Fprintln(w, line)
	if !isZeroDefault(f.DefValue) {
		usage += fmt.Sprintf(" (default: %s)", f.DefValue)
	}
	fmt.Fprintln(w, "        "+strings.ReplaceAll(usage, "\n", "\n        "))
}

// flagPlaceholder names a flag's value in the help: by what it holds where
// the name says little, else by the flag's own name.
func flagPlaceholder(name, kind string) string {
	known := map[string]string{
		"config": "FILE", "out": "PATH", "period": "PERIOD", "through": "PERIOD",
		"report": "KIND", "only": "PERSON_ID", "shard": "i/n", "job": "NAME",
	}
	switch {
	case known[name] != "":
		return known[name]
	case kind == "duration":
		return "DURATION"
	case kind == "int" || kind == "uint" || kind == "float":
		return "N"
	}
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

func isZeroDefault(v string) bool {
	return v == "" || v == "false" || v == "0" || v == "0s"
}

// flagError rewords a flag package error with two dashes, and for an
// unknown flag names the one probably meant.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		hint := ""
		if s := suggest.Closest(strings.TrimLeft(name, "-"), names...); s != "" {
			hint = "; did you mean --" + s + "?"
		}
		return fmt.Errorf("%s: unknown flag --%s%s (gevinstrapport help %s lists the flags)", fs.Name(), strings.TrimLeft(name, "-"), hint, fs.Name())
	}
	msg = strings.ReplaceAll(msg, "flag -", "flag --")
	msg = strings.ReplaceAll(msg, "argument: -", "argument: --")
	return fmt.Errorf("%s: %s", fs.Name(), msg)
}

// cmdHelp prints the commands, or with a command's name that command's
// help: `help run` is `run --help`.
func cmdHelp(ctx context.Context, args []string, stdout, stderr io.Writer, env config.Env, now func() time.Time) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usageHeader)
		return exitOK
	}
	name := args[0]
	switch _, known := findCommand(name); {
	case len(args) > 1:
		fmt.Fprintf(stderr, "gevinstrapport help: give one command, not %d\n", len(args))
		return exitUsage
	case name == "help" || name == "-h" || name == "-help" || name == "--help":
		printCommandHelp(stdout, newFlags("help"))
		return exitOK
	case !known:
		fmt.Fprintf(stderr, "gevinstrapport help: %s\n", unknownCommand(name))
		return exitUsage
	}
	return run(ctx, []string{name, "--help"}, stdout, stderr, env, now)
}
