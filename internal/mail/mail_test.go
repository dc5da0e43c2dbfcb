package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/testdns"
)

const norwegianSubject = "Gevinstrapport september 2025 – Kari Nordmann (Snåsa, Øksendal, Ærø)"

// fakeSleep records the waits instead of sleeping.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	return nil
}

func (f *fakeSleep) recorded() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

func testMessage(t *testing.T, to string) Message {
	t.Helper()
	return Message{
		To:      []Address{{Name: "Kari Nordmann", Email: to}},
		Subject: norwegianSubject,
		Text:    "Hei Kari,\n\nVedlagt finner du gevinstrapporten for september 2025.\nSpørsmål? Kontakt gevinstkoordinatoren.\n",
		Attachments: []Attachment{{
			Name:        "Gevinstrapport 2025-09 Kari Nordmann/Snåsa.pdf",
			ContentType: "application/pdf",
			Data:        testPDF(t),
		}},
		ID: "monthly-owner.2025-09.P-042",
	}
}

func testConfig(port int, mode TLSMode) Config {
	return Config{
		Host:    "127.0.0.1",
		Port:    port,
		TLS:     mode,
		From:    "Gevinstrapport <gevinst@example.no>",
		Timeout: 5 * time.Second,
		Retries: 3,
		Backoff: time.Second,
	}
}

// parsedMail is the part of a received message the tests look at.
type parsedMail struct {
	header         netmail.Header
	subject        string
	text           string
	attachmentName string
	attachmentType string
	attachment     []byte
}

// parseMail checks that data is a valid MIME message with one text part and
// one attachment, and decodes them.
func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	var p parsedMail
	p.header = msg.Header
	dec := new(mime.WordDecoder)
	if p.subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("decode subject %q: %v", msg.Header.Get("Subject"), err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("parse content type: %v", err)
	}
	if mediaType != "multipart/mixed" {
		t.Fatalf("content type = %q, want multipart/mixed", mediaType)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("next MIME part: %v", err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("read MIME part: %v", err)
		}
		partType, partParams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("parse part content type %q: %v", part.Header.Get("Content-Type"), err)
		}
		disposition, _, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		switch {
		case disposition == "attachment":
			if p.attachment != nil {
				t.Fatalf("more than one attachment")
			}
			if enc := part.Header.Get("Content-Transfer-Encoding"); enc != "base64" {
				t.Fatalf("attachment encoding = %q, want base64", enc)
			}
			p.attachment, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
			if err != nil {
				t.Fatalf("decode attachment: %v", err)
			}
			p.attachmentName = part.FileName()
			p.attachmentType = partType
			// Clients that ignore RFC 2231 read the RFC 2047 name; it must say the same.
			if name, err := dec.DecodeHeader(partParams["name"]); err != nil || name != p.attachmentName {
				t.Fatalf("Content-Type name %q decodes to %q (%v), want %q", partParams["name"], name, err, p.attachmentName)
			}
		case partType == "text/plain":
			if !strings.EqualFold(partParams["charset"], "utf-8") {
				t.Fatalf("text charset = %q, want UTF-8", partParams["charset"])
			}
			p.text = string(body) // multipart decodes quoted-printable itself
		default:
			t.Fatalf("unexpected part %q", partType)
		}
	}
	return p
}

// checkDelivered checks the parsed message against what was sent.
func checkDelivered(t *testing.T, got parsedMail, sent Message) {
	t.Helper()
	if got.subject != sent.Subject {
		t.Errorf("subject = %q, want %q", got.subject, sent.Subject)
	}
	if strings.ReplaceAll(got.text, "\r\n", "\n") != sent.Text {
		t.Errorf("text = %q, want %q", got.text, sent.Text)
	}
	if got.attachmentType != "application/pdf" {
		t.Errorf("attachment type = %q, want application/pdf", got.attachmentType)
	}
	if want := "Gevinstrapport-2025-09-Kari-Nordmann-Snåsa.pdf"; got.attachmentName != want {
		t.Errorf("attachment name = %q, want %q", got.attachmentName, want)
	}
	if !bytes.Equal(got.attachment, sent.Attachments[0].Data) {
		t.Errorf("attachment differs from the PDF sent (%d bytes, want %d)", len(got.attachment), len(sent.Attachments[0].Data))
	}
	if !bytes.HasPrefix(got.attachment, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(got.attachment), []byte("%%EOF")) {
		t.Errorf("attachment is not a whole PDF: starts %q", got.attachment[:min(8, len(got.attachment))])
	}
	if id := got.header.Get("Message-Id"); id != "<monthly-owner.2025-09.P-042@example.no>" {
		t.Errorf("Message-ID = %q", id)
	}
	if _, err := got.header.Date(); err != nil {
		t.Errorf("Date header: %v", err)
	}
	from, err := got.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "gevinst@example.no" {
		t.Errorf("From = %v (%v)", from, err)
	}
	to, err := got.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != sent.To[0].Email || to[0].Name != sent.To[0].Name {
		t.Errorf("To = %v (%v)", to, err)
	}
}

