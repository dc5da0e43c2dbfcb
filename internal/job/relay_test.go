package job

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/testdns"
)

// The relay fault tests: each causes a fault of the relay for real, shows
// that the run is not a success, that nobody is marked as permanently
// failed and that the rest stays pending; then removes the fault and shows
// that one ordinary run (no --resend) delivers the rest, so that every
// recipient got exactly one mail in the end.

// relayConfig points the fixture's smtp config at 127.0.0.1:port with
// short limits, as an operator's config would be after parsing.
func (f *fixture) relayConfig(port int, tlsMode string) {
	f.cfg.SMTP = config.SMTP{
		Host: "127.0.0.1", Port: port, TLS: tlsMode, From: "Gevinstrapport <gevinst@example.no>",
		Timeout: config.Duration(5 * time.Second), Retries: 1, Backoff: config.Duration(time.Millisecond),
		SendDeadline: config.Duration(time.Minute), BreakerAfter: 2,
	}
}

// relayWorker builds a sending Worker whose sender comes from the
// fixture's smtp config through the production wiring (newSender).
func (f *fixture) relayWorker(owner string, opts ...mail.Option) *Worker {
	f.t.Helper()
	s, err := newSender(f.cfg, slog.New(slog.DiscardHandler), append([]mail.Option{mail.WithClock(f.now)}, opts...)...)
	if err != nil {
		f.t.Fatalf("new sender: %v", err)
	}
	return f.sendingWorker(owner, s)
}

// checkRelayFaultRun fails unless res is the run of a relay fault with
// breaker_after 2 over the three addresses: two relay failures, one left
// pending, nothing sent, the run neither a success nor recorded as one, and
// no delivery marked permanent.
func (f *fixture) checkRelayFaultRun(res Result, wantFailed, wantPending int) {
	f.t.Helper()
	if res.Sent != 0 || res.SendFailed != wantFailed || res.RelayFailed != wantFailed || res.Pending != wantPending || !res.Failed() {
		f.t.Errorf("run with the fault: %+v; want %d relay failures, %d pending, nothing sent, a failed run", res, wantFailed, wantPending)
	}
	ctx := context.Background()
	l := f.ledger("inspect")
	ds, err := l.Deliveries(ctx, testJob, "2025-09")
	if err != nil {
		f.t.Fatal(err)
	}
	for _, d := range ds {
		if d.Status != ledger.StatusFailed {
			f.t.Errorf("ledger records %s as %s, want %s (retryable)", d.Key.Recipient, d.Status, ledger.StatusFailed)
		}
	}
	if len(ds) != wantFailed {
		f.t.Errorf("ledger has %d deliveries, want the %d tried; the pending ones unclaimed", len(ds), wantFailed)
	}
	if ok, err := l.Succeeded(ctx, testJob, "2025-09"); err != nil || ok {
		f.t.Errorf("ledger records the period as succeeded (%v, %v) after a relay fault", ok, err)
	}
	if !strings.Contains(res.Summary(), "pending") {
		f.t.Errorf("summary does not mention the pending deliveries: %s", res.Summary())
	}
}

// checkHealed runs w once more, ordinarily, and fails unless it delivers
// the rest and every recipient has exactly one mail on server.
func (f *fixture) checkHealed(w *Worker, server *smtpBackend, wantSent int) {
	f.t.Helper()
	f.smtp = server
	res := run(f.t, w, false)
	if res.Sent != wantSent || res.Pending != 0 || res.Failed() || res.FailedBefore != 0 {
		f.t.Errorf("ordinary run after the fault was removed: %+v; want %d sent, nothing failed or pending", res, wantSent)
	}
	if ok, err := f.ledger("inspect").Succeeded(context.Background(), testJob, "2025-09"); err != nil || !ok {
		f.t.Errorf("ledger does not record the period as succeeded after the healing run (%v, %v)", ok, err)
	}
	f.checkCounts(1)
	for _, p := range withEmail() {
		f.t.Logf("%s <%s>: %d mail(s) in the end", p.id, p.email, len(server.to(p.email)))
	}
	if res := run(f.t, w, false); res.Sent != 0 || res.AlreadySent != len(withEmail()) {
		f.t.Errorf("a third run: %+v; want nothing sent, all already delivered", res)
	}
	f.checkCounts(1)
}

