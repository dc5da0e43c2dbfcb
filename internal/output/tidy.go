package output

import (
	"encoding/json"
	"errors"
	"fmt"

	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// tidy repairs what a crash left beside the folder: it puts back an old set
// that a crash between the two renames of a swap left out of place, and
// removes old sets, staging folders that no process is using, and the
// temporary files of earlier versions. The caller holds the folder's lock.
func (s *Set) tidy() error {
	name := filepath.Base(s.dir)
	entries, err := os.ReadDir(s.parent)
	if err != nil {
		return fmt.Errorf("tidy %s: %w", s.parent, err)
	}
	_, err = os.Lstat(s.dir)
	present := err == nil
	var errs []error
	for _, e := range entries {
		n := e.Name()
		p := filepath.Join(s.parent, n)
		switch {
		case strings.HasPrefix(n, oldPrefix(name)) && !present:
			if err := os.Rename(p, s.dir); err != nil {
				errs = append(errs, fmt.Errorf("put the old set back into %s: %w", s.dir, err))
				continue
			}
			present = true
		case strings.HasPrefix(n, oldPrefix(name)):
			errs = append(errs, os.RemoveAll(p))
		case strings.HasPrefix(n, stagingPrefix(name)):
			errs = append(errs, s.removeIfStale(strings.TrimSuffix(p, liveSuffix)))
		}
	}
	errs = append(errs, removeTemps(s.dir))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("tidy %s: %w", s.dir, err)
	}
	return nil
}

// removeIfStale removes a staging folder and its liveness lock file unless
// a live process holds the lock.
func (s *Set) removeIfStale(staging string) error {
	if staging == s.staging {
		return nil
	}
	live, err := lockFile(staging+liveSuffix, s.opt.Mode, false)
	switch {
	case errors.Is(err, errLocked):
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return os.RemoveAll(staging)
	case err != nil:
		return err
	}
	defer live.Close()
	if err := os.RemoveAll(staging); err != nil {
		return err
	}
	return os.Remove(live.Name())
}

// removeTemps removes the .tmp-* files that versions before staging
// folders wrote beside the reports and left behind when they crashed.
func removeTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			errs = append(errs, os.Remove(filepath.Join(dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// carryOver puts the current folder's files that the new set does not
// replace into the staging folder, as hard links (copies where the file
// system has none). A recipient's files are replaced together: a file
// sharing its stem with an added file is not carried over.
func (s *Set) carryOver() error {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the current set %s: %w", s.dir, err)
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(n, ".") || n == s.opt.Manifest || s.added[n] || slices.Contains(s.opt.Drop, n) {
			continue
		}
		if filepath.Ext(n) != ".json" && s.stems[stem(n)] {
			continue
		}
		if err := s.carry(n); err != nil {
			return fmt.Errorf("keep %s: %w", n, err)
		}
	}
	return nil
}

// carry links (or copies) one file of the current set into the staging
// folder, narrowing a mode that an earlier version left wider than the
// Set's.
func (s *Set) carry(name string) error {
	from, to := filepath.Join(s.dir, name), filepath.Join(s.staging, name)
	if err := os.Link(from, to); err != nil {
		return copyFile(from, to, s.opt.Mode)
	}
	info, err := os.Stat(to)
	if err != nil {
		return err
	}
	if perm := info.Mode().Perm(); perm&^s.opt.Mode.Perm() != 0 {
		return os.Chmod(to, perm&s.opt.Mode.Perm())
	}
	return nil
}

func copyFile(from, to string, mode os.FileMode) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return writeNew(to, data, mode)
}

// merge adds to m the current manifest's entries for files that were
// carried over into the new set, so that --only keeps the other
// recipients' entries of the full run.
func (s *Set) merge(m Manifest) Manifest {
	data, err := os.ReadFile(filepath.Join(s.dir, s.opt.Manifest))
	if err != nil {
		return m
	}
	var old Manifest
	if json.Unmarshal(data, &old) != nil || old.Report != m.Report || old.Period != m.Period {
		return m
	}
	now := map[string]bool{}
	for _, r := range m.Reports {
		now[r.File] = true
	}
	for _, r := range old.Reports {
		if now[r.File] {
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.staging, r.File)); err != nil {
			continue
		}
		m.Reports = append(m.Reports, r)
	}
	sort.Slice(m.Reports, func(i, j int) bool { return m.Reports[i].File < m.Reports[j].File })
	return m
}
