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
	Mechanism     string // the AUTH mechanism asked for when it was not left to the relay: "XOAUTH2"
}

// String is the verdict line of a successful probe.
func (p Probe) String() string {
	parts := []string{"connected to " + p.Addr}
	if p.TLSVersion != "" {
		parts = append(parts, p.TLSVersion+" with a trusted certificate")
	} else {
		parts = append(parts, "in clear (smtp.tls: none)")
	}
	if p.Authenticated && p.Mechanism != "" {
		parts = append(parts, "AUTH "+p.Mechanism+" accepted")
	} else if p.Authenticated {
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
	token, err := s.token(ctx)
	if err != nil {
		return p, s.newError(err, 0)
	}
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(timeout, token)...)
	if err != nil {
		return p, s.newError(hideSecret(fmt.Errorf("set up smtp client: %w", err), token), 0)
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return p, s.newError(hideSecret(err, token), 1)
	}
	if state, err := conn.GetTLSConnectionState(); err == nil && state.HandshakeComplete {
		p.TLSVersion = tls.VersionName(state.Version)
	}
	p.Authenticated = s.cfg.Username != ""
	if p.Authenticated && s.cfg.Auth != AuthAuto {
		p.Mechanism = strings.ToUpper(string(s.cfg.Auth))
	}
	if err := client.CloseWithSMTPClient(conn); err != nil {
		s.log.WarnContext(ctx, "smtp QUIT after the probe failed", "error", s.redact(err.Error(), token))
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