// TestRelayWrongPassword: a relay answering 535 to AUTH.
func TestRelayWrongPassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		cert, _ := selfSignedCert(t)
		be := newSMTPBackend()
		be.user, be.pass = "gevinstrapport", "the-right-one"
		port, _ := startSMTPWith(t, be, 0, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		f.relayConfig(port, "starttls")
		f.cfg.SMTP.CAFile = certFile(t, cert)
		f.cfg.SMTP.Username, f.cfg.SMTP.PasswordFile = "gevinstrapport", secretFile(t, "a-wrong-one")
		f.smtp = be
		res := run(t, f.relayWorker("a"), false)
		f.checkRelayFaultRun(res, 2, 1)
		if be.mailCmds != 0 || len(be.messages()) != 0 {
			t.Errorf("the server got %d MAIL commands and %d messages without AUTH", be.mailCmds, len(be.messages()))
		}

		f.cfg.SMTP.PasswordFile = secretFile(t, "the-right-one")
		f.checkHealed(f.relayWorker("a"), be, 3)
	})
}

// TestRelayUntrustedCertificate: a STARTTLS relay whose self-signed
// certificate nothing trusts; smtp.ca_file with it removes the fault.
func TestRelayUntrustedCertificate(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		cert, _ := selfSignedCert(t)
		be := newSMTPBackend()
		port, _ := startSMTPWith(t, be, 0, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		f.relayConfig(port, "starttls")
		f.smtp = be
		res := run(t, f.relayWorker("a"), false)
		f.checkRelayFaultRun(res, 2, 1)
		if len(be.messages()) != 0 {
			t.Errorf("the server got %d messages over an untrusted session", len(be.messages()))
		}

		f.cfg.SMTP.CAFile = certFile(t, cert)
		f.checkHealed(f.relayWorker("a"), be, 3)
	})
}

// TestRelayHung: a relay that accepts TCP and never answers costs one
// smtp.timeout per try until the breaker stops the run; a send deadline
// shorter than the timeout cuts the first try and leaves the rest pending.
func TestRelayHung(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		t.Run("breaker", func(t *testing.T) {
			f := newFixture(t, st)
			hung := hungRelay(t)
			f.relayConfig(hung, "none")
			f.cfg.SMTP.Timeout, f.cfg.SMTP.Retries = config.Duration(200*time.Millisecond), 0
			res := run(t, f.relayWorker("a"), false)
			f.checkRelayFaultRun(res, 2, 1)

			f.relayConfig(f.port, "none") // the relay is restarted
			f.checkHealed(f.relayWorker("a"), f.smtp, 3)
		})
		t.Run("send deadline", func(t *testing.T) {
			f := newFixture(t, freshStore(t, st))
			hung := hungRelay(t)
			f.relayConfig(hung, "none")
			f.cfg.SMTP.Timeout, f.cfg.SMTP.Retries = config.Duration(time.Minute), 0
			f.cfg.SMTP.BreakerAfter = 10
			f.cfg.SMTP.SendDeadline = config.Duration(300 * time.Millisecond)
			done := make(chan Result, 1)
			w := f.relayWorker("a")
			go func() { done <- run(t, w, false) }()
			var res Result
			// A guard, not a measurement: without the deadline each of the
			// three tries would hold the run for the one-minute timeout.
			select {
			case res = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the run is still held by the hung relay long after its send deadline")
			}
			f.checkRelayFaultRun(res, 1, 2)

			f.relayConfig(f.port, "none")
			f.checkHealed(f.relayWorker("a"), f.smtp, 3)
		})
	})
}

// TestRelayUnknownHost: a relay host name that does not resolve. The name
// is asked only of an in-process DNS server (testdns, through the sender's
// resolver hook), never a real one; adding the name there removes the fault.
func TestRelayUnknownHost(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		dns := testdns.Start(t)
		f.relayConfig(f.port, "none")
		f.cfg.SMTP.Host = "relay.gevinst.test"
		w := f.relayWorker("a", mail.WithResolver(dns.Resolver()))
		res := run(t, w, false)
		f.checkRelayFaultRun(res, 2, 1)

		dns.Set("relay.gevinst.test", net.IPv4(127, 0, 0, 1))
		f.checkHealed(w, f.smtp, 3)
	})
}

