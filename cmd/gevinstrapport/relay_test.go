package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// relayConfig writes a config over the demo register with an SMTP section.
func relayConfig(t *testing.T, smtp string) string {
	t.Helper()
	dir := t.TempDir()
	reg := filepath.Join(dir, "demo.db")
	mustRun(t, exitOK, "demo", "--out", reg)
	yaml := "database:\n  driver: sqlite\n  dsn: " + reg + "\noutput:\n  dir: " + filepath.Join(dir, "out") +
		"\nstate:\n  dsn: " + filepath.Join(dir, "state.db") + "\nsmtp:\n" + smtp
	path := filepath.Join(dir, "gevinstrapport.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunWithoutSendNeedsNoSecret: the SMTP password is read only when
// sending, so a preview run works where the secret is not present.
func TestRunWithoutSendNeedsNoSecret(t *testing.T) {
	cfg := relayConfig(t, "  host: 127.0.0.1\n  from: gevinst@example.no\n  username: u\n  password_env: GEVINST_TEST_UNSET_PASSWORD\n")
	mustRun(t, exitOK, "run", "--config", cfg, "--period", "2025-09", "--only", "P-001")
	r := mustRun(t, exitUsage, "run", "--config", cfg, "--period", "2025-09", "--only", "P-001", "--send")
	if !strings.Contains(r.stderr, "smtp.password_env") {
		t.Errorf("run --send without the secret does not name smtp.password_env:\n%s", lastLines(r.stderr, 5))
	}
}

// TestCheckSMTPFlag: check --smtp connects to the relay and sends nothing;
// a relay that is not there is an error line and exit 1.
func TestCheckSMTPFlag(t *testing.T) {
	box, port := startMailbox(t)
	cfg := relayConfig(t, "  host: 127.0.0.1\n  port: "+strconv.Itoa(port)+"\n  tls: none\n  from: gevinst@example.no\n")
	r := runCmd(t, "check", "--config", cfg, "--period", "2025-09", "--smtp")
	want := "smtp: connected to 127.0.0.1:" + strconv.Itoa(port) + ", in clear (smtp.tls: none), no AUTH configured; nothing sent"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("check --smtp output lacks %q:\n%s", want, r.stdout)
	}
	if msgs, rcpts := box.total(); msgs+rcpts != 0 {
		t.Errorf("check --smtp sent %d messages to %d recipients", msgs, rcpts)
	}

	closed := freeTCPPort(t)
	cfg = relayConfig(t, "  host: 127.0.0.1\n  port: "+strconv.Itoa(closed)+"\n  tls: none\n  from: gevinst@example.no\n  timeout: 2s\n")
	r = runCmd(t, "check", "--config", cfg, "--period", "2025-09", "--smtp")
	if r.code != exitFailed || !strings.Contains(r.stdout, "error: smtp 127.0.0.1:"+strconv.Itoa(closed)+": nothing listens") {
		t.Errorf("check --smtp against a closed port: exit %d, output:\n%s", r.code, r.stdout)
	}
}

// freeTCPPort returns a port on 127.0.0.1 that nothing listens on right now.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
