package job

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenWorker is a sending Worker on the built-in demo register with the
// clock pinned, two steering group addresses, and a fresh SQLite ledger.
func goldenWorker(t *testing.T, port int) *Worker {
	t.Helper()
	now := func() time.Time { return time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC) }
	cfg := config.Default()
	cfg.Output.Dir = filepath.Join(t.TempDir(), "out")
	cfg.Coordinator = config.Contact{Name: "Gevinstkoordinator", Email: coordinatorEmail}
	cfg.SteeringGroup.Emails = []string{"styring@example.no", "leder@example.no"}
	s, err := mail.NewSender(mail.Config{
		Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "Gevinstrapport <gevinst@example.no>",
		Timeout: 5 * time.Second, Retries: 1, Backoff: time.Millisecond,
	}, mail.WithClock(now))
	if err != nil {
		t.Fatalf("new sender: %v", err)
	}
	l, err := ledger.Open(context.Background(), "sqlite", filepath.Join(t.TempDir(), "state.db"), ledger.Options{Now: now, Owner: "golden"})
	if err != nil {
		t.Fatalf("open ledger: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	w, err := NewWorker(context.Background(), cfg, Options{Demo: true, Now: now, Send: true, Sender: s, Ledger: l})
	if err != nil {
		t.Fatalf("new worker: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// TestPipelineGolden runs the owner report (with .eml previews), the
// steering pack and the annual report of the demo with sending, and
// compares manifest.json byte for byte, every file's sha256 and every mail
// (order, address, attachment and its sha256) with the golden files under
// testdata/pipeline, captured from the pipeline that built, rendered,
// wrote and sent every report in turn. They are the same as long as the
// reports are drawn the same: when a change to the drawing or the wording
// is meant, refresh them with
//
//	go test ./internal/job -run TestPipelineGolden -update
func TestPipelineGolden(t *testing.T) {
	for _, tc := range []struct {
		name, report, period string
		eml                  bool
	}{
		{"owner", Owner, "2025-09", true},
		{"steering", Steering, "2025-09", false},
		{"annual", Annual, "2024", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newSMTPBackend()
			port, _ := startSMTP(t, srv, 0)
			w := goldenWorker(t, port)
			p, err := ParsePeriod(tc.report, tc.period)
			if err != nil {
				t.Fatal(err)
			}
			res, err := w.Run(context.Background(), Request{Report: tc.report, Period: p, Send: true, EML: tc.eml})
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			manifest, account := pipelineAccount(t, res, srv)
			checkGolden(t, filepath.Join("testdata", "pipeline", tc.name+".manifest.json"), manifest)
			checkGolden(t, filepath.Join("testdata", "pipeline", tc.name+".txt"), account)
		})
	}
}

// pipelineAccount returns the run's manifest.json and an account of the
// run: its counts, every file of the report folder with its sha256, every
// .eml preview's attachment, and every mail in the order the server took
// them.
func pipelineAccount(t *testing.T, res Result, srv *smtpBackend) (manifest, account []byte) {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "produced %d, build failed %d, sent %d, no address %d, send failed %d, pending %d\n",
		res.Produced, res.BuildFailed, res.Sent, res.NoAddress, res.SendFailed, res.Pending)
	entries, err := os.ReadDir(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("files:\n")
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(res.Dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(e.Name()) {
		case ".json":
			manifest = data
			fmt.Fprintf(&b, "  %s\n", e.Name())
		case ".eml":
			// An .eml's MIME boundaries differ between runs; its attachment does not.
			fmt.Fprintf(&b, "  %s %s\n", e.Name(), attachmentSums(parseMail(t, data)))
		default:
			fmt.Fprintf(&b, "  %s %s\n", e.Name(), output.SHA256(data))
		}
	}
	b.WriteString("mails:\n")
	for _, m := range srv.messages() {
		pm := parseMail(t, m.Data)
		fmt.Fprintf(&b, "  to %s: %q %s\n", strings.Join(m.To, ","), pm.subject, attachmentSums(pm))
		if len(pm.attachments) == 0 { // the coordinator's summary
			fmt.Fprintf(&b, "    %s\n", strings.ReplaceAll(strings.TrimSpace(pm.text), "\n", "\n    "))
		}
	}
	return manifest, b.Bytes()
}

// attachmentSums lists a mail's attachments as name=sha256, sorted.
func attachmentSums(m parsedMail) string {
	var out []string
	for name, data := range m.attachments {
		out = append(out, name+"="+output.SHA256(data))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// checkGolden compares got with the golden file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (create it with -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from this run (if the reports are meant to change, refresh with -update):\n%s", path, firstDiff(want, got))
	}
}

// firstDiff shows the first line where want and got differ.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, w, g)
		}
	}
	return "(lengths differ)"
}
