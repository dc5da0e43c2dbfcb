package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The log is JSON off a terminal and text on one, unless --log-format says.
func TestNewLogger(t *testing.T) {
	tests := []struct {
		format string
		term   bool
		json   bool
	}{
		{"", false, true},
		{"", true, false},
		{"json", true, true},
		{"text", false, false},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		log, err := newLogger(tt.format, &buf, tt.term)
		if err != nil {
			t.Fatalf("newLogger(%q, term %v): %v", tt.format, tt.term, err)
		}
		log.Info("run finished", "duration_ms", 1200)
		line := buf.String()
		var m map[string]any
		isJSON := json.Unmarshal([]byte(line), &m) == nil
		if isJSON != tt.json {
			t.Errorf("--log-format %q, terminal %v: %q; want JSON %v", tt.format, tt.term, line, tt.json)
		}
		if !tt.json && !strings.Contains(line, `level=INFO msg="run finished" duration_ms=1200`) {
			t.Errorf("--log-format %q, terminal %v: %q is not a text log line", tt.format, tt.term, line)
		}
	}
	var ue usageError
	if _, err := newLogger("xml", os.Stderr, false); !errors.As(err, &ue) {
		t.Errorf("--log-format xml: %v, want a usage error", err)
	}
}

// Off a terminal a run has no progress line; on one, its log lines pass
// above the line (erase, log line, line drawn again).
func TestRunLogProgressOnlyOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	log, prog, err := runLog("", &buf, false)
	if err != nil || prog != nil {
		t.Fatalf("off a terminal: progress %v, err %v; want none", prog, err)
	}
	log.Info("delivered")
	if strings.Contains(buf.String(), "\r") || !strings.HasPrefix(buf.String(), "{") {
		t.Errorf("off a terminal the log is %q; want JSON lines only", buf.String())
	}

	buf.Reset()
	log, prog, err = runLog("", &buf, true)
	if err != nil || prog == nil {
		t.Fatalf("on a terminal: progress %v, err %v; want a progress line", prog, err)
	}
	prog.Start("owner", "2025-09", 10)
	log.Warn("delivery failed")
	prog.End()
	out := buf.String()
	line := "\rowner 2025-09: 0/10 reports (0%), –/s, time left unknown, 0 failed\x1b[K"
	if !strings.HasPrefix(out, line+"\r\x1b[K") || !strings.Contains(out, `level=WARN msg="delivery failed"`+"\n"+line) || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("on a terminal wrote %q; want the line, the log line above it, the line again, erased at the end", out)
	}
}

// isTerminal is false for what cron, containers and pipes give a process.
func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]io.Writer{"a file": f, os.DevNull: null, "a pipe": w, "a buffer": &bytes.Buffer{}} {
		if isTerminal(out) {
			t.Errorf("%s is taken for a terminal", name)
		}
	}
}

// `run --log-format text` logs text lines (and, piped, draws no progress
// line); an unknown format is a usage error.
func TestRunLogFormatFlag(t *testing.T) {
	out := t.TempDir()
	r := mustRun(t, exitOK, "run", "--only", "P-001", "--out", out, "--log-format", "text")
	if !strings.Contains(r.stderr, `level=INFO msg="run finished"`) || strings.Contains(r.stderr, "\r") {
		t.Errorf("stderr of run --log-format text:\n%s", r.stderr)
	}
	r = mustRun(t, exitOK, "run", "--only", "P-001", "--out", out)
	if !strings.HasPrefix(r.stderr, "{") {
		t.Errorf("stderr of a piped run is not JSON lines:\n%s", r.stderr)
	}
	for _, cmd := range []string{"run", "daemon", "check"} {
		if r := runCmd(t, cmd, "--log-format", "xml"); r.code != exitUsage || !strings.Contains(r.stderr, "--log-format") {
			t.Errorf("%s --log-format xml: exit %d, stderr %q; want 2 naming the flag", cmd, r.code, r.stderr)
		}
	}
}
