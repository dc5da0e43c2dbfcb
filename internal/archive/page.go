package archive

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strconv"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
)

// FoldAbove is how many recipients a report may have for the root index
// to list them all; a larger report is listed on its period's page, and the
// root index gives its totals, statuses and failures only.
const FoldAbove = 500

//go:embed index.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("index").Funcs(template.FuncMap{"rows": rowsOf}).Parse(pageSource))

// rowsTable is what the "rows" template draws: a table of rows under the column headings.
type rowsTable struct {
	Col  map[string]string
	Rows []rowView
}

func rowsOf(col map[string]string, rows []rowView) rowsTable { return rowsTable{Col: col, Rows: rows} }

// statusOrder is the order statuses are shown in, worst news first.
var statusOrder = []string{"red", "yellow", "green", "no_data", "invalid", "no_ambition", "suppressed", "part_of_whole"}

// page is what the template draws, every word already in the reader's language.
type page struct {
	Lang, Title, Intro, Updated string
	Up                          *link // the root index, from a period's page
	Nav                         []link
	NavHeading, None            string
	Periods                     []periodView
	Col                         map[string]string
}

type link struct{ Href, Text string }

type periodView struct {
	ID, Heading string
	Page        *link // the period's page, from the root index
	Reports     []reportsView
}

type reportsView struct {
	Heading, Made, Totals string
	Statuses              []badge
	Rows                  []rowView
	Folded                string    // instead of Rows, on the root index
	Failures              []rowView // listed apart when the rows are folded
	FailuresHeading       string
	Problems              []string
}

type rowView struct {
	Name, Email, Pages string
	Statuses           []badge
	PDF                *link
	Note               string // "PDF missing", "no indicators"
	Error              string
	Failed             bool
}

// badge is a status shown as a word on its colour (class s-<status>).
type badge struct{ Class, Text string }

// Page says how one index page is worded and where it sits.
type Page struct {
	Catalog  *report.Catalog
	Location *time.Location
	Now      time.Time
	// Period is "" for the root index (OUT/index.html), else the period
	// whose page (OUT/<period>/index.html) is drawn.
	Period string
}

// Render draws the index page of ix as one static HTML document: inline
// CSS, no scripts, every link relative to the page.
func Render(ix Index, p Page) ([]byte, error) {
	v := p.view(ix)
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render the archive index: %w", err)
	}
	return buf.Bytes(), nil
}

func (p Page) view(ix Index) page {
	if p.Location == nil {
		p.Location = time.UTC
	}
	c := p.Catalog
	v := page{Lang: c.Lang(), Title: c.T("archive.title"), Intro: c.T("archive.intro"),
		Updated:    c.T("archive.updated", "date", c.Date(p.Now.In(p.Location)), "time", p.Now.In(p.Location).Format("15:04")),
		NavHeading: c.T("archive.periods"), None: c.T("archive.none"),
		Col: map[string]string{}}
	for _, k := range []string{"recipient", "statuses", "pages", "pdf", "failure"} {
		v.Col[k] = c.T("archive.col." + k)
	}
	if p.Period != "" {
		v.Title = c.T("archive.period_title", "period", p.periodName(p.Period))
		v.Up = &link{Href: "../index.html", Text: c.T("archive.all_periods")}
	}
	for _, per := range ix.Periods {
		if p.Period != "" && per.Name != p.Period {
			continue
		}
		v.Periods = append(v.Periods, p.periodView(per))
		if p.Period == "" {
			v.Nav = append(v.Nav, link{Href: "#p-" + per.Name, Text: p.periodName(per.Name)})
		}
	}
	return v
}

// periodName words a period folder's name: "september 2025", or the year.
func (p Page) periodName(name string) string {
	if m, err := register.ParseMonth(name); err == nil && monthlyName.MatchString(name) {
		return p.Catalog.Month(m)
	}
	return name
}

// href is the link from the page to a file of a report folder.
func (p Page) href(period, kind, file string) string {
	if p.Period != "" {
		return path.Join(kind, file)
	}
	return path.Join(period, kind, file)
}

func (p Page) periodView(per Period) periodView {
	v := periodView{ID: "p-" + per.Name, Heading: p.periodName(per.Name)}
	if p.Period == "" {
		v.Page = &link{Href: path.Join(per.Name, "index.html"), Text: p.Catalog.T("archive.period_page")}
	}
	for _, r := range per.Reports {
		v.Reports = append(v.Reports, p.reportsView(per.Name, r))
	}
	return v
}

func (p Page) reportsView(period string, r Reports) reportsView {
	c := p.Catalog
	kind := r.Kind
	if c.Has("archive.kind." + kind) {
		kind = c.T("archive.kind." + kind)
	}
	v := reportsView{Heading: kind, Statuses: p.badges(r.Statuses),
		Totals: c.T("archive.totals", "reports", strconv.Itoa(r.Produced), "pages", strconv.Itoa(r.Pages), "failed", strconv.Itoa(r.Failed))}
	if !r.GeneratedAt.IsZero() {
		at := r.GeneratedAt.In(p.Location)
		v.Made = c.T("archive.made", "date", c.Date(at), "time", at.Format("15:04"))
	}
	for _, pr := range r.Problems {
		v.Problems = append(v.Problems, c.T("archive.unreadable", "file", pr.File, "error", pr.Error))
	}
	fold := p.Period == "" && len(r.Rows) > FoldAbove
	if fold {
		v.Folded = c.T("archive.folded", "n", strconv.Itoa(len(r.Rows)))
		v.FailuresHeading = c.T("archive.failures", "n", strconv.Itoa(r.Failed))
	}
	for _, row := range r.Rows {
		rv := p.rowView(period, r.Kind, row)
		switch {
		case !fold:
			v.Rows = append(v.Rows, rv)
		case rv.Failed:
			v.Failures = append(v.Failures, rv)
		}
	}
	return v
}

func (p Page) rowView(period, kind string, row Row) rowView {
	c := p.Catalog
	v := rowView{Name: row.Name, Email: row.Email}
	if v.Name == "" {
		v.Name = row.RecipientID
	}
	if row.File == "" {
		v.Failed, v.Error = true, row.Error
		v.Statuses = []badge{{Class: "s-failed", Text: c.T("archive.not_made")}}
		return v
	}
	if v.Email == "" {
		v.Email = c.T("archive.no_email")
	}
	v.Pages = strconv.Itoa(row.Pages)
	v.Statuses = p.badges(row.Statuses)
	if len(v.Statuses) == 0 {
		v.Note = c.T("archive.no_indicators")
	}
	if row.FileMissing {
		v.Error = c.T("archive.pdf_missing") + ": " + row.File
		return v
	}
	v.PDF = &link{Href: p.href(period, kind, row.File), Text: row.File}
	return v
}

// badges words status counts ("3 grønne") in statusOrder, unknown statuses last.
func (p Page) badges(counts map[string]int) []badge {
	var out []badge
	seen := map[string]bool{}
	for _, s := range statusOrder {
		if n := counts[s]; n > 0 {
			seen[s] = true
			out = append(out, badge{Class: "s-" + s, Text: p.Catalog.StatusCount(n, register.Status(s))})
		}
	}
	var other []string
	for s, n := range counts {
		if n > 0 && !seen[s] {
			other = append(other, s)
		}
	}
	sort.Strings(other)
	for _, s := range other {
		out = append(out, badge{Class: "s-other", Text: fmt.Sprintf("%d %s", counts[s], s)})
	}
	return out
}