func TestSendDelivers(t *testing.T) {
	tests := []struct {
		name    string
		server  serverMode
		mode    TLSMode
		auth    bool
		wantTLS bool
	}{
		{name: "none", server: plainServer, mode: TLSNone},
		{name: "starttls", server: startTLSServer, mode: TLSStartTLS, wantTLS: true},
		{name: "starttls with auth plain", server: startTLSServer, mode: TLSStartTLS, auth: true, wantTLS: true},
		{name: "implicit tls with auth plain", server: implicitServer, mode: TLSImplicit, auth: true, wantTLS: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{}
			if tt.auth {
				be.user, be.pass = "gevinstrapport", "s3cret-æøå"
			}
			port, pool := startServer(t, be, tt.server)
			cfg := testConfig(port, tt.mode)
			cfg.RootCAs = pool
			if tt.auth {
				cfg.Username, cfg.Password = be.user, be.pass
			}
			sleeper := &fakeSleep{}
			s, err := NewSender(cfg, WithSleep(sleeper.sleep))
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			m := testMessage(t, "kari.nordmann@example.no")
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			msgs := be.messages()
			if len(msgs) != 1 {
				t.Fatalf("server received %d messages, want 1", len(msgs))
			}
			got := msgs[0]
			if got.TLS != tt.wantTLS {
				t.Errorf("received over TLS = %v, want %v", got.TLS, tt.wantTLS)
			}
			if tt.auth && got.User != be.user {
				t.Errorf("authenticated user = %q, want %q", got.User, be.user)
			}
			if got.From != "gevinst@example.no" || len(got.To) != 1 || got.To[0] != "kari.nordmann@example.no" {
				t.Errorf("envelope from %q to %v", got.From, got.To)
			}
			if w := sleeper.recorded(); len(w) != 0 {
				t.Errorf("waited %v on a clean delivery", w)
			}
			checkDelivered(t, parseMail(t, got.Data), m)
		})
	}
}

func TestSendRetriesTransientReply(t *testing.T) {
	be := &backend{failMail: []error{&smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "try again later"}}}
	port, _ := startServer(t, be, plainServer)
	sleeper := &fakeSleep{}
	var retries []int
	s, err := NewSender(testConfig(port, TLSNone), WithSleep(sleeper.sleep),
		WithRetryHook(func(attempt int, err error, _ time.Duration) {
			if IsPermanent(err) {
				t.Errorf("retried error is permanent: %v", err)
			}
			retries = append(retries, attempt)
		}))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	m := testMessage(t, "kari.nordmann@example.no")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := len(be.messages()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
	if len(retries) != 1 || retries[0] != 1 {
		t.Errorf("retries recorded = %v, want [1]", retries)
	}
	if w := sleeper.recorded(); len(w) != 1 || w[0] != time.Second {
		t.Errorf("waits = %v, want [1s]", w)
	}
	if sessions, mails := be.counts(); sessions != 2 || mails != 2 {
		t.Errorf("server saw %d sessions and %d MAIL commands, want 2 and 2", sessions, mails)
	}
	checkDelivered(t, parseMail(t, be.messages()[0].Data), m)
}