// TestRelayBreakerResetsOnRecipientRejection: a recipient's own rejection
// (550 to RCPT) proves the relay works, so it does not count toward the
// breaker, and it alone is recorded as permanent.
func TestRelayBreakerResetsOnRecipientRejection(t *testing.T) {
	f := newFixture(t, stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")})
	f.relayConfig(f.port, "none")
	f.cfg.SMTP.BreakerAfter = 1
	kari := testPeople()[2]
	f.smtp.rejectAlways(kari.email, 550)
	res := run(t, f.relayWorker("a"), false)
	if res.Sent != 2 || res.SendFailed != 1 || res.RelayFailed != 0 || res.Pending != 0 {
		t.Errorf("run: %+v; want 2 sent, 1 recipient failure, nothing pending", res)
	}
	ds, err := f.ledger("inspect").Deliveries(context.Background(), testJob, "2025-09")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		want := ledger.StatusSent
		if d.Key.Recipient == kari.id {
			want = ledger.StatusFailedPermanent
		}
		if d.Status != want {
			t.Errorf("%s is %s, want %s", d.Key.Recipient, d.Status, want)
		}
	}
}

// freshStore gives a subtest its own ledger of the same kind as st.
func freshStore(t *testing.T, st stateStore) stateStore {
	switch st.driver {
	case "sqlite":
		return stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")}
	case "postgres":
		return freshPostgresState(t)
	}
	return freshMySQLState(t)
}

// hungRelay accepts TCP connections on 127.0.0.1:0 and never says a word.
func hungRelay(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				_ = c.SetReadDeadline(time.Now().Add(time.Minute))
				_, _ = io.Copy(io.Discard, c)
			})
		}
	})
	t.Cleanup(func() {
		_ = l.Close()
		wg.Wait()
	})
	return l.Addr().(*net.TCPAddr).Port
}

