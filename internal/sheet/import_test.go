package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// sheetData is one sheet a test writes: its name and rows, row 1 first.
type sheetData struct {
	name string
	rows [][]any
}

// writeBook writes a workbook of sheets (nil cells stay empty) to a file.
func writeBook(t *testing.T, sheets []sheetData) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, cells := range s.rows {
			for c, v := range cells {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "register.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// date is a real spreadsheet date cell.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// smallBook is a correct register of one unit, one person, one benefit
// with one indicator and its data; tests change it to put mistakes in.
func smallBook() []sheetData {
	return []sheetData{
		{"org_unit", [][]any{{"id", "name", "kind", "parent_id"},
			{"HF", "Helse Test", "hf", nil},
			{"U1", "  Avdeling 1  ", "unit", "HF"}}},
		{"person", [][]any{{"id", "name", "email", "language"},
			{"P1", "Kari", "kari@example.no", "nb"}}},
		{"benefit", [][]any{{"id", "title", "description", "category", "org_unit_id", "owner_id", "phase", "counted_in_benefit_id"},
			{"B1", "Færre liggedøgn", nil, "savings", "HF", "P1", nil, nil}}},
		{"benefit_holder", [][]any{{"benefit_id", "org_unit_id", "person_id"},
			{"B1", "U1", "P1"}}},
		{"indicator", [][]any{{"id", "benefit_id", "name", "unit", "direction", "aggregation", "frequency", "decimals", "scale",
			"baseline_value", "baseline_period", "target_value", "target_date", "min_denominator", "data_source"},
			{"I1", "B1", "Andel", "%", "up", "ratio", "month", 1, 100, "0,5", "2024-01-01", 0.8, date(2026, 12, 31), 5, "DIPS"}}},
		{"indicator_ambition", [][]any{{"indicator_id", "year", "target_value", "red_limit", "green_limit", "revised_on", "note"},
			{"I1", 2025, "0,7", "0,5", "0,65", nil, nil}}},
		{"measurement", [][]any{{"indicator_id", "org_unit_id", "period", "value", "numerator", "denominator"},
			{"I1", "U1", date(2025, 8, 1), nil, 30, 50},
			{"I1", "U1", "2025-09-01", nil, " 33 ", "50,0"}}},
		{"change_action", [][]any{{"id", "benefit_id", "title", "responsible", "due_date", "status", "completed_on", "note"},
			{"A1", "B1", "Ny rutine", "Kari", date(2025, 10, 1), "planned", nil, nil}}},
	}
}

// sqliteRegister is an SQLite register file holding reg (nil: no file).
func sqliteRegister(t *testing.T, reg *register.Register) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	db, err := store.Open(context.Background(), store.SQLite, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if reg != nil {
		if err := store.CreateSchema(context.Background(), db, store.SQLite); err != nil {
			t.Fatal(err)
		}
		if err := store.WriteRegister(context.Background(), db, store.SQLite, reg); err != nil {
			t.Fatal(err)
		}
	}
	return db, path
}

func testOptions(d store.Dialect) Options {
	today := time.Date(2025, 10, 15, 12, 0, 0, 0, time.UTC)
	return Options{Dialect: d, Period: register.MonthOf(2025, 9), Settings: register.Settings{Today: today}}
}

func load(t *testing.T, db *sql.DB, d store.Dialect) *register.Register {
	t.Helper()
	reg, err := store.Load(context.Background(), db, d)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestImportReadsCellsAsTheCoordinatorWroteThem(t *testing.T) {
	db, _ := sqliteRegister(t, nil)
	var out bytes.Buffer
	res, err := Import(context.Background(), db, writeBook(t, smallBook()), testOptions(store.SQLite), &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.Written == nil {
		t.Fatalf("errors %d, written %v:\n%s", res.Errors, res.Written, out.String())
	}
	reg := load(t, db, store.SQLite)
	if got := reg.Units[1].Name; got != "Avdeling 1" {
		t.Errorf("unit name %q: surrounding spaces not trimmed", got)
	}
	if reg.Units[0].ParentID != "" || reg.Benefits[0].Description != "" {
		t.Errorf("empty cells did not become NULL: %+v %+v", reg.Units[0], reg.Benefits[0])
	}
	if reg.Benefits[0].Phase != register.PhaseRealise {
		t.Errorf("empty phase = %q, want the contract default realise", reg.Benefits[0].Phase)
	}
	ind := reg.Indicators[0]
	if *ind.BaselineValue != 0.5 || *ind.TargetValue != 0.8 || ind.TargetDate != date(2026, 12, 31) || *ind.BaselinePeriod != register.MonthOf(2024, 1) {
		t.Errorf("indicator numbers/dates: %+v", ind)
	}
	if a := reg.Ambitions[0]; a.Target != 0.7 || *a.RedLimit != 0.5 || *a.GreenLimit != 0.65 {
		t.Errorf("decimal commas: %+v", a)
	}
	if len(reg.Measurements) != 2 || *reg.Measurements[1].Numerator != 33 || *reg.Measurements[1].Denominator != 50 ||
		reg.Measurements[0].Period != register.MonthOf(2025, 8) || reg.Measurements[1].Period != register.MonthOf(2025, 9) {
		t.Errorf("measurements: %+v", reg.Measurements)
	}
	if !strings.Contains(out.String(), "measurement: 2 row(s) read") || !strings.Contains(out.String(), "measurement 2") {
		t.Errorf("summary does not count the rows:\n%s", out.String())
	}
}

// mistake is one kind of error put into the small register, and the
// finding it must give.
type mistake struct {
	name  string
	apply func(b []sheetData) []sheetData
	want  string
}

func cell(b []sheetData, sheet string, row, col int, v any) []sheetData {
	for i := range b {
		if b[i].name == sheet {
			for len(b[i].rows[row]) <= col {
				b[i].rows[row] = append(b[i].rows[row], nil)
			}
			b[i].rows[row][col] = v
			return b
		}
	}
	panic("no sheet " + sheet)
}

func addRow(b []sheetData, sheet string, r []any) []sheetData {
	for i := range b {
		if b[i].name == sheet {
			b[i].rows = append(b[i].rows, r)
		}
	}
	return b
}

func mistakes() []mistake {
	return []mistake{
		{"wrong sheet name", func(b []sheetData) []sheetData {
			return append(b, sheetData{"measurements", [][]any{{"indicator_id"}}})
		}, `error: measurements: no table of the data contract is called "measurements"`},
		{"missing column", func(b []sheetData) []sheetData {
			return append(b, sheetData{"commentary", [][]any{{"benefit_id", "indicator_id", "period", "author_id", "text"},
				{"B1", "I1", "2025-09-01", "P1", "Bra"}}})
		}, "error: commentary: row 1 has no column written_on; the table is not imported"},
		{"text in a number column", func(b []sheetData) []sheetData {
			return cell(b, "measurement", 2, 4, "tretti")
		}, `error: measurement!E3: "tretti" is not a number`},
		{"mid-month period", func(b []sheetData) []sheetData {
			return cell(b, "measurement", 1, 2, date(2025, 9, 15))
		}, "error: measurement!C2: 2025-09-15 is not the first day of a month"},
		{"unknown enum", func(b []sheetData) []sheetData {
			return cell(b, "benefit", 1, 3, "sparing")
		}, `error: benefit!D2: category "sparing" is not one of satisfaction, quality_safety, data_security, patient_involvement, savings`},
		{"duplicate key", func(b []sheetData) []sheetData {
			return addRow(b, "org_unit", []any{"U1", "Avdeling 1 igjen", "unit", "HF"})
		}, `error: org_unit!A4: org_unit appears twice: row 3 has the same key (id "U1")`},
		{"dangling reference", func(b []sheetData) []sheetData {
			return cell(b, "benefit_holder", 1, 2, "P404")
		}, `error: benefit_holder!C2: person_id "P404" does not exist in person`},
		{"empty required cell", func(b []sheetData) []sheetData {
			return cell(b, "benefit", 1, 1, "   ")
		}, "error: benefit!B2: title is empty; it must be filled in"},
		{"bad date", func(b []sheetData) []sheetData {
			return cell(b, "change_action", 1, 4, "31.02.2025")
		}, `error: change_action!E2: "31.02.2025" is not a date (enter a date, or write it as YYYY-MM-DD)`},
		{"unknown extra column", func(b []sheetData) []sheetData {
			return cell(b, "indicator_ambition", 0, 7, "kommentar")
		}, `error: indicator_ambition!H1: unknown column "kommentar"; the columns of indicator_ambition are`},
		{"not a whole number", func(b []sheetData) []sheetData {
			return cell(b, "indicator", 1, 7, 1.5)
		}, "error: indicator!H2: 1.5 is not a whole number"},
		{"invalid email (found by register.Check)", func(b []sheetData) []sheetData {
			return cell(b, "person", 1, 2, "Kari <kari@example.no>")
		}, `error: person!C2: email "Kari <kari@example.no>" is not a plain email address`},
	}
}

// TestImportReportsEachMistakeAtItsCell imports a workbook with every
// mistake at once into a register that already holds data: each finding
// names its sheet and cell, and nothing in the database changes.
func TestImportReportsEachMistakeAtItsCell(t *testing.T) {
	before := &register.Register{Units: []register.OrgUnit{{ID: "OLD", Name: "Gammel", Kind: register.KindHF}}}
	db, _ := sqliteRegister(t, before)
	book := smallBook()
	for _, m := range mistakes() {
		book = m.apply(book)
	}
	var out bytes.Buffer
	res, err := Import(context.Background(), db, writeBook(t, book), testOptions(store.SQLite), &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mistakes() {
		if !strings.Contains(out.String(), m.want) {
			t.Errorf("%s: output lacks %q", m.name, m.want)
		}
	}
	if res.Errors < len(mistakes()) || res.Written != nil || !strings.Contains(out.String(), "nothing written") {
		t.Errorf("errors %d, written %v", res.Errors, res.Written)
	}
	if got := load(t, db, store.SQLite); !reflect.DeepEqual(got.Units, before.Units) || len(got.Measurements) != 0 {
		t.Errorf("the register changed: %+v", got)
	}
	t.Logf("output:\n%s", out.String())
}

// registerMistakes are mistakes only register.Check finds, and only when
// the rest of the register is right.
func registerMistakes() []mistake {
	return []mistake{
		{"contradicting thresholds", func(b []sheetData) []sheetData {
			return cell(b, "indicator_ambition", 1, 3, "0,9")
		}, `error: indicator_ambition!D2: indicator "I1" (direction "up") has contradicting thresholds for 2025: red limit 0.9, green limit 0.65`},
	}
}

// TestImportEachMistakeAlone checks that each mistake on its own is an
// error that stops the import (the correct book has none: see
// TestImportReadsCellsAsTheCoordinatorWroteThem).
func TestImportEachMistakeAlone(t *testing.T) {
	for _, m := range append(mistakes(), registerMistakes()...) {
		t.Run(m.name, func(t *testing.T) {
			db, _ := sqliteRegister(t, nil)
			var out bytes.Buffer
			res, err := Import(context.Background(), db, writeBook(t, m.apply(smallBook())), testOptions(store.SQLite), &out)
			if err != nil {
				t.Fatal(err)
			}
			if res.Errors == 0 || res.Written != nil || !strings.Contains(out.String(), m.want) {
				t.Errorf("errors %d, written %v, output:\n%s", res.Errors, res.Written, out.String())
			}
		})
	}
}

func TestImportForceWritesTheRowsWithoutErrors(t *testing.T) {
	db, _ := sqliteRegister(t, nil)
	book := cell(smallBook(), "measurement", 2, 4, "tretti")
	opt := testOptions(store.SQLite)
	opt.Force = true
	var out bytes.Buffer
	res, err := Import(context.Background(), db, writeBook(t, book), opt, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 1 || res.Written["measurement"] != 1 || res.Written["org_unit"] != 2 {
		t.Fatalf("errors %d, written %v:\n%s", res.Errors, res.Written, out.String())
	}
	if n := len(load(t, db, store.SQLite).Measurements); n != 1 {
		t.Errorf("%d measurements written, want the 1 without errors", n)
	}
}

// TestImportLeavesOtherTablesAlone imports only the measurement sheet:
// that table is replaced, the others keep their rows, and the sheet's
// references are checked against the database's tables.
func TestImportLeavesOtherTablesAlone(t *testing.T) {
	db, _ := sqliteRegister(t, nil)
	ctx := context.Background()
	if _, err := Import(ctx, db, writeBook(t, smallBook()), testOptions(store.SQLite), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	before := load(t, db, store.SQLite)
	only := []sheetData{{"measurement", [][]any{{"indicator_id", "org_unit_id", "period", "value", "numerator", "denominator"},
		{"I1", "U1", "2025-10-01", nil, 40, 50}}}}
	var out bytes.Buffer
	res, err := Import(ctx, db, writeBook(t, only), testOptions(store.SQLite), &out)
	if err != nil || res.Errors != 0 {
		t.Fatalf("%v, %d errors:\n%s", err, res.Errors, out.String())
	}
	after := load(t, db, store.SQLite)
	if len(after.Measurements) != 1 || after.Measurements[0].Period != register.MonthOf(2025, 10) {
		t.Errorf("measurement not replaced: %+v", after.Measurements)
	}
	after.Measurements = before.Measurements
	if !reflect.DeepEqual(after, before) {
		t.Errorf("tables not in the file changed")
	}
	// A reference to an indicator the database does not have.
	only[0].rows[1][0] = "I404"
	out.Reset()
	res, _ = Import(ctx, db, writeBook(t, only), testOptions(store.SQLite), &out)
	if want := `measurement!A2: indicator_id "I404" does not exist in indicator`; res.Errors == 0 || !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	before := &register.Register{Units: []register.OrgUnit{{ID: "OLD", Name: "Gammel", Kind: register.KindHF}}}
	db, _ := sqliteRegister(t, before)
	opt := testOptions(store.SQLite)
	opt.DryRun = true
	for _, target := range []*sql.DB{db, nil} { // nil: an SQLite register that does not exist yet
		var out bytes.Buffer
		res, err := Import(context.Background(), target, writeBook(t, smallBook()), opt, &out)
		if err != nil || res.Errors != 0 || res.Written != nil || !strings.Contains(out.String(), "dry run: nothing written") {
			t.Fatalf("%v, %+v:\n%s", err, res, out.String())
		}
	}
	if got := load(t, db, store.SQLite); !reflect.DeepEqual(got.Units, before.Units) || len(got.Measurements) != 0 {
		t.Errorf("the dry run changed the register: %+v", got)
	}
}

// TestImportCSVFolder reads a folder of <table>.csv files as Excel writes
// them with Norwegian settings: semicolons, decimal commas, a byte order
// mark; the error names the file and cell.
func TestImportCSVFolder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"org_unit.csv":    "\ufeffid;name;kind;parent_id\nHF;Helse Test;hf;\nU1;Avdeling 1;unit;HF\n",
		"measurement.csv": "indicator_id;org_unit_id;period;value;numerator;denominator\nI1;U1;2025-09-01;12,5;;\nI1;U1;2025-10-15;1;;\n",
		"notes.txt":       "not a table",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, _ := sqliteRegister(t, nil)
	var out bytes.Buffer
	res, err := Import(context.Background(), db, dir, testOptions(store.SQLite), &out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "error: measurement.csv!C3: 2025-10-15 is not the first day of a month"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	if res.Rows["org_unit"] != 2 || res.Rows["measurement"] != 2 || res.Written != nil {
		t.Errorf("rows %v written %v", res.Rows, res.Written)
	}
}

// TestImportNeedsTheSchemaOnAServer: on MySQL and PostgreSQL the import
// does not create tables; it says how to.
func TestImportNeedsTheSchemaOnAServer(t *testing.T) {
	servers := []struct {
		d   store.Dialect
		dsn func(t *testing.T) string
	}{
		{store.MySQL, func(t *testing.T) string {
			return testmysql.Fresh(t, "gevinst_sheet_", "utf8mb4_unicode_ci").FormatDSN()
		}},
		{store.Postgres, func(t *testing.T) string { return testpostgres.Fresh(t, "gevinst_sheet_") }},
	}
	for _, s := range servers {
		t.Run(string(s.d), func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, s.d, s.dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			path := writeBook(t, smallBook())
			_, err = Import(ctx, db, path, testOptions(s.d), &bytes.Buffer{})
			if !errors.Is(err, ErrNoSchema) || !strings.Contains(err.Error(), "schema --dialect "+string(s.d)) {
				t.Fatalf("err = %v, want ErrNoSchema naming the schema command", err)
			}
			if err := store.CreateSchema(ctx, db, s.d); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			res, err := Import(ctx, db, path, testOptions(s.d), &out)
			if err != nil || res.Errors != 0 || res.Written == nil {
				t.Fatalf("%v, %+v:\n%s", err, res, out.String())
			}
			if reg := load(t, db, s.d); len(reg.Measurements) != 2 || fmt.Sprint(*reg.Ambitions[0].RedLimit) != "0.5" {
				t.Errorf("read back: %+v", reg)
			}
		})
	}
}

// TestImportWorkbookSavedByLibreOffice imports the demo register as
// LibreOffice saved it: the database then holds exactly what `demo`
// writes through SQL.
func TestImportWorkbookSavedByLibreOffice(t *testing.T) {
	const fixture = "testdata/demo-libreoffice.xlsx"
	savedBy(t, fixture, "LibreOffice")
	ctx := context.Background()
	want, _ := sqliteRegister(t, demo.Generate(demo.Small))
	got, _ := sqliteRegister(t, nil)
	opt := testOptions(store.SQLite)
	opt.Force = true // the demo carries one register error on purpose (contradicting thresholds)
	var out bytes.Buffer
	res, err := Import(ctx, got, fixture, opt, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written == nil || res.Written["measurement"] == 0 {
		t.Fatalf("nothing written:\n%s", out.String())
	}
	w, g := load(t, want, store.SQLite), load(t, got, store.SQLite)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("the LibreOffice workbook does not give the demo register (regenerate %s as its README says if the demo changed):\n%s", fixture, diffTables(w, g))
	}
}

// savedBy fails the test unless the workbook's docProps/app.xml names
// application.
func savedBy(t *testing.T, path, application string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open("docProps/app.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("<Application>"+application)) {
		t.Fatalf("%s was not saved by %s: %s", path, application, data)
	}
}

// diffTables names the register fields that differ.
func diffTables(want, got *register.Register) string {
	var out []string
	w, g := reflect.ValueOf(*want), reflect.ValueOf(*got)
	for i := range w.NumField() {
		if !reflect.DeepEqual(w.Field(i).Interface(), g.Field(i).Interface()) {
			out = append(out, fmt.Sprintf("%s: %d rows, want %d", w.Type().Field(i).Name, g.Field(i).Len(), w.Field(i).Len()))
		}
	}
	return strings.Join(out, "\n")
}

// TestImportHeaderOnlySheetEmptiesItsTable: a sheet with only its header
// is a table with no rows, said with a warning, not a sheet to skip.
func TestImportHeaderOnlySheetEmptiesItsTable(t *testing.T) {
	db, _ := sqliteRegister(t, &register.Register{Actions: []register.ChangeAction{{ID: "A0", BenefitID: "B0", Title: "Gammel", Status: register.ActionPlanned}}})
	book := []sheetData{{"change_action", [][]any{{"id", "benefit_id", "title", "responsible", "due_date", "status", "completed_on", "note"}}}}
	var out bytes.Buffer
	res, err := Import(context.Background(), db, writeBook(t, book), testOptions(store.SQLite), &out)
	if err != nil || res.Errors != 0 {
		t.Fatalf("%v, %d errors:\n%s", err, res.Errors, out.String())
	}
	if want := "warning: change_action: the sheet has no rows: importing it empties the change_action table"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	// A value below an empty header cell is not imported, with a warning.
	book = addRow(book, "change_action", []any{nil, nil, nil, nil, nil, nil, nil, nil, nil, "husk dette"})
	out.Reset()
	res, err = Import(context.Background(), db, writeBook(t, book), testOptions(store.SQLite), &out)
	if want := "warning: change_action!J2: column J has no name in row 1; its cells are not imported"; err != nil || res.Errors != 0 || !strings.Contains(out.String(), want) {
		t.Errorf("%v; output lacks %q:\n%s", err, want, out.String())
	}
	if n := len(load(t, db, store.SQLite).Actions); n != 0 || res.Written["change_action"] != 0 {
		t.Errorf("%d change actions left, written %v", n, res.Written)
	}
}
