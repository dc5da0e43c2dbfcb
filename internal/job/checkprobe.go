package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/store"
)

// checkStateStore opens the state store as a sending run would: it
// connects, pings, and creates or migrates the ledger's tables. It prints
// one line and returns the number of errors.
func checkStateStore(ctx context.Context, cfg *config.Config, opt Options, out io.Writer) int {
	l, err := ledger.Open(ctx, cfg.State.Driver, cfg.State.DSN, ledger.Options{Now: opt.Now})
	if err != nil {
		fmt.Fprintf(out, "error: state store %s: %v\n", store.RedactDSN(cfg.State.DSN), err)
		return 1
	}
	l.Close()
	fmt.Fprintf(out, "state store (%s): ok\n", cfg.State.Driver)
	return 0
}

// checkOutputDir makes sure reports can be written to dir: it creates the
// folder as a run would, writes and removes a probe file, and removes the
// folders it created. It prints one line and returns the number of errors.
func checkOutputDir(dir string, out io.Writer) int {
	if err := probeWritable(dir); err != nil {
		fmt.Fprintf(out, "error: output.dir %s: reports cannot be written there: %v\n", dir, err)
		return 1
	}
	fmt.Fprintf(out, "output.dir %s: writable\n", dir)
	return 0
}

func probeWritable(dir string) error {
	created, err := missingDirs(dir)
	if err != nil {
		return err
	}
	defer func() {
		for _, d := range created { // deepest first; each is empty again
			os.Remove(d)
		}
	}()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".gevinstrapport-check-*")
	if err != nil {
		return err
	}
	_, werr := f.WriteString("gevinstrapport check\n")
	cerr := f.Close()
	rerr := os.Remove(f.Name())
	return errors.Join(werr, cerr, rerr)
}

// missingDirs returns dir and those of its parents that do not exist yet,
// deepest first.
func missingDirs(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		_, err := os.Stat(d)
		if err == nil {
			return missing, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			return missing, nil
		}
	}
}
