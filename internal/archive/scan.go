// Package archive looks after the output folder as a whole, across runs:
// the archive index (OUT/index.html and OUT/<period>/index.html, built from
// the manifests on disk) and retention (output.keep_periods).
package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"gevinstrapport/internal/output"
)

// Period folder names: a month (owner and steering reports) or a year
// (annual reports).
var (
	monthlyName = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	annualName  = regexp.MustCompile(`^[0-9]{4}$`)
)

// IsPeriod reports whether name is a period folder's name (YYYY-MM or YYYY).
func IsPeriod(name string) bool { return monthlyName.MatchString(name) || annualName.MatchString(name) }

// Index is what the archive holds: its periods, newest first.
type Index struct {
	Periods []Period
}

// Period is one period folder and its report folders, by kind name.
type Period struct {
	Name    string
	Reports []Reports
}

// Reports is one report folder (OUT/<period>/<kind>) as its manifests
// describe it: with --shard several manifests, of which for each recipient
// the newest counts.
type Reports struct {
	Kind        string
	GeneratedAt time.Time // of the newest manifest
	Manifests   []string  // the manifest files read
	Rows        []Row     // by recipient: the PDFs, then the failures
	Produced    int
	Failed      int
	Pages       int
	Statuses    map[string]int // indicator statuses over every PDF
	Problems    []Problem      // manifests that could not be read
}

// Row is one recipient's report, or the failure to make it.
type Row struct {
	RecipientID string
	Name, Email string
	File        string // the PDF's file name in the report folder; "" when not made
	FileMissing bool   // the manifest names a PDF the folder does not hold
	Pages       int
	Statuses    map[string]int // the report's indicators by status
	Error       string         // why the report was not made
}

// Problem is a manifest that could not be read.
type Problem struct {
	File, Error string
}

// manifest is the part of output.Manifest the index shows.
type manifest struct {
	Report      string    `json:"report"`
	Period      string    `json:"period"`
	GeneratedAt time.Time `json:"generated_at"`
	Reports     []struct {
		File       string           `json:"file"`
		Pages      int              `json:"pages"`
		Recipient  output.Recipient `json:"recipient"`
		Indicators []struct {
			Status string `json:"status"`
		} `json:"indicators"`
	} `json:"reports"`
	Failures []output.FailedEntry `json:"failures"`
}

// Scan reads the archive under out: every period folder, every report
// folder in it and the manifests there (manifest.json and the shard
// manifests). A manifest that cannot be read is named in its Reports'
// Problems rather than failing the scan.
func Scan(ctx context.Context, out string) (Index, error) {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return Index{}, nil
	}
	if err != nil {
		return Index{}, fmt.Errorf("scan %s: %w", out, err)
	}
	var ix Index
	for _, e := range entries {
		if !e.IsDir() || !IsPeriod(e.Name()) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return Index{}, err
		}
		p, err := scanPeriod(filepath.Join(out, e.Name()))
		if err != nil {
			return Index{}, err
		}
		if len(p.Reports) > 0 {
			ix.Periods = append(ix.Periods, p)
		}
	}
	sort.Slice(ix.Periods, func(i, j int) bool { return ix.Periods[i].Name > ix.Periods[j].Name })
	return ix, nil
}

// scanPeriod reads the report folders of one period folder.
func scanPeriod(dir string) (Period, error) {
	p := Period{Name: filepath.Base(dir)}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Period{}, fmt.Errorf("scan %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		r, err := scanReports(filepath.Join(dir, e.Name()))
		if err != nil {
			return Period{}, err
		}
		if len(r.Manifests)+len(r.Problems) > 0 {
			p.Reports = append(p.Reports, r)
		}
	}
	sort.Slice(p.Reports, func(i, j int) bool { return kindOrder(p.Reports[i].Kind) < kindOrder(p.Reports[j].Kind) })
	return p, nil
}

// kindOrder puts the known report kinds first, in the order a reader expects.
func kindOrder(kind string) string {
	if i := slices.Index([]string{"owner", "steering", "annual"}, kind); i >= 0 {
		return fmt.Sprint(i)
	}
	return "9" + kind
}

// scanReports reads the manifests of one report folder; for each recipient
// the newest manifest that names it counts (a --only or shard run replaces
// that recipient's entry).
func scanReports(dir string) (Reports, error) {
	r := Reports{Kind: filepath.Base(dir), Statuses: map[string]int{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Reports{}, fmt.Errorf("scan %s: %w", dir, err)
	}
	var ms []manifest
	for _, e := range entries {
		n := e.Name()
		if n != "manifest.json" && !output.IsShardManifest(n) {
			continue
		}
		m, err := readManifest(filepath.Join(dir, n))
		if err != nil {
			r.Problems = append(r.Problems, Problem{File: n, Error: err.Error()})
			continue
		}
		r.Manifests = append(r.Manifests, n)
		ms = append(ms, m)
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].GeneratedAt.Before(ms[j].GeneratedAt) })
	rows := map[string]Row{}
	for _, m := range ms {
		r.GeneratedAt = m.GeneratedAt
		for _, f := range m.Failures {
			rows[f.RecipientID] = Row{RecipientID: f.RecipientID, Error: f.Error}
		}
		for _, e := range m.Reports {
			row := Row{RecipientID: e.Recipient.ID, Name: e.Recipient.Name, Email: e.Recipient.Email,
				File: e.File, Pages: e.Pages, Statuses: map[string]int{}}
			for _, ind := range e.Indicators {
				row.Statuses[ind.Status]++
			}
			if _, err := os.Stat(filepath.Join(dir, e.File)); err != nil {
				row.FileMissing = true
			}
			rows[row.RecipientID] = row
		}
	}
	r.Rows = sortedRows(rows)
	for _, row := range r.Rows {
		if row.File == "" {
			r.Failed++
			continue
		}
		r.Produced++
		r.Pages += row.Pages
		for s, n := range row.Statuses {
			r.Statuses[s] += n
		}
	}
	return r, nil
}

// sortedRows lists the PDFs by recipient name in Norwegian alphabetical
// order (æ, ø, å last), then id, and the failures after them.
func sortedRows(rows map[string]Row) []Row {
	out := make([]Row, 0, len(rows))
	for _, row := range rows {
		out = append(out, row)
	}
	col := collate.New(language.Norwegian)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.File == "") != (b.File == "") {
			return a.File != ""
		}
		if c := col.CompareString(a.Name, b.Name); c != 0 {
			return c < 0
		}
		return a.RecipientID < b.RecipientID
	})
	return out
}

func readManifest(path string) (manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return manifest{}, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return manifest{}, fmt.Errorf("not a manifest: %w", err)
	}
	return m, nil
}
