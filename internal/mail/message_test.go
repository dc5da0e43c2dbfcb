package mail

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

func TestWriteEML(t *testing.T) {
	m := testMessage(t, "kari.nordmann@example.no")
	date := time.Date(2025, 10, 3, 6, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	var first, second bytes.Buffer
	if err := WriteEML(&first, m, "Gevinstrapport <gevinst@example.no>", date); err != nil {
		t.Fatalf("WriteEML: %v", err)
	}
	got := parseMail(t, first.Bytes())
	checkDelivered(t, got, m)
	d, err := got.header.Date()
	if err != nil || !d.Equal(date) {
		t.Errorf("Date = %v (%v), want %v", d, err, date)
	}
	if err := WriteEML(&second, m, "Gevinstrapport <gevinst@example.no>", date); err != nil {
		t.Fatalf("WriteEML again: %v", err)
	}
	again := parseMail(t, second.Bytes())
	if got.header.Get("Message-Id") != again.header.Get("Message-Id") {
		t.Errorf("Message-ID not stable: %q then %q", got.header.Get("Message-Id"), again.header.Get("Message-Id"))
	}
	if err := WriteEML(io.Discard, m, "not an address", date); err == nil {
		t.Error("WriteEML accepted an invalid sender")
	}
}

func TestSafeFileName(t *testing.T) {
	long := strings.Repeat("ø", 200) + ".pdf"
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "report.pdf", want: "report.pdf"},
		{name: "norwegian letters kept", in: "Årsrapport Bærum Ørland.pdf", want: "Årsrapport-Bærum-Ørland.pdf"},
		{name: "decomposed å is composed", in: "Sna\u030asa.pdf", want: "Snåsa.pdf"},
		{name: "sami letters kept", in: "Porsáŋgu – Porsanger.pdf", want: "Porsáŋgu-Porsanger.pdf"},
		{name: "path separators", in: "../../etc/passwd", want: "etc-passwd"},
		{name: "windows separators and colon", in: `C:\reports\x.pdf`, want: "C-reports-x.pdf"},
		{name: "runs collapse", in: "a  /:*?\"<>|  b.pdf", want: "a-b.pdf"},
		{name: "dashes and underscores kept", in: "G-012_P-7.pdf", want: "G-012_P-7.pdf"},
		{name: "double dots", in: "a..b.pdf", want: "a.b.pdf"},
		{name: "dots and dashes mixed", in: "a.-.b - .pdf", want: "a.b.pdf"},
		{name: "hidden file", in: ".hidden", want: "hidden"},
		{name: "control characters", in: "a\r\nb\x00.pdf", want: "a-b.pdf"},
		{name: "dash before extension", in: "Kari (P-7) .pdf", want: "Kari-P-7.pdf"},
		{name: "quotes", in: `"quoted" name.pdf`, want: "quoted-name.pdf"},
		{name: "empty", in: "", want: "vedlegg"},
		{name: "only symbols", in: "/// ???", want: "vedlegg"},
		{name: "windows device name", in: "con.pdf", want: "_con.pdf"},
		{name: "windows device name with digit", in: "LPT1", want: "_LPT1"},
		{name: "long name keeps extension", in: long, want: strings.Repeat("ø", (maxFileNameBytes-4)/2) + ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SafeFileName(tt.in)
			if got != tt.want {
				t.Errorf("SafeFileName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !utf8.ValidString(got) || len(got) > maxFileNameBytes || got == "" {
				t.Errorf("SafeFileName(%q) = %q is not a valid short name", tt.in, got)
			}
			if again := SafeFileName(got); again != got {
				t.Errorf("SafeFileName is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestMessageID(t *testing.T) {
	tests := []struct {
		name string
		id   string
		from string
		want string
	}{
		{name: "stable id gets the sender's domain", id: "monthly-owner.2025-09.P-042", from: "gevinst@example.no", want: "monthly-owner.2025-09.P-042@example.no"},
		{name: "id with its own domain", id: "<a.b@hso.example.no>", from: "gevinst@example.no", want: "a.b@hso.example.no"},
		{name: "unsafe characters replaced and hashed", id: "job 1/2025-09/Kari Nordmann", from: "gevinst@example.no", want: "job-1-2025-09-Kari-Nordmann."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messageID(tt.id, tt.from)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("messageID(%q) = %q, want prefix %q", tt.id, got, tt.want)
			}
			if got != messageID(tt.id, tt.from) {
				t.Errorf("messageID(%q) is not stable", tt.id)
			}
		})
	}
	if a, b := messageID("x y", "g@example.no"), messageID("x/y", "g@example.no"); a == b {
		t.Errorf("distinct ids collide: %q", a)
	}
	if a, b := messageID("", "g@example.no"), messageID("", "g@example.no"); a == b || !strings.HasSuffix(a, "@example.no") {
		t.Errorf("ids without a stable id: %q and %q, want distinct random ids at example.no", a, b)
	}
}

func TestFaultOf(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		fault Fault
		code  int
	}{
		{name: "550 reply outside a transaction step", err: fmt.Errorf("dial failed: %w", &textproto.Error{Code: 550, Msg: "no service"}), fault: FaultRelay, code: 550},
		{name: "535 auth failed", err: fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "authentication failed"}), fault: FaultRelay, code: 535},
		{name: "421 reply", err: &textproto.Error{Code: 421, Msg: "busy"}, fault: FaultRelayTemporary, code: 421},
		{name: "451 reply", err: &textproto.Error{Code: 451, Msg: "local error"}, fault: FaultRelayTemporary, code: 451},
		{name: "connection refused", err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, fault: FaultRelayTemporary},
		{name: "connection reset", err: fmt.Errorf("send failed: %w", syscall.ECONNRESET), fault: FaultRelayTemporary},
		{name: "timeout", err: fmt.Errorf("dial failed: %w", os.ErrDeadlineExceeded), fault: FaultRelayTemporary},
		{name: "tls handshake eof", err: fmt.Errorf("dial failed: %w", io.EOF), fault: FaultRelayTemporary},
		{name: "context deadline", err: context.DeadlineExceeded, fault: FaultRelayTemporary},
		{name: "unknown host", err: &net.DNSError{Err: "no such host", Name: "smtp.invalid", IsNotFound: true}, fault: FaultRelay},
		{name: "dns server failure", err: &net.DNSError{Err: "server misbehaving", Name: "smtp.example.no", IsTemporary: true}, fault: FaultRelayTemporary},
		{name: "no starttls", err: errors.New("STARTTLS mode set, but target host does not support STARTTLS"), fault: FaultRelay},
		{name: "untrusted certificate", err: fmt.Errorf("dial failed: %w", x509.UnknownAuthorityError{}), fault: FaultRelay},
		{name: "no valid recipient", err: &gomail.SendError{Reason: gomail.ErrGetRcpts}, fault: FaultRecipient},
		{name: "send step without reply", err: &gomail.SendError{Reason: gomail.ErrSMTPData}, fault: FaultRelayTemporary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FaultOf(tt.err); got != tt.fault {
				t.Errorf("FaultOf(%v) = %v, want %v", tt.err, got, tt.fault)
			}
			if IsPermanent(tt.err) != (tt.fault == FaultRecipient) || IsRelay(tt.err) != tt.fault.Relay() {
				t.Errorf("IsPermanent = %v, IsRelay = %v for fault %v", IsPermanent(tt.err), IsRelay(tt.err), tt.fault)
			}
			code, _ := classify(tt.err)
			if code != tt.code {
				t.Errorf("code = %d, want %d", code, tt.code)
			}
			wrapped := &Error{Fault: FaultRecipientTemporary, err: tt.err}
			if FaultOf(wrapped) != FaultRecipientTemporary {
				t.Error("FaultOf ignores the classification already made in *Error")
			}
		})
	}
	if IsPermanent(nil) || IsRelay(nil) {
		t.Error("nil is neither permanent nor the relay's")
	}
}

// TestRcptFault covers the replies to RCPT TO, where a 5xx is the
// recipient's unless it says the relay will not take our mail at all.
func TestRcptFault(t *testing.T) {
	tests := []struct {
		code     int
		enhanced string
		want     Fault
	}{
		{550, "5.1.1", FaultRecipient},
		{553, "", FaultRecipient},
		{552, "5.2.2", FaultRecipient},
		{554, "5.7.1", FaultRelay}, // Postfix: relay access denied
		{550, "5.7.54", FaultRelay},
		{530, "5.7.0", FaultRelay},
		{535, "", FaultRelay},
		{450, "4.2.1", FaultRecipientTemporary},
		{421, "4.3.2", FaultRelayTemporary},
	}
	for _, tt := range tests {
		if got := rcptFault(tt.code, tt.enhanced); got != tt.want {
			t.Errorf("rcptFault(%d, %q) = %v, want %v", tt.code, tt.enhanced, got, tt.want)
		}
	}
}
