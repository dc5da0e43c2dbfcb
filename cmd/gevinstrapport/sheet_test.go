package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
