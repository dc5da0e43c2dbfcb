package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gevinstrapport/internal/output"
	"gevinstrapport/internal/report"
)

// Options says how the index pages are written and worded.
type Options struct {
	Catalog  *report.Catalog
	Location *time.Location
	Now      time.Time
	Mode     os.FileMode // of the pages, before the umask (output.mode)
}

// WriteIndex writes the archive index of out from the manifests on disk:
// OUT/index.html for every period and OUT/<period>/index.html for each,
// each replaced atomically (output.WriteFile). It returns the index read.
func WriteIndex(ctx context.Context, out string, opt Options) (Index, error) {
	ix, err := Scan(ctx, out)
	if err != nil {
		return Index{}, err
	}
	if err := os.MkdirAll(out, output.DirMode(opt.Mode)); err != nil {
		return Index{}, fmt.Errorf("write the archive index: %w", err)
	}
	pages := []string{""}
	for _, p := range ix.Periods {
		pages = append(pages, p.Name)
	}
	var errs []error
	for _, period := range pages {
		data, err := Render(ix, Page{Catalog: opt.Catalog, Location: opt.Location, Now: opt.Now, Period: period})
		if err != nil {
			return Index{}, err
		}
		path := filepath.Join(out, period, "index.html")
		if err := output.WriteFile(ctx, path, data, opt.Mode); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return ix, fmt.Errorf("write the archive index: %w", err)
	}
	return ix, nil
}
