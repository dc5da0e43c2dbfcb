package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestExampleConfigLoads(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "config", "gevinstrapport.yaml"),
		envOf(map[string]string{"GEVINST_DB_PASSWORD": "s3cret", "SMTP_PASSWORD": "pw"}))
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if cfg.Location.String() != "Europe/Oslo" || cfg.Database.Driver != "mysql" {
		t.Errorf("timezone/driver = %v/%v", cfg.Location, cfg.Database.Driver)
	}
	if !strings.Contains(cfg.Database.DSN, "gevinst:s3cret@tcp(db:3306)") {
		t.Errorf("DSN not substituted: %q", cfg.Database.DSN)
	}
	if pw, err := cfg.SMTP.ReadPassword(); pw != "pw" || err != nil || len(cfg.Jobs) != 3 {
		t.Errorf("password %q (%v), %d jobs", pw, err, len(cfg.Jobs))
	}
	if got := time.Duration(cfg.Daemon.CatchUpWindow); got != 40*24*time.Hour {
		t.Errorf("catch_up_window = %v", got)
	}
	if got := time.Duration(cfg.Daemon.OverdueAfter); got != 24*time.Hour {
		t.Errorf("overdue_after = %v", got)
	}
	if cfg.SMTP.Auth != AuthAuto || cfg.ReplyTo != "\"Gevinstkoordinator\" <gevinstkoordinator@example.no>" {
		t.Errorf("smtp.auth %q, reply_to %q; want auto and the coordinator", cfg.SMTP.Auth, cfg.ReplyTo)
	}
	if cfg.Settings().RedFraction != 0.5 {
		t.Errorf("red fraction %v", cfg.Settings().RedFraction)
	}
}

