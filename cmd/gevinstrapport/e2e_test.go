package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/pdftext"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// testNow is the pinned clock of every in-process run.
func testNow() time.Time { return time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC) }

// cmdResult is what one in-process invocation of the program did.
type cmdResult struct {
	code           int
	stdout, stderr string
}

// runCmd calls run in-process with an empty environment and the pinned clock.
func runCmd(t *testing.T, args ...string) cmdResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := func(string) (string, bool) { return "", false }
	code := run(context.Background(), args, &stdout, &stderr, env, testNow)
	return cmdResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs the program and fails the test unless it exits with want.
func mustRun(t *testing.T, want int, args ...string) cmdResult {
	t.Helper()
	r := runCmd(t, args...)
	if r.code != want {
		t.Fatalf("gevinstrapport %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s",
			strings.Join(args, " "), r.code, want, r.stdout, lastLines(r.stderr, 20))
	}
	return r
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// database is a fresh, empty reporting database.
type database struct {
	dialect store.Dialect
	dsn     string
	// stateInSame keeps the ledger in the same database (its tables are
	// all named ledger_*) instead of a SQLite file.
	stateInSame bool
}

// backend makes a fresh database of one dialect.
type backend struct {
	name  string
	fresh func(t *testing.T) database
}

func backends() []backend {
	return []backend{
		{name: "sqlite", fresh: freshSQLite},
		{name: "mysql", fresh: freshMySQL},
		{name: "postgres", fresh: freshPostgres},
	}
}

// freshPostgres creates a schema with a random name in the database named
// by GEVINST_TEST_POSTGRES_DSN and drops it when the test ends; the ledger
// (state.driver: postgres) lives in the same schema. Without the variable
// the test is skipped; with it set, a server that cannot be reached fails
// the test.
func freshPostgres(t *testing.T) database {
	t.Helper()
	return database{dialect: store.Postgres, dsn: testpostgres.Fresh(t, "gevinst_e2e_"), stateInSame: true}
}

func freshSQLite(t *testing.T) database {
	return database{dialect: store.SQLite, dsn: filepath.Join(t.TempDir(), "register.db")}
}

// freshMySQL creates a database with a random name on the server named by
// GEVINST_TEST_MYSQL_DSN and drops it when the test ends. Without the
// variable the test is skipped; with it set, a server that cannot be
// reached fails the test.
func freshMySQL(t *testing.T) database {
	t.Helper()
	target := testmysql.Fresh(t, "gevinst_e2e_", "utf8mb4_unicode_ci")
	return database{dialect: store.MySQL, dsn: target.FormatDSN()}
}

// open connects to d, closing the connection when the test ends.
func (d database) open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := store.Open(context.Background(), d.dialect, d.dsn)
	if err != nil {
		t.Fatalf("open %s database: %v", d.dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// load applies the DDL printed by `schema --dialect` statement by statement
// and writes reg into the tables.
func (d database) load(t *testing.T, reg *register.Register) {
	t.Helper()
	ddl := mustRun(t, exitOK, "schema", "--dialect", string(d.dialect)).stdout
	db := d.open(t)
	ctx := context.Background()
	n := 0
	for _, stmt := range strings.Split(ddl, ";") {
		var lines []string
		for _, line := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "--") {
				lines = append(lines, line)
			}
		}
		stmt = strings.TrimSpace(strings.Join(lines, "\n"))
		if stmt == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("execute DDL statement %d:\n%s\n%v", n+1, stmt, err)
		}
		n++
	}
	if n < 8 {
		t.Fatalf("the %s DDL has %d statements; want at least one per contract table (8)", d.dialect, n)
	}
	if err := store.WriteRegister(ctx, db, d.dialect, reg); err != nil {
		t.Fatalf("write register: %v", err)
	}
}

