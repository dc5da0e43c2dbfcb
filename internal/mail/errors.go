package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// Fault says whose fault a failed delivery is, which decides what happens
// next: retry now, leave it for a later run, or give up on the recipient.
type Fault string

// The faults a delivery can fail with.
const (
	// FaultRelayTemporary is the relay or the way to it failing in a way
	// that may heal in seconds: refused or dropped connections, timeouts, a
	// DNS server failure, a 4xx reply outside RCPT TO. Retried at once with
	// backoff, and left for a later run if that does not help.
	FaultRelayTemporary Fault = "relay_temporary"
	// FaultRelay is the relay, or our configuration of it, refusing in a way
	// that retrying now will not fix: a failed AUTH (530, 534, 535), an
	// untrusted certificate or failed TLS handshake, no STARTTLS, an unknown
	// host, a 5xx reply to MAIL FROM or to DATA. It is the same for every
	// recipient, so it is never the recipient's permanent failure: the
	// delivery stays pending for a later run.
	FaultRelay Fault = "relay"
	// FaultRecipientTemporary is a 4xx reply to RCPT TO (mailbox busy,
	// greylisting): retried, and left for a later run.
	FaultRecipientTemporary Fault = "recipient_temporary"
	// FaultRecipient is a rejection of this recipient alone: a 5xx reply to
	// RCPT TO, an invalid address, or a 5xx to DATA whose enhanced status
	// names the mailbox (5.1.x, 5.2.x). Not retried until --resend.
	FaultRecipient Fault = "recipient"
)

// retryNow reports whether an immediate retry with backoff may help.
func (f Fault) retryNow() bool { return f == FaultRelayTemporary || f == FaultRecipientTemporary }

// Relay reports whether the relay (or the path to it) is at fault.
func (f Fault) Relay() bool { return f == FaultRelayTemporary || f == FaultRelay }

// Error is a failed delivery: the cause, the SMTP reply code when the
// server gave one, whose fault it is, and how many attempts were made.
type Error struct {
	Code     int   // SMTP reply code (e.g. 421, 550); 0 when the failure was not a server reply
	Fault    Fault // whose fault it is
	Attempts int   // connection attempts made, retries included
	err      error
}

// Error describes the failure; it never contains the SMTP password.
func (e *Error) Error() string {
	return fmt.Sprintf("send mail (%s failure after %d attempt(s)): %v", e.Fault, e.Attempts, e.err)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.err }

// IsPermanent reports whether err is a failure of the recipient that
// sending again will not fix (FaultRecipient). Relay failures, however
// stubborn, are never permanent for a recipient.
func IsPermanent(err error) bool {
	return err != nil && FaultOf(err) == FaultRecipient
}

// IsRelay reports whether err is the relay's fault (FaultRelay or
// FaultRelayTemporary): a run stops after several of these in a row.
func IsRelay(err error) bool {
	return err != nil && FaultOf(err).Relay()
}

// FaultOf returns whose fault err is; an error the package does not know
// is blamed on the relay, so it is never taken for the recipient's.
func FaultOf(err error) Fault {
	var e *Error
	if errors.As(err, &e) {
		return e.Fault
	}
	_, f := classify(err)
	return f
}

// newError wraps cause as an *Error with its classification, keeping the
// password out of the message.
func (s *Sender) newError(cause error, attempts int) *Error {
	code, fault := classify(cause)
	if s.cfg.Password != "" && strings.Contains(cause.Error(), s.cfg.Password) {
		cause = errors.New(s.redact(cause.Error()))
	}
	return &Error{Code: code, Fault: fault, Attempts: attempts, err: cause}
}

// classify returns the SMTP reply code in err (0 if none) and whose fault
// the failure is. A reply outside a transaction step (greeting, EHLO,
// STARTTLS, AUTH) and any error it does not recognise are the relay's.
func classify(err error) (int, Fault) {
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) {
		return classifySend(sendErr)
	}
	var tpErr *textproto.Error
	if errors.As(err, &tpErr) {
		return tpErr.Code, byReply(tpErr.Code)
	}
	return 0, classifyConn(err)
}