func TestSendPermanentRejection(t *testing.T) {
	be := &backend{rejectRcpt: map[string]*smtp.SMTPError{
		"gone@example.no": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"},
	}}
	port, _ := startServer(t, be, plainServer)
	sleeper := &fakeSleep{}
	s, err := NewSender(testConfig(port, TLSNone), WithSleep(sleeper.sleep))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), testMessage(t, "gone@example.no"))
	if err == nil {
		t.Fatal("Send to a rejected mailbox succeeded")
	}
	if !IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = false, want true", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != 550 || e.Attempts != 1 {
		t.Errorf("error = %#v, want code 550 after 1 attempt", e)
	}
	if w := sleeper.recorded(); len(w) != 0 {
		t.Errorf("a permanent failure was retried (waits %v)", w)
	}
	if _, mails := be.counts(); mails != 1 {
		t.Errorf("server saw %d MAIL commands, want 1", mails)
	}

	m := testMessage(t, "ola.nordmann@example.no")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send to the next recipient: %v", err)
	}
	msgs := be.messages()
	if len(msgs) != 1 || msgs[0].To[0] != "ola.nordmann@example.no" {
		t.Fatalf("server received %+v, want one message to ola.nordmann@example.no", msgs)
	}
}

func TestSendServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		t.Fatalf("close listener: %v", err)
	}
	sleeper := &fakeSleep{}
	cfg := testConfig(port, TLSStartTLS)
	s, err := NewSender(cfg, WithSleep(sleeper.sleep))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	start := time.Now()
	err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("Send with the server down succeeded")
	}
	if IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want false", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Attempts != cfg.Retries+1 {
		t.Errorf("error = %v, want %d attempts", err, cfg.Retries+1)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
	if got := sleeper.recorded(); !equalDurations(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	t.Logf("four refused attempts took %v with the sleep injected", elapsed)
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSendRepliesByStep: whose fault a 5xx is depends on the step it
// answers, as a real server gives it: MAIL FROM and DATA are the relay's
// (the same for every recipient), RCPT TO the recipient's unless it denies
// relaying, and a late rejection after DATA that names the mailbox the
// recipient's.
func TestSendRepliesByStep(t *testing.T) {
	reply := func(code int, class, subject, detail int) *smtp.SMTPError {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: "test reply"}
	}
	tests := []struct {
		name  string
		be    *backend
		fault Fault
		code  int
	}{
		{name: "550 to MAIL FROM", be: &backend{failMail: []error{reply(550, 5, 7, 1)}}, fault: FaultRelay, code: 550},
		{name: "550 5.1.1 to RCPT TO", be: &backend{rejectRcpt: map[string]*smtp.SMTPError{"kari.nordmann@example.no": reply(550, 5, 1, 1)}}, fault: FaultRecipient, code: 550},
		{name: "554 5.7.1 to RCPT TO", be: &backend{rejectRcpt: map[string]*smtp.SMTPError{"kari.nordmann@example.no": reply(554, 5, 7, 1)}}, fault: FaultRelay, code: 554},
		{name: "450 to RCPT TO", be: &backend{rejectRcpt: map[string]*smtp.SMTPError{"kari.nordmann@example.no": reply(450, 4, 2, 1)}}, fault: FaultRecipientTemporary, code: 450},
		{name: "552 5.3.4 to DATA", be: &backend{failData: reply(552, 5, 3, 4)}, fault: FaultRelay, code: 552},
		{name: "550 5.1.1 after DATA", be: &backend{failData: reply(550, 5, 1, 1)}, fault: FaultRecipient, code: 550},
		{name: "451 to DATA", be: &backend{failData: reply(451, 4, 3, 0)}, fault: FaultRelayTemporary, code: 451},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, _ := startServer(t, tt.be, plainServer)
			cfg := testConfig(port, TLSNone)
			cfg.Retries = 0
			s, err := NewSender(cfg, WithSleep((&fakeSleep{}).sleep))
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
			var e *Error
			if !errors.As(err, &e) || e.Fault != tt.fault || e.Code != tt.code {
				t.Errorf("Send = %v; want fault %v with code %d", err, tt.fault, tt.code)
			}
		})
	}
}

