// Package mail delivers the reports by email over SMTP (STARTTLS, implicit
// TLS or plain), retries transient failures with backoff, writes the same
// messages as .eml files for preview, and words the mails from the embedded
// templates in templates/mail.
package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"os"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

// TLS modes of the smtp.tls config key.
const (
	// TLSStartTLS upgrades a plain connection with STARTTLS and refuses to send when the server does not offer it.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465 style).
	TLSImplicit TLSMode = "tls"
	// TLSNone sends in clear; only for a relay on the local host or network.
	TLSNone TLSMode = "none"
)

// Defaults applied by NewSender to zero Config fields.
const (
	DefaultTimeout = 30 * time.Second
	DefaultBackoff = 5 * time.Second
	maxBackoff     = 10 * time.Minute
)

// AuthMechanism is how the Sender authenticates (the smtp.auth config key).
type AuthMechanism string

// AUTH mechanisms of the smtp.auth config key.
const (
	// AuthAuto uses the strongest password mechanism the relay offers
	// (SCRAM, CRAM-MD5, PLAIN, LOGIN); never XOAUTH2.
	AuthAuto AuthMechanism = "auto"
	// AuthPlain is AUTH PLAIN with the password.
	AuthPlain AuthMechanism = "plain"
	// AuthLogin is AUTH LOGIN with the password (older Exchange servers).
	AuthLogin AuthMechanism = "login"
	// AuthXOAUTH2 is AUTH XOAUTH2 with an OAuth 2.0 access token from
	// Config.Token (Exchange Online / Microsoft 365, Gmail).
	AuthXOAUTH2 AuthMechanism = "xoauth2"
)

// Config is how to reach and authenticate to the SMTP server.
type Config struct {
	Host     string
	Port     int           // 0: 587 for starttls, 465 for tls, 25 for none
	TLS      TLSMode       // "": starttls
	Auth     AuthMechanism // "": auto
	Username string        // AUTH is used only when set
	Password string        // never logged, never put into errors
	// Token gives the access token before every connection for AuthXOAUTH2;
	// like the password, the token is never logged nor put into errors.
	Token TokenSource
	From  string // "Gevinstrapport <gevinst@example.no>"
	// HELO is the name the Sender gives in EHLO; "": the host name of this machine.
	HELO string
	// SMIME, when set, signs every message with S/MIME (multipart/signed)
	// with this certificate and its private key.
	SMIME   *tls.Certificate
	Timeout time.Duration
	// InsecureSkipVerify turns off certificate checks; for tests only.
	InsecureSkipVerify bool
	// RootCAs replaces the system roots when set; see CertPool for smtp.ca_file.
	RootCAs *x509.CertPool
	Retries int           // retries after the first attempt for transient failures; 0: one try
	Backoff time.Duration // wait before the first retry; doubles for each further retry
}

// Address is one recipient.
type Address struct {
	Name  string
	Email string
}

// Attachment is one file attached to a message.
type Attachment struct {
	Name        string // made safe with SafeFileName when written
	ContentType string // "": derived from the name's extension
	Data        []byte
}

// Message is one email to send or preview.
type Message struct {
	To          []Address
	Subject     string
	Text        string
	Attachments []Attachment
	// ReplyTo is where replies go ("Name <addr>" or an address); "": no Reply-To header.
	ReplyTo string
	// ID is stable per (job, period, recipient) and becomes the Message-ID,
	// so that retries and resends of the same report are recognisable.
	ID string
}

// Sender delivers messages to one SMTP server; it is safe for concurrent use.
type Sender struct {
	cfg     Config
	from    *netmail.Address
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	onRetry func(attempt int, err error, wait time.Duration)
	log     *slog.Logger
	// resolver, when set, resolves the relay's host name instead of the
	// system resolver (tests); not used with implicit TLS.
	resolver *net.Resolver
}

// Option adjusts a Sender built by NewSender.
type Option func(*Sender)

// WithClock sets the clock that dates the messages.
func WithClock(now func() time.Time) Option { return func(s *Sender) { s.now = now } }

// WithSleep replaces the backoff wait, so tests need not wait for real.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(s *Sender) { s.sleep = sleep }
}

