package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// helpFlags are flags each command's help must show at least; the help
// printer takes them from the command's own flag set, so a flag added
// later shows up by itself and is checked against usageHeader below.
var helpFlags = map[string][]string{
	"run":         {"config", "report", "period", "out", "send", "resend", "eml", "only", "shard", "job", "allow-incomplete", "log-format"},
	"daemon":      {"config", "log-format"},
	"check":       {"config", "period", "smtp", "job", "log-format"},
	"mark-done":   {"config", "job", "through"},
	"schema":      {"dialect"},
	"demo":        {"out", "scale", "driver", "dsn"},
	"healthcheck": {"config", "url", "timeout"},
	"template":    {"out", "config", "example"},
	"manifest":    nil,
	"import":      {"config", "period", "dry-run", "force"},
	"version":     nil,
	"help":        nil,
}

var flagLine = regexp.MustCompile(`^  (-+)([a-z][a-z0-9-]*)`)

// shownFlags are the flags in the Flags section of a command's help; it
// fails the test on a flag shown with one dash.
func shownFlags(t *testing.T, help string) []string {
	t.Helper()
	_, flags, ok := strings.Cut(help, "\nFlags:\n")
	if !ok {
		t.Fatalf("help has no Flags section:\n%s", help)
	}
	flags, _, _ = strings.Cut(flags, "\n\n")
	var names []string
	for _, line := range strings.Split(flags, "\n") {
		m := flagLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] != "--" {
			t.Errorf("flag shown as %q, want two dashes", strings.TrimSpace(line))
		}
		if m[2] != "help" {
			names = append(names, m[2])
		}
	}
	return names
}

func TestHelpOfEveryCommand(t *testing.T) {
	if len(commandHelps()) != len(helpFlags) {
		t.Fatalf("%d commands have help, the test knows %d", len(commandHelps()), len(helpFlags))
	}
	for _, c := range commandHelps() {
		t.Run(c.name, func(t *testing.T) {
			want, ok := helpFlags[c.name]
			if !ok {
				t.Fatalf("the test does not know command %s", c.name)
			}
			var first string
			for _, args := range [][]string{{"help", c.name}, {c.name, "--help"}, {c.name, "-h"}, {c.name, "-help"}} {
				r := mustRun(t, exitOK, args...)
				if r.stderr != "" {
					t.Errorf("%v wrote to stderr:\n%s", args, r.stderr)
				}
				if first == "" {
					first = r.stdout
				} else if r.stdout != first {
					t.Errorf("%v prints other help than `help %s`:\n%s", args, c.name, r.stdout)
				}
			}
			for _, part := range []string{"gevinstrapport " + c.name + ": " + c.summary, "Usage:\n  gevinstrapport " + c.name, "--help, -h", "Examples:\n"} {
				if !strings.Contains(first, part) {
					t.Errorf("help lacks %q:\n%s", part, first)
				}
			}
			if n := strings.Count(first, "\n  gevinstrapport "); n < 3 { // the usage line and two examples
				t.Errorf("help has %d examples, want at least 2:\n%s", n-1, first)
			}
			shown := shownFlags(t, first)
			for _, f := range want {
				if !strings.Contains(strings.Join(shown, " ")+" ", f+" ") {
					t.Errorf("help does not show --%s (shows %v)", f, shown)
				}
			}
			// Every flag a command has is also in the overview.
			for _, f := range shown {
				if !strings.Contains(usageHeader, "--"+f) {
					t.Errorf("--%s of %s is missing from usageHeader (gevinstrapport help)", f, c.name)
				}
			}
		})
	}
}

// TestHelpExamplesParse checks each example's flags against its command's
// flag set: with --help after them they parse and stop there, so a mistyped
// flag or a stray argument in an example fails.
func TestHelpExamplesParse(t *testing.T) {
	for _, c := range commandHelps() {
		for _, e := range c.examples {
			t.Run(e, func(t *testing.T) {
				args := strings.Fields(e)
				if args[0] != "gevinstrapport" {
					t.Fatalf("example %q does not start with gevinstrapport", e)
				}
				args = args[1:]
				if args[0] != "help" {
					args = append(args, "--help")
				}
				r := runCmd(t, args...)
				if r.code != exitOK || r.stdout == "" {
					t.Errorf("%v: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
				}
			})
		}
	}
}

func TestTopLevelHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		r := mustRun(t, exitOK, args...)
		if r.stdout != usageHeader || r.stderr != "" {
			t.Errorf("%v: stdout %q, stderr %q; want the usage on stdout only", args, r.stdout, r.stderr)
		}
		for _, c := range commandHelps() {
			if !strings.Contains(r.stdout, "gevinstrapport "+c.name) {
				t.Errorf("%v does not list %s", args, c.name)
			}
		}
	}
	if r := mustRun(t, exitUsage); r.stdout != "" || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("no command: stdout %q, stderr %q; want the usage on stderr", r.stdout, r.stderr)
	}
}