func TestSendStartTLSRequired(t *testing.T) {
	be := &backend{}
	port, _ := startServer(t, be, plainServer)
	sleeper := &fakeSleep{}
	s, err := NewSender(testConfig(port, TLSStartTLS), WithSleep(sleeper.sleep))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
	if err == nil {
		t.Fatal("Send without STARTTLS succeeded")
	}
	checkRelayFault(t, err, FaultRelay, 0)
	if w := sleeper.recorded(); len(w) != 0 {
		t.Errorf("a relay without STARTTLS was retried at once (waits %v)", w)
	}
	if n := len(be.messages()); n != 0 {
		t.Errorf("server received %d messages in clear", n)
	}
	if _, mails := be.counts(); mails != 0 {
		t.Errorf("client sent %d MAIL commands in clear", mails)
	}
}

// checkRelayFault fails unless err is the relay's fault with the given
// fault and reply code, after one attempt, and not the recipient's.
func checkRelayFault(t *testing.T, err error, fault Fault, code int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Fault != fault || e.Code != code || IsPermanent(err) || !IsRelay(err) {
		t.Errorf("error %v: fault %v code %d permanent %v; want %v, code %d, never permanent for the recipient",
			err, e.Fault, e.Code, IsPermanent(err), fault, code)
	}
	if fault == FaultRelay && e.Attempts != 1 {
		t.Errorf("attempts = %d, want 1 (retrying at once cannot help)", e.Attempts)
	}
}

// TestSendUntrustedCertificate: a relay whose self-signed certificate the
// system does not trust is the relay's fault; once its certificate is
// given as the CA file (smtp.ca_file), the same relay delivers.
func TestSendUntrustedCertificate(t *testing.T) {
	be := &backend{}
	cert, _ := testCert(t)
	port := startServerWithCert(t, be, startTLSServer, cert)
	s, err := NewSender(testConfig(port, TLSStartTLS), WithSleep((&fakeSleep{}).sleep))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
	if err == nil {
		t.Fatal("Send to a server with an untrusted certificate succeeded")
	}
	checkRelayFault(t, err, FaultRelay, 0)
	if n := len(be.messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}

	pool, err := CertPool(certPEM(t, cert))
	if err != nil {
		t.Fatalf("CertPool: %v", err)
	}
	cfg := testConfig(port, TLSStartTLS)
	cfg.RootCAs = pool
	s, err = NewSender(cfg)
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	if err := s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no")); err != nil {
		t.Fatalf("Send with the CA file: %v", err)
	}
	if msgs := be.messages(); len(msgs) != 1 || !msgs[0].TLS {
		t.Errorf("server received %d messages (%+v), want 1 over TLS", len(msgs), msgs)
	}
	if _, err := CertPool(filepath.Join(t.TempDir(), "none.pem")); err == nil {
		t.Error("CertPool accepted a missing file")
	}
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := CertPool(notPEM); err == nil {
		t.Error("CertPool accepted a file without a PEM certificate")
	}
}

// TestSendWrongPassword: a 535 is the relay's (our configuration's) fault,
// never the recipient's, and is not retried at once (an account may lock).
func TestSendWrongPassword(t *testing.T) {
	be := &backend{user: "gevinstrapport", pass: "the-right-one"}
	port, pool := startServer(t, be, startTLSServer)
	cfg := testConfig(port, TLSStartTLS)
	cfg.RootCAs = pool
	cfg.Username, cfg.Password = "gevinstrapport", "a-wrong-one"
	sleeper := &fakeSleep{}
	s, err := NewSender(cfg, WithSleep(sleeper.sleep))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	checkRelayFault(t, err, FaultRelay, 535)
	if _, mails := be.counts(); mails != 0 {
		t.Errorf("server saw %d MAIL commands, want 0", mails)
	}
	if !strings.Contains(Explain(err), "smtp.username") {
		t.Errorf("Explain = %q, want a hint at smtp.username and the password", Explain(err))
	}
}

