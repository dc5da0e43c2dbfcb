package mail

import (
	"bytes"
	"context"
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

func TestIsPermanent(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		permanent bool
		code      int
	}{
		{name: "550 reply", err: fmt.Errorf("dial failed: %w", &textproto.Error{Code: 550, Msg: "mailbox unavailable"}), permanent: true, code: 550},
		{name: "535 auth failed", err: &textproto.Error{Code: 535, Msg: "authentication failed"}, permanent: true, code: 535},
		{name: "421 reply", err: &textproto.Error{Code: 421, Msg: "busy"}, code: 421},
		{name: "451 reply", err: &textproto.Error{Code: 451, Msg: "local error"}, code: 451},
		{name: "connection refused", err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}},
		{name: "connection reset", err: fmt.Errorf("send failed: %w", syscall.ECONNRESET)},
		{name: "timeout", err: fmt.Errorf("dial failed: %w", os.ErrDeadlineExceeded)},
		{name: "tls handshake eof", err: fmt.Errorf("dial failed: %w", io.EOF)},
		{name: "context deadline", err: context.DeadlineExceeded},
		{name: "unknown host", err: &net.DNSError{Err: "no such host", Name: "smtp.invalid", IsNotFound: true}, permanent: true},
		{name: "dns server failure", err: &net.DNSError{Err: "server misbehaving", Name: "smtp.example.no", IsTemporary: true}},
		{name: "unrecognised error", err: errors.New("STARTTLS mode set, but target host does not support STARTTLS"), permanent: true},
		{name: "nil", err: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPermanent(tt.err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", tt.err, got, tt.permanent)
			}
			if tt.err == nil {
				return
			}
			code, _ := classify(tt.err)
			if code != tt.code {
				t.Errorf("code = %d, want %d", code, tt.code)
			}
			wrapped := &Error{Permanent: !tt.permanent, err: tt.err}
			if IsPermanent(wrapped) == tt.permanent {
				t.Error("IsPermanent ignores the classification already made in *Error")
			}
		})
	}
	if IsPermanent(&gomail.SendError{Reason: gomail.ErrGetRcpts}) != true {
		t.Error("a message without valid recipients must be permanent")
	}
}
