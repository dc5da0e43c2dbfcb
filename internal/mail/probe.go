package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Probe is what a connection test learned about the relay.
type Probe struct {
	Addr          string // host:port
	TLSVersion    string // "" when the session was in clear
	Authenticated bool   // AUTH was asked for and accepted
}

// String is the verdict line of a successful probe.
func (p Probe) String() string {
	parts := []string{"connected to " + p.Addr}
	if p.TLSVersion != "" {
		parts = append(parts, p.TLSVersion+" with a trusted certificate")
	} else {
		parts = append(parts, "in clear (smtp.tls: none)")
	}
	if p.Authenticated {
		parts = append(parts, "AUTH accepted")
	} else {
		parts = append(parts, "no AUTH configured")
	}
	return strings.Join(parts, ", ") + "; nothing sent"
}

// Probe connects to the relay, says EHLO, protects the session as cfg.TLS
// asks, authenticates when a username is set, and says QUIT without
// sending anything. A failure is an *Error; Explain words what to do.
func (s *Sender) Probe(ctx context.Context) (Probe, error) {
	p := Probe{Addr: fmt.Sprintf("%s:%d", s.cfg.Host, s.cfg.Port)}
	timeout, err := s.attemptTimeout(ctx)
	if err != nil {
		return p, s.newError(err, 0)
	}
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(timeout)...)
	if err != nil {
		return p, s.newError(fmt.Errorf("set up smtp client: %w", err), 0)
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return p, s.newError(err, 1)
	}
	if state, err := conn.GetTLSConnectionState(); err == nil && state.HandshakeComplete {
		p.TLSVersion = tls.VersionName(state.Version)
	}
	p.Authenticated = s.cfg.Username != ""
	if err := client.CloseWithSMTPClient(conn); err != nil {
		s.log.WarnContext(ctx, "smtp QUIT after the probe failed", "error", s.redact(err.Error()))
	}
	return p, nil
}

// Explain words what an operator does about err, a failed Send or Probe.
func Explain(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return explain(e)
	}
	return "the relay refused the session"
}
