package archive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gevinstrapport/internal/output"
)

// removingInfix marks a period folder renamed aside to be removed, so that a
// crash in the middle of the removal never leaves half a period under its
// name; the next Prune finishes it.
const removingInfix = ".removing-"

// Prune applies output.keep_periods: of the period folders under out it
// keeps the newest keep monthly ones (YYYY-MM) and, counted apart, the
// newest keep annual ones (YYYY), and removes the older ones, logging each.
// It never removes the folder of current (the period of the run that
// calls it) nor one in which a live process is building a report set.
// Other entries of out (index.html, state.db, ...) are left alone. It
// returns the names of the removed folders.
func Prune(ctx context.Context, out string, keep int, current string, log *slog.Logger) ([]string, error) {
	if keep < 1 {
		return nil, fmt.Errorf("prune %s: keep %d periods: must be at least 1", out, keep)
	}
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("prune %s: %w", out, err)
	}
	var monthly, annual, errs []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, ".") && strings.Contains(n, removingInfix):
			if err := os.RemoveAll(filepath.Join(out, n)); err != nil {
				errs = append(errs, err.Error())
			}
		case !e.IsDir():
		case monthlyName.MatchString(n):
			monthly = append(monthly, n)
		case annualName.MatchString(n):
			annual = append(annual, n)
		}
	}
	var removed []string
	for _, names := range [][]string{monthly, annual} {
		sort.Sort(sort.Reverse(sort.StringSlice(names)))
		for _, n := range names[min(keep, len(names)):] {
			if err := ctx.Err(); err != nil {
				return removed, err
			}
			ok, err := removePeriod(out, n, current, keep, log)
			if err != nil {
				errs = append(errs, err.Error())
			}
			if ok {
				removed = append(removed, n)
			}
		}
	}
	if len(errs) > 0 {
		return removed, fmt.Errorf("prune %s: %s", out, strings.Join(errs, "; "))
	}
	return removed, nil
}

// removePeriod removes the period folder name of out unless it is current
// or in use, reporting whether it did.
func removePeriod(out, name, current string, keep int, log *slog.Logger) (bool, error) {
	dir := filepath.Join(out, name)
	if name == current {
		log.Info("kept an old period folder: it is the run's own period", "period_folder", name, "dir", dir, "keep_periods", keep)
		return false, nil
	}
	busy, err := output.InUse(dir)
	if err != nil {
		return false, fmt.Errorf("remove %s: %w", dir, err)
	}
	if busy {
		log.Warn("kept an old period folder: a run is writing in it; a later run removes it", "period_folder", name, "dir", dir, "keep_periods", keep)
		return false, nil
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return false, fmt.Errorf("remove %s: %w", dir, err)
	}
	aside := filepath.Join(out, "."+name+removingInfix+hex.EncodeToString(b))
	if err := os.Rename(dir, aside); err != nil {
		return false, fmt.Errorf("remove %s: %w", dir, err)
	}
	if err := os.RemoveAll(aside); err != nil {
		return true, fmt.Errorf("remove %s (renamed %s): %w", dir, filepath.Base(aside), err)
	}
	log.Info("removed an old period folder", "period_folder", name, "dir", dir, "keep_periods", keep)
	return true, nil
}
