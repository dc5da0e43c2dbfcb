package main

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"
)

const coordinatorEmail = "koordinator@example.no"

// summaryConfig is relayConfig with a plain relay on port, a coordinator
// and two configured jobs.
func summaryConfig(t *testing.T, port int) string {
	t.Helper()
	return relayConfig(t, "  host: 127.0.0.1\n  port: "+strconv.Itoa(port)+"\n  tls: none\n  from: gevinst@example.no\n  retries: 0\n"+
		"coordinator:\n  name: Kari Koordinator\n  email: "+coordinatorEmail+"\n"+
		"steering_group:\n  emails: [styringsgruppe@example.no]\n"+
		"jobs:\n  - {name: monthly-owner, report: owner, schedule: '0 6 3 * *'}\n  - {name: monthly-steering, report: steering, schedule: '0 7 5 * *'}\n")
}

// summaryText decodes the plain text of a received summary mail.
func summaryText(t *testing.T, data []byte) (netmail.Header, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse summary: %v", err)
	}
	body := msg.Body
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("summary content type: %v", err)
	}
	header := textproto(msg.Header.Get("Content-Transfer-Encoding"))
	if strings.HasPrefix(mediaType, "multipart/") {
		part, err := multipart.NewReader(body, params["boundary"]).NextPart()
		if err != nil {
			t.Fatalf("summary part: %v", err)
		}
		body, header = part, textproto(part.Header.Get("Content-Transfer-Encoding"))
	}
	if header == "quoted-printable" {
		body = quotedprintable.NewReader(body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return msg.Header, strings.ReplaceAll(string(text), "\r\n", "\n")
}

func textproto(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// commandLines returns the lines of text that are gevinstrapport commands.
func commandLines(text string) []string {
	var cmds []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "gevinstrapport ") {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// TestSummaryCommandsCanBePasted: a recipient's address is refused
// (550 5.1.1). The coordinator's summary suggests, for that recipient, a
// command with the absolute --config, --job, --period, --send, --resend and
// --only, although the run was given a relative --config. Once the address
// works, running that command exactly as written delivers the report to
// that recipient alone; the general rerun command sends nothing twice.
func TestSummaryCommandsCanBePasted(t *testing.T) {
	box, port := startMailbox(t)
	cfg := summaryConfig(t, port)
	mustRun(t, exitOK, "run", "--config", cfg, "--period", "2025-09") // a preview, to learn the recipients
	m, _ := readManifest(t, filepath.Join(filepath.Dir(cfg), "out", "2025-09", "owner"))
	var victim, other string
	var victimID string
	for _, r := range m.Reports {
		switch {
		case r.Recipient.Email == "":
		case victim == "":
			victim, victimID = r.Recipient.Email, r.Recipient.ID
		case other == "":
			other = r.Recipient.Email
		}
	}
	if other == "" {
		t.Fatal("the demo register has fewer than two owners with an address")
	}
	box.setReject(victim, &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"})

	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, cfg)
	if err != nil || filepath.IsAbs(rel) {
		t.Fatalf("no relative path to %s from %s: %v", cfg, wd, err)
	}
	mustRun(t, exitFailed, "run", "--config", rel, "--job", "monthly-owner", "--period", "2025-09", "--send")

	summaries := box.received(coordinatorEmail)
	if len(summaries) != 1 {
		t.Fatalf("coordinator got %d summaries, want 1", len(summaries))
	}
	header, text := summaryText(t, summaries[0])
	base := "gevinstrapport run --config " + cfg + " --job monthly-owner --period 2025-09 --send"
	wantCmds := []string{base + " --resend --only " + victimID, base}
	if got := commandLines(text); strings.Join(got, "\n") != strings.Join(wantCmds, "\n") {
		t.Fatalf("summary commands:\n%s\nwant:\n%s\nsummary:\n%s", strings.Join(got, "\n"), strings.Join(wantCmds, "\n"), text)
	}
	if replyTo, err := header.AddressList("Reply-To"); err != nil || len(replyTo) != 1 || replyTo[0].Address != coordinatorEmail {
		t.Errorf("summary Reply-To = %v (%v), want the coordinator", replyTo, err)
	}
	otherBefore := box.count(other)
	if reports := box.received(other); len(reports) == 1 {
		h, _ := summaryText(t, reports[0])
		if replyTo, err := h.AddressList("Reply-To"); err != nil || len(replyTo) != 1 || replyTo[0].Address != coordinatorEmail || replyTo[0].Name != "Kari Koordinator" {
			t.Errorf("report Reply-To = %v (%v), want Kari Koordinator <%s>", replyTo, err, coordinatorEmail)
		}
	}

	box.setReject(victim, nil) // the address is fixed
	r := mustRun(t, exitOK, strings.Fields(wantCmds[0])[1:]...)
	if got := box.count(victim); got != 1 {
		t.Errorf("%s got %d reports after the pasted --resend command, want 1 (output %s)", victim, got, r.stdout)
	}
	mustRun(t, exitOK, strings.Fields(wantCmds[1])[1:]...)
	if got := box.count(other); got != otherBefore || otherBefore != 1 {
		t.Errorf("%s got %d reports in all (%d after the failed run), want 1", other, got, otherBefore)
	}
	if got := box.count(victim); got != 1 {
		t.Errorf("%s got %d reports in the end, want 1", victim, got)
	}
	if n := len(box.received(coordinatorEmail)); n != 1 {
		t.Errorf("coordinator got %d summaries in all, want 1 (the reruns had nothing to report)", n)
	}
}

// TestJobImpliesReport: --job names a configured job, and without --report
// the run makes that job's kind of report; a contradicting --report is a
// usage error.
func TestJobImpliesReport(t *testing.T) {
	_, port := startMailbox(t)
	cfg := summaryConfig(t, port)
	mustRun(t, exitOK, "run", "--config", cfg, "--job", "monthly-steering", "--period", "2025-09")
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "out", "2025-09", "steering", "manifest.json")); err != nil {
		t.Errorf("run --job monthly-steering made no steering pack: %v", err)
	}
	r := mustRun(t, exitUsage, "run", "--config", cfg, "--job", "monthly-steering", "--report", "owner", "--period", "2025-09")
	if !strings.Contains(r.stderr, "--job monthly-steering makes steering reports") {
		t.Errorf("stderr = %s", lastLines(r.stderr, 3))
	}
}
