package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gevinstrapport/internal/output"
)

func readManifestFile(t *testing.T, path string) output.Manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestManifestMerge runs the demo's owner reports as two shards, merges
// their manifests with `manifest merge` and checks the exit codes when a
// shard is missing, a recipient is in two shards, or there is nothing to
// merge; the archive index lists every shard's reports.
func TestManifestMerge(t *testing.T) {
	out := t.TempDir()
	mustRun(t, 0, "run", "--out", out, "--period", "2025-09", "--shard", "0/2")
	mustRun(t, 0, "run", "--out", out, "--period", "2025-09", "--shard", "1/2")
	dir := filepath.Join(out, "2025-09", "owner")
	one := readManifestFile(t, filepath.Join(dir, "manifest-shard-0-of-2.json"))
	two := readManifestFile(t, filepath.Join(dir, "manifest-shard-1-of-2.json"))
	total := len(one.Reports) + len(two.Reports)
	if len(one.Reports) == 0 || len(two.Reports) == 0 {
		t.Fatalf("a shard made no reports: %d and %d", len(one.Reports), len(two.Reports))
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(index), `.pdf">`); n != total {
		t.Errorf("the index links %d PDFs of the two shards, want %d", n, total)
	}

	r := mustRun(t, 0, "manifest", "merge", dir)
	if !strings.Contains(r.stdout, "owner 2025-09: merged the shard manifests") {
		t.Errorf("stdout = %q", r.stdout)
	}
	merged := readManifestFile(t, filepath.Join(dir, "manifest.json"))
	if len(merged.Reports) != total || merged.Report != "owner" || merged.Period != "2025-09" {
		t.Errorf("manifest.json has %d reports of %s %s, want %d of owner 2025-09", len(merged.Reports), merged.Report, merged.Period, total)
	}

	// A recipient in both shards: exit 1, manifest.json left as it was.
	doubled := two
	doubled.Reports = append(doubled.Reports, one.Reports[0])
	data, err := json.Marshal(doubled)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest-shard-1-of-2.json"), data, 0o640); err != nil {
		t.Fatal(err)
	}
	r = mustRun(t, 1, "manifest", "merge", dir)
	if !strings.Contains(r.stderr, "is in both manifest-shard-0-of-2.json and manifest-shard-1-of-2.json") {
		t.Errorf("stderr = %q", r.stderr)
	}
	if again := readManifestFile(t, filepath.Join(dir, "manifest.json")); len(again.Reports) != total {
		t.Errorf("a refused merge changed manifest.json: %d reports", len(again.Reports))
	}

	// A missing shard: exit 1.
	if err := os.Remove(filepath.Join(dir, "manifest-shard-1-of-2.json")); err != nil {
		t.Fatal(err)
	}
	r = mustRun(t, 1, "manifest", "merge", dir)
	if !strings.Contains(r.stderr, "1 of 2 shards are missing (manifest-shard-1-of-2.json)") {
		t.Errorf("stderr = %q", r.stderr)
	}

	// Nothing to merge, no folder, no subcommand: exit 2.
	mustRun(t, 2, "manifest", "merge", filepath.Join(out, "2025-09"))
	mustRun(t, 2, "manifest", "merge", filepath.Join(out, "nowhere"))
	mustRun(t, 2, "manifest", "merge")
	mustRun(t, 2, "manifest", "join", dir)
	if r := mustRun(t, 0, "manifest", "merge", "--help"); !strings.Contains(r.stdout, "Usage:\n  gevinstrapport manifest merge OUT/<period>/<report>") {
		t.Errorf("--help printed %q", r.stdout)
	}
}
