package main

import (
	"path/filepath"
	"strings"
	"testing"

	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// TestDemoCommand checks demo's flags, its summary and where it writes.
func TestDemoCommand(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{name: "sqlite default", args: []string{"demo", "--out", filepath.Join(dir, "a.db")}, code: exitOK,
			stdout: []string{"wrote the small demo register to " + filepath.Join(dir, "a.db"),
				"40 units, 41 people (41 recipients), 12 benefits, 22 indicators, 3955 measurement rows in "}},
		{name: "unknown scale", args: []string{"demo", "--scale", "giant"}, code: exitUsage, stderr: "unknown demo scale"},
		{name: "unknown driver", args: []string{"demo", "--driver", "oracle", "--dsn", "x"}, code: exitUsage, stderr: "unknown database dialect"},
		{name: "mysql without dsn", args: []string{"demo", "--driver", "mysql"}, code: exitUsage, stderr: "needs --dsn"},
		{name: "mysql with out", args: []string{"demo", "--driver", "mysql", "--dsn", "root@tcp(127.0.0.1:1)/x", "--out", "x.db"}, code: exitUsage, stderr: "--out is for SQLite"},
		{name: "sqlite with dsn", args: []string{"demo", "--dsn", "x.db"}, code: exitUsage, stderr: "--dsn is for a database server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, tt.code, tt.args...)
			for _, want := range tt.stdout {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout %q lacks %q", r.stdout, want)
				}
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.stderr)
			}
		})
	}
}

// TestDemoCommandServers writes the demo into a MySQL/MariaDB and a
// PostgreSQL database and checks that a second write into it is a usage
// error (exit 2).
func TestDemoCommandServers(t *testing.T) {
	tests := []struct {
		driver string
		dsn    func(t *testing.T) string
	}{
		{"mysql", func(t *testing.T) string {
			return testmysql.Fresh(t, "gevinst_democmd_", "utf8mb4_unicode_ci").FormatDSN()
		}},
		{"postgres", func(t *testing.T) string { return testpostgres.Fresh(t, "gevinst_democmd_") }},
	}
	for _, tt := range tests {
		t.Run(tt.driver, func(t *testing.T) {
			dsn := tt.dsn(t)
			r := mustRun(t, exitOK, "demo", "--driver", tt.driver, "--dsn", dsn)
			for _, want := range []string{"wrote the small demo register to " + tt.driver + " ", "3955 measurement rows"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout %q lacks %q", r.stdout, want)
				}
			}
			r = mustRun(t, exitUsage, "demo", "--driver", tt.driver, "--dsn", dsn)
			if !strings.Contains(r.stderr, "already holds rows") {
				t.Errorf("stderr %q does not say the database holds rows", r.stderr)
			}
		})
	}
}