// writeConfig writes a configuration file pointing at d with output in out.
func writeConfig(t *testing.T, d database, out string) string {
	t.Helper()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	state, stateDSN := "sqlite", filepath.Join(t.TempDir(), "state.db")
	if d.stateInSame {
		state, stateDSN = string(d.dialect), d.dsn
	}
	yaml := "timezone: Europe/Oslo\nlanguage: nb\ndatabase:\n  driver: " + string(d.dialect) +
		"\n  dsn: " + q(d.dsn) + "\noutput:\n  dir: " + q(out) +
		"\nstate:\n  driver: " + state + "\n  dsn: " + q(stateDSN) +
		"\ncoordinator:\n  name: Gevinstkoordinator\n  email: koordinator@example.no\n"
	path := filepath.Join(t.TempDir(), "gevinstrapport.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// checkManifestShape decodes manifest.json generically and checks that every
// object has exactly the fields SPEC §6 fixes.
func checkManifestShape(t *testing.T, data []byte, period string) {
	t.Helper()
	// The key sets SPEC §6 fixes.
	manifestKeys := []string{"data_quality", "generated_at", "period", "report", "reports"}
	reportKeys := []string{"file", "indicators", "pages", "recipient", "sha256"}
	recipientKeys := []string{"email", "id", "name"}
	indicatorKeys := []string{"ambition", "baseline", "benefit_id", "green_limit", "indicator_id", "notes",
		"progress", "red_limit", "scope", "status", "target", "trend", "value"}
	findingKeys := []string{"indicator_id", "message", "severity"}
	statuses := []string{"green", "yellow", "red", "no_data", "suppressed", "no_ambition", "invalid"}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("manifest.json is not JSON: %v", err)
	}
	if got := keysOf(raw); !slices.Equal(got, manifestKeys) {
		t.Errorf("manifest keys = %v, want %v", got, manifestKeys)
	}
	if raw["report"] != "owner" || raw["period"] != period {
		t.Errorf("manifest report/period = %v/%v, want owner/%s", raw["report"], raw["period"], period)
	}
	if s, _ := raw["generated_at"].(string); s == "" {
		t.Errorf("generated_at = %v, want a timestamp", raw["generated_at"])
	} else if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("generated_at %q is not RFC 3339: %v", s, err)
	}
	reports, _ := raw["reports"].([]any)
	if len(reports) == 0 {
		t.Fatalf("manifest lists no reports")
	}
	for i, r := range reports {
		rep, _ := r.(map[string]any)
		if got := keysOf(rep); !slices.Equal(got, reportKeys) {
			t.Errorf("reports[%d] keys = %v, want %v", i, got, reportKeys)
		}
		rcp, _ := rep["recipient"].(map[string]any)
		if got := keysOf(rcp); !slices.Equal(got, recipientKeys) {
			t.Errorf("reports[%d].recipient keys = %v, want %v", i, got, recipientKeys)
		}
		inds, _ := rep["indicators"].([]any)
		if len(inds) == 0 {
			t.Errorf("reports[%d] (%v) has no indicators", i, rcp["id"])
		}
		for j, in := range inds {
			ind, _ := in.(map[string]any)
			if got := keysOf(ind); !slices.Equal(got, indicatorKeys) {
				t.Errorf("reports[%d].indicators[%d] keys = %v, want %v", i, j, got, indicatorKeys)
			}
			if s, _ := ind["status"].(string); !slices.Contains(statuses, s) {
				t.Errorf("reports[%d].indicators[%d].status = %v, not one of %v", i, j, ind["status"], statuses)
			}
			if _, ok := ind["notes"].([]any); !ok {
				t.Errorf("reports[%d].indicators[%d].notes = %v, want an array", i, j, ind["notes"])
			}
		}
	}
	dq, ok := raw["data_quality"].([]any)
	if !ok || len(dq) == 0 {
		t.Fatalf("data_quality = %v, want the demo's findings", raw["data_quality"])
	}
	for i, f := range dq {
		fm, _ := f.(map[string]any)
		if got := keysOf(fm); !slices.Equal(got, findingKeys) {
			t.Errorf("data_quality[%d] keys = %v, want %v", i, got, findingKeys)
		}
		if s := fm["severity"]; s != "error" && s != "warning" {
			t.Errorf("data_quality[%d].severity = %v", i, s)
		}
	}
}

func readManifest(t *testing.T, dir string) (output.Manifest, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode manifest: %v", err)
	}
	return m, data
}

// checkPDFs checks every listed file: present, sha256 and page count as the
// manifest says, valid for pdfcpu. It returns the PDFs by recipient id.
func checkPDFs(t *testing.T, dir string, m output.Manifest) map[string][]byte {
	t.Helper()
	api.DisableConfigDir()
	pdfs := map[string][]byte{}
	for _, r := range m.Reports {
		if r.File != filepath.Base(r.File) || !strings.HasSuffix(r.File, ".pdf") {
			t.Errorf("report file %q is not a plain .pdf name inside the report folder", r.File)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, r.File))
		if err != nil {
			t.Errorf("report of %s: %v", r.Recipient.ID, err)
			continue
		}
		if got := output.SHA256(data); got != r.SHA256 {
			t.Errorf("%s: sha256 %s, manifest says %s", r.File, got, r.SHA256)
		}
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationStrict
		if err := api.Validate(bytes.NewReader(data), conf); err != nil {
			t.Errorf("%s: pdfcpu validation: %v", r.File, err)
		}
		n, err := api.PageCount(bytes.NewReader(data), model.NewDefaultConfiguration())
		if err != nil {
			t.Errorf("%s: page count: %v", r.File, err)
		} else if n != r.Pages || n < 1 {
			t.Errorf("%s: %d pages, manifest says %d", r.File, n, r.Pages)
		}
		pdfs[r.Recipient.ID] = data
	}
	return pdfs
}

