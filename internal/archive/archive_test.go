package archive

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/output"
	"gevinstrapport/internal/report"
	"gevinstrapport/templates"
)

var clock = time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)

// entry is one recipient of a test set: a PDF with indicators of the given
// statuses, or (fail != "") a failure.
type entry struct {
	id, name, email string
	pages           int
	statuses        []string
	fail            string
}

// commit writes a report set into OUT/period/kind as a run does (output.Set).
func commit(t *testing.T, out, period, kind string, opt output.SetOptions, at time.Time, entries ...entry) {
	t.Helper()
	set, err := output.OpenSet(context.Background(), output.Dir(out, period, kind), opt)
	if err != nil {
		t.Fatal(err)
	}
	m := output.Manifest{Report: kind, Period: period, GeneratedAt: at}
	for _, e := range entries {
		if e.fail != "" {
			m.Failures = append(m.Failures, output.FailedEntry{RecipientID: e.id, Error: e.fail})
			continue
		}
		file := output.SafeName(e.id) + ".pdf"
		data := []byte("%PDF-1.7 " + e.id)
		if err := set.Add(file, data); err != nil {
			t.Fatal(err)
		}
		r := output.Report{File: file, SHA256: output.SHA256(data), Pages: e.pages,
			Recipient: output.Recipient{ID: e.id, Name: e.name, Email: e.email}}
		for _, s := range e.statuses {
			r.Indicators = append(r.Indicators, output.Indicator{IndicatorID: "I-" + s, Status: s})
		}
		m.Reports = append(m.Reports, r)
	}
	if err := set.Commit(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

func shardOpt(i, n int) output.SetOptions {
	return output.SetOptions{Manifest: fmt.Sprintf("manifest-shard-%d-of-%d.json", i, n), Keep: output.KeepOthers, Drop: []string{"manifest.json"}}
}

// archiveTree builds an output folder with a full owner run (one failure),
// a steering pack, a sharded month with an --only rerun, an annual year, a
// PDF gone missing and a manifest that is not JSON.
func archiveTree(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	commit(t, out, "2025-09", "owner", output.SetOptions{}, clock,
		entry{id: "P-1", name: "Åse Ås", email: "ase@example.no", pages: 4, statuses: []string{"red", "green", "green"}},
		entry{id: "P-2", name: "<b>Bo</b> & Co", email: "", pages: 3, statuses: []string{"yellow", "no_data"}},
		entry{id: "P-3", fail: "render P-3: font broke <here>"})
	commit(t, out, "2025-09", "steering", output.SetOptions{}, clock,
		entry{id: "steering", name: "Styringsgruppe", email: "sg@example.no", pages: 12, statuses: []string{"green", "suppressed"}})
	commit(t, out, "2025-08", "owner", shardOpt(0, 2), clock.Add(-time.Hour),
		entry{id: "P-1", name: "Åse Ås", email: "ase@example.no", pages: 4, statuses: []string{"red"}},
		entry{id: "P-4", fail: "build P-4: no org unit"})
	commit(t, out, "2025-08", "owner", shardOpt(1, 2), clock.Add(-time.Hour),
		entry{id: "P-2", name: "Bo", email: "bo@example.no", pages: 3, statuses: []string{"green"}})
	// --only P-4 later: the report replaces shard 1's failure.
	commit(t, out, "2025-08", "owner", output.SetOptions{Keep: output.KeepOthers, Merge: true}, clock,
		entry{id: "P-4", name: "Fixed Four", email: "p4@example.no", pages: 2, statuses: []string{"invalid"}})
	commit(t, out, "2024", "annual", output.SetOptions{}, clock,
		entry{id: "P-1", name: "Åse Ås", email: "ase@example.no", pages: 9, statuses: []string{"green", "no_ambition"}})
	commit(t, out, "2025-07", "owner", output.SetOptions{}, clock,
		entry{id: "P-5", name: "Gone", email: "g@example.no", pages: 2, statuses: []string{"green"}})
	if err := os.Remove(filepath.Join(out, "2025-07", "owner", "P-5.pdf")); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(out, "2025-06", "owner")
	if err := os.MkdirAll(broken, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "manifest.json"), []byte("{not json"), 0o640); err != nil {
		t.Fatal(err)
	}
	return out
}

func catalogs(t *testing.T) report.Catalogs {
	t.Helper()
	cs, err := report.LoadCatalogs(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestScan(t *testing.T) {
	ix, err := Scan(context.Background(), archiveTree(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ix.Periods {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "2025-09 2025-08 2025-07 2025-06 2024" {
		t.Fatalf("periods = %s, want newest first", got)
	}
	sep := ix.Periods[0]
	if len(sep.Reports) != 2 || sep.Reports[0].Kind != "owner" || sep.Reports[1].Kind != "steering" {
		t.Fatalf("2025-09 reports = %+v", sep.Reports)
	}
	own := sep.Reports[0]
	if own.Produced != 2 || own.Failed != 1 || own.Pages != 7 {
		t.Errorf("2025-09 owner: produced %d failed %d pages %d, want 2, 1, 7", own.Produced, own.Failed, own.Pages)
	}
	if own.Statuses["green"] != 2 || own.Statuses["red"] != 1 || own.Statuses["yellow"] != 1 || own.Statuses["no_data"] != 1 {
		t.Errorf("2025-09 owner statuses = %v", own.Statuses)
	}
	if last := own.Rows[len(own.Rows)-1]; last.RecipientID != "P-3" || last.File != "" || !strings.Contains(last.Error, "font broke") {
		t.Errorf("the failure is not the last row: %+v", last)
	}
	aug := ix.Periods[1].Reports[0]
	if aug.Produced != 3 || aug.Failed != 0 || len(aug.Manifests) != 3 {
		t.Errorf("2025-08 (2 shards and an --only rerun): produced %d failed %d from %v, want 3 and 0 from 3 manifests",
			aug.Produced, aug.Failed, aug.Manifests)
	}
	if row := ix.Periods[2].Reports[0].Rows[0]; !row.FileMissing {
		t.Errorf("2025-07: a PDF gone from the folder is not marked: %+v", row)
	}
	if pr := ix.Periods[3].Reports[0].Problems; len(pr) != 1 || pr[0].File != "manifest.json" {
		t.Errorf("2025-06: the broken manifest is not named: %+v", pr)
	}
}

func TestIndexPage(t *testing.T) {
	out := archiveTree(t)
	cs := catalogs(t)
	ix, err := WriteIndex(context.Background(), out, Options{Catalog: cs.For("nb"), Location: time.UTC, Now: clock, Mode: 0o600})
	if err != nil {
		t.Fatal(err)
	}
	root := readPage(t, filepath.Join(out, "index.html"))
	for _, want := range []string{
		`<html lang="nb">`, "<title>Rapportarkiv – gevinstrealisering</title>",
		`<a href="#p-2025-09">september 2025</a>`, `<a href="2025-09/index.html">Periodens side</a>`,
		"Månedsrapporter til eiere", "Styringsgruppepakke", "Årsrapporter",
		"Rapporter: 2 · sider: 7 · ikke laget: 1",
		`<span class="badge s-red">1 rød</span><span class="badge s-yellow">1 gul</span><span class="badge s-green">2 grønne</span>`,
		`<a href="2025-09/owner/P-1.pdf">P-1.pdf</a>`, `<a href="2024/annual/P-1.pdf">P-1.pdf</a>`,
		`<span class="badge s-failed">Ikke laget</span>`, "render P-3: font broke &lt;here&gt;",
		"&lt;b&gt;Bo&lt;/b&gt; &amp; Co", "ingen e-postadresse",
		"PDF-en mangler i mappen: P-5.pdf", "manifest.json kunne ikke leses",
		`<span class="badge s-invalid">1 ugyldig</span>`, "Fixed Four",
	} {
		if !strings.Contains(root, want) {
			t.Errorf("OUT/index.html lacks %q", want)
		}
	}
	if strings.Contains(root, `href="2025-07/owner/P-5.pdf"`) {
		t.Error("OUT/index.html links a PDF that is not there")
	}
	period := readPage(t, filepath.Join(out, "2025-09", "index.html"))
	for _, want := range []string{"<title>Rapportarkiv september 2025</title>", `<a href="../index.html">Alle perioder</a>`,
		`<a href="owner/P-1.pdf">P-1.pdf</a>`, `<a href="steering/steering.pdf">steering.pdf</a>`} {
		if !strings.Contains(period, want) {
			t.Errorf("OUT/2025-09/index.html lacks %q", want)
		}
	}
	if strings.Contains(period, "2025-08") || strings.Contains(period, "annual/") {
		t.Error("a period's page lists other periods")
	}
	for _, p := range ix.Periods {
		if _, err := os.Stat(filepath.Join(out, p.Name, "index.html")); err != nil {
			t.Errorf("no page for period %s: %v", p.Name, err)
		}
	}
	info, err := os.Stat(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&^0o600 != 0 {
		t.Errorf("index.html mode %04o, want within output.mode 0600", perm)
	}
}

// TestIndexPageStatic: the page loads nothing from elsewhere and runs no
// script, in every language.
func TestIndexPageStatic(t *testing.T) {
	out := archiveTree(t)
	cs := catalogs(t)
	ix, err := Scan(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{"nb": "Rapportarkiv", "nn": "Rapportane som er laga", "en": "Report archive"}
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//|@import|url\(|<script|<link|<iframe|<img|\son[a-z]+=`)
	for lang, want := range titles {
		data, err := Render(ix, Page{Catalog: cs.For(lang), Location: time.UTC, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		if !strings.Contains(page, want) || !strings.Contains(page, `<html lang="`+lang+`">`) {
			t.Errorf("%s page lacks %q", lang, want)
		}
		if m := external.FindString(page); m != "" {
			t.Errorf("%s page loads or runs something: %q", lang, m)
		}
		if strings.Contains(page, "[archive.") || strings.Contains(page, "[count.") {
			t.Errorf("%s page has a catalogue key without text", lang)
		}
	}
}

// TestBadgeContrast: every status colour of the page's CSS keeps its word
// readable (WCAG AA, 4.5:1).
func TestBadgeContrast(t *testing.T) {
	rule := regexp.MustCompile(`\.(s-[a-z_]+)\{background:#([0-9a-f]{6});color:#([0-9a-f]{6})\}`)
	rules := rule.FindAllStringSubmatch(pageSource, -1)
	if len(rules) < len(statusOrder)+2 {
		t.Fatalf("found %d status colours in the CSS, want one per status, other and failed", len(rules))
	}
	for _, s := range append(statusOrder, "other", "failed") {
		if !strings.Contains(pageSource, ".s-"+s+"{") {
			t.Errorf("no colour for status %s", s)
		}
	}
	for _, r := range rules {
		if c := contrast(r[2], r[3]); c < 4.5 {
			t.Errorf("%s: contrast %.2f:1 between #%s and #%s, want at least 4.5:1", r[1], c, r[3], r[2])
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var rgb [3]float64
	for i := range rgb {
		var v int
		fmt.Sscanf(hex[2*i:2*i+2], "%02x", &v)
		c := float64(v) / 255
		if c <= 0.04045 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
}

func readPage(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestIndexFolds: the root index lists a report of more than FoldAbove
// recipients by its totals and failures; its period's page lists them all.
func TestIndexFolds(t *testing.T) {
	r := Reports{Kind: "owner", GeneratedAt: clock, Statuses: map[string]int{"green": FoldAbove}}
	for i := range FoldAbove {
		r.Rows = append(r.Rows, Row{RecipientID: fmt.Sprint("P", i), Name: fmt.Sprint("Person ", i), File: fmt.Sprint("P", i, ".pdf"), Pages: 2})
	}
	r.Rows = append(r.Rows, Row{RecipientID: "P-x", Error: "render P-x: broke"})
	r.Produced, r.Failed = FoldAbove, 1
	ix := Index{Periods: []Period{{Name: "2025-09", Reports: []Reports{r}}}}
	cat := catalogs(t).For("en")
	root, err := Render(ix, Page{Catalog: cat, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	page, err := Render(ix, Page{Catalog: cat, Now: clock, Period: "2025-09"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(root), `.pdf">`); n != 0 {
		t.Errorf("the root index links %d PDFs of a folded report", n)
	}
	for _, want := range []string{"501 recipients: see the table on the period", "Not made (1)", "render P-x: broke", `href="2025-09/index.html"`} {
		if !strings.Contains(string(root), want) {
			t.Errorf("the root index lacks %q", want)
		}
	}
	if n := strings.Count(string(page), `.pdf">`); n != FoldAbove {
		t.Errorf("the period's page links %d PDFs, want %d", n, FoldAbove)
	}
}
