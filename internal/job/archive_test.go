//go:build unix

package job

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// TestRunPrunesAndIndexes: with output.keep_periods 1, a run of 2025-09
// removes the folders of the months before it (logged) and rewrites the
// archive index, which then lists only what is left.
func TestRunPrunesAndIndexes(t *testing.T) {
	regPath := writeRegister(t, testRegister())
	out := t.TempDir()
	for _, m := range []time.Month{time.July, time.August} {
		runFiles(t, regPath, out, 3, Request{Report: Owner, Period: Period{Month: register.MonthOf(2025, m)}, Job: testJob})
	}
	root, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(root), `href="2025-07/owner/`) || !strings.Contains(string(root), `href="2025-08/owner/`) {
		t.Fatal("the index after two runs does not link both months' PDFs")
	}

	w, err := filesWorker(t, regPath, out, "", 3)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	keep := 1
	w.cfg.Output.KeepPeriods = &keep
	var logs bytes.Buffer
	w.log = slog.New(slog.NewJSONHandler(&logs, nil))
	if _, err := w.Run(context.Background(), Request{Report: Owner, Period: Period{Month: register.MonthOf(2025, time.September)}, Job: testJob}); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"2025-07", "2025-08"} {
		if _, err := os.Stat(filepath.Join(out, gone)); !os.IsNotExist(err) {
			t.Errorf("%s is still there after keep_periods 1: %v", gone, err)
		}
		if !strings.Contains(logs.String(), `"msg":"removed an old period folder","job":"`+testJob+`","report":"owner","period":"2025-09","period_folder":"`+gone+`"`) {
			t.Errorf("no removal log line for %s in:\n%s", gone, logs.String())
		}
	}
	if n := strings.Count(logs.String(), `"msg":"removed an old period folder"`); n != 2 {
		t.Errorf("%d removal log lines, want 2", n)
	}
	root, err = os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(root)
	if strings.Contains(page, "2025-07") || strings.Contains(page, "2025-08") || !strings.Contains(page, `href="2025-09/owner/`) {
		t.Errorf("the index after pruning does not list 2025-09 alone")
	}
	if n := strings.Count(page, `.pdf">`); n != len(testPeople()) {
		t.Errorf("the index links %d PDFs, want one per person (%d)", n, len(testPeople()))
	}
	if _, err := os.Stat(filepath.Join(out, "2025-09", "index.html")); err != nil {
		t.Errorf("no period page: %v", err)
	}
}
