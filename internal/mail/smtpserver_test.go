package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message as the test server got it.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	User string
}

// backend is an in-process SMTP server's state: what it received and the
// failures it has been told to produce.
type backend struct {
	mu         sync.Mutex
	msgs       []received
	sessions   int
	mailCmds   int
	failMail   []error                    // returned by successive MAIL commands, consumed in order
	rejectRcpt map[string]*smtp.SMTPError // per recipient address
	failData   error                      // returned at the end of every DATA when set
	user, pass string                     // when set, AUTH PLAIN is offered and required
	token      string                     // when set (with user), XOAUTH2 is offered too, and this bearer token is accepted
	tokens     []string                   // the bearer tokens XOAUTH2 clients presented, in order
	helos      []string                   // the names clients gave in EHLO/HELO, one per session
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sessions++
	b.helos = append(b.helos, c.Hostname())
	_, isTLS := c.TLSConnectionState()
	return &session{b: b, conn: c, tls: isTLS}, nil
}

func (b *backend) messages() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

func (b *backend) counts() (sessions, mailCmds int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions, b.mailCmds
}

type session struct {
	b    *backend
	conn *smtp.Conn
	tls  bool
	user string
	cur  received
}

func (s *session) AuthMechanisms() []string {
	switch {
	case s.b.user == "":
		return nil
	case s.b.token != "":
		return []string{sasl.Plain, xoauth2}
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if mech == xoauth2 {
		return &xoauth2Server{check: s.checkToken}, nil
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.b.user || password != s.b.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.user = username
		return nil
	}), nil
}

// checkToken accepts the configured user with the configured token and
// records every token presented.
func (s *session) checkToken(username, token string) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.tokens = append(s.b.tokens, token)
	if username != s.b.user || token != s.b.token {
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful"}
	}
	s.user = username
	return nil
}

// xoauth2 is the SASL mechanism of Exchange Online and Gmail; go-sasl has
// no server side for it.
const xoauth2 = "XOAUTH2"

// xoauth2Server is the server side of XOAUTH2 as Exchange Online speaks
// it: the client's initial response is "user=U^Aauth=Bearer T^A^A"; a bad
// token gets a 334 with a JSON error, and the client's empty answer to it
// a 535.
type xoauth2Server struct {
	check  func(user, token string) error
	failed error
}

func (x *xoauth2Server) Next(response []byte) (challenge []byte, done bool, err error) {
	if x.failed != nil {
		return nil, true, x.failed
	}
	if response == nil {
		return []byte{}, false, nil // no initial response: ask for it
	}
	user, token, ok := parseXOAUTH2(string(response))
	if !ok {
		return nil, true, &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 5, 2}, Message: "malformed XOAUTH2 response"}
	}
	if err := x.check(user, token); err != nil {
		x.failed = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office365.com/.default"}`), false, nil
	}
	return nil, true, nil
}

// parseXOAUTH2 splits "user=U\x01auth=Bearer T\x01\x01" into U and T.
func parseXOAUTH2(s string) (user, token string, ok bool) {
	rest, found := strings.CutSuffix(s, "\x01\x01")
	if !found {
		return "", "", false
	}
	userPart, authPart, found := strings.Cut(rest, "\x01")
	if !found {
		return "", "", false
	}
	user, okUser := strings.CutPrefix(userPart, "user=")
	token, okAuth := strings.CutPrefix(authPart, "auth=Bearer ")
	return user, token, okUser && okAuth && user != "" && token != ""
}

func (b *backend) seenTokens() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.tokens...)
}

func (b *backend) seenHELOs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.helos...)
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.mailCmds++
	if s.b.user != "" && s.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	if len(s.b.failMail) > 0 {
		err := s.b.failMail[0]
		s.b.failMail = s.b.failMail[1:]
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.cur = received{From: from, TLS: isTLS, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if e, ok := s.b.rejectRcpt[to]; ok {
		return e
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.failData != nil {
		return s.b.failData
	}
	s.cur.Data = data
	s.b.msgs = append(s.b.msgs, s.cur)
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

// serverMode is how the test server accepts connections.
type serverMode int

const (
	plainServer    serverMode = iota // no TLS at all
	startTLSServer                   // offers STARTTLS
	implicitServer                   // TLS from the first byte
)

// testCert is a self-signed certificate for 127.0.0.1 and the pool that trusts it.
func testCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// startServer runs be on 127.0.0.1:0 until the test ends and returns its
// port and the pool that trusts its certificate.
func startServer(t testing.TB, be *backend, mode serverMode) (int, *x509.CertPool) {
	t.Helper()
	cert, pool := testCert(t)
	return startServerWithCert(t, be, mode, cert), pool
}

// startServerWithCert is startServer with a given certificate; it returns the port.
func startServerWithCert(t testing.TB, be *backend, mode serverMode, cert tls.Certificate) int {
	t.Helper()
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := smtp.NewServer(be)
	s.Domain = "localhost"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	switch mode {
	case startTLSServer:
		s.TLSConfig = tlsCfg
	case implicitServer:
		l = tls.NewListener(l, tlsCfg)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtp server: %v", err)
		}
	}()
	t.Cleanup(func() {
		// Closing the listener too: go-smtp's Close before Serve has taken
		// the listener would leave Serve waiting forever.
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	_, portText, _ := net.SplitHostPort(l.Addr().String())
	port, err := strconv.Atoi(portText)
	if err != nil {
		t.Fatalf("port of %s: %v", l.Addr(), err)
	}
	return port
}

// hungServer accepts TCP connections on 127.0.0.1:0 and never says a word,
// as a relay whose SMTP process is stuck does. It returns the port and a
// channel that gets a value each time the client gives up and closes.
func hungServer(t testing.TB) (int, <-chan struct{}) {
	t.Helper()
	closed := make(chan struct{}, 100)
	port := serveConns(t, func(c net.Conn) {
		_ = c.SetReadDeadline(time.Now().Add(time.Minute))
		_, _ = io.Copy(io.Discard, c) // returns when the client closes
		closed <- struct{}{}
	})
	return port, closed
}

// serveConns listens on 127.0.0.1:0 and hands each accepted connection to
// handle in a goroutine of its own, closing it when handle returns; at the
// end of the test it stops listening and waits for the handlers. It
// returns the port.
func serveConns(t testing.TB, handle func(net.Conn)) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		wg.Wait()
	})
	return l.Addr().(*net.TCPAddr).Port
}

// certPEM writes cert's leaf as a PEM file, as an internal CA's would be.
func certPEM(t testing.TB, cert tls.Certificate) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relay-ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testPDF draws a small real PDF.
func testPDF(t *testing.T) []byte {
	t.Helper()
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddPage()
	doc.SetFont("Helvetica", "", 14)
	doc.Cell(40, 10, "Gevinstrapport september 2025")
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		t.Fatalf("draw test pdf: %v", err)
	}
	return buf.Bytes()
}
