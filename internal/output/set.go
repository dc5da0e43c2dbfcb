package output

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// DefaultMode is the mode reports, manifests and previews are created with,
// before the process umask narrows it: the owner reads and writes, the
// owner's group reads, nobody else.
const DefaultMode os.FileMode = 0o640

// DirMode is the folder mode that goes with a file mode: search (x) wherever
// read is allowed, so 0640 gives 0750 and 0600 gives 0700.
func DirMode(file os.FileMode) os.FileMode {
	m := file.Perm()
	return m | (m&0o444)>>2
}

// Keep says what a committed Set leaves of the folder it replaces.
type Keep int

const (
	// KeepNothing replaces the whole folder: files of the old set that the
	// new set does not hold are gone.
	KeepNothing Keep = iota
	// KeepOthers replaces only the recipients the Set holds (every file
	// sharing a stem with a file added) and the Set's manifest; the folder's
	// other files stay (--only, --shard).
	KeepOthers
)

// SetOptions says how a Set writes and what its Commit replaces.
type SetOptions struct {
	// Mode is the mode of every file before the umask; 0 means DefaultMode.
	// Folders get DirMode(Mode).
	Mode os.FileMode
	// Manifest is the manifest's file name; "" means manifest.json.
	Manifest string
	// Keep says which files of the current folder survive the commit.
	Keep Keep
	// Drop names files of the current folder that KeepOthers does not carry
	// over (a shard drops the manifest.json of an unsharded run, which
	// would describe PDFs the shard replaces).
	Drop []string
	// Merge carries the current manifest's entries for files that survive
	// into the new manifest (--only rebuilds one recipient of a full set).
	Merge bool
	// Step, if set, is called with the name of each step a Set passes
	// ("add", "staged", "locked", "manifest", "moved-out", "moved-in",
	// "committed"); tests stop the process there to crash it.
	Step func(step string)
}

// Set is the new content of one report folder (OUT/<period>/<report>),
// built in a staging folder beside it and swapped in by Commit, so that a
// crash at any moment leaves either the old set of PDFs and manifest or the
// new one under the folder's name, never a mix. Staging folders and old sets
// that a crashed process left behind are removed (or, if the crash came
// between the two renames of a swap, the old set is put back) by the next
// Set opened on the folder. Sets of one folder may be built concurrently by
// several processes (the shards of a run); their commits are serialised by
// a lock file in the period folder.
type Set struct {
	dir     string // the report folder the Set replaces
	parent  string // the period folder holding it, its staging and its lock
	staging string
	live    *os.File // locked for as long as the staging folder is in use
	opt     SetOptions
	mu      sync.Mutex // guards added and stems while files are added
	added   map[string]bool
	stems   map[string]bool
	done    bool

	// The manifest entries added with AddReport, encoded, in a file of the
	// staging folder (so a set of any size holds none in memory), and the
	// findings their encoding made.
	spool    *os.File
	spoolBuf *bufio.Writer
	spooled  int
	findings []Finding
}

// Prefixes of the entries a Set keeps beside report folder name in the period folder.
func stagingPrefix(name string) string { return "." + name + ".staging-" }
func oldPrefix(name string) string     { return "." + name + ".old-" }
func lockName(name string) string      { return "." + name + ".lock" }

// liveSuffix names the lock file that marks a staging folder as in use.
const liveSuffix = ".live"

// OpenSet starts a new set for the report folder dir: it tidies what a
// crashed run left there and creates the staging folder.
func OpenSet(ctx context.Context, dir string, opt SetOptions) (*Set, error) {
	if opt.Mode == 0 {
		opt.Mode = DefaultMode
	}
	if opt.Manifest == "" {
		opt.Manifest = "manifest.json"
	}
	dir = filepath.Clean(dir)
	s := &Set{dir: dir, parent: filepath.Dir(dir), opt: opt, added: map[string]bool{}, stems: map[string]bool{}}
	if err := os.MkdirAll(s.parent, DirMode(opt.Mode)); err != nil {
		return nil, fmt.Errorf("create %s: %w", s.parent, err)
	}
	unlock, err := s.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := s.tidy(); err != nil {
		return nil, err
	}
	// Under the lock, so that no tidy of another process sees the liveness
	// lock file before it is locked.
	if err := s.createStaging(); err != nil {
		return nil, err
	}
	return s, nil
}

