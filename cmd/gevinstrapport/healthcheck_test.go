package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// daemonConfig is a configuration for a daemon that listens on port and
// owes nothing: its one job fires on 1 January, catch-up is off and a
// period is overdue only after a year, so /healthz answers 200 as soon as
// the register and the state store answer.
func daemonConfig(t *testing.T, port int) string {
	t.Helper()
	db := freshSQLite(t)
	db.load(t, resumeRegister(register.MonthOf(2025, 9)))
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	yaml := fmt.Sprintf(`database: {driver: sqlite, dsn: %s}
output: {dir: %s}
state: {driver: sqlite, dsn: %s}
smtp: {host: 127.0.0.1, port: %d, tls: none, from: "Gevinstrapport <gevinst@example.no>"}
coordinator: {email: koordinator@example.no}
daemon: {listen: "127.0.0.1:%d", catch_up_periods: 0, overdue_after: 8760h}
jobs:
  - {name: yearly-owner, report: owner, schedule: "0 0 1 1 *"}
`, q(db.dsn), q(filepath.Join(t.TempDir(), "out")), q(filepath.Join(t.TempDir(), "state.db")), freeTCPPort(t), port)
	path := filepath.Join(t.TempDir(), "gevinstrapport.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHealthcheckAgainstDaemon runs the real daemon in-process and asks it
// with the healthcheck command: 0 while it runs, 1 once it has stopped.
func TestHealthcheckAgainstDaemon(t *testing.T) {
	port := freeTCPPort(t)
	cfg := daemonConfig(t, port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var daemonErr bytes.Buffer
	go func() {
		env := func(string) (string, bool) { return "", false }
		done <- run(ctx, []string{"daemon", "--config", cfg}, &bytes.Buffer{}, &daemonErr, env, time.Now)
	}()

	url := fmt.Sprintf("http://127.0.0.1:%d/healthz", port)
	var r cmdResult
	deadline := time.Now().Add(15 * time.Second)
	for {
		r = runCmd(t, "healthcheck", "--config", cfg, "--timeout", "2s")
		if r.code == exitOK {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("the daemon stopped with exit %d:\n%s", code, lastLines(daemonErr.String(), 10))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthcheck never exited 0: last exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if want := url + ": 200 OK ok\n"; r.stdout != want {
		t.Errorf("healthcheck of the running daemon printed %q, want %q", r.stdout, want)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("daemon exit %d after cancel:\n%s", code, lastLines(daemonErr.String(), 10))
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the daemon did not stop")
	}
	r = runCmd(t, "healthcheck", "--config", cfg, "--timeout", "2s")
	if r.code != exitFailed || !strings.HasPrefix(r.stdout, url+": no answer: ") || !strings.Contains(r.stdout, "connection refused") {
		t.Errorf("healthcheck of the stopped daemon: exit %d, stdout %q; want 1 and no answer", r.code, r.stdout)
	}
}

// TestHealthcheckAnswers checks what the command makes of answers other
// than 200, from real HTTP servers on 127.0.0.1.
func TestHealthcheckAnswers(t *testing.T) {
	degraded := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusServiceUnavailable)
		_, _ = rw.Write([]byte(`{"status":"degraded","reasons":["register: connection refused"],"jobs":[]}`))
	}))
	defer degraded.Close()
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hanging.Close()
	defer close(release)
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()

	tests := []struct {
		name   string
		args   []string
		stdout string
	}{
		{"degraded", []string{"--url", degraded.URL + "/healthz"},
			degraded.URL + "/healthz: 503 Service Unavailable degraded: register: connection refused\n"},
		{"no answer in time", []string{"--url", hanging.URL + "/healthz", "--timeout", "100ms"},
			hanging.URL + "/healthz: no answer within 100ms\n"},
		{"not a daemon", []string{"--url", notFound.URL + "/healthz"}, notFound.URL + "/healthz: 404 Not Found\n"},
		{"bad config is 1, not 2", []string{"--config", filepath.Join(t.TempDir(), "missing.yaml")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, append([]string{"healthcheck"}, tt.args...)...)
			if r.code != exitFailed || r.stdout != tt.stdout {
				t.Errorf("exit %d, stdout %q; want 1 and %q\nstderr: %s", r.code, r.stdout, tt.stdout, r.stderr)
			}
		})
	}
}

func TestHealthzURL(t *testing.T) {
	tests := []struct{ listen, want string }{
		{"127.0.0.1:9464", "http://127.0.0.1:9464/healthz"},
		{":9464", "http://127.0.0.1:9464/healthz"},
		{"0.0.0.0:9464", "http://127.0.0.1:9464/healthz"},
		{"[::]:9464", "http://[::1]:9464/healthz"},
		{"10.0.0.5:9464", "http://10.0.0.5:9464/healthz"},
		{"localhost:8080", "http://localhost:8080/healthz"},
	}
	for _, tt := range tests {
		if got := healthzURL(tt.listen); got != tt.want {
			t.Errorf("healthzURL(%q) = %q, want %q", tt.listen, got, tt.want)
		}
	}
}
