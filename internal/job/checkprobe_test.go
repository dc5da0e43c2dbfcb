package job

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// Check probes the state store and the output folder for real: each case
// breaks one of them the way an installation can (tests run as root, so a
// folder's permissions would not stop them; a regular file in the path does).
func TestCheckProbesStateStoreAndOutputDir(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, cfg *config.Config)
		want  []string // lines (or their starts) in the output
		extra int      // errors beyond those of the unbroken setup
		gone  string   // a path check must not leave behind
	}{
		{
			name: "all fine",
			want: []string{"state store (sqlite): ok", "output.dir "},
		},
		{
			name: "output folder not there yet",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.Output.Dir = filepath.Join(t.TempDir(), "new", "out")
			},
			want: []string{"output.dir "},
			gone: "new",
		},
		{
			name: "output folder under a regular file",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.Output.Dir = filepath.Join(regularFile(t), "out")
			},
			want:  []string{"error: output.dir ", "not a directory"},
			extra: 1,
		},
		{
			name: "output folder is a regular file",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.Output.Dir = regularFile(t)
			},
			want:  []string{"error: output.dir ", "not a directory"},
			extra: 1,
		},
		{
			name: "sqlite state store under a regular file",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.State = config.Database{Driver: "sqlite", DSN: filepath.Join(regularFile(t), "state.db")}
			},
			want:  []string{"error: state store "},
			extra: 1,
		},
		{
			name: "mysql state store",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.State = config.Database{Driver: "mysql", DSN: testmysql.Fresh(t, "gevinst_check_", "utf8mb4_bin").FormatDSN()}
			},
			want: []string{"state store (mysql): ok"},
		},
		{
			name: "mysql state store database dropped",
			setup: func(t *testing.T, cfg *config.Config) {
				dsn := testmysql.Fresh(t, "gevinst_check_", "utf8mb4_bin").FormatDSN()
				dropMySQL(t, dsn)
				cfg.State = config.Database{Driver: "mysql", DSN: dsn}
			},
			want:  []string{"error: state store ", "Unknown database"},
			extra: 1,
		},
		{
			name: "postgres state store",
			setup: func(t *testing.T, cfg *config.Config) {
				cfg.State = config.Database{Driver: "postgres", DSN: testpostgres.Fresh(t, "gevinst_check_")}
			},
			want: []string{"state store (postgres): ok"},
		},
		{
			name: "postgres state store schema dropped",
			setup: func(t *testing.T, cfg *config.Config) {
				dsn := testpostgres.Fresh(t, "gevinst_check_")
				testpostgres.DropSchema(t, dsn)
				cfg.State = config.Database{Driver: "postgres", DSN: dsn}
			},
			want:  []string{"error: state store ", "no schema has been selected to create in"},
			extra: 1,
		},
	}
	base, _ := runCheck(t, nil) // the errors of the unbroken setup, if any
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var cfg *config.Config
			errs, out := runCheck(t, func(t *testing.T, got *config.Config) {
				cfg = got
				if c.setup != nil {
					c.setup(t, cfg)
				}
			})
			if errs != base+c.extra {
				t.Errorf("%d error(s), want %d\n%s", errs, base+c.extra, out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if c.gone != "" {
				// cfg.Output.Dir is <tmp>/new/out: neither folder may stay.
				if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(cfg.Output.Dir)), c.gone)); !os.IsNotExist(err) {
					t.Errorf("check left %s behind: %v", c.gone, err)
				}
			}
			if entries, err := os.ReadDir(cfg.Output.Dir); err == nil && len(entries) > 0 {
				t.Errorf("check left files in the output folder: %v", entries)
			}
		})
	}
}

// runCheck runs Check for 2025-09 on the test register with an SQLite state
// store and an existing output folder, after setup (if not nil) changed the
// configuration; it returns the error count and the output.
func runCheck(t *testing.T, setup func(*testing.T, *config.Config)) (int, string) {
	t.Helper()
	cfg := testConfig(t, writeRegister(t, testRegister()), "")
	cfg.State = config.Database{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "state.db")}
	if err := os.MkdirAll(cfg.Output.Dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(t, cfg)
	}
	var out bytes.Buffer
	now := func() time.Time { return time.Date(2025, 10, 3, 6, 0, 0, 0, cfg.Location) }
	errs, err := Check(context.Background(), cfg, Options{Now: now}, "2025-09", "", &out)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return errs, out.String()
}

// regularFile returns the path of a new regular file.
func regularFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(p, []byte("a file where a folder should be"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