// pdfText is the PDF's text with whitespace runs collapsed to one space.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	pages, err := pdftext.Pages(data)
	if err != nil {
		t.Fatalf("extract text: %v", err)
	}
	return strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
}

// checkNoTempFiles fails when an atomic write left a temporary file behind.
func checkNoTempFiles(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// recipientEntries is what a manifest says about each recipient, without
// the bytes of the PDFs (which carry the generation time).
type recipientEntries struct {
	Recipient  output.Recipient
	Indicators []output.Indicator
}

func entries(m output.Manifest) map[string]recipientEntries {
	out := map[string]recipientEntries{}
	for _, r := range m.Reports {
		out[r.Recipient.ID] = recipientEntries{r.Recipient, r.Indicators}
	}
	return out
}

func findIndicator(m output.Manifest, person, indicator string) (output.Indicator, bool) {
	for _, r := range m.Reports {
		if r.Recipient.ID != person {
			continue
		}
		for _, in := range r.Indicators {
			if in.IndicatorID == indicator {
				return in, true
			}
		}
	}
	return output.Indicator{}, false
}

// snasa finds, from the demo register, the holder of Snåsa municipality
// itself and a holder of one of its units.
func snasa(t *testing.T, reg *register.Register) (municipalHolder, unitHolder string) {
	t.Helper()
	var kommune string
	for _, u := range reg.Units {
		if u.Name == "Snåase – Snåsa" {
			kommune = u.ID
		}
	}
	if kommune == "" {
		t.Fatal("the demo register has no unit named Snåase – Snåsa")
	}
	parent := map[string]string{}
	for _, u := range reg.Units {
		parent[u.ID] = u.ParentID
	}
	for _, h := range reg.Holders {
		switch {
		case h.OrgUnitID == kommune && municipalHolder == "":
			municipalHolder = h.PersonID
		case parent[h.OrgUnitID] == kommune && unitHolder == "":
			// The demo's suppressed Snåsa units are home care and nursing home.
			if strings.HasSuffix(h.OrgUnitID, "-HJT") || strings.HasSuffix(h.OrgUnitID, "-SHJ") {
				unitHolder = h.PersonID
			}
		}
	}
	if municipalHolder == "" || unitHolder == "" {
		t.Fatalf("no holders found in Snåsa (%s): municipality %q, unit %q", kommune, municipalHolder, unitHolder)
	}
	return municipalHolder, unitHolder
}

func TestEndToEnd(t *testing.T) {
	reg := demo.Generate(demo.Small)
	const period = "2025-09"

	demoOut := t.TempDir()
	mustRun(t, exitOK, "run", "--report", "all", "--out", demoOut)
	demoManifest, _ := readManifest(t, output.Dir(demoOut, period, "owner"))
	want := entries(demoManifest)
	if len(want) == 0 {
		t.Fatal("the demo run produced no reports")
	}

	// The manifests of every database, to compare with each other.
	manifests := map[string][]byte{}
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.fresh(t)
			db.load(t, reg)
			out := t.TempDir()
			cfg := writeConfig(t, db, out)

			res := mustRun(t, exitOK, "run", "--config", cfg, "--period", period, "--out", out)
			dir := output.Dir(out, period, "owner")
			if !strings.Contains(res.stdout, dir) {
				t.Errorf("stdout does not say where the reports are (%s):\n%s", dir, res.stdout)
			}
			m, raw := readManifest(t, dir)
			manifests[b.name] = raw
			checkManifestShape(t, raw, period)
			pdfs := checkPDFs(t, dir, m)
			checkNoTempFiles(t, out)

			if got := entries(m); !reflect.DeepEqual(got, want) {
				for id, w := range want {
					if g, ok := got[id]; !ok {
						t.Errorf("recipient %s: in the demo run, missing from the %s run", id, b.name)
					} else if !reflect.DeepEqual(g, w) {
						gj, _ := json.Marshal(g)
						wj, _ := json.Marshal(w)
						t.Errorf("recipient %s differs from the demo run:\n%s: %s\ndemo: %s", id, b.name, gj, wj)
					}
				}
				t.Errorf("%s run has %d recipients, demo run %d", b.name, len(got), len(want))
			}
			if !reflect.DeepEqual(m.DataQuality, demoManifest.DataQuality) {
				t.Errorf("data_quality differs from the demo run:\n%s: %v\ndemo: %v", b.name, m.DataQuality, demoManifest.DataQuality)
			}

			checkDemoFacts(t, reg, m, pdfs)
			checkDemoComments(t, pdfs)
			sqlDB := db.open(t)
			checkAgainstSQL(t, sqlDB, db.dialect, m)
			sqlDB.Close()
			checkOtherReports(t, cfg, out, demoOut)
			checkCommand(t, db, cfg)
		})
	}
	compareManifests(t, manifests)
}

