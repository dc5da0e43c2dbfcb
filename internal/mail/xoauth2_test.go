package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// xoauth2Config is a Sender config for be (which must have user and token
// set) over STARTTLS with the given token source.
func xoauth2Config(t *testing.T, be *backend, token TokenSource) Config {
	t.Helper()
	port, pool := startServer(t, be, startTLSServer)
	cfg := testConfig(port, TLSStartTLS)
	cfg.RootCAs = pool
	cfg.Auth, cfg.Username, cfg.Token = AuthXOAUTH2, be.user, token
	return cfg
}

// writeFile writes data to a new file in dir with mode perm and returns its path.
func writeFile(t *testing.T, dir, name, data string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSendXOAUTH2TokenFile: the token file is read before every
// connection, so a token renewed between two sends is the one the relay sees.
func TestSendXOAUTH2TokenFile(t *testing.T) {
	be := &backend{user: "gevinst@example.no", token: "first-token-AAAA"}
	tokenFile := writeFile(t, t.TempDir(), "token", "first-token-AAAA\n", 0o600)
	s, err := NewSender(xoauth2Config(t, be, TokenFile(tokenFile)))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	if err := s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no")); err != nil {
		t.Fatalf("first Send: %v", err)
	}
	// The token renewer writes a new token and the relay accepts only it.
	writeFile(t, filepath.Dir(tokenFile), "token", "second-token-BBBB", 0o600)
	be.mu.Lock()
	be.token = "second-token-BBBB"
	be.mu.Unlock()
	if err := s.Send(context.Background(), testMessage(t, "ola.nordmann@example.no")); err != nil {
		t.Fatalf("second Send: %v", err)
	}
	if got, want := be.seenTokens(), []string{"first-token-AAAA", "second-token-BBBB"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("tokens the relay saw = %q, want %q", got, want)
	}
	msgs := be.messages()
	if len(msgs) != 2 {
		t.Fatalf("relay received %d messages, want 2", len(msgs))
	}
	for _, m := range msgs {
		if m.User != be.user || !m.TLS {
			t.Errorf("message to %v: authenticated as %q over TLS %v; want %q over TLS", m.To, m.User, m.TLS, be.user)
		}
	}
}

// TestSendXOAUTH2TokenCommand runs real token commands: one that prints
// the token, one that fails with secrets in its stderr, one that hangs.
func TestSendXOAUTH2TokenCommand(t *testing.T) {
	const token = "eyJhbGciOi.command-token.sig"
	tests := []struct {
		name       string
		script     string
		wantErr    string // in the error; "" for success
		notInError []string
	}{
		{name: "prints the token", script: "printf '%s\\n' '" + token + "'"},
		{name: "fails", script: "echo 'AADSTS7000215: Invalid client secret provided. client_secret=Very-Secret-42 Authorization: Bearer eyJabc.def.ghi' >&2\nprintf 'partial-token-xyz'\nexit 3",
			wantErr: "AADSTS7000215", notInError: []string{"Very-Secret-42", "eyJabc.def.ghi", "partial-token-xyz"}},
		{name: "hangs", script: "exec sleep 30", wantErr: "did not finish within"},
		{name: "prints nothing", script: "exit 0", wantErr: "the token is empty"},
		{name: "prints the JSON answer", script: `echo '{"token_type":"Bearer", "access_token":"abc"}'`, wantErr: "not one word on one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{user: "gevinst@example.no", token: token}
			script := writeFile(t, t.TempDir(), "get-token", "#!/bin/sh\n"+tt.script+"\n", 0o700)
			cfg := xoauth2Config(t, be, TokenCommand([]string{script}, 300*time.Millisecond, 0))
			cfg.Retries = 1
			var logs bytes.Buffer
			s, err := NewSender(cfg, WithSleep((&fakeSleep{}).sleep), WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				if got := be.seenTokens(); len(got) != 1 || got[0] != token {
					t.Errorf("tokens the relay saw = %q, want [%q]", got, token)
				}
				if len(be.messages()) != 1 {
					t.Errorf("relay received %d messages, want 1", len(be.messages()))
				}
				return
			}
			t.Logf("error: %v; explained: %s", err, Explain(err))
			var tokenErr *TokenError
			if err == nil || !errors.As(err, &tokenErr) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Send error = %v; want a TokenError with %q", err, tt.wantErr)
			}
			if !IsRelay(err) || IsPermanent(err) {
				t.Errorf("token failure %v: relay %v, permanent %v; want the relay's, never the recipient's", err, IsRelay(err), IsPermanent(err))
			}
			if sessions, _ := be.counts(); sessions != 0 {
				t.Errorf("relay saw %d sessions without a token, want 0", sessions)
			}
			if !strings.Contains(Explain(err), "smtp.token_command") {
				t.Errorf("Explain = %q, want it to name smtp.token_command", Explain(err))
			}
			for _, secret := range tt.notInError {
				if strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret) {
					t.Errorf("error or log shows %q: %v\n%s", secret, err, logs.String())
				}
			}
		})
	}
}

