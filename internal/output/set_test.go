//go:build unix

package output

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
)

// withUmask sets the process umask for the rest of the test. Tests that
// use it must not be parallel: the umask belongs to the whole process.
func withUmask(t *testing.T, mask int) {
	t.Helper()
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// commitSet writes files (name → content) and a manifest listing the PDFs
// among them as one set into dir.
func commitSet(t *testing.T, dir string, opt SetOptions, files map[string]string) {
	t.Helper()
	set, err := OpenSet(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	m := Manifest{Report: "owner", Period: "2025-09"}
	for _, name := range sortedKeys(files) {
		if err := set.Add(name, []byte(files[name])); err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(name) == ".pdf" {
			m.Reports = append(m.Reports, Report{File: name, SHA256: SHA256([]byte(files[name])), Recipient: Recipient{ID: stem(name)}})
		}
	}
	if err := set.Commit(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// folder reads every file of dir (name → content).
func folder(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

func readManifestAt(t *testing.T, path string) Manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDirMode(t *testing.T) {
	for file, want := range map[os.FileMode]os.FileMode{0o640: 0o750, 0o600: 0o700, 0o644: 0o755, 0o660: 0o770} {
		if got := DirMode(file); got != want {
			t.Errorf("DirMode(%04o) = %04o, want %04o", file, got, want)
		}
	}
}

// TestSetModes writes a set under umask 022 and 077 with the default mode
// and with 0644, and checks the modes of the files and of every folder the
// set created: the configured mode, never wider than the umask allows.
func TestSetModes(t *testing.T) {
	tests := []struct {
		umask             int
		mode              os.FileMode
		wantFile, wantDir os.FileMode
	}{
		{0o022, 0, 0o640, 0o750},
		{0o077, 0, 0o600, 0o700},
		{0o022, 0o644, 0o644, 0o755},
		{0o077, 0o644, 0o600, 0o700},
		{0o022, 0o600, 0o600, 0o700},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("umask %03o mode %04o", tt.umask, tt.mode), func(t *testing.T) {
			withUmask(t, tt.umask)
			out := filepath.Join(t.TempDir(), "out")
			dir := Dir(out, "2025-09", "owner")
			files := map[string]string{"P-1.pdf": "%PDF one", "P-1.eml": "mail"}
			commitSet(t, dir, SetOptions{Mode: tt.mode}, files)
			commitSet(t, dir, SetOptions{Mode: tt.mode}, files) // a rerun swaps the folder
			for _, name := range []string{"P-1.pdf", "P-1.eml", "manifest.json"} {
				checkMode(t, filepath.Join(dir, name), tt.wantFile)
			}
			for _, d := range []string{out, filepath.Dir(dir), dir} {
				checkMode(t, d, tt.wantDir)
			}
		})
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s is %04o, want %04o", filepath.Base(path), got, want)
	}
}

// TestSetReplacesTheWholeFolder: a full rerun leaves exactly the new set.
func TestSetReplacesTheWholeFolder(t *testing.T) {
	dir := Dir(t.TempDir(), "2025-09", "owner")
	commitSet(t, dir, SetOptions{}, map[string]string{"a.pdf": "old a", "b.pdf": "old b", "b.eml": "old b mail"})
	commitSet(t, dir, SetOptions{}, map[string]string{"a.pdf": "new a"})
	got := folder(t, dir)
	if len(got) != 2 || got["a.pdf"] != "new a" {
		t.Errorf("folder after the rerun = %v, want only the new a.pdf and manifest.json", slices.Sorted(mapKeys(got)))
	}
	if m := readManifestAt(t, filepath.Join(dir, "manifest.json")); len(m.Reports) != 1 || m.Reports[0].SHA256 != SHA256([]byte("new a")) {
		t.Errorf("manifest = %+v", m.Reports)
	}
	checkNoLeftovers(t, filepath.Dir(dir))
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// checkNoLeftovers fails when the period folder holds anything but report
// folders and their lock files.
func checkNoLeftovers(t *testing.T, period string) {
	t.Helper()
	entries, err := os.ReadDir(period)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && n[0] != '.' || !e.IsDir() && filepath.Ext(n) == ".lock" {
			continue
		}
		t.Errorf("left behind in %s: %s", period, n)
	}
}

// TestSetKeepOthersReplacesOneRecipient is --only: one recipient's files
// are replaced together (a stale .eml goes), the others' files and manifest
// entries stay.
func TestSetKeepOthersReplacesOneRecipient(t *testing.T) {
	dir := Dir(t.TempDir(), "2025-09", "owner")
	commitSet(t, dir, SetOptions{}, map[string]string{"a.pdf": "old a", "a.eml": "old a mail", "b.pdf": "old b"})
	commitSet(t, dir, SetOptions{Keep: KeepOthers, Merge: true}, map[string]string{"a.pdf": "new a"})
	got := folder(t, dir)
	want := map[string]bool{"a.pdf": true, "b.pdf": true, "manifest.json": true}
	for name := range got {
		if !want[name] {
			t.Errorf("%s should not be in the folder", name)
		}
	}
	if got["a.pdf"] != "new a" || got["b.pdf"] != "old b" {
		t.Errorf("a.pdf = %q, b.pdf = %q", got["a.pdf"], got["b.pdf"])
	}
	m := readManifestAt(t, filepath.Join(dir, "manifest.json"))
	checkManifestMatches(t, dir, m, 2)
}

// checkManifestMatches fails unless the manifest lists n reports and every
// one matches its file's sha256.
func checkManifestMatches(t *testing.T, dir string, m Manifest, n int) {
	t.Helper()
	if len(m.Reports) != n {
		t.Errorf("manifest lists %d reports, want %d", len(m.Reports), n)
	}
	for _, r := range m.Reports {
		data, err := os.ReadFile(filepath.Join(dir, r.File))
		if err != nil {
			t.Errorf("manifest lists %s: %v", r.File, err)
			continue
		}
		if SHA256(data) != r.SHA256 {
			t.Errorf("%s does not match the manifest's sha256", r.File)
		}
	}
}

// TestSetShardsCommitConcurrently runs four shards, each rewriting its own
// files and manifest three times, at the same time on one folder: no shard
// loses another's files.
func TestSetShardsCommitConcurrently(t *testing.T) {
	dir := Dir(t.TempDir(), "2025-09", "owner")
	const shards, rounds = 4, 3
	var wg sync.WaitGroup
	errs := make(chan error, shards*rounds)
	for i := range shards {
		wg.Go(func() {
			for round := range rounds {
				errs <- shardRound(dir, i, shards, round)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range shards {
		m := readManifestAt(t, filepath.Join(dir, fmt.Sprintf("manifest-shard-%d-of-%d.json", i, shards)))
		checkManifestMatches(t, dir, m, 2)
		for _, r := range m.Reports {
			if data, _ := os.ReadFile(filepath.Join(dir, r.File)); string(data) != fmt.Sprintf("%s round %d", r.File, rounds-1) {
				t.Errorf("%s = %q, want the last round", r.File, data)
			}
		}
	}
	checkNoLeftovers(t, filepath.Dir(dir))
}

func shardRound(dir string, i, n, round int) error {
	name := fmt.Sprintf("manifest-shard-%d-of-%d.json", i, n)
	set, err := OpenSet(context.Background(), dir, SetOptions{Manifest: name, Keep: KeepOthers})
	if err != nil {
		return err
	}
	m := Manifest{Report: "owner", Period: "2025-09"}
	for _, file := range []string{fmt.Sprintf("s%d-a.pdf", i), fmt.Sprintf("s%d-b.pdf", i)} {
		data := []byte(fmt.Sprintf("%s round %d", file, round))
		if err := set.Add(file, data); err != nil {
			return err
		}
		m.Reports = append(m.Reports, Report{File: file, SHA256: SHA256(data)})
	}
	return set.Commit(context.Background(), m)
}

// TestOpenSetTidiesLeftovers puts in place what crashed runs leave behind,
// as they leave it, and checks that the next set removes what no live
// process uses, puts a set moved aside back, and leaves a live staging
// folder alone.
func TestOpenSetTidiesLeftovers(t *testing.T) {
	dir := Dir(t.TempDir(), "2025-09", "owner")
	period := filepath.Dir(dir)
	commitSet(t, dir, SetOptions{}, map[string]string{"a.pdf": "old a"})

	live, err := OpenSet(context.Background(), dir, SetOptions{}) // a run still writing
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	mustMkdir(t, filepath.Join(period, ".owner.staging-dead")) // its liveness file is not locked
	mustWrite(t, filepath.Join(period, ".owner.staging-dead.live"), "")
	mustMkdir(t, filepath.Join(period, ".owner.staging-nolock")) // no liveness file at all
	mustMkdir(t, filepath.Join(period, ".owner.old-gone"))
	mustWrite(t, filepath.Join(dir, ".tmp-a.pdf-123"), "half")

	next, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer next.Abort()
	for _, gone := range []string{".owner.staging-dead", ".owner.staging-dead.live", ".owner.staging-nolock", ".owner.old-gone", "owner/.tmp-a.pdf-123"} {
		if _, err := os.Lstat(filepath.Join(period, gone)); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", gone, err)
		}
	}
	if _, err := os.Stat(live.staging); err != nil {
		t.Errorf("the live run's staging folder was removed: %v", err)
	}

	// A crash between the two renames of a swap: the old set is aside and
	// the folder is missing. The next set puts the old one back.
	if err := os.Rename(dir, filepath.Join(period, ".owner.old-crash")); err != nil {
		t.Fatal(err)
	}
	again, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	again.Abort()
	if got := folder(t, dir); got["a.pdf"] != "old a" {
		t.Errorf("the old set was not put back: %v", got)
	}
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
}

func mustMkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
}

// TestSetAbortKeepsTheOldSet: a failed run leaves the folder as it was.
func TestSetAbortKeepsTheOldSet(t *testing.T) {
	dir := Dir(t.TempDir(), "2025-09", "owner")
	commitSet(t, dir, SetOptions{}, map[string]string{"a.pdf": "old a"})
	set, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Add("a.pdf", []byte("new a")); err != nil {
		t.Fatal(err)
	}
	if err := set.Add("a.pdf", []byte("again")); err == nil {
		t.Error("a name was added twice")
	}
	if err := set.Add("../x.pdf", nil); err == nil {
		t.Error("a path was accepted as a name")
	}
	if err := set.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := folder(t, dir); got["a.pdf"] != "old a" {
		t.Errorf("a.pdf = %q after abort", got["a.pdf"])
	}
	checkNoLeftovers(t, filepath.Dir(dir))
}

// BenchmarkShardCommit is the Commit of one shard of 16 into a folder that
// already holds 5000 reports: the cost of carrying the other shards' files
// over (hard links) and swapping, without writing the shard's own files.
func BenchmarkShardCommit(b *testing.B) {
	dir := Dir(b.TempDir(), "2025-09", "owner")
	const total, shards = 5000, 16
	set, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range total {
		if err := set.Add(fmt.Sprintf("P-%05d.pdf", i), []byte("%PDF")); err != nil {
			b.Fatal(err)
		}
	}
	if err := set.Commit(context.Background(), Manifest{Report: "owner", Period: "2025-09"}); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		b.StopTimer()
		set, err := OpenSet(context.Background(), dir, SetOptions{Manifest: "manifest-shard-0-of-16.json", Keep: KeepOthers})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < total; i += shards {
			if err := set.Add(fmt.Sprintf("P-%05d.pdf", i), []byte("%PDF new")); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if err := set.Commit(context.Background(), Manifest{Report: "owner", Period: "2025-09"}); err != nil {
			b.Fatal(err)
		}
	}
}