// TestSendHungRelay: a relay that accepts TCP and never answers costs one
// smtp.timeout per attempt, and no attempt outlives the caller's deadline.
func TestSendHungRelay(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		port, closed := hungServer(t)
		cfg := testConfig(port, TLSNone)
		cfg.Timeout, cfg.Retries = 100*time.Millisecond, 1
		s, err := NewSender(cfg, WithSleep((&fakeSleep{}).sleep))
		if err != nil {
			t.Fatalf("NewSender: %v", err)
		}
		err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
		checkRelayFault(t, err, FaultRelayTemporary, 0)
		var e *Error
		if errors.As(err, &e) && e.Attempts != 2 {
			t.Errorf("attempts = %d, want 2 (retries: 1)", e.Attempts)
		}
		for range 2 {
			<-closed
		}
	})
	t.Run("deadline", func(t *testing.T) {
		port, closed := hungServer(t)
		cfg := testConfig(port, TLSNone)
		cfg.Timeout = time.Minute
		s, err := NewSender(cfg) // the real wait, which ends with the deadline
		if err != nil {
			t.Fatalf("NewSender: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- s.Send(ctx, testMessage(t, "kari.nordmann@example.no")) }()
		// A guard, not a measurement: with a one-minute smtp.timeout the
		// connection would stay open far beyond it without the deadline.
		select {
		case <-closed:
		case <-time.After(20 * time.Second):
			t.Fatal("Send still holds the hung connection long after its deadline")
		}
		err = <-done
		checkRelayFault(t, err, FaultRelayTemporary, 0)
		var e *Error
		if errors.As(err, &e) && e.Attempts != 1 {
			t.Errorf("attempts = %d, want 1: no retry after the deadline", e.Attempts)
		}
	})
}

// TestSendUnknownHost: a relay name that does not resolve is the relay's
// fault. The name is looked up only in an in-process DNS server, never a
// real one; once the name is added there, the same Sender delivers.
func TestSendUnknownHost(t *testing.T) {
	dns := testdns.Start(t)
	be := &backend{}
	port, _ := startServer(t, be, plainServer)
	cfg := testConfig(port, TLSNone)
	cfg.Host = "relay.gevinst.test"
	s, err := NewSender(cfg, WithSleep((&fakeSleep{}).sleep), WithResolver(dns.Resolver()))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
	if err == nil {
		t.Fatal("Send to an unknown host succeeded")
	}
	checkRelayFault(t, err, FaultRelay, 0)
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("error %v is not a DNS not-found error", err)
	}

	dns.Set("relay.gevinst.test", net.IPv4(127, 0, 0, 1))
	if err := s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no")); err != nil {
		t.Fatalf("Send once the name resolves: %v", err)
	}
	if n := len(be.messages()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
}

// TestProbe: the connection test says EHLO, STARTTLS and AUTH and QUIT
// without a MAIL command, and words each failure for the operator.
func TestProbe(t *testing.T) {
	const user, pass = "gevinstrapport", "s3cret"
	tests := []struct {
		name     string
		server   serverMode
		mode     TLSMode
		password string
		trust    bool
		wantErr  string // in Explain; "" for success
	}{
		{name: "starttls with auth", server: startTLSServer, mode: TLSStartTLS, password: pass, trust: true},
		{name: "wrong password", server: startTLSServer, mode: TLSStartTLS, password: "wrong", trust: true, wantErr: "smtp.username"},
		{name: "untrusted certificate", server: startTLSServer, mode: TLSStartTLS, password: pass, wantErr: "smtp.ca_file"},
		{name: "no starttls", server: plainServer, mode: TLSStartTLS, password: pass, wantErr: "STARTTLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := &backend{user: user, pass: pass}
			port, pool := startServer(t, be, tt.server)
			cfg := testConfig(port, tt.mode)
			cfg.Username, cfg.Password = user, tt.password
			if tt.trust {
				cfg.RootCAs = pool
			}
			s, err := NewSender(cfg)
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			p, err := s.Probe(context.Background())
			if _, mails := be.counts(); mails != 0 {
				t.Errorf("the probe sent %d MAIL commands", mails)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Probe: %v", err)
				}
				if !p.Authenticated || !strings.HasPrefix(p.TLSVersion, "TLS 1.") || !strings.Contains(p.String(), "nothing sent") {
					t.Errorf("probe = %+v (%s)", p, p)
				}
				return
			}
			if err == nil {
				t.Fatalf("Probe succeeded: %s", p)
			}
			if !IsRelay(err) || !strings.Contains(Explain(err), tt.wantErr) {
				t.Errorf("Probe error %v, explained %q; want the relay's fault and %q", err, Explain(err), tt.wantErr)
			}
			if strings.Contains(err.Error(), pass) {
				t.Errorf("error contains the password: %v", err)
			}
		})
	}
	t.Run("hung", func(t *testing.T) {
		port, _ := hungServer(t)
		cfg := testConfig(port, TLSNone)
		cfg.Timeout = 100 * time.Millisecond
		s, err := NewSender(cfg)
		if err != nil {
			t.Fatalf("NewSender: %v", err)
		}
		_, err = s.Probe(context.Background())
		if err == nil || !strings.Contains(Explain(err), "smtp.timeout") {
			t.Errorf("Probe of a hung relay: %v, explained %q", err, Explain(err))
		}
	})
}