// compareManifests checks that the owner manifests of the databases that
// ran are identical byte for byte: the same register gives the same
// reports (the clock is pinned, so even generated_at and the PDFs' sha256
// agree). It says which databases it compared, as some may be skipped.
func compareManifests(t *testing.T, manifests map[string][]byte) {
	t.Helper()
	names := keysOfBytes(manifests)
	t.Logf("owner manifests compared across: %v", names)
	for _, name := range names[1:] {
		a, b := manifests[names[0]], manifests[name]
		if bytes.Equal(a, b) {
			continue
		}
		i := 0
		for i < min(len(a), len(b)) && a[i] == b[i] {
			i++
		}
		from := max(0, i-200)
		t.Errorf("manifest.json of %s differs from %s's at byte %d:\n%s: …%.400s\n%s: …%.400s",
			name, names[0], i, names[0], a[from:], name, b[from:])
	}
}

func keysOfBytes(m map[string][]byte) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// checkOtherReports runs the steering pack and the annual report on the
// database and compares them with the demo run's.
func checkOtherReports(t *testing.T, cfg, out, demoOut string) {
	t.Helper()
	for _, tt := range []struct{ report, period, text, comment string }{
		{"steering", "2025-09", "september 2025", "Tersklene for 2025 er registrert feil"},
		{"annual", "2024", "2024", "Frigjort tid i 2024 er regnet med lønnssatsen"},
	} {
		mustRun(t, exitOK, "run", "--config", cfg, "--report", tt.report, "--period", tt.period, "--out", out)
		dir := output.Dir(out, tt.period, tt.report)
		m, _ := readManifest(t, dir)
		if m.Report != tt.report || m.Period != tt.period || len(m.Reports) == 0 {
			t.Fatalf("%s manifest: report %q period %q with %d reports", tt.report, m.Report, m.Period, len(m.Reports))
		}
		pdfs := checkPDFs(t, dir, m)
		checkNoTempFiles(t, out)
		demoM, _ := readManifest(t, output.Dir(demoOut, tt.period, tt.report))
		if got, want := entries(m), entries(demoM); !reflect.DeepEqual(got, want) {
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			t.Errorf("%s report differs from the demo run:\ndatabase: %.2000s\ndemo:     %.2000s", tt.report, gj, wj)
		}
		if !reflect.DeepEqual(m.Portfolio, demoM.Portfolio) || !reflect.DeepEqual(m.Savings, demoM.Savings) {
			t.Errorf("%s portfolio/savings differ from the demo run: %+v %+v, demo %+v %+v",
				tt.report, m.Portfolio, m.Savings, demoM.Portfolio, demoM.Savings)
		}
		commented := 0
		for id, data := range pdfs {
			text := pdfText(t, data)
			if !strings.Contains(text, tt.text) {
				t.Errorf("%s report for %s does not contain %q", tt.report, id, tt.text)
			}
			if strings.Contains(text, tt.comment) {
				commented++
			}
		}
		if commented == 0 {
			t.Errorf("no %s report shows the owner's comment %q", tt.report, tt.comment)
		}
		switch tt.report {
		case "steering":
			checkSteeringFacts(t, m)
		case "annual":
			checkAnnualFacts(t, m)
		}
	}
}