// selfSignedCert is a certificate for 127.0.0.1 that no system trusts, and
// a pool that trusts it.
func selfSignedCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// certFile writes cert as a PEM file, as smtp.ca_file takes it.
func certFile(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// secretFile writes a password file, as smtp.password_file takes it.
func secretFile(t *testing.T, password string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "smtp_password")
	if err := os.WriteFile(path, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckSMTP: check --smtp connects, checks TLS and AUTH, sends nothing
// and words a verdict for each relay fault.
func TestCheckSMTP(t *testing.T) {
	cert, _ := selfSignedCert(t)
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	be := newSMTPBackend()
	be.user, be.pass, be.token = "gevinstrapport", "the-right-one", "the-valid-token"
	port, _ := startSMTPWith(t, be, 0, tlsCfg)
	dns := testdns.Start(t)
	base := func(cfg *config.SMTP) {
		*cfg = config.SMTP{
			Host: "127.0.0.1", Port: port, TLS: "starttls", From: "gevinst@example.no",
			Username: "gevinstrapport", PasswordFile: secretFile(t, "the-right-one"), CAFile: certFile(t, cert),
			Timeout: config.Duration(5 * time.Second),
		}
	}
	tests := []struct {
		name   string
		change func(*config.SMTP)
		want   string // in the output
		errs   int
	}{
		{name: "ok", change: func(*config.SMTP) {}, want: "smtp: connected to 127.0.0.1:", errs: 0},
		{name: "wrong password", change: func(c *config.SMTP) { c.PasswordFile = secretFile(t, "wrong") }, want: "authentication failed (535)", errs: 1},
		{name: "password not readable", change: func(c *config.SMTP) { c.PasswordFile = ""; c.PasswordEnv = "GEVINST_TEST_NO_SUCH_VAR" }, want: "smtp.password_env", errs: 1},
		{name: "untrusted certificate", change: func(c *config.SMTP) { c.CAFile = "" }, want: "set smtp.ca_file", errs: 1},
		{name: "hung relay", change: func(c *config.SMTP) {
			c.Port, c.TLS, c.Username, c.PasswordFile = hungRelay(t), "none", "", ""
			c.Timeout = config.Duration(200 * time.Millisecond)
		}, want: "did not answer within smtp.timeout", errs: 1},
		{name: "unknown host", change: func(c *config.SMTP) { c.Host = "relay.gevinst.test" }, want: "does not resolve", errs: 1},
		{name: "no host", change: func(c *config.SMTP) { c.Host = "" }, want: "smtp.host", errs: 1},
		{name: "xoauth2 token file", change: func(c *config.SMTP) {
			c.Auth, c.PasswordFile, c.TokenFile = config.AuthXOAUTH2, "", secretFile(t, "the-valid-token")
		}, want: "AUTH XOAUTH2 accepted; nothing sent", errs: 0},
		{name: "xoauth2 token command", change: func(c *config.SMTP) {
			c.Auth, c.PasswordFile, c.TokenCommand = config.AuthXOAUTH2, "", config.Command{"/bin/sh", "-c", "echo the-valid-token"}
		}, want: "AUTH XOAUTH2 accepted; nothing sent", errs: 0},
		{name: "xoauth2 wrong token", change: func(c *config.SMTP) {
			c.Auth, c.PasswordFile, c.TokenFile = config.AuthXOAUTH2, "", secretFile(t, "an-expired-token")
		}, want: "authentication failed (535)", errs: 1},
		{name: "xoauth2 token command fails", change: func(c *config.SMTP) {
			c.Auth, c.PasswordFile, c.TokenCommand = config.AuthXOAUTH2, "", config.Command{"/bin/sh", "-c", "echo 'AADSTS700016: application not found' >&2; exit 1"}
		}, want: "no XOAUTH2 token: smtp.token_command failed", errs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &config.Config{Path: "test.yaml"}
			base(&cfg.SMTP)
			tt.change(&cfg.SMTP)
			var out strings.Builder
			errs := CheckSMTP(context.Background(), cfg, &out, mail.WithResolver(dns.Resolver()))
			if errs != tt.errs || !strings.Contains(out.String(), tt.want) {
				t.Errorf("CheckSMTP = %d errors, output %q; want %d and %q", errs, out.String(), tt.errs, tt.want)
			}
			for _, secret := range []string{"the-right-one", "the-valid-token", "an-expired-token"} {
				if strings.Contains(out.String(), secret) {
					t.Errorf("the output holds a secret: %q", out.String())
				}
			}
		})
	}
	if be.mailCmds != 0 || len(be.messages()) != 0 {
		t.Errorf("check --smtp sent %d MAIL commands and %d messages, want none", be.mailCmds, len(be.messages()))
	}
}

// TestRelayAccessDeniedTellsCoordinatorOnce: a relay that refuses to relay
// to the recipients' domain (554 5.7.1 to RCPT TO) but takes mail for the
// coordinator. The refusals are the relay's, so nobody is marked permanent;
// the breaker stops the run and the coordinator gets one summary saying
// the rest is pending. Once the relay allows it, one ordinary run sends
// the rest.
func TestRelayAccessDeniedTellsCoordinatorOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		f.relayConfig(f.port, "none")
		denied := &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relay access denied"}
		f.smtp.mu.Lock()
		for _, p := range withEmail() {
			f.smtp.reject[p.email] = denied
		}
		f.smtp.mu.Unlock()
		w := f.relayWorker("a")
		res := run(t, w, false)
		f.checkRelayFaultRun(res, 2, 1)
		sums := f.summaries()
		if len(sums) != 1 {
			t.Fatalf("coordinator got %d summaries, want 1", len(sums))
		}
		for _, want := range []string{"feilet for flere mottakere på rad", "1 rapport(er) er ikke forsøkt sendt", "ikke mottakernes feil"} {
			if !strings.Contains(sums[0].text, want) {
				t.Errorf("summary lacks %q:\n%s", want, sums[0].text)
			}
		}

		f.smtp.mu.Lock()
		clear(f.smtp.reject)
		f.smtp.mu.Unlock()
		f.checkHealed(w, f.smtp, 3)
	})
}