func TestSendKeepsPasswordOutOfErrorsAndLogs(t *testing.T) {
	const password = "hemmelig-Passord-42"
	tests := []struct {
		name      string
		be        *backend
		wantFault Fault
	}{
		{name: "wrong password", be: &backend{user: "gevinstrapport", pass: "something-else"}, wantFault: FaultRelay},
		{name: "transient reply retried", be: &backend{user: "gevinstrapport", pass: password, failMail: []error{
			&smtp.SMTPError{Code: 451, Message: "local error " + password},
			&smtp.SMTPError{Code: 451, Message: "local error " + password},
		}}, wantFault: FaultRelayTemporary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, pool := startServer(t, tt.be, startTLSServer)
			cfg := testConfig(port, TLSStartTLS)
			cfg.RootCAs = pool
			cfg.Username, cfg.Password = "gevinstrapport", password
			cfg.Retries = 1
			var logs bytes.Buffer
			s, err := NewSender(cfg, WithSleep((&fakeSleep{}).sleep), WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			err = s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no"))
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if FaultOf(err) != tt.wantFault || IsPermanent(err) {
				t.Errorf("FaultOf(%v) = %v, want %v", err, FaultOf(err), tt.wantFault)
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("error contains the password: %v", err)
			}
			if strings.Contains(logs.String(), password) {
				t.Errorf("log contains the password: %s", logs.String())
			}
			if tt.wantFault == FaultRelayTemporary && !strings.Contains(logs.String(), "will retry") {
				t.Errorf("retry was not logged: %q", logs.String())
			}
		})
	}
}

func TestSendRejectsInvalidMessage(t *testing.T) {
	s, err := NewSender(testConfig(2525, TLSNone))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	tests := []struct {
		name string
		m    Message
	}{
		{name: "no recipient", m: Message{Subject: "s", Text: "t"}},
		{name: "recipient with display name in email", m: Message{To: []Address{{Email: "Kari <kari@example.no>"}}, Subject: "s"}},
		{name: "recipient not an address", m: Message{To: []Address{{Email: "kari"}}, Subject: "s"}},
		{name: "empty subject", m: Message{To: []Address{{Email: "kari@example.no"}}, Subject: "  "}},
		{name: "empty attachment", m: Message{To: []Address{{Email: "kari@example.no"}}, Subject: "s", Attachments: []Attachment{{Name: "a.pdf"}}}},
		{name: "bad content type", m: Message{To: []Address{{Email: "kari@example.no"}}, Subject: "s", Attachments: []Attachment{{Name: "a.pdf", ContentType: "application/", Data: pdf}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Send(context.Background(), tt.m)
			if err == nil {
				t.Fatal("Send accepted an invalid message")
			}
			if !IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = false, want true", err)
			}
			if err := WriteEML(io.Discard, tt.m, "gevinst@example.no", time.Now()); err == nil {
				t.Error("WriteEML accepted an invalid message")
			}
		})
	}
}