// checkSteeringFacts pins the demo's portfolio and savings: every indicator
// counted once, and G-009's saving left out because G-008 counts it.
func checkSteeringFacts(t *testing.T, m output.Manifest) {
	t.Helper()
	if m.Portfolio == nil || m.Savings == nil {
		t.Fatalf("steering manifest lacks portfolio or savings: %+v %+v", m.Portfolio, m.Savings)
	}
	total := 0
	for _, n := range m.Portfolio.Counts {
		total += n
	}
	if len(m.Reports) != 1 || total != len(m.Reports[0].Indicators) || total != 22 {
		t.Errorf("portfolio counts %v add up to %d; want the 22 indicators of the pack", m.Portfolio.Counts, total)
	}
	if !reflect.DeepEqual(m.Savings.ExcludedBenefitIDs, []string{"G-009"}) {
		t.Errorf("excluded_benefit_ids = %v, want [G-009] (counted in G-008)", m.Savings.ExcludedBenefitIDs)
	}
	// Realised is the year-to-date kroner of the savings benefits' kr
	// indicators, G-009's own (I-017) not among them.
	var realised float64
	for _, e := range m.Reports[0].Indicators {
		if (e.IndicatorID == "I-014" || e.IndicatorID == "I-015") && e.Value != nil {
			realised += *e.Value
		}
	}
	if realised == 0 || m.Savings.Realised != realised {
		t.Errorf("savings realised = %v, want I-014 + I-015 year to date = %v", m.Savings.Realised, realised)
	}
	if m.Savings.Ambition != 7624000+4500000 {
		t.Errorf("savings ambition = %v, want 7 624 000 + 4 500 000", m.Savings.Ambition)
	}
	checkDemoAttention(t, m)
}

// checkDemoAttention pins the demo's attention list in the manifest: the
// final ambitions I-008 and I-010 will be missed by 31.12.2025, I-006's
// thresholds are invalid, I-013 has no recent data, A-012 is overdue with
// no one responsible, and G-009 (worsening only by one August dip, far
// above its ambition) is not listed.
func checkDemoAttention(t *testing.T, m output.Manifest) {
	t.Helper()
	if m.Attention == nil {
		t.Fatal("steering manifest lacks attention")
	}
	got := map[string][]string{}
	for _, a := range *m.Attention {
		id := a.ActionID
		if a.IndicatorID != nil {
			id = *a.IndicatorID
		}
		got[a.BenefitID+"/"+id] = a.Reasons
	}
	want := map[string][]string{
		"G-002/I-003": {"red", "yearly_ambition_missed"},
		"G-005/I-010": {"final_ambition_missed", "yearly_ambition_missed"},
		"G-006/I-008": {"final_ambition_missed", "yearly_ambition_missed"},
		"G-003/I-006": {"invalid_thresholds"},
		"G-006/I-013": {"missing_data", "stale_data"},
		"G-006/A-012": {"overdue_action", "no_responsible"},
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("attention %s = %v, want %v", k, got[k], w)
		}
	}
	for k := range got {
		if strings.HasPrefix(k, "G-009/") {
			t.Errorf("attention lists %s %v; G-009 meets its ambition", k, got[k])
		}
	}
}

