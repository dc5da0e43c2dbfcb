//go:build unix

package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gevinstrapport/internal/output"
)

// logLines decodes the JSON log lines in buf.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

// periodsIn lists the periods of the log lines with message msg.
func periodsIn(lines []map[string]any, msg string) []string {
	var out []string
	for _, l := range lines {
		if l["msg"] == msg {
			out = append(out, l["period_folder"].(string))
		}
	}
	slices.Sort(out)
	return out
}

func TestPrune(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	months := []string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"}
	for _, p := range months {
		commit(t, out, p, "owner", output.SetOptions{}, clock, entry{id: "P-1", name: "A", pages: 1, statuses: []string{"green"}})
	}
	for _, y := range []string{"2021", "2022", "2023", "2024"} {
		commit(t, out, y, "annual", output.SetOptions{}, clock, entry{id: "P-1", name: "A", pages: 1})
	}
	for _, f := range []string{"index.html", "state.db"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("x"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"misc", "2025-13", ".2020-01.removing-abc/owner"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	// A run still writing an old period: its staging folder is locked.
	live, err := output.OpenSet(context.Background(), output.Dir(out, "2025-03", "steering"), output.SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()

	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	removed, err := Prune(context.Background(), out, 3, "2025-02", log)
	if err != nil {
		t.Fatal(err)
	}
	wantRemoved := []string{"2021", "2025-01", "2025-04", "2025-05", "2025-06"}
	slices.Sort(removed)
	if !slices.Equal(removed, wantRemoved) {
		t.Errorf("removed %v, want %v", removed, wantRemoved)
	}
	var left []string
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		left = append(left, e.Name())
	}
	wantLeft := []string{"2022", "2023", "2024", "2025-02", "2025-03", "2025-07", "2025-08", "2025-09", "2025-13", "index.html", "misc", "state.db"}
	if !slices.Equal(left, wantLeft) {
		t.Errorf("left %v,\nwant %v", left, wantLeft)
	}
	lines := logLines(t, &buf)
	if got := periodsIn(lines, "removed an old period folder"); !slices.Equal(got, wantRemoved) {
		t.Errorf("removal log lines for %v, want one for each of %v", got, wantRemoved)
	}
	if got := periodsIn(lines, "kept an old period folder: it is the run's own period"); !slices.Equal(got, []string{"2025-02"}) {
		t.Errorf("the run's own period logged as kept: %v, want [2025-02]", got)
	}
	if got := periodsIn(lines, "kept an old period folder: a run is writing in it; a later run removes it"); !slices.Equal(got, []string{"2025-03"}) {
		t.Errorf("the period in use logged as kept: %v, want [2025-03]", got)
	}
	for _, l := range lines {
		if l["msg"] == "removed an old period folder" && l["keep_periods"] != float64(3) {
			t.Errorf("removal log line without keep_periods 3: %v", l)
		}
	}

	// Once the run is over, the next prune removes its period too.
	live.Abort()
	buf.Reset()
	removed, err = Prune(context.Background(), out, 3, "2025-09", log)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if !slices.Equal(removed, []string{"2025-02", "2025-03"}) {
		t.Errorf("second prune removed %v, want [2025-02 2025-03]", removed)
	}
}

func TestPruneRefusesNothingToKeep(t *testing.T) {
	if _, err := Prune(context.Background(), t.TempDir(), 0, "2025-09", slog.New(slog.DiscardHandler)); err == nil {
		t.Error("Prune kept 0 periods without an error")
	}
}
