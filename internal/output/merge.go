package output

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// ErrNoShards says that a folder holds no shard manifests to merge.
var ErrNoShards = errors.New("no shard manifests")

// ErrMerge says that a folder's shard manifests do not make one whole: a
// shard is missing, a recipient is in two shards, or they describe
// different reports or periods.
var ErrMerge = errors.New("the shard manifests do not fit together")

// shardManifest matches the manifest a --shard i/n run writes.
var shardManifest = regexp.MustCompile(`^manifest-shard-([0-9]+)-of-([0-9]+)\.json$`)

// IsShardManifest reports whether name is a shard's manifest file name.
func IsShardManifest(name string) bool { return shardManifest.MatchString(name) }

// MergeShards joins the shard manifests (manifest-shard-i-of-n.json) of the
// report folder dir (OUT/<period>/<report>) into its manifest.json, under
// the folder's lock. Every shard 0..n-1 must be there, no recipient may be in
// two of them, every PDF they name must be in the folder, and all must be
// of the folder's report and period; otherwise nothing is written and the
// error wraps ErrMerge (ErrNoShards when there is nothing to merge). The
// shard manifests stay: a later shard run replaces its own and drops
// manifest.json again. manifest.json gets the first shard manifest's mode.
func MergeShards(ctx context.Context, dir string) (Manifest, error) {
	dir = filepath.Clean(dir)
	lock, err := waitLock(ctx, filepath.Join(filepath.Dir(dir), lockName(filepath.Base(dir))), DefaultMode)
	if err != nil {
		return Manifest{}, fmt.Errorf("merge %s: lock: %w", dir, err)
	}
	defer lock.Close()
	names, err := shardFiles(dir)
	if err != nil {
		return Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	shards := make([]Manifest, len(names))
	for i, n := range names {
		if shards[i], err = readManifest(filepath.Join(dir, n)); err != nil {
			return Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
		}
	}
	m, err := joinShards(dir, names, shards)
	if err != nil {
		return Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	info, err := os.Stat(filepath.Join(dir, names[0]))
	if err != nil {
		return Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	data, err := encodeManifest(m)
	if err != nil {
		return Manifest{}, err
	}
	if err := replaceFile(dir, "manifest.json", ".tmp-manifest.json-", data, info.Mode().Perm()); err != nil {
		return Manifest{}, fmt.Errorf("merge %s: %w", dir, err)
	}
	return m, nil
}

// shardFiles lists the shard manifests of dir in shard order, checking that
// they are of one shard count n and that none of 0..n-1 is missing.
func shardFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	byCount := map[int]map[int]string{}
	for _, e := range entries {
		sm := shardManifest.FindStringSubmatch(e.Name())
		if sm == nil || !e.Type().IsRegular() {
			continue
		}
		i, _ := strconv.Atoi(sm[1])
		n, _ := strconv.Atoi(sm[2])
		if i >= n {
			return nil, fmt.Errorf("%w: %s names no shard of %d (shards are numbered from 0)", ErrMerge, e.Name(), n)
		}
		if byCount[n] == nil {
			byCount[n] = map[int]string{}
		}
		byCount[n][i] = e.Name()
	}
	switch len(byCount) {
	case 0:
		return nil, fmt.Errorf("%w (manifest-shard-i-of-n.json) in the folder", ErrNoShards)
	case 1:
	default:
		var counts []string
		for n := range byCount {
			counts = append(counts, strconv.Itoa(n))
		}
		sort.Strings(counts)
		return nil, fmt.Errorf("%w: shard manifests of different shard counts (of %s): remove the stale ones or rerun", ErrMerge, strings.Join(counts, ", of "))
	}
	var n int
	for c := range byCount {
		n = c
	}
	var names, missing []string
	for i := 0; i < n; i++ {
		name, ok := byCount[n][i]
		if !ok {
			missing = append(missing, fmt.Sprintf("manifest-shard-%d-of-%d.json", i, n))
			continue
		}
		names = append(names, name)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %d of %d shards are missing (%s): run the missing shards first", ErrMerge, n-len(names), n, strings.Join(missing, ", "))
	}
	return names, nil
}

func readManifest(path string) (Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return m, nil
}

// joinShards is the checked union of the shard manifests names (read into
// shards) of the report folder dir.
func joinShards(dir string, names []string, shards []Manifest) (Manifest, error) {
	report, period := filepath.Base(dir), filepath.Base(filepath.Dir(dir))
	out := Manifest{Report: report, Period: period}
	var problems []string
	owner := map[string]string{} // recipient id → the shard manifest holding it
	claim := func(id, name string) {
		if first, ok := owner[id]; ok {
			problems = append(problems, fmt.Sprintf("recipient %q is in both %s and %s", id, first, name))
			return
		}
		owner[id] = name
	}
	seenFinding := map[Finding]bool{}
	for k, m := range shards {
		name := names[k]
		if m.Report != report || m.Period != period {
			problems = append(problems, fmt.Sprintf("%s is of %s %s, not of this folder's %s %s", name, m.Report, m.Period, report, period))
			continue
		}
		if m.GeneratedAt.After(out.GeneratedAt) {
			out.GeneratedAt = m.GeneratedAt
		}
		for _, r := range m.Reports {
			claim(r.Recipient.ID, name)
			if _, err := os.Stat(filepath.Join(dir, r.File)); err != nil {
				problems = append(problems, fmt.Sprintf("%s names %s, which is not in the folder", name, r.File))
			}
			out.Reports = append(out.Reports, r)
		}
		for _, f := range m.Failures {
			claim(f.RecipientID, name)
			out.Failures = append(out.Failures, f)
		}
		for _, f := range m.DataQuality {
			if !seenFinding[f] {
				seenFinding[f] = true
				out.DataQuality = append(out.DataQuality, f)
			}
		}
		if p := joinExtras(&out, m); p != "" {
			problems = append(problems, name+": "+p)
		}
	}
	if len(problems) > 0 {
		return Manifest{}, fmt.Errorf("%w: %s", ErrMerge, strings.Join(problems, "; "))
	}
	sort.Slice(out.Reports, func(i, j int) bool { return out.Reports[i].File < out.Reports[j].File })
	sort.Slice(out.Failures, func(i, j int) bool { return out.Failures[i].RecipientID < out.Failures[j].RecipientID })
	return out, nil
}

// joinExtras takes the steering pack's portfolio, savings and attention
// list from m when out has none yet; they are about the whole portfolio,
// so every shard that has them must agree. It returns a problem, or "".
func joinExtras(out *Manifest, m Manifest) string {
	if m.Portfolio != nil {
		if out.Portfolio != nil && !reflect.DeepEqual(out.Portfolio, m.Portfolio) {
			return "its portfolio counts differ from another shard's"
		}
		out.Portfolio = m.Portfolio
	}
	if m.Savings != nil {
		if out.Savings != nil && !reflect.DeepEqual(out.Savings, m.Savings) {
			return "its savings differ from another shard's"
		}
		out.Savings = m.Savings
	}
	if m.Attention != nil {
		if out.Attention != nil && !slices.EqualFunc(*out.Attention, *m.Attention, func(a, b Attention) bool { return reflect.DeepEqual(a, b) }) {
			return "its attention list differs from another shard's"
		}
		out.Attention = m.Attention
	}
	return ""
}
