//go:build unix

package output

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shard commits shard i of n into dir the way a --shard run does: its PDFs
// beside the other shards' files and its own manifest-shard-i-of-n.json.
func shard(t *testing.T, dir string, i, n int, m Manifest, ids ...string) {
	t.Helper()
	set, err := OpenSet(context.Background(), dir, SetOptions{Mode: 0o600,
		Manifest: fmt.Sprintf("manifest-shard-%d-of-%d.json", i, n), Keep: KeepOthers, Drop: []string{"manifest.json"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		data := []byte("%PDF " + id)
		if err := set.Add(id+".pdf", data); err != nil {
			t.Fatal(err)
		}
		m.Reports = append(m.Reports, Report{File: id + ".pdf", SHA256: SHA256(data), Pages: 2, Recipient: Recipient{ID: id, Name: "N " + id}})
	}
	if err := set.Commit(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

func owner(at int) Manifest {
	return Manifest{Report: "owner", Period: "2025-09", GeneratedAt: time.Date(2025, 10, 3, 6, at, 0, 0, time.UTC),
		DataQuality: []Finding{{Severity: "warning", IndicatorID: "I1", Message: "late"}}}
}

func TestMergeShards(t *testing.T) {
	withUmask(t, 0o022)
	dir := filepath.Join(t.TempDir(), "2025-09", "owner")
	failed := owner(1)
	failed.Failures = []FailedEntry{{RecipientID: "p4", Error: "render: boom"}}
	shard(t, dir, 1, 3, failed, "p2", "p5")
	shard(t, dir, 0, 3, owner(7), "p1")
	shard(t, dir, 2, 3, owner(3), "p3")

	m, err := MergeShards(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := readManifestAt(t, filepath.Join(dir, "manifest.json"))
	var files []string
	for _, r := range got.Reports {
		files = append(files, r.File)
	}
	if strings.Join(files, " ") != "p1.pdf p2.pdf p3.pdf p5.pdf" {
		t.Errorf("merged reports = %v, want p1 p2 p3 p5 in file order", files)
	}
	if len(got.Failures) != 1 || got.Failures[0].RecipientID != "p4" {
		t.Errorf("merged failures = %+v, want p4's", got.Failures)
	}
	if len(got.DataQuality) != 1 {
		t.Errorf("data quality = %+v, want the shards' one finding once", got.DataQuality)
	}
	if want := owner(7).GeneratedAt; !got.GeneratedAt.Equal(want) || !m.GeneratedAt.Equal(want) {
		t.Errorf("generated_at = %v, want the latest shard's %v", got.GeneratedAt, want)
	}
	if got.Report != "owner" || got.Period != "2025-09" {
		t.Errorf("report/period = %s/%s", got.Report, got.Period)
	}
	info, err := os.Stat(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("manifest.json mode = %04o, want the shard manifests' 0600", info.Mode().Perm())
	}
	for i := range 3 {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("manifest-shard-%d-of-3.json", i))); err != nil {
			t.Errorf("shard manifest %d is gone after the merge: %v", i, err)
		}
	}
	// A shard run after the merge drops manifest.json: it would be stale.
	shard(t, dir, 1, 3, owner(9), "p2", "p5")
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("manifest.json survived a later shard run: %v", err)
	}
}

func TestMergeShardsRefuses(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		is    error
		want  string
	}{
		{"no shards", func(t *testing.T, dir string) {
			commitSet(t, dir, SetOptions{}, map[string]string{"p1.pdf": "x"})
		}, ErrNoShards, "no shard manifests"},
		{"missing shard", func(t *testing.T, dir string) {
			shard(t, dir, 0, 3, owner(1), "p1")
			shard(t, dir, 2, 3, owner(1), "p3")
		}, ErrMerge, "1 of 3 shards are missing (manifest-shard-1-of-3.json)"},
		{"recipient twice", func(t *testing.T, dir string) {
			shard(t, dir, 0, 2, owner(1), "p1")
			f := owner(1)
			f.Failures = []FailedEntry{{RecipientID: "p1", Error: "x"}}
			shard(t, dir, 1, 2, f, "p2")
		}, ErrMerge, `recipient "p1" is in both manifest-shard-0-of-2.json and manifest-shard-1-of-2.json`},
		{"another period", func(t *testing.T, dir string) {
			shard(t, dir, 0, 2, owner(1), "p1")
			other := owner(1)
			other.Period = "2025-08"
			shard(t, dir, 1, 2, other, "p2")
		}, ErrMerge, "manifest-shard-1-of-2.json is of owner 2025-08, not of this folder's owner 2025-09"},
		{"two shard counts", func(t *testing.T, dir string) {
			shard(t, dir, 0, 2, owner(1), "p1")
			shard(t, dir, 1, 2, owner(1), "p2")
			shard(t, dir, 0, 3, owner(1), "p3")
		}, ErrMerge, "different shard counts (of 2, of 3)"},
		{"a PDF gone", func(t *testing.T, dir string) {
			shard(t, dir, 0, 2, owner(1), "p1")
			shard(t, dir, 1, 2, owner(1), "p2")
			if err := os.Remove(filepath.Join(dir, "p2.pdf")); err != nil {
				t.Fatal(err)
			}
		}, ErrMerge, "manifest-shard-1-of-2.json names p2.pdf, which is not in the folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "2025-09", "owner")
			tt.setup(t, dir)
			before := folder(t, dir)
			_, err := MergeShards(context.Background(), dir)
			if !errors.Is(err, tt.is) || !strings.Contains(fmt.Sprint(err), tt.want) {
				t.Fatalf("MergeShards = %v, want %v containing %q", err, tt.is, tt.want)
			}
			after := folder(t, dir)
			if len(after) != len(before) {
				t.Errorf("a refused merge changed the folder: %d files before, %d after", len(before), len(after))
			}
			if _, ok := after["manifest.json"]; ok && tt.is != ErrNoShards {
				t.Error("a refused merge wrote manifest.json")
			}
		})
	}
}