// checkAnnualFacts pins one annual figure and its suggested ambition: I-001
// (the handbook's 30 % by 2026) reached 12.6 % in 2024, so 2025 is
// suggested half-way to 30 %: 21.3 %.
func checkAnnualFacts(t *testing.T, m output.Manifest) {
	t.Helper()
	found := false
	for _, r := range m.Reports {
		for _, e := range r.Indicators {
			if e.Annual == nil || e.Year != 2024 {
				t.Fatalf("annual entry %s lacks year 2024: %+v", e.IndicatorID, e.Annual)
			}
			if r.Recipient.ID != "steering-group" || e.IndicatorID != "I-001" {
				continue
			}
			found = true
			if e.AnnualValue == nil || *e.AnnualValue != 12.6 || e.AmbitionMet == nil || !*e.AmbitionMet ||
				e.SuggestedAmbition == nil || math.Abs(*e.SuggestedAmbition-21.3) > 0.05 {
				t.Errorf("I-001 2024: annual %v, met %v, suggested %v; want 12.6, true, 21.3",
					deref(e.AnnualValue), e.AmbitionMet, deref(e.SuggestedAmbition))
			}
		}
	}
	if !found {
		t.Error("the steering group's annual report has no I-001 entry")
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// checkDemoFacts pins what the demo's documented imperfections must produce.
func checkDemoFacts(t *testing.T, reg *register.Register, m output.Manifest, pdfs map[string][]byte) {
	t.Helper()
	municipal, unit := snasa(t, reg)
	owner := reg.Benefits[0].OwnerID
	names := map[string]string{}
	for _, p := range reg.People {
		names[p.ID] = p.Name
	}

	texts := map[string]string{}
	for _, id := range []string{owner, municipal, unit} {
		data, ok := pdfs[id]
		if !ok {
			t.Errorf("no report for %s", id)
			continue
		}
		texts[id] = pdfText(t, data)
	}
	for id, text := range texts {
		for _, s := range []string{names[id], "september 2025"} {
			if !strings.Contains(text, s) {
				t.Errorf("report of %s does not contain %q", id, s)
			}
		}
		if !strings.Contains(text, "Grønn") && !strings.Contains(text, "Gul") && !strings.Contains(text, "Rød") {
			t.Errorf("report of %s has no status word (Grønn/Gul/Rød)", id)
		}
		for _, r := range "æøå" {
			if !strings.ContainsRune(text, r) {
				t.Errorf("report of %s has no %q", id, r)
			}
		}
	}
	if !strings.Contains(texts[municipal], "Snåase – Snåsa") {
		t.Errorf("report of the Snåsa holder %s does not contain the Sámi name Snåase – Snåsa", municipal)
	}

	invalid := false
	for _, r := range m.Reports {
		for _, in := range r.Indicators {
			if in.IndicatorID == "I-006" {
				invalid = true
				if in.Status != "invalid" {
					t.Errorf("I-006 for %s (%s): status %s, want invalid", r.Recipient.ID, in.Scope, in.Status)
				}
			}
		}
	}
	if !invalid {
		t.Error("no report shows I-006")
	}
	if !slices.ContainsFunc(m.DataQuality, func(f output.Finding) bool {
		return f.IndicatorID == "I-006" && f.Severity == "error"
	}) {
		t.Errorf("data_quality has no error for I-006: %v", m.DataQuality)
	}

	if in, ok := findIndicator(m, unit, "I-012"); !ok {
		t.Errorf("report of Snåsa holder %s has no I-012", unit)
	} else if in.Status != "suppressed" || in.Value != nil {
		t.Errorf("I-012 for Snåsa holder %s: status %s value %v, want suppressed and null", unit, in.Status, in.Value)
	}

	if in, ok := findIndicator(m, municipal, "I-013"); !ok {
		t.Errorf("report of %s has no I-013", municipal)
	} else if !slices.ContainsFunc(in.Notes, func(n string) bool { return strings.Contains(n, "2025-05") }) {
		t.Errorf("I-013 for %s: notes %q do not flag the latest data (2025-05) as stale", municipal, in.Notes)
	}

	var noEmail []string
	for _, r := range m.Reports {
		if r.Recipient.Email == "" {
			noEmail = append(noEmail, r.Recipient.ID)
		}
	}
	if !slices.Contains(noEmail, "P-040") {
		t.Errorf("recipients without email that got a report: %v, want P-040 among them", noEmail)
	}
}

// checkCommand runs `check` on the database, then breaks the contract and
// runs it again.
// checkDemoComments finds the demo's comments, read from the database's
// commentary table, in the owners' PDFs: the current one under I-008 and the
// older one on G-006 (Siri Aasen, P-009), and a nynorsk one (P-010).
func checkDemoComments(t *testing.T, pdfs map[string][]byte) {
	t.Helper()
	for id, want := range map[string][]string{
		"P-009": {"Kommentar for september 2025 · Siri Aasen, skrevet 1. oktober 2025",
			"Epikrisene blir liggende til godkjenning hos lege.", "Kommentar fra juli 2025 (eldre)"},
		"P-010": {"Kommentar for september 2025 · Ragnhild Hæreid, skriven 2. oktober 2025", "Ventetida aukar framleis."},
	} {
		text := pdfText(t, pdfs[id])
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("the owner report of %s lacks %q", id, w)
			}
		}
	}
}

func checkCommand(t *testing.T, db database, cfg string) {
	t.Helper()
	res := mustRun(t, exitFailed, "check", "--config", cfg, "--period", "2025-09")
	if want := "data contract (" + string(db.dialect) + "): ok"; !strings.Contains(res.stdout, want) {
		t.Errorf("check output lacks %q:\n%s", want, res.stdout)
	}
	if db.stateInSame {
		if want := "state store (" + string(db.dialect) + "): ok"; !strings.Contains(res.stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, res.stdout)
		}
	}
	if !strings.Contains(res.stdout, "I-006") {
		t.Errorf("check output does not name the invalid thresholds of I-006:\n%s", res.stdout)
	}

	conn := db.open(t)
	if _, err := conn.ExecContext(context.Background(), "ALTER TABLE indicator DROP COLUMN min_denominator"); err != nil {
		t.Fatalf("drop column: %v", err)
	}
	res = mustRun(t, exitFailed, "check", "--config", cfg, "--period", "2025-09")
	if !strings.Contains(res.stdout, "indicator.min_denominator") {
		t.Errorf("check on a database without indicator.min_denominator does not name it:\n%s", res.stdout)
	}
}