// WithRetryHook is called before each retry with the attempt that failed (1-based), its error and the wait.
func WithRetryHook(hook func(attempt int, err error, wait time.Duration)) Option {
	return func(s *Sender) { s.onRetry = hook }
}

// WithResolver makes the Sender look the relay's host name up with r
// instead of the system resolver, so tests can make a name unknown without
// asking a real DNS server. It applies to starttls and none; implicit TLS
// dials with the system resolver.
func WithResolver(r *net.Resolver) Option { return func(s *Sender) { s.resolver = r } }

// WithLogger sets where retries are logged; the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Sender) { s.log = l } }

// NewSender validates cfg, fills in defaults and returns a Sender.
func NewSender(cfg Config, opts ...Option) (*Sender, error) {
	if strings.TrimSpace(cfg.Host) == "" {
		return nil, errors.New("smtp config: host is empty")
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return nil, fmt.Errorf("smtp config: tls %q is not one of starttls, tls, none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[cfg.TLS]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp config: port %d is out of range", cfg.Port)
	}
	if err := checkAuth(cfg); err != nil {
		return nil, err
	}
	if cfg.Auth == "" {
		cfg.Auth = AuthAuto
	}
	if strings.ContainsAny(cfg.HELO, " \t\r\n") {
		return nil, fmt.Errorf("smtp config: helo %q is not a host name", cfg.HELO)
	}
	if cfg.From == "" {
		return nil, errors.New("smtp config: from is empty")
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp config: from %q: %w", cfg.From, err)
	}
	if cfg.Timeout < 0 || cfg.Retries < 0 || cfg.Backoff < 0 {
		return nil, errors.New("smtp config: timeout, retries and backoff must not be negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = DefaultBackoff
	}
	s := &Sender{
		cfg:     cfg,
		from:    from,
		now:     time.Now,
		sleep:   sleepContext,
		onRetry: func(int, error, time.Duration) {},
		log:     slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// checkAuth validates the AUTH settings of cfg.
func checkAuth(cfg Config) error {
	switch cfg.Auth {
	case "", AuthAuto, AuthPlain, AuthLogin:
		if cfg.Username != "" && cfg.Password == "" {
			return fmt.Errorf("smtp config: username %q is set but the password is empty", cfg.Username)
		}
	case AuthXOAUTH2:
		if cfg.Username == "" || cfg.Token == nil {
			return errors.New("smtp config: auth xoauth2 needs a username (the mailbox) and a token source")
		}
	default:
		return fmt.Errorf("smtp config: auth %q is not one of auto, plain, login, xoauth2", cfg.Auth)
	}
	if cfg.Username != "" && cfg.TLS == TLSNone {
		return errors.New("smtp config: authentication needs tls or starttls; with tls none the password would travel in clear")
	}
	return nil
}

// Send delivers m, retrying failures that may heal at once (FaultRelayTemporary,
// FaultRecipientTemporary) with exponential backoff up to cfg.Retries times.
// A failure is an *Error; FaultOf, IsPermanent and IsRelay tell whose it is.
// No attempt outlasts ctx's deadline by more than a moment: each attempt's
// timeout is cut to the time left.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if err := validateReplyTo(m.ReplyTo); err != nil {
		// Our configuration, the same for every recipient: never theirs.
		return &Error{Fault: FaultRelay, Attempts: 0, err: err}
	}
	if err := validateMessage(m); err != nil {
		return &Error{Fault: FaultRecipient, Attempts: 0, err: err}
	}
	date := s.now()
	id := messageID(m.ID, s.from.Address)
	wait := s.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err := s.sendOnce(ctx, m, date, id)
		if err == nil {
			return nil
		}
		e := s.newError(err, attempt)
		if !e.Fault.retryNow() || attempt > s.cfg.Retries || ctx.Err() != nil {
			return e
		}
		s.log.WarnContext(ctx, "smtp delivery failed, will retry",
			"message_id", id, "attempt", attempt, "wait_ms", wait.Milliseconds(), "smtp_code", e.Code, "error", e.Error())
		s.onRetry(attempt, e, wait)
		if serr := s.sleep(ctx, wait); serr != nil {
			e.err = errors.Join(e.err, fmt.Errorf("wait before retry: %w", serr))
			return e
		}
		wait = min(2*wait, maxBackoff)
	}
}

