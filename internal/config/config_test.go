package config

import (
	"errors"
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
	if cfg.SMTP.Password != "pw" || len(cfg.Jobs) != 3 {
		t.Errorf("password %q, %d jobs", cfg.SMTP.Password, len(cfg.Jobs))
	}
	if got := time.Duration(cfg.Daemon.CatchUpWindow); got != 40*24*time.Hour {
		t.Errorf("catch_up_window = %v", got)
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
		{"bad driver", "database:\n  driver: postgres\n  dsn: x\n", []string{"c.yaml:2: database.driver:"}},
		{"missing dsn", "database:\n  driver: sqlite\n", []string{"c.yaml:1: database.dsn: a data source name is required"}},
		{"TZ prefix in schedule", "database: {dsn: x}\njobs:\n  - name: monthly\n    report: owner\n    schedule: 'TZ=0 0 6 3 * *'\n", []string{"c.yaml:5: jobs[0].schedule: job \"monthly\""}},
		{"bad report kind", "database: {dsn: x}\njobs:\n  - name: m\n    report: weekly\n    schedule: '0 6 3 * *'\n", []string{"c.yaml:4: jobs[0].report:"}},
		{"duplicate job", "database: {dsn: x}\njobs:\n  - {name: m, report: owner, schedule: '0 6 3 * *'}\n  - {name: m, report: owner, schedule: '0 6 4 * *'}\n", []string{"c.yaml:4: jobs[1].name: job name \"m\" is used twice"}},
		{"bad period rule", "database: {dsn: x}\njobs:\n  - name: m\n    report: owner\n    schedule: '0 6 3 * *'\n    period: last_week\n", []string{"c.yaml:6: jobs[0].period:"}},
		{"wrong type", "database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  port: many\n", []string{"c.yaml:5: smtp.port: cannot unmarshal"}},
		{"wrong type in a list", "database: {dsn: x}\nsteering_group:\n  emails:\n    - [a, b]\n", []string{"c.yaml:4: steering_group.emails[0]"}},
		{"bad from address", "database: {dsn: x}\nsmtp:\n  host: h\n  from: not an address\n", []string{"c.yaml:4: smtp.from:"}},
		{"both password sources", "database: {dsn: x}\nsmtp:\n  host: h\n  from: a@b.no\n  password_env: X\n  password_file: /x\n", []string{"smtp.password_file: give password_file or password_env, not both"}},
		{"red fraction out of range", "database: {dsn: x}\nevaluation:\n  red_fraction: 1.5\n", []string{"c.yaml:3: evaluation.red_fraction:"}},
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

func TestDefaults(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("database: {dsn: reg.db}\noutput: {dir: /srv/g/out}\n"), envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.State.Driver != "sqlite" || cfg.State.DSN != "/srv/g/state.db" {
		t.Errorf("state = %+v, want sqlite next to the output", cfg.State)
	}
	if cfg.Language != "nb" || cfg.Timezone != "Europe/Oslo" {
		t.Errorf("language/timezone = %q/%q", cfg.Language, cfg.Timezone)
	}
	s := cfg.Settings()
	if s.StaleAfterPeriods != 2 || s.TrendPeriods != 6 {
		t.Errorf("settings = %+v", s)
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
	if cfg.SMTP.Password != "hemmelig" || cfg.SMTP.Port != 587 || cfg.SMTP.TLS != "starttls" {
		t.Errorf("smtp = %+v", cfg.SMTP)
	}
}

func TestDefaultConfigIsValid(t *testing.T) {
	c := Default()
	if c.Location == nil || c.Output.Dir != "out" || c.State.DSN == "" {
		t.Errorf("default config = %+v", c)
	}
}