func TestExitCodes(t *testing.T) {
	tmp := t.TempDir()
	badConfig := filepath.Join(tmp, "bad.yaml")
	if err := os.WriteFile(badConfig, []byte("timezone: Europe/Oslo\nlanguage: nb\ndatabse:\n  dsn: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	blocker := filepath.Join(tmp, "blocker")
	if err := os.WriteFile(blocker, []byte("a file where a folder should be"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string // a substring the error output must contain
	}{
		{"no command", nil, exitUsage, "Usage"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "frobnicate"},
		{"bad flag", []string{"run", "--bogus"}, exitUsage, "bogus"},
		{"stray argument", []string{"run", "extra"}, exitUsage, "extra"},
		{"bad period", []string{"run", "--period", "2025-13", "--out", tmp}, exitUsage, "2025-13"},
		{"period without month", []string{"run", "--period", "2025", "--out", tmp}, exitUsage, "2025"},
		{"unknown report", []string{"run", "--report", "weekly", "--out", tmp}, exitUsage, "weekly"},
		{"unknown config key", []string{"run", "--config", badConfig, "--out", tmp}, exitUsage, badConfig + ":3: databse"},
		{"missing config file", []string{"run", "--config", filepath.Join(tmp, "nope.yaml")}, exitUsage, "nope.yaml"},
		{"only unknown id", []string{"run", "--only", "P-999", "--out", tmp}, exitUsage, "P-999"},
		{"bad dialect", []string{"schema", "--dialect", "oracle"}, exitUsage, "oracle"},
		{"resend without send", []string{"run", "--resend", "--out", tmp}, exitUsage, "--resend"},
		{"unwritable out", []string{"run", "--only", "P-001", "--out", filepath.Join(blocker, "out")}, exitFailed, "blocker"},
		{"version", []string{"version"}, exitOK, ""},
		{"one report", []string{"run", "--only", "P-001", "--out", filepath.Join(tmp, "ok")}, exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, tt.args...)
			if r.code != tt.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.want, r.stdout, lastLines(r.stderr, 10))
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, lastLines(r.stderr, 10))
			}
		})
	}
}

// oddRegister is a small hand-made register with a holder whose id is not
// a safe file name and a benefit title with an emoji.
func oddRegister() (*register.Register, string) {
	const odd = "../x/ÆØÅ"
	reg := &register.Register{
		Units: []register.OrgUnit{
			{ID: "R", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF},
			{ID: "K", Name: "Snåase – Snåsa", Kind: register.KindKommune, ParentID: "R"},
		},
		People: []register.Person{
			{ID: "P-1", Name: "Åse Ødegård", Email: "ase@example.no", Language: "nb"},
			{ID: odd, Name: "Ærlig Øye", Email: "aerlig@example.no"},
		},
		Benefits: []register.Benefit{{
			ID: "G-1", Title: "Digital innsjekk 🚀 for alle", Category: register.PatientInvolvement,
			OrgUnitID: "K", OwnerID: "P-1", Phase: register.PhaseRealise,
		}},
		Holders: []register.Holder{{BenefitID: "G-1", OrgUnitID: "K", PersonID: odd}},
		Indicators: []register.Indicator{{
			ID: "I-1", BenefitID: "G-1", Name: "Andel digitale innsjekker", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: register.F(10), TargetValue: register.F(60), TargetDate: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		}},
		Ambitions: []register.Ambition{{IndicatorID: "I-1", Year: 2025, Target: 40}},
	}
	for m := register.MonthOf(2025, time.January); m <= register.MonthOf(2025, time.September); m++ {
		num := float64(100 + 20*int(m.Month()))
		reg.Measurements = append(reg.Measurements, register.Measurement{
			IndicatorID: "I-1", OrgUnitID: "K", Period: m, Numerator: register.F(num), Denominator: register.F(500),
		})
	}
	return reg, odd
}