func TestDidYouMean(t *testing.T) {
	dir := t.TempDir()
	config := func(name, yaml string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	startls := config("startls.yaml", "database: {dsn: x}\nsmtp: {host: relay.example.no, from: a@example.no, tls: startls}\n")
	olso := config("olso.yaml", "timezone: Europe/Olso\ndatabase: {dsn: x}\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"command", []string{"rn"}, exitUsage, `unknown command "rn"; did you mean "run"?`},
		{"command swapped", []string{"deamon"}, exitUsage, `did you mean "daemon"?`},
		{"command prefix", []string{"health"}, exitUsage, `did you mean "healthcheck"?`},
		{"help of a command", []string{"help", "chek"}, exitUsage, `gevinstrapport help: unknown command "chek"; did you mean "check"?`},
		{"nothing close", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"` + "\n"},
		{"flag", []string{"run", "--conifg", "x.yaml"}, exitUsage, "run: unknown flag --conifg; did you mean --config?"},
		{"flag with one dash", []string{"check", "-perod", "2025-09"}, exitUsage, "check: unknown flag --perod; did you mean --period?"},
		{"flag with a value", []string{"schema", "--dialekt=mysql"}, exitUsage, "unknown flag --dialekt; did you mean --dialect?"},
		{"flag far off", []string{"demo", "--bogus"}, exitUsage, "demo: unknown flag --bogus (gevinstrapport help demo lists the flags)"},
		{"missing value", []string{"run", "--period"}, exitUsage, "run: flag needs an argument: --period"},
		{"bad value", []string{"healthcheck", "--timeout", "soon"}, exitFailed, `invalid value "soon" for flag --timeout`},
		{"healthcheck flag", []string{"healthcheck", "--ulr", "http://127.0.0.1:1/healthz"}, exitFailed, "did you mean --url?"},
		{"tls in config", []string{"check", "--config", startls}, exitUsage, `smtp.tls: "startls" is not one of starttls, tls, none; did you mean "starttls"?`},
		{"timezone in config", []string{"run", "--config", olso}, exitUsage, `timezone: unknown timezone "Europe/Olso"; did you mean "Europe/Oslo"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("%v: exit %d (want %d), stderr:\n%s\nwant it to contain %q", tt.args, r.code, tt.code, r.stderr, tt.stderr)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := mustRun(t, exitOK, args...)
		if !strings.HasPrefix(r.stdout, "gevinstrapport ") || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("%v printed %q; want one line beginning with gevinstrapport", args, r.stdout)
		}
	}
	mustRun(t, exitUsage, "version", "extra")
}

// goVersionM is build information as Go stamps it (`go version -m`), from
// a build in a git checkout and from the Dockerfile's build.
const (
	stampedVCS = "path\tgevinstrapport/cmd/gevinstrapport\n" +
		"mod\tgevinstrapport\tv0.0.0-20261201131043-411b43b1c2d3+dirty\t\n" +
		"build\t-buildmode=exe\n" +
		"build\tvcs=git\n" +
		"build\tvcs.revision=411b43b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7\n" +
		"build\tvcs.time=2026-12-01T13:10:43Z\n" +
		"build\tvcs.modified=true\n"
	stampedNoVCS = "path\tgevinstrapport/cmd/gevinstrapport\n" +
		"mod\tgevinstrapport\t(devel)\t\n" +
		"build\t-buildmode=exe\n" +
		"build\t-buildvcs=false\n"
)

func TestBuildOf(t *testing.T) {
	parse := func(s string) *debug.BuildInfo {
		info, err := debug.ParseBuildInfo(s)
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ld   build
		want string
	}{
		{"built in a git checkout", parse(stampedVCS), build{},
			"gevinstrapport 0.0.0-20261201131043-411b43b1c2d3+dirty (commit 411b43b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7 with uncommitted changes, committed 2026-12-01T13:10:43Z)"},
		{"release version with VCS", parse(stampedVCS), build{version: "1.0.0"},
			"gevinstrapport 1.0.0 (commit 411b43b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7 with uncommitted changes, committed 2026-12-01T13:10:43Z)"},
		{"the Dockerfile's build", parse(stampedNoVCS), build{version: "1.0.0", commit: "411b43b1c2d3", built: "2026-12-01T14:00:00Z"},
			"gevinstrapport 1.0.0 (commit 411b43b1c2d3, built 2026-12-01T14:00:00Z)"},
		{"Dockerfile without the build args", parse(stampedNoVCS), build{version: "dev"}, "gevinstrapport dev"},
		{"plain go build without VCS", parse(stampedNoVCS), build{}, "gevinstrapport devel"},
		{"no build information", nil, build{}, "gevinstrapport devel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildOf(tt.info, tt.ld).String(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestEveryCommandInTheOverviewHasHelp keeps the overview and the help
// table together: a command added to usageHeader needs its summary and
// examples in commandHelps, and the other way round.
func TestEveryCommandInTheOverviewHasHelp(t *testing.T) {
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  gevinstrapport ([a-z-]+)`).FindAllStringSubmatch(usageHeader, -1) {
		listed[m[1]] = true
		if _, ok := findCommand(m[1]); !ok {
			t.Errorf("usageHeader lists %s, commandHelps has no help for it", m[1])
		}
	}
	for _, c := range commandHelps() {
		if !listed[c.name] {
			t.Errorf("commandHelps has %s, usageHeader does not list it", c.name)
		}
		if r := runCmd(t, c.name, "--help"); r.code != exitOK || strings.Contains(r.stderr, "unknown command") {
			t.Errorf("%s --help: exit %d, stderr %s", c.name, r.code, r.stderr)
		}
	}
}
