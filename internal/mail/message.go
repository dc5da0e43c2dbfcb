package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/text/unicode/norm"
)

// maxFileNameBytes keeps attachment names well inside every file system's
// 255-byte limit, with room for a directory or a copy suffix.
const maxFileNameBytes = 120

// WriteEML writes m as the MIME message Send would deliver, for preview as a
// .eml file without sending. from is the sender ("Name <addr>"), date the
// Date header.
func WriteEML(w io.Writer, m Message, from string, date time.Time) error {
	sender, err := netmail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("write eml: from %q: %w", from, err)
	}
	if err := validateMessage(m); err != nil {
		return fmt.Errorf("write eml: %w", err)
	}
	msg, err := buildMsg(m, sender, date, messageID(m.ID, sender.Address))
	if err != nil {
		return fmt.Errorf("write eml: %w", err)
	}
	if _, err := msg.WriteTo(w); err != nil {
		return fmt.Errorf("write eml: %w", err)
	}
	return nil
}

// validateMessage rejects messages no server should see.
func validateMessage(m Message) error {
	if len(m.To) == 0 {
		return errors.New("message has no recipient")
	}
	for _, to := range m.To {
		a, err := netmail.ParseAddress(to.Email)
		if err != nil || a.Address != to.Email {
			return fmt.Errorf("recipient %q is not a plain email address", to.Email)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errors.New("message has no subject")
	}
	for _, a := range m.Attachments {
		if len(a.Data) == 0 {
			return fmt.Errorf("attachment %q is empty", a.Name)
		}
		if a.ContentType != "" {
			if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
				return fmt.Errorf("attachment %q: content type %q: %w", a.Name, a.ContentType, err)
			}
		}
	}
	return validateReplyTo(m.ReplyTo)
}

// validateReplyTo rejects a Reply-To that is not one address; "" is none.
func validateReplyTo(replyTo string) error {
	if replyTo == "" {
		return nil
	}
	if _, err := netmail.ParseAddress(replyTo); err != nil {
		return fmt.Errorf("reply-to %q is not an email address", replyTo)
	}
	return nil
}

// buildMsg turns m into a go-mail message; m must have passed validateMessage.
func buildMsg(m Message, from *netmail.Address, date time.Time, id string) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	for _, to := range m.To {
		if err := msg.AddToFormat(oneLine(to.Name), to.Email); err != nil {
			return nil, fmt.Errorf("add recipient %q: %w", to.Email, err)
		}
	}
	if m.ReplyTo != "" {
		replyTo, err := netmail.ParseAddress(m.ReplyTo)
		if err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", m.ReplyTo, err)
		}
		msg.ReplyToMailAddress(replyTo)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetDateWithValue(date)
	msg.SetMessageIDWithValue(id)
	msg.SetUserAgent("gevinstrapport")
	// Automated reports: ask for no out-of-office replies (RFC 3834).
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.Header("X-Auto-Response-Suppress"), "All")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	for _, a := range m.Attachments {
		name := SafeFileName(a.Name)
		contentType := a.ContentType
		if contentType == "" {
			contentType = mime.TypeByExtension(path.Ext(name))
		}
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		mediaType, params, err := mime.ParseMediaType(contentType)
		if err != nil {
			return nil, fmt.Errorf("attachment %q: content type %q: %w", name, contentType, err)
		}
		delete(params, "name")
		err = msg.AttachReader(name, bytes.NewReader(a.Data), func(f *gomail.File) {
			f.Header.Set("Content-Type", attachmentContentType(mediaType, params, name))
			f.Header.Set("Content-Disposition", attachmentDisposition(name))
		})
		if err != nil {
			return nil, fmt.Errorf("attach %q: %w", name, err)
		}
	}
	return msg, nil
}

// attachmentContentType names the file with an RFC 2047 encoded word, which
// is what mail clients read from Content-Type.
func attachmentContentType(mediaType string, params map[string]string, name string) string {
	s := mime.FormatMediaType(mediaType, params)
	return s + `; name="` + mime.QEncoding.Encode("UTF-8", name) + `"`
}

// attachmentDisposition gives the file name both as an RFC 2047 encoded
// word (older clients) and, when it is not ASCII, as an RFC 2231 parameter
// (standard; preferred by clients that know it).
func attachmentDisposition(name string) string {
	s := `attachment; filename="` + mime.QEncoding.Encode("UTF-8", name) + `"`
	if !isASCII(name) {
		s += "; filename*=UTF-8''" + percentEncode(name)
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// percentEncode encodes s as an RFC 2231 / RFC 5987 value.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// oneLine keeps header text on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// messageID returns the Message-ID value (without angle brackets) for a
// stable id and the sender's address; an empty id gets a random one.
func messageID(id, fromAddress string) string {
	domain := "gevinstrapport.invalid"
	if at := strings.LastIndexByte(fromAddress, '@'); at >= 0 && at < len(fromAddress)-1 {
		domain = fromAddress[at+1:]
	}
	id = strings.Trim(strings.TrimSpace(id), "<>")
	if id == "" {
		return randomID() + "@" + domain
	}
	left := id
	if at := strings.LastIndexByte(id, '@'); at >= 0 {
		left, domain = id[:at], id[at+1:]
	}
	return msgIDPart(left) + "@" + msgIDPart(domain)
}

// msgIDPart makes s a dot-atom; if anything had to change it appends a
// short hash of s so distinct ids stay distinct.
func msgIDPart(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_+=.", r)):
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	clean := b.String()
	for strings.Contains(clean, "..") {
		clean = strings.ReplaceAll(clean, "..", ".")
	}
	clean = strings.Trim(clean, ".")
	if clean != s {
		sum := sha256.Sum256([]byte(s))
		clean = strings.Trim(clean+"."+hex.EncodeToString(sum[:4]), ".")
	}
	return clean
}

// isWindowsReserved reports whether stem is a device name Windows will not use as a file name.
func isWindowsReserved(stem string) bool {
	switch u := strings.ToUpper(stem); {
	case u == "CON", u == "PRN", u == "AUX", u == "NUL":
		return true
	case len(u) == 4 && (strings.HasPrefix(u, "COM") || strings.HasPrefix(u, "LPT")) && u[3] >= '0' && u[3] <= '9':
		return true
	}
	return false
}

// SafeFileName turns s into a file name any mail client and file system
// accepts: letters (æøå and other scripts included), digits, '-', '_' and
// '.' are kept, every other run of characters becomes one '-', the length is
// limited (keeping the extension) and the result is never empty.
func SafeFileName(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	name := b.String()
	for prev := ""; prev != name; {
		prev = name
		for _, junk := range []string{"..", "-.", ".-"} {
			name = strings.ReplaceAll(name, junk, ".")
		}
	}
	name = strings.Trim(name, "-.")
	if name == "" {
		return "vedlegg"
	}
	stem, ext := name, ""
	if dot := strings.LastIndexByte(name, '.'); dot > 0 && len(name)-dot <= 10 {
		stem, ext = name[:dot], name[dot:]
	}
	if isWindowsReserved(stem) {
		stem = "_" + stem
	}
	if len(stem)+len(ext) > maxFileNameBytes {
		stem = truncateUTF8(stem, maxFileNameBytes-len(ext))
		stem = strings.TrimRight(stem, "-.")
	}
	return stem + ext
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
