package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/store"
)

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(cfg, []byte("language: en\ndatabase:\n  driver: sqlite\n  dsn: "+filepath.Join(dir, "r.db")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "register.xlsx")
	r := mustRun(t, exitOK, "template", "--out", out, "--config", cfg)
	if !strings.Contains(r.stdout, "instructions in en") {
		t.Errorf("stdout %q does not name the language", r.stdout)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if first := f.GetSheetList()[0]; first != "Instructions" {
		t.Errorf("first sheet %q, want the English instructions", first)
	}
	if r := mustRun(t, exitUsage, "template"); !strings.Contains(r.stderr, "--out") {
		t.Errorf("stderr %q does not ask for --out", r.stderr)
	}
}

// TestSpreadsheetImportGivesTheSQLManifest: the demo register as a
// workbook (template --example), imported and run on each database, gives
// byte for byte the owner manifest of the same register loaded through
// SQL.
func TestSpreadsheetImportGivesTheSQLManifest(t *testing.T) {
	const period = "2025-09"
	reg := demo.Generate(demo.Small)
	sqlDB := freshSQLite(t)
	sqlDB.load(t, reg)
	sqlOut := t.TempDir()
	mustRun(t, exitOK, "run", "--config", writeConfig(t, sqlDB, sqlOut), "--period", period)
	_, want := readManifest(t, output.Dir(sqlOut, period, "owner"))

	book := filepath.Join(t.TempDir(), "gevinstregister.xlsx")
	mustRun(t, exitOK, "template", "--out", book, "--example")
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.fresh(t)
			if db.dialect != store.SQLite {
				if err := store.CreateSchema(context.Background(), db.open(t), db.dialect); err != nil {
					t.Fatal(err)
				}
			}
			out := t.TempDir()
			cfg := writeConfig(t, db, out)
			// The demo carries one register error on purpose (I-006's
			// contradicting thresholds): --force writes, exit 1 says so.
			r := mustRun(t, exitFailed, "import", book, "--config", cfg, "--period", period, "--force")
			if !strings.Contains(r.stdout, "written (each table replaced, in one transaction): org_unit 40,") {
				t.Fatalf("import wrote nothing:\n%s", r.stdout)
			}
			mustRun(t, exitOK, "run", "--config", cfg, "--period", period)
			_, got := readManifest(t, output.Dir(out, period, "owner"))
			compareManifests(t, map[string][]byte{"sql": want, "sheet-" + b.name: got})
		})
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := database{dialect: store.SQLite, dsn: filepath.Join(dir, "register.db")}
	cfg := writeConfig(t, db, filepath.Join(dir, "out"))
	book := filepath.Join(dir, "b.xlsx")
	mustRun(t, exitOK, "template", "--out", book, "--example")
	r := mustRun(t, exitFailed, "import", "--config", cfg, "--dry-run", book)
	if !strings.Contains(r.stdout, "dry run: nothing written") || !strings.Contains(r.stderr, "import found 1 error(s)") {
		t.Errorf("dry run:\nstdout %s\nstderr %s", r.stdout, r.stderr)
	}
	if _, err := os.Stat(db.dsn); err == nil {
		t.Errorf("the dry run created %s", db.dsn)
	}
	for _, args := range [][]string{
		{"import", "--config", cfg},
		{"import", book},
		{"import", filepath.Join(dir, "missing.xlsx"), "--config", cfg},
		{"import", book, "--config", cfg, "extra"},
		{"import", book, "--config", cfg, "--period", "2025"},
	} {
		mustRun(t, exitUsage, args...)
	}
}