// createStaging makes the staging folder, taking its liveness lock first so
// that no other process ever sees the folder unlocked while it is in use.
func (s *Set) createStaging() error {
	suffix, err := randomSuffix()
	if err != nil {
		return fmt.Errorf("create staging folder in %s: %w", s.parent, err)
	}
	s.staging = filepath.Join(s.parent, stagingPrefix(filepath.Base(s.dir))+suffix)
	live, err := lockFile(s.staging+liveSuffix, s.opt.Mode, true)
	if err != nil {
		return fmt.Errorf("create staging folder %s: %w", s.staging, err)
	}
	s.live = live
	if err := os.Mkdir(s.staging, DirMode(s.opt.Mode)); err != nil {
		s.releaseLive()
		return fmt.Errorf("create staging folder: %w", err)
	}
	return nil
}

// Add writes one file of the set. A name is added once; it is a plain file
// name, not a path. Several goroutines may add files at once (each file is
// written and synced by its caller), but not while the set is committed
// or aborted.
func (s *Set) Add(name string, data []byte) error {
	s.mu.Lock()
	done, twice := s.done, s.added[name]
	s.mu.Unlock()
	if done {
		return fmt.Errorf("add %s: the set is already committed or aborted", name)
	}
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") || name == s.opt.Manifest {
		return fmt.Errorf("add %q: not a file name a set can hold", name)
	}
	if twice {
		return fmt.Errorf("add %s: added twice", name)
	}
	if err := writeNew(filepath.Join(s.staging, name), data, s.opt.Mode); err != nil {
		return err
	}
	s.mu.Lock()
	s.added[name] = true
	s.stems[stem(name)] = true
	s.mu.Unlock()
	s.step("add")
	return nil
}

// spoolName is the file in the staging folder that holds the entries added
// with AddReport until Commit writes the manifest; Add refuses names
// starting with a dot, and Commit removes it before the swap.
const spoolName = ".reports.spool"

// AddReport adds one entry to the reports of the set's manifest. Entries
// are encoded at once and kept on disk in the staging folder, not in
// memory; Commit writes them after the manifest's own Reports, in the
// order they were added.
func (s *Set) AddReport(r Report) error {
	if s.done {
		return fmt.Errorf("add manifest entry %s: the set is already committed or aborted", r.File)
	}
	if s.spool == nil {
		f, err := os.OpenFile(filepath.Join(s.staging, spoolName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("add manifest entry %s: %w", r.File, err)
		}
		s.spool, s.spoolBuf = f, bufio.NewWriter(f)
	}
	data, found, err := encodeReport(r)
	if err != nil {
		return err
	}
	sep := ",\n    "
	if s.spooled == 0 {
		sep = "\n    "
	}
	s.spoolBuf.WriteString(sep)
	if _, err := s.spoolBuf.Write(data); err != nil {
		return fmt.Errorf("add manifest entry %s: %w", r.File, err)
	}
	s.spooled++
	s.findings = append(s.findings, found...)
	return nil
}

// Commit writes the manifest and swaps the set in under the folder's name.
// When it fails, the folder holds the old set and the Set is aborted.
func (s *Set) Commit(ctx context.Context, m Manifest) (err error) {
	if s.done {
		return errors.New("commit: the set is already committed or aborted")
	}
	defer func() {
		if err != nil {
			s.Abort()
		}
	}()
	s.step("staged")
	unlock, err := s.lock(ctx)
	if err != nil {
		return err
	}
	s.step("locked")
	old, err := s.install(m)
	unlock()
	if err != nil {
		return err
	}
	// The old set is out of the way, so removing it needs no lock and does
	// not hold up other shards; what a crash leaves of it, the next tidy
	// removes, so an error here does not fail the commit.
	if old != "" {
		os.RemoveAll(old)
	}
	s.releaseLive()
	s.step("committed")
	return nil
}

// install completes the staging folder (the carried-over files and the
// manifest) and swaps it in, returning where the old set was moved. The
// caller holds the folder's lock.
func (s *Set) install(m Manifest) (string, error) {
	if err := s.tidy(); err != nil {
		return "", err
	}
	if s.opt.Keep == KeepOthers {
		if err := s.carryOver(); err != nil {
			return "", err
		}
	}
	if err := s.writeManifest(m); err != nil {
		return "", err
	}
	if err := syncDir(s.staging); err != nil {
		return "", err
	}
	s.step("manifest")
	return s.swap()
}

// swap renames the current folder aside and the staging folder into its
// place, returning where the old set went ("" when there was none).
func (s *Set) swap() (string, error) {
	old := ""
	if _, err := os.Lstat(s.dir); err == nil {
		old = oldPrefix(filepath.Base(s.dir)) + strings.TrimPrefix(filepath.Base(s.staging), stagingPrefix(filepath.Base(s.dir)))
		old = filepath.Join(s.parent, old)
		if err := os.Rename(s.dir, old); err != nil {
			return "", fmt.Errorf("move the old set of %s aside: %w", s.dir, err)
		}
		s.step("moved-out")
	}
	if err := os.Rename(s.staging, s.dir); err != nil {
		if old != "" {
			os.Rename(old, s.dir)
		}
		return "", fmt.Errorf("move the new set into %s: %w", s.dir, err)
	}
	s.done = true
	if err := syncDir(s.parent); err != nil {
		return old, err
	}
	s.step("moved-in")
	return old, nil
}

// Abort removes the staging folder; the folder keeps its current set. After
// Commit it only lets go of the staging folder's lock.
func (s *Set) Abort() error {
	if s.done {
		s.releaseLive() // a commit that failed after its swap
		return nil
	}
	s.done = true
	s.closeSpool()
	err := os.RemoveAll(s.staging)
	s.releaseLive()
	if err != nil {
		return fmt.Errorf("remove staging folder: %w", err)
	}
	return nil
}

func (s *Set) closeSpool() {
	if s.spool != nil {
		s.spool.Close()
		s.spool = nil
	}
}

func (s *Set) releaseLive() {
	if s.live == nil {
		return
	}
	os.Remove(s.live.Name())
	s.live.Close()
	s.live = nil
}

func (s *Set) step(name string) {
	if s.opt.Step != nil {
		s.opt.Step(name)
	}
}

// lock takes the lock that serialises swaps and tidying of the folder.
func (s *Set) lock(ctx context.Context) (func(), error) {
	f, err := waitLock(ctx, filepath.Join(s.parent, lockName(filepath.Base(s.dir))), s.opt.Mode)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", s.dir, err)
	}
	return func() { f.Close() }, nil
}

