package job

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// corruptPeople are the recipients of the corrupt register: the owner and
// holders of G-1 (testPeople), the owner of G-2 on a unit in a parent
// cycle, and the owner of G-3 on a unit that is its own parent.
func corruptPeople() []person {
	return append(testPeople(),
		person{"P-5", "Sigrid Syklus", "sigrid.syklus@example.no"},
		person{"P-6", "Selma Selv", "selma.selv@example.no"})
}

// corruptBase is testRegister plus a far branch whose units will form a
// cycle and a self-parent, their benefits, and the rows the test corrupts.
func corruptBase() *register.Register {
	reg := testRegister()
	reg.People = nil
	for _, p := range corruptPeople() {
		reg.People = append(reg.People, register.Person{ID: p.id, Name: p.name, Email: p.email, Language: "nb"})
	}
	reg.Units = append(reg.Units,
		register.OrgUnit{ID: "C1", Name: "Syklus en", Kind: register.KindUnit},
		register.OrgUnit{ID: "C2", Name: "Syklus to", Kind: register.KindUnit, ParentID: "C1"},
		register.OrgUnit{ID: "S", Name: "Selvforelder", Kind: register.KindUnit})
	reg.Benefits = append(reg.Benefits,
		register.Benefit{ID: "G-2", Title: "Spart tid", Category: register.Savings, OrgUnitID: "C1", OwnerID: "P-5", Phase: register.PhaseRealise},
		register.Benefit{ID: "G-3", Title: "Færre avvik", Category: register.QualitySafety, OrgUnitID: "S", OwnerID: "P-6", Phase: register.PhaseRealise})
	reg.Indicators = append(reg.Indicators,
		register.Indicator{ID: "I-2", BenefitID: "G-2", Name: "Minutter spart", Unit: "min", Direction: register.Up,
			Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0, BaselineValue: register.F(0)},
		register.Indicator{ID: "I-3", BenefitID: "G-1", Name: "Ukentlig tall", Unit: "stk", Direction: register.Up,
			Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0},
		register.Indicator{ID: "I-4", BenefitID: "G-3", Name: "Avvik", Unit: "stk", Direction: register.Down,
			Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 0, BaselineValue: register.F(40)})
	reg.Ambitions = append(reg.Ambitions,
		register.Ambition{IndicatorID: "I-3", Year: 2025, Target: 10},
		register.Ambition{IndicatorID: "I-4", Year: 2025, Target: 30})
	for m := register.MonthOf(2025, time.January); m <= register.MonthOf(2025, time.September); m++ {
		reg.Measurements = append(reg.Measurements,
			register.Measurement{IndicatorID: "I-2", OrgUnitID: "C1", Period: m, Value: register.F(100)},
			register.Measurement{IndicatorID: "I-3", OrgUnitID: "K1", Period: m, Value: register.F(2)},
			register.Measurement{IndicatorID: "I-4", OrgUnitID: "S", Period: m, Value: register.F(3)})
	}
	return reg
}

// corruptions are the statements that put each bad row into the register
// for real: in the tables where the database permits the value, through a
// view (as over a warehouse) where the table's constraints refuse it.
func corruptions(d store.Dialect) []string {
	disableChecks, textColumns := `PRAGMA ignore_check_constraints = ON`, []string(nil)
	inf := `9e999` // SQLite stores it as a REAL +Inf
	if d == store.MySQL {
		// MariaDB's DOUBLE holds neither text nor Inf: the warehouse's
		// staging columns are text, so make these columns yield text.
		disableChecks = `SET SESSION check_constraint_checks = OFF`
		textColumns = []string{`ALTER TABLE measurement MODIFY value VARCHAR(40) NULL, MODIFY numerator VARCHAR(40) NULL`}
		inf = `'Infinity'`
	}
	if d == store.Postgres {
		// No session setting turns CHECK constraints off, and DOUBLE
		// PRECISION holds no text: drop the one constraint in the way and
		// make the columns text, as a warehouse's staging columns are.
		disableChecks = `ALTER TABLE indicator DROP CONSTRAINT indicator_frequency_check`
		textColumns = []string{`ALTER TABLE measurement ALTER COLUMN value TYPE VARCHAR(40), ALTER COLUMN numerator TYPE VARCHAR(40)`}
		inf = `'Infinity'`
	}
	return append(append([]string{disableChecks}, textColumns...),
		// A NULL id and a NULL ambition target, yielded by views.
		`ALTER TABLE person RENAME TO person_base`,
		`CREATE VIEW person AS SELECT * FROM person_base UNION ALL SELECT NULL, 'Uten Id', 'uten.id@example.no', 'nb'`,
		`ALTER TABLE indicator_ambition RENAME TO indicator_ambition_base`,
		`CREATE VIEW indicator_ambition AS SELECT * FROM indicator_ambition_base UNION ALL SELECT 'I-2', 2025, NULL, NULL, NULL, NULL, NULL`,
		// A mid-month period, text and NaN in number columns, and +Inf.
		`INSERT INTO measurement (indicator_id, org_unit_id, period, numerator, denominator) VALUES ('I-1', 'K1', '2025-09-15', 1, 2)`,
		`UPDATE measurement SET numerator = 'tolv' WHERE indicator_id = 'I-1' AND org_unit_id = 'K2' AND period = '2025-09-01'`,
		`UPDATE measurement SET numerator = 'NaN' WHERE indicator_id = 'I-1' AND org_unit_id = 'K3' AND period = '2025-08-01'`,
		`UPDATE measurement SET value = `+inf+` WHERE indicator_id = 'I-2' AND org_unit_id = 'C1' AND period = '2025-07-01'`,
		// A cycle in a far branch and a self-parent.
		`UPDATE org_unit SET parent_id = 'C2' WHERE id = 'C1'`,
		`UPDATE org_unit SET parent_id = 'S' WHERE id = 'S'`,
		// An unknown frequency.
		`UPDATE indicator SET frequency = 'week' WHERE id = 'I-3'`,
	)
}

