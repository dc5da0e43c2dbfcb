package job

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// delivered is one message as the test SMTP server accepted it.
type delivered struct {
	To   []string
	Data []byte
}

// smtpBackend is an in-process SMTP server's state: what it accepted, every
// RCPT it was asked for, and the replies it has been told to give.
type smtpBackend struct {
	mu       sync.Mutex
	msgs     []delivered
	rcpts    map[string]int               // RCPT commands per address, accepted or not
	failNext map[string][]*smtp.SMTPError // replies to the next RCPTs for an address, consumed in order
	reject   map[string]*smtp.SMTPError   // the reply to every RCPT for an address
	// user and pass, when set, make the server offer AUTH PLAIN and require it.
	user, pass string
	// token, when set with user, makes the server offer XOAUTH2 too and accept this bearer token.
	token    string
	mailCmds int      // MAIL commands, accepted or not
	helos    []string // the EHLO names clients gave, one per session
}

func newSMTPBackend() *smtpBackend {
	return &smtpBackend{
		rcpts:    map[string]int{},
		failNext: map[string][]*smtp.SMTPError{},
		reject:   map[string]*smtp.SMTPError{},
	}
}

// NewSession implements smtp.Backend.
func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.helos = append(b.helos, c.Hostname())
	return &smtpSession{b: b}, nil
}

// seenHELOs returns the EHLO names the server was given.
func (b *smtpBackend) seenHELOs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.helos...)
}

// failOnce makes the next RCPT for addr get reply code (4xx or 5xx).
func (b *smtpBackend) failOnce(addr string, code int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failNext[addr] = append(b.failNext[addr], replyFor(code))
}

// rejectAlways makes every RCPT for addr get reply code.
func (b *smtpBackend) rejectAlways(addr string, code int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reject[addr] = replyFor(code)
}

func replyFor(code int) *smtp.SMTPError {
	class := code / 100
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, 1, 1}, Message: "test reply " + strconv.Itoa(code)}
}

// messages returns what the server accepted so far.
func (b *smtpBackend) messages() []delivered {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]delivered(nil), b.msgs...)
}

// to returns the accepted messages addressed to addr.
func (b *smtpBackend) to(addr string) []delivered {
	var out []delivered
	for _, m := range b.messages() {
		for _, r := range m.To {
			if r == addr {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// rcptCount is how many RCPT commands named addr.
func (b *smtpBackend) rcptCount(addr string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rcpts[addr]
}

type smtpSession struct {
	b      *smtpBackend
	cur    delivered
	authed bool
}

// AuthMechanisms offers AUTH PLAIN when the backend has a user, and
// XOAUTH2 too when it has a token.
func (s *smtpSession) AuthMechanisms() []string {
	switch {
	case s.b.user == "":
		return nil
	case s.b.token != "":
		return []string{sasl.Plain, "XOAUTH2"}
	}
	return []string{sasl.Plain}
}

// Auth checks the credentials, answering 535 to wrong ones.
func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech == "XOAUTH2" {
		return &xoauth2Server{accept: func(user, token string) bool {
			if user != s.b.user || token != s.b.token {
				return false
			}
			s.authed = true
			return true
		}}, nil
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.b.user || password != s.b.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}

// xoauth2Server is the server side of XOAUTH2 as Exchange Online speaks
// it (go-sasl has none): the initial response "user=U^Aauth=Bearer T^A^A";
// a refused token gets a 334 with a JSON error, then a 535.
type xoauth2Server struct {
	accept  func(user, token string) bool
	refused bool
}

func (x *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if x.refused {
		return nil, true, &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful"}
	}
	if response == nil {
		return []byte{}, false, nil
	}
	fields := strings.Split(strings.TrimSuffix(string(response), "\x01\x01"), "\x01")
	user, okUser := strings.CutPrefix(fields[0], "user=")
	var token string
	okToken := len(fields) == 2
	if okToken {
		token, okToken = strings.CutPrefix(fields[1], "auth=Bearer ")
	}
	if !okUser || !okToken || !x.accept(user, token) {
		x.refused = true
		return []byte(`{"status":"401","schemes":"bearer"}`), false, nil
	}
	return nil, true, nil
}

func (s *smtpSession) Mail(string, *smtp.MailOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.mailCmds++
	if s.b.user != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	s.cur = delivered{}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.rcpts[to]++
	if e, ok := s.b.reject[to]; ok {
		return e
	}
	if next := s.b.failNext[to]; len(next) > 0 {
		s.b.failNext[to] = next[1:]
		return next[0]
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.cur.Data = data
	s.b.msgs = append(s.b.msgs, s.cur)
	return nil
}

func (s *smtpSession) Reset()        { s.cur = delivered{} }
func (s *smtpSession) Logout() error { return nil }

// startSMTP serves b in clear on 127.0.0.1 (port 0: any free port) until
// the returned stop is called or the test ends, and returns the port.
func startSMTP(t *testing.T, b *smtpBackend, port int) (int, func()) {
	t.Helper()
	return startSMTPWith(t, b, port, nil)
}

// startSMTPWith is startSMTP offering STARTTLS with tlsCfg when it is not nil.
func startSMTPWith(t *testing.T, b *smtpBackend, port int, tlsCfg *tls.Config) (int, func()) {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.TLSConfig = tlsCfg
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("smtp server: %v", err)
		}
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			// Close the listener too: a Close that comes before Serve has
			// registered it would otherwise leave Serve accepting forever.
			_ = s.Close()
			_ = l.Close()
			<-done
		})
	}
	t.Cleanup(stop)
	return l.Addr().(*net.TCPAddr).Port, stop
}

// freePort returns a port on 127.0.0.1 that nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
