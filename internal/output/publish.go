package output

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile replaces path with data atomically, for files written beside the
// report sets (the archive index): under a lock file in path's folder, data
// goes to a temporary file that is synced and renamed over path, so a
// reader sees the old file or the new one, never half of one. mode (before
// the umask; 0 means DefaultMode) is the mode the file is created with.
// Temporary files a crashed writer left are removed first.
func WriteFile(ctx context.Context, path string, data []byte, mode os.FileMode) error {
	if mode == 0 {
		mode = DefaultMode
	}
	dir, base := filepath.Split(filepath.Clean(path))
	if dir == "" {
		dir = "."
	}
	lock, err := waitLock(ctx, filepath.Join(dir, "."+base+".lock"), mode)
	if err != nil {
		return fmt.Errorf("write %s: lock: %w", path, err)
	}
	defer lock.Close()
	return replaceFile(dir, base, "."+base+".tmp-", data, mode)
}

// replaceFile writes data to dir/base through a temporary file named
// tmpPrefix plus a random suffix; the caller holds the lock that serialises
// writers of the file.
func replaceFile(dir, base, tmpPrefix string, data []byte, mode os.FileMode) error {
	if err := removeMatching(dir, tmpPrefix); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, base), err)
	}
	suffix, err := randomSuffix()
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Join(dir, base), err)
	}
	tmp := filepath.Join(dir, tmpPrefix+suffix)
	if err := writeNew(tmp, data, mode); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, base)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Join(dir, base), err)
	}
	return syncDir(dir)
}

// removeMatching removes the entries of dir whose names begin with prefix.
func removeMatching(dir, prefix string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// WriteManifest replaces the manifest file name in the report folder dir
// with m, under the folder's lock (the one Set commits take), so it never
// lands in the middle of a swap. mode is the file's mode before the umask.
func WriteManifest(ctx context.Context, dir, name string, m Manifest, mode os.FileMode) error {
	if mode == 0 {
		mode = DefaultMode
	}
	data, err := encodeManifest(m)
	if err != nil {
		return err
	}
	dir = filepath.Clean(dir)
	lock, err := waitLock(ctx, filepath.Join(filepath.Dir(dir), lockName(filepath.Base(dir))), mode)
	if err != nil {
		return fmt.Errorf("lock %s: %w", dir, err)
	}
	defer lock.Close()
	// A .tmp- name, which the next Set's tidy also removes.
	return replaceFile(dir, name, ".tmp-"+name+"-", data, mode)
}

// InUse reports whether a live process is building a report set in the
// period folder dir (it holds the lock of a staging folder there), so that
// retention never removes a folder a run is writing.
func InUse(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, ".") || !strings.Contains(n, ".staging-") || !strings.HasSuffix(n, liveSuffix) {
			continue
		}
		f, err := lockFile(filepath.Join(dir, n), DefaultMode, false)
		switch {
		case errors.Is(err, errLocked):
			return true, nil
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return false, err
		}
		f.Close()
	}
	return false, nil
}