// corruptFindings are the findings the bad rows must give, one each.
var corruptFindings = []string{
	`person (id NULL, name "Uten Id") skipped: id is NULL`,
	`indicator "I-3" skipped: frequency "week" is not month, quarter or year`,
	`indicator_ambition (indicator_id "I-2", year 2025) skipped: target_value is NULL`,
	`measurement (indicator_id "I-1", org_unit_id "K1", period "2025-09-15") skipped: period 2025-09-15 is not the first day of a month`,
	`measurement (indicator_id "I-1", org_unit_id "K2", period "2025-09-01") skipped: numerator: text "tolv" in a number column`,
	`measurement (indicator_id "I-1", org_unit_id "K3", period "2025-08-01") skipped: numerator: NaN is not a finite number`,
	`measurement (indicator_id "I-2", org_unit_id "C1", period "2025-07-01") skipped: value: +Inf is not a finite number`,
	`org_unit parents form a cycle "C1" → "C2" → "C1"`,
	`org_unit "S" is its own parent`,
}

// corruptRegister writes the base register to a fresh database of d and
// corrupts it; it returns the database section of a configuration.
func corruptRegister(t *testing.T, d store.Dialect) string {
	t.Helper()
	ctx := context.Background()
	dsn, db := freshRegister(t, d, "gevinst_corrupt_test_", corruptBase())
	defer db.Close()
	conn, err := db.Conn(ctx) // session settings hold for one connection
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range corruptions(d) {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	checkReallyCorrupt(t, conn, d)
	q, _ := json.Marshal(dsn)
	return "database:\n  driver: " + string(d) + "\n  dsn: " + string(q) + "\n"
}

// checkReallyCorrupt reads the bad values back as the database stores them.
func checkReallyCorrupt(t *testing.T, conn *sql.Conn, d store.Dialect) {
	t.Helper()
	ctx := context.Background()
	var numerator, value string
	var nulls int
	text := "CHAR" // PostgreSQL's CHAR is char(1)
	if d == store.Postgres {
		text = "TEXT"
	}
	err := conn.QueryRowContext(ctx, `SELECT CAST(numerator AS `+text+`) FROM measurement WHERE indicator_id = 'I-1' AND org_unit_id = 'K2' AND period = '2025-09-01'`).Scan(&numerator)
	if err == nil {
		err = conn.QueryRowContext(ctx, `SELECT CAST(value AS `+text+`) FROM measurement WHERE indicator_id = 'I-2' AND period = '2025-07-01'`).Scan(&value)
	}
	if err == nil {
		err = conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM person WHERE id IS NULL`).Scan(&nulls)
	}
	if err != nil {
		t.Fatal(err)
	}
	if numerator != "tolv" || nulls != 1 || !strings.Contains(strings.ToLower(value), "inf") {
		t.Fatalf("the register is not corrupt as meant (%s): numerator %q, value %q, %d NULL ids", d, numerator, value, nulls)
	}
}

// TestCorruptRegisterOneFindingPerRow runs the owner report with sending on
// a register holding each kind of bad row: every recipient still gets a
// report (once), each bad row is one finding naming table, key and reason
// in the manifest and in check, and the manifest encodes.
func TestCorruptRegisterOneFindingPerRow(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.MySQL, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			db := corruptRegister(t, d)
			f := &fixture{t: t, clock: &testClock{t: time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)}, smtp: newSMTPBackend(),
				state: stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")}}
			f.cfg = corruptConfig(t, db)
			f.now = f.clock.Now
			f.port, f.stop = startSMTP(t, f.smtp, 0)

			res, err := f.worker("w", f.port).Run(context.Background(), ownerRequest(false))
			if err != nil {
				t.Fatalf("run on the corrupt register: %v", err)
			}
			if res.Produced != len(corruptPeople()) || res.BuildFailed != 0 || res.SendFailed != 0 {
				t.Errorf("produced %d, build failed %d, send failed %d; want %d produced", res.Produced, res.BuildFailed, res.SendFailed, len(corruptPeople()))
			}
			for _, p := range corruptPeople() {
				want := 1
				if p.email == "" {
					want = 0
				}
				if got := len(f.smtp.to(p.email)); p.email != "" && got != want {
					t.Errorf("%s got %d mails, want %d", p.id, got, want)
				}
			}
			m := readManifest(t, filepath.Join(res.Dir, "manifest.json"))
			if len(m.Reports) != len(corruptPeople()) {
				t.Errorf("manifest lists %d reports, want %d", len(m.Reports), len(corruptPeople()))
			}
			var messages []string
			for _, fd := range m.DataQuality {
				messages = append(messages, fd.Message)
			}
			checkOneFindingPerRow(t, "manifest", messages)
			checkNoColourWithoutValue(t, m)

			steering, err := f.worker("w", f.port).Run(context.Background(),
				Request{Report: Steering, Period: Period{Month: register.MonthOf(2025, time.September)}})
			if err != nil || steering.Produced != 1 {
				t.Fatalf("steering pack on the corrupt register: produced %d, %v", steering.Produced, err)
			}
			messages = messages[:0]
			for _, fd := range readManifest(t, filepath.Join(steering.Dir, "manifest.json")).DataQuality {
				messages = append(messages, fd.Message)
			}
			checkOneFindingPerRow(t, "steering manifest", messages)

			var out bytes.Buffer
			errs, err := Check(context.Background(), f.cfg, Options{Now: f.now}, "2025-09", "", &out)
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			checkOneFindingPerRow(t, "check", lines)
			if errs < len(corruptFindings) {
				t.Errorf("check counts %d errors, want at least %d:\n%s", errs, len(corruptFindings), out.String())
			}
		})
	}
}

// corruptConfig is the test configuration for the register in db (a
// database section) with SMTP on the fixture's server.
func corruptConfig(t *testing.T, db string) *config.Config {
	t.Helper()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	yaml := "timezone: Europe/Oslo\nlanguage: nb\n" + db +
		"output:\n  dir: " + q(filepath.Join(t.TempDir(), "out")) +
		"\ncoordinator:\n  name: Gevinstkoordinator\n  email: " + coordinatorEmail + "\n"
	cfg, err := config.Parse("test.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("parse config: %v\n%s", err, yaml)
	}
	return cfg
}

func readManifest(t *testing.T, path string) output.Manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the manifest was not written: %v", err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest does not decode: %v", err)
	}
	return m
}

// checkOneFindingPerRow fails unless each expected finding appears in
// exactly one line and no line holds a raw control character or blames a
// skipped row's id a second time (as a dangling reference).
func checkOneFindingPerRow(t *testing.T, where string, lines []string) {
	t.Helper()
	for _, want := range corruptFindings {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: finding %q appears %d times, want once", where, want, n)
		}
	}
	for _, l := range lines {
		if strings.ContainsFunc(l, unicode.IsControl) {
			t.Errorf("%s: line with a control character: %q", where, l)
		}
		if strings.Contains(l, `"I-3"`) && !strings.Contains(l, "skipped") {
			t.Errorf("%s: the skipped indicator is reported again: %s", where, l)
		}
	}
	if t.Failed() {
		t.Logf("%s findings:\n%s", where, strings.Join(lines, "\n"))
	}
}

// checkNoColourWithoutValue fails on an indicator judged by colour with no
// value to show.
func checkNoColourWithoutValue(t *testing.T, m output.Manifest) {
	t.Helper()
	for _, r := range m.Reports {
		for _, e := range r.Indicators {
			colour := e.Status == string(register.Green) || e.Status == string(register.Yellow) || e.Status == string(register.Red)
			if colour && e.Value == nil {
				t.Errorf("%s: %s in %s is %s without a value", r.File, e.IndicatorID, e.Scope, e.Status)
			}
		}
	}
}