// sendOnce makes one connection and one delivery attempt.
func (s *Sender) sendOnce(ctx context.Context, m Message, date time.Time, id string) error {
	msg, err := buildMsg(m, s.from, date, id)
	if err != nil {
		return err
	}
	if s.cfg.SMIME != nil {
		if err := msg.SignWithTLSCertificate(s.cfg.SMIME); err != nil {
			return fmt.Errorf("s/mime signing: %w", err)
		}
	}
	timeout, err := s.attemptTimeout(ctx)
	if err != nil {
		return err
	}
	token, err := s.token(ctx)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(timeout, token)...)
	if err != nil {
		return hideSecret(fmt.Errorf("set up smtp client: %w", err), token)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server accepted the message; a failing RSET or QUIT afterwards
		// must not make us send it a second time.
		s.log.WarnContext(ctx, "smtp error after the message was accepted", "message_id", id, "error", s.redact(err.Error(), token))
		return nil
	}
	return hideSecret(err, token)
}

// token asks cfg.Token for this connection's access token; "" unless the
// mechanism is XOAUTH2.
func (s *Sender) token(ctx context.Context) (string, error) {
	if s.cfg.Auth != AuthXOAUTH2 {
		return "", nil
	}
	return s.cfg.Token(ctx)
}

// attemptTimeout is cfg.Timeout, cut to the time left before ctx's
// deadline, so that a hung relay cannot hold a run past its send deadline.
func (s *Sender) attemptTimeout(ctx context.Context) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	timeout := s.cfg.Timeout
	if deadline, ok := ctx.Deadline(); ok {
		left := time.Until(deadline)
		if left <= 0 {
			return 0, context.DeadlineExceeded
		}
		timeout = min(timeout, left)
	}
	return timeout, nil
}

// clientOptions are the go-mail options of one connection; token is the
// XOAUTH2 access token for it ("" for password AUTH).
func (s *Sender) clientOptions(timeout time.Duration, token string) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(&tls.Config{
			ServerName:         s.cfg.Host,
			RootCAs:            s.cfg.RootCAs,
			InsecureSkipVerify: s.cfg.InsecureSkipVerify,
			MinVersion:         tls.VersionTLS12,
		}),
	}
	if s.resolver != nil && s.cfg.TLS != TLSImplicit {
		d := &net.Dialer{Resolver: s.resolver}
		opts = append(opts, gomail.WithDialContextFunc(d.DialContext))
	}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(s.cfg.HELO))
	}
	if s.cfg.Username == "" {
		return opts
	}
	secret := s.cfg.Password
	if s.cfg.Auth == AuthXOAUTH2 {
		secret = token
	}
	return append(opts,
		gomail.WithSMTPAuth(s.cfg.Auth.goMail()),
		gomail.WithUsername(s.cfg.Username),
		gomail.WithPassword(secret))
}

// goMail is go-mail's name for the mechanism.
func (a AuthMechanism) goMail() gomail.SMTPAuthType {
	switch a {
	case AuthPlain:
		return gomail.SMTPAuthPlain
	case AuthLogin:
		return gomail.SMTPAuthLogin
	case AuthXOAUTH2:
		return gomail.SMTPAuthXOAUTH2
	}
	return gomail.SMTPAuthAutoDiscover
}

// redact removes the password, and any of also (the token of a
// connection), from text that may reach logs or errors.
func (s *Sender) redact(text string, also ...string) string {
	for _, secret := range append([]string{s.cfg.Password}, also...) {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, "[redacted]")
		}
	}
	return text
}

// secretError is an error whose text may hold a secret (a connection's
// token); its Error leaves the secret out, and Unwrap keeps the cause for
// classification.
type secretError struct {
	err    error
	secret string
}

func (e *secretError) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.secret, "[redacted]")
}

func (e *secretError) Unwrap() error { return e.err }

// hideSecret wraps err so that its text never shows secret.
func hideSecret(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	return &secretError{err: err, secret: secret}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// randomID returns a random hex string for messages without a stable ID.
func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// CertPool returns the system roots plus the PEM certificates in caFile,
// for a relay whose certificate an internal CA signed.
func CertPool(caFile string) (*x509.CertPool, error) {
	data, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read smtp.ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("smtp.ca_file %s: no PEM certificate in it", caFile)
	}
	return pool, nil
}