// classifySend judges a failure of one step of the mail transaction.
func classifySend(e *gomail.SendError) (int, Fault) {
	code := e.ErrorCode()
	switch e.Reason {
	case gomail.ErrGetRcpts:
		return code, FaultRecipient
	case gomail.ErrGetSender, gomail.ErrNoUnencoded:
		return code, FaultRelay
	case gomail.ErrSMTPRcptTo:
		return code, rcptFault(code, e.EnhancedStatusCode())
	case gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrWriteContent:
		if code >= 500 && mailboxStatus(e.EnhancedStatusCode()) {
			return code, FaultRecipient
		}
	}
	if code == 0 {
		// No reply: the connection broke during the step.
		return 0, FaultRelayTemporary
	}
	return code, byReply(code)
}

// rcptFault judges a reply to RCPT TO. A 5xx is the recipient's, except
// the replies that say the relay will not take mail from us at all: the
// AUTH codes and the security/policy class 5.7.x ("relay access denied").
func rcptFault(code int, enhanced string) Fault {
	switch {
	case code == 421:
		return FaultRelayTemporary
	case code >= 400 && code < 500:
		return FaultRecipientTemporary
	case code == 530 || code == 534 || code == 535 || code == 538 || strings.HasPrefix(enhanced, "5.7."):
		return FaultRelay
	case code >= 500:
		return FaultRecipient
	}
	return FaultRelayTemporary
}

// mailboxStatus reports whether an enhanced status code is about the
// address (5.1.x) or the mailbox (5.2.x), as late rejections after DATA are.
func mailboxStatus(enhanced string) bool {
	return strings.HasPrefix(enhanced, "5.1.") || strings.HasPrefix(enhanced, "5.2.")
}

// byReply judges a reply outside RCPT TO: 4xx may heal now, 5xx will not
// heal within the run; both are the relay's.
func byReply(code int) Fault {
	if code >= 400 && code < 500 {
		return FaultRelayTemporary
	}
	return FaultRelay
}

// classifyConn judges an error without an SMTP reply: connections, DNS, TLS.
func classifyConn(err error) Fault {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alert tls.AlertError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidCert) || errors.As(err, &recordErr) || errors.As(err, &alert) {
		return FaultRelay
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return FaultRelay
		}
		return FaultRelayTemporary
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, os.ErrDeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, net.ErrClosed), errors.Is(err, gomail.ErrNoActiveConnection):
		return FaultRelayTemporary
	case errors.As(err, &netErr) && netErr.Timeout():
		return FaultRelayTemporary
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return FaultRelayTemporary
	}
	// STARTTLS not offered, no AUTH offered, and what else the client
	// library reports as text: a setup the relay or we must change.
	return FaultRelay
}

// explain words what an operator does about a relay failure, for check --smtp.
func explain(e *Error) string {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var dnsErr *net.DNSError
	var netErr net.Error
	var tokenErr *TokenError
	switch {
	case e.Code == 535 || e.Code == 534 || e.Code == 530 || e.Code == 538:
		return "authentication failed (" + strconv.Itoa(e.Code) + "): check smtp.username and the password source (with auth: xoauth2, the token and the app's SMTP.SendAsApp and mailbox permissions)"
	case errors.As(e, &tokenErr):
		return "no XOAUTH2 token: " + tokenErr.Source + " failed; fix it (see the README on Exchange Online) and run check --smtp again"
	case errors.As(e, &certErr) || errors.As(e, &unknownAuth) || errors.As(e, &hostErr):
		return "the relay's certificate is not trusted for this host: set smtp.ca_file to the CA that signed it, or fix smtp.host"
	case strings.Contains(e.Error(), "does not support STARTTLS"):
		return "the relay does not offer STARTTLS: use smtp.tls: tls (port 465), or none only for a relay on this host or network"
	case errors.As(e, &dnsErr):
		return "the relay's host name does not resolve: check smtp.host and DNS"
	case errors.Is(e, syscall.ECONNREFUSED):
		return "nothing listens on that host and port: check smtp.host and smtp.port"
	case errors.As(e, &netErr) && netErr.Timeout(), errors.Is(e, os.ErrDeadlineExceeded), errors.Is(e, context.DeadlineExceeded):
		return "the relay did not answer within smtp.timeout: check the host, port and firewall"
	}
	return "the relay refused the session"
}