func TestErrorsNameFileLineAndKey(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown top-level key", "timezone: Europe/Oslo\ndatabse:\n  dsn: x\n", []string{"c.yaml:2: databse: unknown key"}},
		{"unknown nested key", "database:\n  dsn: x\n  pasword: y\n", []string{"c.yaml:3: database.pasword: unknown key"}},
		{"unknown key in a job", "database: {dsn: x}\njobs:\n  - name: a\n    report: owner\n    schedule: '0 6 3 * *'\n    sheduled: x\n", []string{"c.yaml:6: jobs[0].sheduled: unknown key"}},
		{"bad timezone", "timezone: Europe/Trondheim\ndatabase: {dsn: x}\n", []string{"c.yaml:1: timezone: unknown timezone"}},
		{"bad language", "language: se\ndatabase: {dsn: x}\n", []string{"c.yaml:1: language:"}},
		{"missing env var", "database:\n  driver: mysql\n  dsn: \"u:${NOPE}@tcp(db)/x\"\n", []string{"c.yaml:3: database.dsn: environment variable NOPE is not set"}},
		{"bad driver", "database:\n  driver: postgresql\n  dsn: x\n", []string{"c.yaml:2: database.driver:"}},
		{"missing dsn", "database:\n  driver: sqlite\n", []string{"c.yaml:1: database.dsn: a data source name is required"}},
		{"TZ prefix in schedule", "database: {dsn: x}\njobs:\n  - name: monthly\n    report: owner\n    schedule: 'TZ=0 0 6 3 * *'\n", []string{"c.yaml:5: jobs[0].schedule: job \"monthly\""}},
		{"bad report kind", "database: {dsn: x}\njobs:\n  - name: m\n    report: weekly\n    schedule: '0 6 3 * *'\n", []string{"c.yaml:4: jobs[0].report:"}},
		{"duplicate job", "database: {dsn: x}\njobs:\n  - {name: m, report: owner, schedule: '0 6 3 * *'}\n  - {name: m, report: owner, schedule: '0 6 4 * *'}\n", []string{"c.yaml:4: jobs[1].name: job name \"m\" is used twice"}},
		{"bad period rule", "database: {dsn: x}\njobs:\n  - name: m\n    report: owner\n    schedule: '0 6 3 * *'\n    period: last_week\n", []string{"c.yaml:6: jobs[0].period:"}},
		{"wrong type", "database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  port: many\n", []string{"c.yaml:5: smtp.port: cannot unmarshal"}},
		{"wrong type in a list", "database: {dsn: x}\nsteering_group:\n  emails:\n    - [a, b]\n", []string{"c.yaml:4: steering_group.emails[0]"}},
		{"bad from address", "database: {dsn: x}\nsmtp:\n  host: h\n  from: not an address\n", []string{"c.yaml:4: smtp.from:"}},
		{"both password sources", "database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  password_env: X\n  password_file: /x\n", []string{"smtp.password_file: give password_file or password_env, not both"}},
		{"zero lease", "database: {dsn: x}\ndelivery:\n  lease: 0s\n", []string{"c.yaml:3: delivery.lease: must be longer than 0"}},
		{"negative catch-up", "database: {dsn: x}\ndaemon:\n  catch_up_periods: -1\n", []string{"c.yaml:3: daemon.catch_up_periods:"}},
		{"red fraction out of range", "database: {dsn: x}\nevaluation:\n  red_fraction: 1.5\n", []string{"c.yaml:3: evaluation.red_fraction:"}},
		{"min_coverage above 1", "database: {dsn: x}\nreadiness:\n  min_coverage: 80\n", []string{"c.yaml:3: readiness.min_coverage: 80 must be a share between 0 and 1"}},
		{"negative min_coverage", "database: {dsn: x}\nreadiness:\n  min_coverage: -0.1\n", []string{"c.yaml:3: readiness.min_coverage: -0.1 must be"}},
		{"min_coverage not a number", "database: {dsn: x}\nreadiness:\n  min_coverage: most\n", []string{"c.yaml:3: readiness.min_coverage: cannot unmarshal"}},
		{"bad notify_after", "database: {dsn: x}\nreadiness:\n  notify_after: two days\n", []string{"c.yaml:3: readiness.notify_after: \"two days\" is not a duration"}},
		{"unknown readiness key", "database: {dsn: x}\nreadiness:\n  min_coverag: 0.5\n", []string{"c.yaml:3: readiness.min_coverag: unknown key"}},
		{"job min_coverage out of range", "database: {dsn: x}\njobs:\n  - name: m\n    report: owner\n    schedule: '0 6 3 * *'\n    readiness:\n      min_coverage: 1.5\n", []string{"c.yaml:7: jobs[0].readiness.min_coverage: 1.5 must be"}},
		{"executable output mode", "database: {dsn: x}\noutput:\n  mode: 0750\n", []string{"c.yaml:3: output.mode: 0750 must not make reports executable"}},
		{"output mode the owner cannot write", "database: {dsn: x}\noutput:\n  mode: 0440\n", []string{"c.yaml:3: output.mode: 0440 must let the owner read and write"}},
		{"output mode not octal", "database: {dsn: x}\noutput:\n  mode: 0689\n", []string{"c.yaml:3: output.mode:", "not a file mode"}},
		{"keep_periods zero", "database: {dsn: x}\noutput:\n  dir: out\n  keep_periods: 0\n", []string{"c.yaml:4: output.keep_periods: 0 must be at least 1"}},
		{"keep_periods negative", "database: {dsn: x}\noutput:\n  keep_periods: -3\n", []string{"c.yaml:3: output.keep_periods: -3 must be at least 1"}},
		{"keep_periods not a number", "database: {dsn: x}\noutput:\n  keep_periods: all\n", []string{"c.yaml:3: output.keep_periods: cannot unmarshal"}},
		{"not a mapping", "- a\n- b\n", []string{"c.yaml:1: the configuration must be a mapping"}},
		{"broken yaml", "database: [\n", []string{"c.yaml:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml), envOf(nil))
			if err == nil {
				t.Fatal("want an error, got none")
			}
			if !errors.Is(err, ErrConfig) {
				t.Errorf("error is not ErrConfig: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestDidYouMean checks that a mistyped value or key names the one meant,
// and that a value far from every option suggests nothing.
func TestDidYouMean(t *testing.T) {
	smtp := "database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  tls: %s\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"tls", fmt.Sprintf(smtp, "startls"), `c.yaml:5: smtp.tls: "startls" is not one of starttls, tls, none; did you mean "starttls"?`},
		{"tls far off", fmt.Sprintf(smtp, "ssl"), `c.yaml:5: smtp.tls: "ssl" is not one of starttls, tls, none` + "\n"},
		{"timezone", "timezone: Europe/Olso\ndatabase: {dsn: x}\n", `c.yaml:1: timezone: unknown timezone "Europe/Olso"; did you mean "Europe/Oslo"?`},
		{"timezone city only", "timezone: Oslo\ndatabase: {dsn: x}\n", `did you mean "Europe/Oslo"?`},
		{"timezone far off", "timezone: Europe/Trondheim\ndatabase: {dsn: x}\n", `unknown timezone "Europe/Trondheim"` + "\n"},
		{"language", "language: nv\ndatabase: {dsn: x}\n", `"nv" is not one of nb, nn, en; did you mean "nb"?`},
		{"driver", "database: {driver: mysq, dsn: x}\n", `did you mean "mysql"?`},
		{"report", "database: {dsn: x}\njobs:\n  - {name: m, report: stering, schedule: '0 6 3 * *'}\n", `(job "m"); did you mean "steering"?`},
		{"top-level key", "timezone: Europe/Oslo\ndatabse:\n  dsn: x\n", `c.yaml:2: databse: unknown key; did you mean "database"?`},
		{"nested key", "database:\n  driver: sqlite\n  dns: x\n", `c.yaml:3: database.dns: unknown key; did you mean "dsn"?`},
		{"key in a list", "database: {dsn: x}\njobs:\n  - {name: m, report: owner, shedule: '0 6 3 * *'}\n", `jobs[0].shedule: unknown key; did you mean "schedule"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml), envOf(nil))
			if err == nil {
				t.Fatal("want an error, got none")
			}
			if !strings.Contains(err.Error()+"\n", tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("database: {dsn: reg.db}\noutput: {dir: /srv/g/out}\n"), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.State.Driver != "sqlite" || cfg.State.DSN != "/srv/g/state.db" {
		t.Errorf("state = %+v, want sqlite next to the output", cfg.State)
	}
	if cfg.Output.Mode != 0o640 {
		t.Errorf("output.mode = %04o, want 0640", cfg.Output.Mode)
	}
	if cfg.Output.KeepPeriods != nil {
		t.Errorf("output.keep_periods = %d, want unset (keep every period)", *cfg.Output.KeepPeriods)
	}
	if cfg.Language != "nb" || cfg.Timezone != "Europe/Oslo" {
		t.Errorf("language/timezone = %q/%q", cfg.Language, cfg.Timezone)
	}
	s := cfg.Settings()
	if s.StaleAfterPeriods != 2 || s.TrendPeriods != 6 {
		t.Errorf("settings = %+v", s)
	}
}

func TestReadiness(t *testing.T) {
	tests := []struct {
		name        string
		yaml        string
		job         string
		minCoverage float64
		notifyAfter time.Duration
	}{
		{"defaults", "", "m", 0.8, 48 * time.Hour},
		{"global keys", "readiness:\n  min_coverage: 0.5\n  notify_after: 3d\n", "m", 0.5, 72 * time.Hour},
		{"zero is allowed", "readiness:\n  min_coverage: 0\n  notify_after: 0s\n", "m", 0, 0},
		{"a job's own keys win", "readiness:\n  min_coverage: 0.5\n  notify_after: 3d\njobs:\n  - name: m\n    report: owner\n    schedule: '0 6 3 * *'\n    readiness: {min_coverage: 1, notify_after: 12h}\n",
			"m", 1, 12 * time.Hour},
		{"a job without its own keys takes the global ones", "readiness:\n  min_coverage: 0.6\njobs:\n  - name: m\n    report: owner\n    schedule: '0 6 3 * *'\n    readiness: {notify_after: 1h}\n",
			"m", 0.6, time.Hour},
		{"an unknown job takes the global ones", "readiness:\n  min_coverage: 0.7\n", "run-by-hand", 0.7, 48 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte("database: {dsn: x}\n"+tt.yaml), envOf(nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.MinCoverage(tt.job); got != tt.minCoverage {
				t.Errorf("MinCoverage(%q) = %v, want %v", tt.job, got, tt.minCoverage)
			}
			if got := cfg.NotifyAfter(tt.job); got != tt.notifyAfter {
				t.Errorf("NotifyAfter(%q) = %v, want %v", tt.job, got, tt.notifyAfter)
			}
		})
	}
}

// An absent key takes its default; catch_up_periods: 0 says "no catch-up"
// and is kept, not replaced by the default.
func TestCatchUpAndLease(t *testing.T) {
	tests := []struct {
		name        string
		yaml        string
		wantCatchUp int
		wantLease   time.Duration
	}{
		{"defaults", "database: {dsn: x}\n", 1, 30 * time.Minute},
		{"no catch-up", "database: {dsn: x}\ndaemon:\n  catch_up_periods: 0\n", 0, 30 * time.Minute},
		{"three periods, short lease", "database: {dsn: x}\ndaemon: {catch_up_periods: 3}\ndelivery: {lease: 2m}\n", 3, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte(tt.yaml), envOf(nil))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Daemon.CatchUpPeriods != tt.wantCatchUp || time.Duration(cfg.Delivery.Lease) != tt.wantLease {
				t.Errorf("catch_up_periods %d, lease %v; want %d, %v",
					cfg.Daemon.CatchUpPeriods, time.Duration(cfg.Delivery.Lease), tt.wantCatchUp, tt.wantLease)
			}
		})
	}
}

func TestPasswordFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(f, []byte("hemmelig\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("c.yaml", []byte("database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  username: u\n  password_file: "+f+"\n"), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if pw, err := cfg.SMTP.ReadPassword(); pw != "hemmelig" || err != nil || cfg.SMTP.Port != 587 || cfg.SMTP.TLS != "starttls" {
		t.Errorf("smtp = %+v, password %q (%v)", cfg.SMTP, pw, err)
	}
}

// TestPasswordReadOnlyWhenSending: a config whose password source is
// missing still loads (run without --send, check of the data); reading the
// password says what is wrong.
func TestPasswordReadOnlyWhenSending(t *testing.T) {
	for _, src := range []string{"password_env: SMTP_PW", "password_file: /nonexistent/pw"} {
		cfg, err := Parse("c.yaml", []byte("database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  username: u\n  "+src+"\n"), envOf(nil))
		if err != nil {
			t.Fatalf("%s: a missing password stops loading: %v", src, err)
		}
		if _, err := cfg.SMTP.ReadPassword(); err == nil || !strings.Contains(err.Error(), strings.Split(src, ":")[0]) {
			t.Errorf("%s: ReadPassword = %v, want an error naming smtp.%s", src, err, strings.Split(src, ":")[0])
		}
	}
}

func TestSMTPLimits(t *testing.T) {
	smtp := "database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n"
	cfg, err := Parse("c.yaml", []byte(smtp), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.SMTP
	if s.Retries != 4 || time.Duration(s.Timeout) != 30*time.Second || time.Duration(s.SendDeadline) != time.Hour || s.BreakerAfter != 3 {
		t.Errorf("defaults: retries %d timeout %v send_deadline %v breaker_after %d", s.Retries, s.Timeout, s.SendDeadline, s.BreakerAfter)
	}
	cfg, err = Parse("c.yaml", []byte(smtp+"  retries: 0\n  send_deadline: 10m\n  breaker_after: 1\n"), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.SMTP; s.Retries != 0 || time.Duration(s.SendDeadline) != 10*time.Minute || s.BreakerAfter != 1 {
		t.Errorf("retries: 0 gave %d retries; send_deadline %v, breaker_after %d", s.Retries, s.SendDeadline, s.BreakerAfter)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ extra, want string }{
		{"  timeout: 0s\n", "c.yaml:5: smtp.timeout: must be above 0"},
		{"  retries: -1\n", "smtp.retries: must not be negative"},
		{"  send_deadline: 0s\n", "smtp.send_deadline: must be above 0"},
		{"  breaker_after: 0\n", "smtp.breaker_after: must be at least 1"},
		{"  ca_file: /nonexistent/ca.pem\n", "smtp.ca_file: cannot read it"},
		{"  ca_file: " + caFile + "\n", "holds no PEM certificate"},
		{"  tls: none\n  username: u\n  password_env: PW\n", "smtp.username: AUTH over tls: none would send the password in clear"},
	}
	for _, tt := range tests {
		_, err := Parse("c.yaml", []byte(smtp+tt.extra), envOf(map[string]string{"PW": "x"}))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.extra, err, tt.want)
		}
	}
}

func TestDefaultConfigIsValid(t *testing.T) {
	c := Default()
	if c.Location == nil || c.Output.Dir != "out" || c.State.DSN == "" {
		t.Errorf("default config = %+v", c)
	}
}