// TestSendXOAUTH2WrongToken: a token the relay refuses is the relay's
// failure (535, the same for every recipient), never the recipient's, and
// the token shows in no error or log line.
func TestSendXOAUTH2WrongToken(t *testing.T) {
	const wrong = "expired-token-ZZZZ-1234"
	be := &backend{user: "gevinst@example.no", token: "the-valid-token"}
	cfg := xoauth2Config(t, be, TokenFile(writeFile(t, t.TempDir(), "token", wrong, 0o600)))
	var logs bytes.Buffer
	s, err := NewSender(cfg, WithSleep((&fakeSleep{}).sleep), WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
	if err == nil {
		t.Fatal("Send with a wrong token succeeded")
	}
	checkRelayFault(t, err, FaultRelay, 535)
	if got := be.seenTokens(); len(got) != 1 || got[0] != wrong {
		t.Errorf("tokens the relay saw = %q, want the wrong one once", got)
	}
	if _, mails := be.counts(); mails != 0 {
		t.Errorf("relay saw %d MAIL commands, want 0", mails)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(logs.String(), wrong) {
		t.Errorf("the token shows in the error or the log: %v\n%s", err, logs.String())
	}
	if !strings.Contains(Explain(err), "xoauth2") {
		t.Errorf("Explain = %q, want a hint at the xoauth2 token", Explain(err))
	}
}

// TestProbeXOAUTH2: check --smtp's probe authenticates with XOAUTH2 and
// says so; a wrong token fails the probe.
func TestProbeXOAUTH2(t *testing.T) {
	for _, tt := range []struct {
		name, token string
		wantOK      bool
	}{
		{name: "valid token", token: "the-valid-token", wantOK: true},
		{name: "wrong token", token: "a-wrong-token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{user: "gevinst@example.no", token: "the-valid-token"}
			cfg := xoauth2Config(t, be, TokenFile(writeFile(t, t.TempDir(), "token", tt.token, 0o600)))
			s, err := NewSender(cfg)
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			p, err := s.Probe(context.Background())
			if got := be.seenTokens(); len(got) != 1 || got[0] != tt.token {
				t.Errorf("tokens the relay saw = %q, want [%q]", got, tt.token)
			}
			if !tt.wantOK {
				if err == nil || !IsRelay(err) || strings.Contains(err.Error(), tt.token) {
					t.Errorf("Probe with a wrong token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if !strings.Contains(p.String(), "AUTH XOAUTH2 accepted") {
				t.Errorf("probe verdict = %q, want AUTH XOAUTH2 accepted", p)
			}
		})
	}
}

// TestSendHELOAndReplyTo: the relay sees the configured EHLO name, and the
// message carries the Reply-To it was given.
func TestSendHELOAndReplyTo(t *testing.T) {
	be := &backend{}
	port, _ := startServer(t, be, plainServer)
	cfg := testConfig(port, TLSNone)
	cfg.HELO = "gevinstrapport.helse-nord.no"
	s, err := NewSender(cfg)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	m := testMessage(t, "kari.nordmann@example.no")
	m.ReplyTo = "Gevinstkoordinator Økland <koordinator@example.no>"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := be.seenHELOs(); len(got) != 1 || got[0] != cfg.HELO {
		t.Errorf("EHLO names the relay saw = %q, want [%q]", got, cfg.HELO)
	}
	msgs := be.messages()
	if len(msgs) != 1 {
		t.Fatalf("relay received %d messages, want 1", len(msgs))
	}
	got := parseMail(t, msgs[0].Data)
	replyTo, err := got.header.AddressList("Reply-To")
	if err != nil || len(replyTo) != 1 || replyTo[0].Address != "koordinator@example.no" || replyTo[0].Name != "Gevinstkoordinator Økland" {
		t.Errorf("Reply-To = %v (%v), want Gevinstkoordinator Økland <koordinator@example.no>", replyTo, err)
	}
}

func TestNewSenderAuth(t *testing.T) {
	token := TokenFile("/nonexistent")
	tests := []struct {
		name    string
		cfg     func(*Config)
		wantErr string
	}{
		{name: "xoauth2", cfg: func(c *Config) { c.Auth, c.Username, c.Token = AuthXOAUTH2, "a@example.no", token }},
		{name: "login", cfg: func(c *Config) { c.Auth, c.Username, c.Password = AuthLogin, "a", "b" }},
		{name: "xoauth2 without token", cfg: func(c *Config) { c.Auth, c.Username = AuthXOAUTH2, "a@example.no" }, wantErr: "token source"},
		{name: "xoauth2 without username", cfg: func(c *Config) { c.Auth, c.Token = AuthXOAUTH2, token }, wantErr: "username"},
		{name: "xoauth2 in clear", cfg: func(c *Config) { c.Auth, c.Username, c.Token, c.TLS = AuthXOAUTH2, "a@example.no", token, TLSNone }, wantErr: "tls"},
		{name: "unknown mechanism", cfg: func(c *Config) { c.Auth = "cram" }, wantErr: "not one of"},
		{name: "helo with a space", cfg: func(c *Config) { c.HELO = "my host" }, wantErr: "helo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(587, TLSStartTLS)
			tt.cfg(&cfg)
			_, err := NewSender(cfg)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("NewSender: %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestSendBadReplyToIsNotTheRecipients: a Reply-To that is not an address
// is our configuration, the same for every recipient: the relay's fault,
// never a recipient's permanent failure, and nothing reaches the relay.
func TestSendBadReplyToIsNotTheRecipients(t *testing.T) {
	be := &backend{}
	port, _ := startServer(t, be, plainServer)
	s, err := NewSender(testConfig(port, TLSNone))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	m := testMessage(t, "kari.nordmann@example.no")
	m.ReplyTo = "not an address"
	err = s.Send(context.Background(), m)
	if err == nil || IsPermanent(err) || !IsRelay(err) {
		t.Errorf("Send with a bad Reply-To: %v (permanent %v); want the relay's fault", err, IsPermanent(err))
	}
	if sessions, _ := be.counts(); sessions != 0 {
		t.Errorf("relay saw %d sessions, want 0", sessions)
	}
}

// TestTokenCommandReuse: with reuse the command runs once for two sends;
// without, once per connection.
func TestTokenCommandReuse(t *testing.T) {
	for _, tt := range []struct {
		name  string
		reuse time.Duration
		runs  int
	}{
		{name: "reused", reuse: time.Hour, runs: 1},
		{name: "every connection", reuse: 0, runs: 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			count := filepath.Join(dir, "runs")
			script := writeFile(t, dir, "get-token", "#!/bin/sh\necho run >> '"+count+"'\necho the-valid-token\n", 0o700)
			be := &backend{user: "gevinst@example.no", token: "the-valid-token"}
			s, err := NewSender(xoauth2Config(t, be, TokenCommand([]string{script}, 5*time.Second, tt.reuse)))
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			for _, to := range []string{"kari.nordmann@example.no", "ola.nordmann@example.no"} {
				if err := s.Send(context.Background(), testMessage(t, to)); err != nil {
					t.Fatalf("Send to %s: %v", to, err)
				}
			}
			data, err := os.ReadFile(count)
			if err != nil {
				t.Fatal(err)
			}
			if runs := strings.Count(string(data), "run"); runs != tt.runs {
				t.Errorf("the token command ran %d times for two sends, want %d", runs, tt.runs)
			}
			if got := be.seenTokens(); len(got) != 2 {
				t.Errorf("the relay saw %d XOAUTH2 logins, want 2", len(got))
			}
		})
	}
}