func TestUnsafeIDAndEmoji(t *testing.T) {
	reg, odd := oddRegister()
	db := freshSQLite(t)
	db.load(t, reg)
	root := t.TempDir()
	out := filepath.Join(root, "out")
	cfg := writeConfig(t, db, out)
	mustRun(t, exitOK, "run", "--config", cfg, "--period", "2025-09", "--out", out)

	dir := output.Dir(out, "2025-09", "owner")
	m, _ := readManifest(t, dir)
	pdfs := checkPDFs(t, dir, m)
	checkNoTempFiles(t, root)

	var file string
	for _, r := range m.Reports {
		if r.Recipient.ID == odd {
			file = r.File
		}
	}
	if file == "" {
		t.Fatalf("manifest has no report for %q: %+v", odd, m.Reports)
	}
	if strings.ContainsAny(file, `/\`) || strings.Contains(file, "..") {
		t.Errorf("file name %q for %q is not a plain safe name", file, odd)
	}
	// Nothing may be written outside OUT/<period>/<report> but the ledger,
	// the lock file that serialises swaps of the report folder and the
	// archive index pages (OUT/index.html, OUT/<period>/index.html) with
	// their lock files.
	lock := filepath.Join(filepath.Dir(dir), ".owner.lock")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == lock {
			return err
		}
		if b := filepath.Base(path); (b == "index.html" || b == ".index.html.lock") && !strings.HasPrefix(filepath.Base(filepath.Dir(path)), ".") {
			return nil
		}
		if rel, _ := filepath.Rel(dir, path); strings.HasPrefix(rel, "..") {
			if !strings.HasPrefix(filepath.Base(path), "state.db") {
				t.Errorf("file written outside the report folder: %s", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, file)); err != nil {
		t.Errorf("the report of %q: %v", odd, err)
	}

	text := pdfText(t, pdfs["P-1"])
	if strings.Contains(text, "🚀") {
		t.Errorf("the emoji the font lacks went into the PDF text as is")
	}
	if !strings.Contains(text, "Digital innsjekk □") && !strings.Contains(text, "Digital innsjekk ?") {
		i := strings.Index(text, "Digital innsjekk")
		t.Errorf("the benefit title does not show a replacement mark for the emoji; around the title: %q",
			text[max(i, 0):min(max(i, 0)+60, len(text))])
	}
	if !strings.Contains(pdfText(t, pdfs[odd]), "Ærlig Øye") {
		t.Errorf("the report of %q does not name its recipient", odd)
	}
}

// TestCommentaryTableOptional runs a small register on each backend with a
// comment in its commentary table, then with the table dropped: check says
// the table is absent (an info line, not an error) and the run still makes
// every report, now without the comment.
func TestCommentaryTableOptional(t *testing.T) {
	const words = "Innsjekken i Snåase går tregt fordi kiosken var ute av drift i august."
	reg, _ := oddRegister()
	reg.Comments = []register.Comment{{BenefitID: "G-1", IndicatorID: "I-1", Period: register.MonthOf(2025, time.September),
		AuthorID: "P-1", Text: words + "\n\nNy kiosk er bestilt.", WrittenOn: time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC)}}
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.fresh(t)
			db.load(t, reg)
			cfg := writeConfig(t, db, t.TempDir())
			for _, absent := range []bool{false, true} {
				if absent {
					conn := db.open(t)
					if _, err := conn.ExecContext(context.Background(), "DROP TABLE commentary"); err != nil {
						t.Fatal(err)
					}
					conn.Close()
				}
				res := runCmd(t, "check", "--config", cfg, "--period", "2025-09")
				info := strings.Contains(res.stdout, "info: data contract: optional table commentary is absent")
				if info != absent || strings.Contains(res.stdout, "error: data contract") {
					t.Errorf("check with the table absent=%v: exit %d\n%s", absent, res.code, res.stdout)
				}
				out := t.TempDir()
				mustRun(t, exitOK, "run", "--config", cfg, "--period", "2025-09", "--out", out)
				dir := output.Dir(out, "2025-09", "owner")
				m, _ := readManifest(t, dir)
				text := pdfText(t, checkPDFs(t, dir, m)["P-1"])
				shown := strings.Contains(text, words) && strings.Contains(text, "Ny kiosk er bestilt.") &&
					strings.Contains(text, "Kommentar for september 2025 · Åse Ødegård, skrevet 2. oktober 2025")
				if shown == absent {
					t.Errorf("table absent=%v: the comment shown=%v in the owner report", absent, shown)
				}
			}
		})
	}
}

func TestPeriodAfterTheDataIsSaid(t *testing.T) {
	out := t.TempDir()
	res := mustRun(t, exitNotReady, "run", "--period", "2030-01", "--only", "P-001", "--out", out)
	if !strings.Contains(res.stderr, "no data for 2030-01 yet (its latest data is for 2025-09)") {
		t.Errorf("a run for a period after the data does not say so:\n%s", lastLines(res.stderr, 5))
	}
	res = mustRun(t, exitOK, "run", "--period", "2025-09", "--only", "P-001", "--out", out)
	if strings.Contains(res.stdout, "no data after") || strings.Contains(res.stdout, "incomplete") {
		t.Errorf("a run within the data warns anyway:\n%s", res.stdout)
	}
}