func TestSendStopsWhenContextEnds(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	attempts := 0
	s, err := NewSender(testConfig(port, TLSNone),
		WithRetryHook(func(int, error, time.Duration) { attempts++; cancel() }))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	err = s.Send(ctx, testMessage(t, "kari.nordmann@example.no"))
	if err == nil || IsPermanent(err) {
		t.Fatalf("Send = %v, want a transient error", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v does not say the context was cancelled", err)
	}
	if attempts != 1 {
		t.Errorf("retries after cancel = %d, want 1", attempts)
	}
}

func TestNewSender(t *testing.T) {
	ok := Config{Host: "smtp.example.no", From: "Gevinstrapport <gevinst@example.no>"}
	tests := []struct {
		name     string
		change   func(*Config)
		wantErr  bool
		wantPort int
		wantTLS  TLSMode
	}{
		{name: "defaults", change: func(*Config) {}, wantPort: 587, wantTLS: TLSStartTLS},
		{name: "implicit tls port", change: func(c *Config) { c.TLS = TLSImplicit }, wantPort: 465, wantTLS: TLSImplicit},
		{name: "none port", change: func(c *Config) { c.TLS = TLSNone }, wantPort: 25, wantTLS: TLSNone},
		{name: "explicit port", change: func(c *Config) { c.Port = 2525 }, wantPort: 2525, wantTLS: TLSStartTLS},
		{name: "no host", change: func(c *Config) { c.Host = " " }, wantErr: true},
		{name: "bad tls mode", change: func(c *Config) { c.TLS = "ssl" }, wantErr: true},
		{name: "bad port", change: func(c *Config) { c.Port = 70000 }, wantErr: true},
		{name: "bad from", change: func(c *Config) { c.From = "not an address" }, wantErr: true},
		{name: "no from", change: func(c *Config) { c.From = "" }, wantErr: true},
		{name: "user without password", change: func(c *Config) { c.Username = "u" }, wantErr: true},
		{name: "auth in clear", change: func(c *Config) { c.Username, c.Password, c.TLS = "u", "p", TLSNone }, wantErr: true},
		{name: "negative retries", change: func(c *Config) { c.Retries = -1 }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.change(&cfg)
			s, err := NewSender(cfg)
			if tt.wantErr {
				if err == nil {
					t.Fatal("NewSender accepted an invalid config")
				}
				return
			}
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			if s.cfg.Port != tt.wantPort || s.cfg.TLS != tt.wantTLS || s.cfg.Timeout != DefaultTimeout || s.cfg.Backoff != DefaultBackoff {
				t.Errorf("config = port %d tls %q timeout %v backoff %v", s.cfg.Port, s.cfg.TLS, s.cfg.Timeout, s.cfg.Backoff)
			}
		})
	}
}

// droppingServer accepts SMTP on 127.0.0.1:0, takes one message, answers
// 250 to its DATA and then drops the connection, as a server that crashes
// right after accepting a message does. It returns the port and a counter
// of accepted messages.
func droppingServer(t *testing.T) (int, func() int) {
	t.Helper()
	var mu sync.Mutex
	accepted := 0
	port := serveConns(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		tp := textproto.NewConn(c)
		_ = tp.PrintfLine("220 localhost ESMTP")
		for {
			line, err := tp.ReadLine()
			if err != nil {
				return
			}
			switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
			case "DATA":
				_ = tp.PrintfLine("354 go ahead")
				if _, err := tp.ReadDotBytes(); err != nil {
					return
				}
				mu.Lock()
				accepted++
				mu.Unlock()
				_ = tp.PrintfLine("250 2.0.0 queued")
				return // drop the connection before RSET/QUIT
			case "QUIT":
				_ = tp.PrintfLine("221 bye")
				return
			default:
				_ = tp.PrintfLine("250 ok")
			}
		}
	})
	return port, func() int {
		mu.Lock()
		defer mu.Unlock()
		return accepted
	}
}

func TestSendAcceptedThenDroppedIsNotResent(t *testing.T) {
	port, accepted := droppingServer(t)
	sleeper := &fakeSleep{}
	s, err := NewSender(testConfig(port, TLSNone), WithSleep(sleeper.sleep))
	if err != nil {
		t.Fatalf("NewSender: %v", err)
	}
	if err := s.Send(context.Background(), testMessage(t, "kari.nordmann@example.no")); err != nil {
		t.Fatalf("Send: %v (the server had accepted the message)", err)
	}
	if n := accepted(); n != 1 {
		t.Errorf("server accepted %d messages, want 1", n)
	}
	if w := sleeper.recorded(); len(w) != 0 {
		t.Errorf("retried after the server accepted the message (waits %v)", w)
	}
}
