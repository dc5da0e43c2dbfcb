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
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// Error is a failed delivery: the cause, the SMTP reply code when the
// server gave one, whether retrying can help, and how many attempts were made.
type Error struct {
	Code      int  // SMTP reply code (e.g. 421, 550); 0 when the failure was not a server reply
	Permanent bool // true when sending the same message again will not help
	Attempts  int  // connection attempts made, retries included
	err       error
}

// Error describes the failure; it never contains the SMTP password.
func (e *Error) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("send mail (%s failure after %d attempt(s)): %v", kind, e.Attempts, e.err)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.err }

// IsPermanent reports whether err is a delivery failure that retrying will
// not fix: a 5xx reply (550 mailbox unavailable, 535 authentication failed),
// an invalid message, or a configuration problem such as a server without
// STARTTLS or an untrusted certificate. Transient failures (4xx replies,
// refused connections, timeouts, dropped connections) are not permanent.
func IsPermanent(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Permanent
	}
	if err == nil {
		return false
	}
	_, permanent := classify(err)
	return permanent
}

// newError wraps cause as an *Error with its classification, keeping the
// password out of the message.
func (s *Sender) newError(cause error, attempts int) *Error {
	code, permanent := classify(cause)
	if s.cfg.Password != "" && strings.Contains(cause.Error(), s.cfg.Password) {
		cause = errors.New(s.redact(cause.Error()))
	}
	return &Error{Code: code, Permanent: permanent, Attempts: attempts, err: cause}
}

// classify returns the SMTP reply code in err (0 if none) and whether the
// failure is permanent. Errors it does not recognise are configuration or
// protocol problems and count as permanent, so a broken setup is reported
// instead of being retried.
func classify(err error) (code int, permanent bool) {
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) {
		code = sendErr.ErrorCode()
		switch {
		case code >= 500:
			return code, true
		case code >= 400:
			return code, false
		}
		switch sendErr.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded, gomail.ErrAmbiguous:
			return 0, true
		}
		// Any other step failing without a reply code means the connection broke.
		return 0, false
	}
	var tpErr *textproto.Error
	if errors.As(err, &tpErr) {
		return tpErr.Code, tpErr.Code >= 500
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidCert) || errors.As(err, &recordErr) {
		return 0, true
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return 0, dnsErr.IsNotFound
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, os.ErrDeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, net.ErrClosed):
		return 0, false
	case errors.As(err, &netErr) && netErr.Timeout():
		return 0, false
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return 0, false
	}
	return 0, true
}
