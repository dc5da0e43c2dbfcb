//go:build unix

package ledger

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// TestSQLiteFilesAreOwnerOnly opens a real SQLite ledger under umask 022 and
// 077, writes to it so that SQLite creates its -wal and -shm files, and
// checks that every file of the store is 0600; a store an earlier version
// left 0644 is narrowed when it is opened.
func TestSQLiteFilesAreOwnerOnly(t *testing.T) {
	for _, mask := range []int{0o022, 0o077} {
		t.Run(fmt.Sprintf("umask %03o", mask), func(t *testing.T) {
			withUmask(t, mask)
			path := filepath.Join(t.TempDir(), "state.db")
			use := func() {
				t.Helper()
				l, err := Open(context.Background(), "sqlite", "file:"+path+"?_pragma=foreign_keys(1)", Options{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := l.StartRun(context.Background(), "monthly-owner", "2025-09"); err != nil {
					t.Fatal(err)
				}
				checkModes(t, path)
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
			}
			use()
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				if err := os.Chmod(p, 0o644); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
			}
			use()
		})
	}
}

func checkModes(t *testing.T, path string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		info, err := os.Stat(path + suffix)
		if err != nil {
			t.Fatalf("state store file%s: %v", suffix, err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Errorf("state.db%s is %04o, want 0600", suffix, got)
		}
	}
}