func randomSuffix() (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// stem is a file name without its extension: a recipient's PDF and .eml
// share it.
func stem(name string) string {
	return strings.TrimSuffix(name, filepath.Ext(name))
}

// writeNewFrom creates path with mode (narrowed by the umask), has write
// fill it, and syncs it. The file must not exist.
func writeNewFrom(path string, mode os.FileMode, write func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode.Perm())
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", filepath.Base(path), err)
	}
	return nil
}

// writeNew creates path with mode (narrowed by the umask), writes data and
// syncs it. The file must not exist.
func writeNew(path string, data []byte, mode os.FileMode) error {
	return writeNewFrom(path, mode, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir makes the renames and new entries of dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// writeManifest writes the set's manifest into the staging folder: m, with
// the entries added by AddReport after m.Reports, and then removes the
// spool. When m has reports of its own or the set merges with the current
// manifest, the entries are read back into memory; otherwise they are
// copied from the spool into the file, between the parts of m that come
// before and after its reports.
func (s *Set) writeManifest(m Manifest) error {
	path := filepath.Join(s.staging, s.opt.Manifest)
	if s.spool != nil {
		defer func() {
			s.closeSpool()
			os.Remove(filepath.Join(s.staging, spoolName))
		}()
		if err := s.spoolBuf.Flush(); err != nil {
			return fmt.Errorf("write manifest entries: %w", err)
		}
	}
	// The findings in the order of the reports: m's own, then the spooled.
	own, found := finiteReports(m.Reports)
	m.DataQuality = append(append(slices.Clone(m.DataQuality), found...), s.findings...)
	m.Reports = own
	if len(m.Reports) > 0 || s.opt.Merge {
		spooled, err := s.readSpool()
		if err != nil {
			return err
		}
		m.Reports = append(m.Reports, spooled...)
		if s.opt.Merge {
			m = s.merge(m)
		}
		data, err := encodeManifest(m)
		if err != nil {
			return err
		}
		return writeNew(path, data, s.opt.Mode)
	}
	data, err := encodeManifest(m)
	if err != nil {
		return err
	}
	const marker = "\n  \"reports\": []"
	at := bytes.Index(data, []byte(marker))
	if at < 0 || s.spooled == 0 {
		return writeNew(path, data, s.opt.Mode)
	}
	at += len(marker) - 1 // at the "]" of the empty list
	return writeNewFrom(path, s.opt.Mode, func(w io.Writer) error {
		if _, err := w.Write(data[:at]); err != nil {
			return err
		}
		if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(w, s.spool); err != nil {
			return err
		}
		if _, err := io.WriteString(w, "\n  "); err != nil {
			return err
		}
		_, err := w.Write(data[at:])
		return err
	})
}

// readSpool decodes the entries added by AddReport.
func (s *Set) readSpool() ([]Report, error) {
	if s.spool == nil {
		return nil, nil
	}
	if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read manifest entries: %w", err)
	}
	data, err := io.ReadAll(s.spool)
	if err != nil {
		return nil, fmt.Errorf("read manifest entries: %w", err)
	}
	var out []Report
	if err := json.Unmarshal(append(append([]byte("["), data...), ']'), &out); err != nil {
		return nil, fmt.Errorf("read manifest entries: %w", err)
	}
	return out, nil
}
