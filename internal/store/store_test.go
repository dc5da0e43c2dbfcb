package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// backend opens a fresh, empty database of one dialect.
type backend struct {
	name    string
	dialect Dialect
	fresh   func(t testing.TB, params map[string]string) *sql.DB
}

// backends returns SQLite, MySQL and PostgreSQL; the MySQL and PostgreSQL
// subtests skip when GEVINST_TEST_MYSQL_DSN or GEVINST_TEST_POSTGRES_DSN is
// not set.
func backends() []backend {
	return []backend{
		{name: "sqlite", dialect: SQLite, fresh: freshSQLite},
		{name: "mysql", dialect: MySQL, fresh: freshMySQL},
		{name: "postgres", dialect: Postgres, fresh: freshPostgres},
	}
}

// eachSchema runs body in a parallel subtest per backend, named after it,
// on a fresh database holding the register schema.
func eachSchema(t *testing.T, body func(t *testing.T, b backend, db *sql.DB)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			body(t, b, withSchema(t, b, nil))
		})
	}
}

// freshPostgres creates a schema with a random name in the database of
// GEVINST_TEST_POSTGRES_DSN and drops it when the test ends; the DSN
// parameters are MySQL's and do not apply.
func freshPostgres(t testing.TB, _ map[string]string) *sql.DB {
	t.Helper()
	dsn := testpostgres.Fresh(t, "gevinst_store_test_")
	db, err := Open(context.Background(), Postgres, dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func freshSQLite(t testing.TB, _ map[string]string) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	db, err := Open(context.Background(), SQLite, path)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// freshMySQL creates a database with a random name on the server of
// GEVINST_TEST_MYSQL_DSN and drops it when the test ends. A server that
// cannot be reached fails the test.
func freshMySQL(t testing.TB, params map[string]string) *sql.DB {
	t.Helper()
	cfg := testmysql.Fresh(t, "gevinst_store_test_", "utf8mb4_unicode_ci")
	for k, v := range params {
		switch k {
		case "parseTime":
			cfg.ParseTime = v == "true"
		default:
			if cfg.Params == nil {
				cfg.Params = map[string]string{}
			}
			cfg.Params[k] = v
		}
	}
	db, err := Open(context.Background(), MySQL, cfg.FormatDSN())
	if err != nil {
		t.Fatalf("open %s: %v", cfg.DBName, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// withSchema returns a fresh database of b with the contract created.
func withSchema(t testing.TB, b backend, params map[string]string) *sql.DB {
	t.Helper()
	db := b.fresh(t, params)
	if err := CreateSchema(context.Background(), db, b.dialect); err != nil {
		t.Fatal(err)
	}
	return db
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func monthPtr(m register.Month) *register.Month { return &m }

// sampleRegister covers every column, NULLs, UTF-8 text and dates. Rows are
// deliberately out of key order: Load must sort them.
func sampleRegister() *register.Register {
	return &register.Register{
		Units: []register.OrgUnit{
			{ID: "5430", Name: "Porsáŋgu – Porsanger", Kind: register.KindKommune, ParentID: "HMN"},
			{ID: "HMN", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF},
			{ID: "5041", Name: "Snåase – Snåsa", Kind: register.KindKommune, ParentID: "HMN"},
			{ID: "STO", Name: "St. Olavs hospital HF", Kind: register.KindHF, ParentID: "HMN"},
		},
		People: []register.Person{
			{ID: "p2", Name: "Ŧ č đ ŋ š ž á æøå", Email: "p2@example.no", Language: "nn"},
			{ID: "p1", Name: "Kari Nordmann", Email: "kari@example.no"},
			{ID: "p3", Name: "Ola Uten E-post", Language: "en"},
		},
		Benefits: []register.Benefit{
			{ID: "G-012", Title: "Færre telefoner – mer selvbetjening", Description: "Pasienten bestiller selv.\nTo linjer.",
				Category: register.PatientInvolvement, OrgUnitID: "HMN", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "G-003", Title: "Spart tid på dokumentasjon", Category: register.Savings, OrgUnitID: "STO",
				OwnerID: "p2", Phase: register.PhaseEvaluate, CountedInBenefitID: "G-012"},
		},
		Holders: []register.Holder{
			{BenefitID: "G-012", OrgUnitID: "5430", PersonID: "p2"},
			{BenefitID: "G-012", OrgUnitID: "5041", PersonID: "p2"},
			{BenefitID: "G-003", OrgUnitID: "STO", PersonID: "p1"},
		},
		Indicators: []register.Indicator{
			{ID: "K-2", BenefitID: "G-003", Name: "Minutter per konsultasjon", Unit: "min", Direction: register.Down,
				Aggregation: register.Mean, Frequency: register.Quarterly, Decimals: 0},
			{ID: "K-1", BenefitID: "G-012", Name: "Andel timer bestilt av pasienten", Unit: "%", Direction: register.Up,
				Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, Scale: register.F(100),
				BaselineValue: register.F(0.1), BaselinePeriod: monthPtr(register.MonthOf(2023, time.December)),
				TargetValue: register.F(30), TargetDate: day(2026, time.December, 31), MinDenominator: register.F(5),
				DataSource: "Epic Clarity – rapport 17"},
		},
		Ambitions: []register.Ambition{
			{IndicatorID: "K-1", Year: 2025, Target: 10, RedLimit: register.F(5), GreenLimit: register.F(10),
				RevisedOn: day(2025, time.February, 14), Note: "Revidert i styringsgruppen"},
			{IndicatorID: "K-1", Year: 2024, Target: 1.0 / 3.0},
			{IndicatorID: "K-2", Year: 2025, Target: 12.5, GreenLimit: register.F(12)},
		},
		Measurements: []register.Measurement{
			{IndicatorID: "K-1", OrgUnitID: "5430", Period: register.MonthOf(2025, time.September), Numerator: register.F(3), Denominator: register.F(40)},
			{IndicatorID: "K-1", OrgUnitID: "5041", Period: register.MonthOf(2025, time.September), Numerator: register.F(0), Denominator: register.F(0)},
			{IndicatorID: "K-1", OrgUnitID: "5430", Period: register.MonthOf(2025, time.August), Value: register.F(0.1 + 0.2), Numerator: register.F(2), Denominator: register.F(41)},
			{IndicatorID: "K-2", OrgUnitID: "STO", Period: register.MonthOf(2025, time.July), Value: register.F(14.25)},
			{IndicatorID: "K-2", OrgUnitID: "STO", Period: register.MonthOf(1999, time.January)},
		},
		Actions: []register.ChangeAction{
			{ID: "T-2", BenefitID: "G-012", Title: "Opplæring av merkantilt personale", Responsible: "Åse Ødegård",
				DueDate: day(2025, time.June, 30), Status: register.ActionImplemented, CompletedOn: day(2025, time.June, 12), Note: "Ferdig før ferien"},
			{ID: "T-1", BenefitID: "G-012", Title: "Innfør timebestilling i Helsenorge", Status: register.ActionPlanned},
		},
		Comments: []register.Comment{
			{BenefitID: "G-012", IndicatorID: "K-1", Period: register.MonthOf(2025, time.September), AuthorID: "p2",
				Text: "Sámi: Ŧ č đ ŋ š ž á.\n\nAndre avsnitt – «sitat» og 😀.", WrittenOn: day(2025, time.October, 3)},
			{BenefitID: "G-012", Period: register.MonthOf(2025, time.August), Text: "Hele gevinsten, uten forfatter."},
		},
	}
}

// sorted returns a copy of reg in the key order Load promises.
func sorted(reg *register.Register) *register.Register {
	out := *reg
	out.Units = slices.SortedFunc(slices.Values(reg.Units), func(a, b register.OrgUnit) int { return cmp.Compare(a.ID, b.ID) })
	out.People = slices.SortedFunc(slices.Values(reg.People), func(a, b register.Person) int { return cmp.Compare(a.ID, b.ID) })
	out.Benefits = slices.SortedFunc(slices.Values(reg.Benefits), func(a, b register.Benefit) int { return cmp.Compare(a.ID, b.ID) })
	out.Holders = slices.SortedFunc(slices.Values(reg.Holders), func(a, b register.Holder) int {
		return cmp.Or(cmp.Compare(a.BenefitID, b.BenefitID), cmp.Compare(a.OrgUnitID, b.OrgUnitID), cmp.Compare(a.PersonID, b.PersonID))
	})
	out.Indicators = slices.SortedFunc(slices.Values(reg.Indicators), func(a, b register.Indicator) int { return cmp.Compare(a.ID, b.ID) })
	out.Ambitions = slices.SortedFunc(slices.Values(reg.Ambitions), func(a, b register.Ambition) int {
		return cmp.Or(cmp.Compare(a.IndicatorID, b.IndicatorID), cmp.Compare(a.Year, b.Year))
	})
	out.Measurements = slices.SortedFunc(slices.Values(reg.Measurements), func(a, b register.Measurement) int {
		return cmp.Or(cmp.Compare(a.IndicatorID, b.IndicatorID), cmp.Compare(a.OrgUnitID, b.OrgUnitID), cmp.Compare(a.Period, b.Period))
	})
	out.Actions = slices.SortedFunc(slices.Values(reg.Actions), func(a, b register.ChangeAction) int { return cmp.Compare(a.ID, b.ID) })
	out.Comments = slices.SortedFunc(slices.Values(reg.Comments), func(a, b register.Comment) int {
		return cmp.Or(cmp.Compare(a.BenefitID, b.BenefitID), cmp.Compare(a.IndicatorID, b.IndicatorID), cmp.Compare(a.Period, b.Period))
	})
	return &out
}

// diffRegister describes the first difference per table between want and got.
func diffRegister(want, got *register.Register) string {
	var diffs []string
	w, g := reflect.ValueOf(*want), reflect.ValueOf(*got)
	for i := range w.NumField() {
		wf, gf := w.Field(i), g.Field(i)
		if reflect.DeepEqual(wf.Interface(), gf.Interface()) {
			continue
		}
		name := w.Type().Field(i).Name
		if wf.Len() != gf.Len() {
			diffs = append(diffs, fmt.Sprintf("%s: got %d rows, want %d", name, gf.Len(), wf.Len()))
			continue
		}
		for j := range wf.Len() {
			if !reflect.DeepEqual(wf.Index(j).Interface(), gf.Index(j).Interface()) {
				diffs = append(diffs, fmt.Sprintf("%s[%d]:\n got  %s\n want %s", name, j, show(gf.Index(j)), show(wf.Index(j))))
				break
			}
		}
	}
	return strings.Join(diffs, "\n")
}

// show prints a row with pointers dereferenced.
func show(v reflect.Value) string {
	var parts []string
	for i := range v.NumField() {
		f := v.Field(i)
		s := fmt.Sprintf("%v", f.Interface())
		if f.Kind() == reflect.Pointer {
			s = "nil"
			if !f.IsNil() {
				s = fmt.Sprintf("&%v", f.Elem().Interface())
			}
		}
		parts = append(parts, v.Type().Field(i).Name+"="+s)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func TestParseDialect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    Dialect
		wantErr bool
	}{
		{name: "mysql", in: "mysql", want: MySQL},
		{name: "sqlite", in: "sqlite", want: SQLite},
		{name: "case and space", in: " MySQL ", want: MySQL},
		{name: "postgres", in: "postgres", want: Postgres},
		{name: "postgresql is not a driver name", in: "postgresql", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDialect(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDialect(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDialect(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSchemaText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		dialect Dialect
		want    []string
		notWant []string
	}{
		{name: "mysql", dialect: MySQL, want: []string{
			"ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
			"CREATE TABLE IF NOT EXISTS measurement (",
			"PRIMARY KEY (indicator_id, org_unit_id, period)",
			"KEY idx_measurement_indicator_id_period (indicator_id, period)",
			"KEY idx_benefit_holder_person_id (person_id)",
			"frequency VARCHAR(32) NOT NULL DEFAULT 'month' CHECK (frequency IN ('month', 'quarter', 'year'))",
			"decimals INT NOT NULL DEFAULT 1",
			"period DATE NOT NULL",
		}, notWant: []string{"CREATE INDEX"}},
		{name: "sqlite", dialect: SQLite, want: []string{
			"CREATE TABLE IF NOT EXISTS change_action (",
			"CREATE INDEX IF NOT EXISTS idx_measurement_indicator_id_period ON measurement (indicator_id, period);",
			"CREATE INDEX IF NOT EXISTS idx_indicator_benefit_id ON indicator (benefit_id);",
			"CREATE INDEX IF NOT EXISTS idx_change_action_benefit_id ON change_action (benefit_id);",
			"phase TEXT NOT NULL DEFAULT 'realise'",
			"PRIMARY KEY (benefit_id, org_unit_id, person_id)",
		}, notWant: []string{"ENGINE", "utf8mb4", "STRICT"}},
		{name: "postgres", dialect: Postgres, want: []string{
			"CREATE TABLE IF NOT EXISTS measurement (",
			`indicator_id VARCHAR(100) COLLATE "C" NOT NULL`,
			"CREATE INDEX IF NOT EXISTS idx_measurement_indicator_id_period ON measurement (indicator_id, period);",
			"value DOUBLE PRECISION,",
			"decimals INTEGER NOT NULL DEFAULT 1",
			"period DATE NOT NULL",
			"phase VARCHAR(32) NOT NULL DEFAULT 'realise' CHECK (phase IN ('identify', 'plan', 'realise', 'evaluate', 'closed'))",
		}, notWant: []string{"ENGINE", "utf8mb4", "DROP", " KEY idx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Schema(tt.dialect)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("Schema(%s) lacks %q", tt.dialect, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(s, w) {
					t.Errorf("Schema(%s) contains %q", tt.dialect, w)
				}
			}
		})
	}
}

func TestCreateSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.fresh(t, nil)
			required := 0
			for _, tb := range contract() {
				if !tb.optional {
					required++
				}
			}
			if got := CheckContract(ctx, db, b.dialect); len(got) != required {
				t.Errorf("CheckContract on an empty database: got %d problems, want one per required table (%d): %v", len(got), required, got)
			}
			for i := range 2 {
				if err := CreateSchema(ctx, db, b.dialect); err != nil {
					t.Fatalf("CreateSchema, application %d: %v", i+1, err)
				}
			}
			if got := CheckContract(ctx, db, b.dialect); len(got) != 0 {
				t.Errorf("CheckContract after CreateSchema = %v, want none", got)
			}
		})
	}
}

// TestSchemaAsPrinted runs the printed DDL through the database's own
// multi-statement path, as a data team would with the schema command.
func TestSchemaAsPrinted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.fresh(t, map[string]string{"multiStatements": "true"})
			for i := range 2 {
				if _, err := db.ExecContext(ctx, Schema(b.dialect)); err != nil {
					t.Fatalf("exec printed schema, application %d: %v", i+1, err)
				}
			}
			if got := CheckContract(ctx, db, b.dialect); len(got) != 0 {
				t.Errorf("CheckContract = %v, want none", got)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name   string
		params map[string]string // MySQL DSN parameters
	}{
		{name: "parseTime", params: map[string]string{"parseTime": "true"}},
		{name: "no parseTime", params: map[string]string{"parseTime": "false"}},
	}
	for _, b := range backends() {
		for _, tt := range tests {
			if b.dialect != MySQL && tt.name != "parseTime" {
				continue
			}
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				db := withSchema(t, b, tt.params)
				in := sampleRegister()
				if err := WriteRegister(ctx, db, b.dialect, in); err != nil {
					t.Fatal(err)
				}
				got, err := Load(ctx, db, b.dialect)
				if err != nil {
					t.Fatal(err)
				}
				if d := diffRegister(sorted(in), got); d != "" {
					t.Errorf("Load after WriteRegister differs from the input:\n%s", d)
				}
				checkNulls(t, db)
			})
		}
	}
}

// checkNulls verifies that WriteRegister stored empty optional values of
// sampleRegister as SQL NULL, not as ” or 0.
func checkNulls(t *testing.T, db *sql.DB) {
	t.Helper()
	tests := []struct {
		query string
		want  int
	}{
		{`SELECT COUNT(*) FROM org_unit WHERE parent_id IS NULL`, 1},
		{`SELECT COUNT(*) FROM person WHERE email IS NULL`, 1},
		{`SELECT COUNT(*) FROM person WHERE language IS NULL`, 1},
		{`SELECT COUNT(*) FROM benefit WHERE description IS NULL AND counted_in_benefit_id IS NULL`, 0},
		{`SELECT COUNT(*) FROM benefit WHERE description IS NULL`, 1},
		{`SELECT COUNT(*) FROM indicator WHERE scale IS NULL AND baseline_period IS NULL AND target_date IS NULL AND data_source IS NULL`, 1},
		{`SELECT COUNT(*) FROM indicator_ambition WHERE red_limit IS NULL AND revised_on IS NULL AND note IS NULL`, 2},
		{`SELECT COUNT(*) FROM measurement WHERE value IS NULL AND numerator IS NULL AND denominator IS NULL`, 1},
		{`SELECT COUNT(*) FROM measurement WHERE numerator = 0`, 1},
		{`SELECT COUNT(*) FROM change_action WHERE responsible IS NULL AND due_date IS NULL AND completed_on IS NULL AND note IS NULL`, 1},
		{`SELECT COUNT(*) FROM commentary WHERE indicator_id = '' AND author_id IS NULL AND written_on IS NULL`, 1},
	}
	for _, tt := range tests {
		var got int
		if err := db.QueryRowContext(context.Background(), tt.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if got != tt.want {
			t.Errorf("%s = %d, want %d", tt.query, got, tt.want)
		}
	}
}

func TestRoundTripEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		if err := WriteRegister(ctx, db, b.dialect, &register.Register{}); err != nil {
			t.Fatal(err)
		}
		got, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, &register.Register{}) {
			t.Errorf("Load of empty tables = %+v, want an empty register", got)
		}
	})
}

// TestWriteManyRows crosses the multi-row batch boundary (full batches plus
// a remainder) and checks every row arrives.
func TestWriteManyRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		in := generateRegister(3, 7, 2*rowsPerInsert/7+5) // not a multiple of the batch size
		if err := WriteRegister(ctx, db, b.dialect, in); err != nil {
			t.Fatal(err)
		}
		got, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Measurements)%rowsPerInsert == 0 || len(in.Measurements) < rowsPerInsert {
			t.Fatalf("generated %d measurements, want a non-multiple of %d above it", len(in.Measurements), rowsPerInsert)
		}
		if d := diffRegister(sorted(in), got); d != "" {
			t.Errorf("round trip differs:\n%s", d)
		}
	})
}

func TestWriteRegisterFailsAtomically(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		in := sampleRegister()
		in.Measurements = append(in.Measurements, in.Measurements[0]) // duplicate primary key
		err := WriteRegister(ctx, db, b.dialect, in)
		if err == nil || !strings.Contains(err.Error(), "write measurement") {
			t.Fatalf("WriteRegister with a duplicate measurement: error = %v, want one naming measurement", err)
		}
		got, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Units) != 0 {
			t.Errorf("after a failed write, %d org units are stored, want 0 (one transaction)", len(got.Units))
		}
	})
}

// TestSQLiteDatesAsText checks WriteRegister stores dates as 'YYYY-MM-DD'
// text, and that Load reads dates stored in SQLite's other text forms.
func TestSQLiteDatesAsText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := backend{name: "sqlite", dialect: SQLite, fresh: freshSQLite}
	db := withSchema(t, b, nil)
	if err := WriteRegister(ctx, db, SQLite, sampleRegister()); err != nil {
		t.Fatal(err)
	}
	var typ, val string
	err := db.QueryRowContext(ctx, `SELECT typeof(target_date), CAST(target_date AS TEXT) FROM indicator WHERE id = 'K-1'`).Scan(&typ, &val)
	if err != nil {
		t.Fatal(err)
	}
	if typ != "text" || val != "2026-12-31" {
		t.Errorf("stored target_date is %s %q, want text \"2026-12-31\"", typ, val)
	}

	tests := []struct {
		name   string
		stored string
		want   time.Time
	}{
		{name: "date", stored: "2025-03-04", want: day(2025, time.March, 4)},
		{name: "datetime", stored: "2025-03-04 00:00:00", want: day(2025, time.March, 4)},
		{name: "go time format", stored: "2025-03-04 00:00:00+01:00", want: day(2025, time.March, 4)},
		{name: "iso", stored: "2025-03-04T10:30:00Z", want: day(2025, time.March, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.ExecContext(ctx, `UPDATE change_action SET due_date = ? WHERE id = 'T-1'`, tt.stored); err != nil {
				t.Fatal(err)
			}
			reg, err := Load(ctx, db, SQLite)
			if err != nil {
				t.Fatal(err)
			}
			got := reg.Actions[0].DueDate
			if reg.Actions[0].ID != "T-1" || !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("due_date stored as %q loads as %v (%s), want %v UTC", tt.stored, got, reg.Actions[0].ID, tt.want)
			}
		})
	}
}

// unionView replaces table by a view of its rows plus the row selected by
// extra, as a data team's view over a warehouse may yield rows the table's
// constraints would refuse.
func unionView(table, extra string) []string {
	return []string{
		"ALTER TABLE " + table + " RENAME TO " + table + "_base",
		"CREATE VIEW " + table + " AS SELECT * FROM " + table + "_base UNION ALL " + extra,
	}
}

// textNumbersView is unionView of measurement for PostgreSQL, whose UNION
// does not turn text into a number: the view yields its numbers as text,
// as a view over a warehouse's text columns would.
func textNumbersView(extra string) []string {
	return []string{
		"ALTER TABLE measurement RENAME TO measurement_base",
		`CREATE VIEW measurement AS SELECT indicator_id, org_unit_id, period, CAST(value AS TEXT) AS value,
		   CAST(numerator AS TEXT) AS numerator, CAST(denominator AS TEXT) AS denominator FROM measurement_base
		 UNION ALL ` + extra,
	}
}

func TestLoadSkipsBadRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const others = 5 // the sample's measurements
	tests := []struct {
		name       string
		only       Dialect // "" for all
		exec       []string
		pgExec     []string // PostgreSQL's statements when they differ
		table, key string
		reason     []string
		indicator  string // the finding's indicator id
	}{
		{
			name:  "period not first of month",
			exec:  []string{`INSERT INTO measurement (indicator_id, org_unit_id, period, value) VALUES ('K-1', 'Snåase', '2025-09-15', 1)`},
			table: "measurement", key: `(indicator_id "K-1", org_unit_id "Snåase", period "2025-09-15")`,
			reason: []string{"period 2025-09-15 is not the first day of a month"}, indicator: "K-1",
		},
		{
			name:  "baseline period not first of month",
			exec:  []string{`UPDATE indicator SET baseline_period = '2023-12-31' WHERE id = 'K-1'`},
			table: "indicator", key: `"K-1"`, reason: []string{"baseline_period 2023-12-31 is not the first day of a month"}, indicator: "K-1",
		},
		{
			name:  "malformed period",
			only:  SQLite,
			exec:  []string{`INSERT INTO measurement (indicator_id, org_unit_id, period) VALUES ('K-2', 'STO', '2025-13-01')`},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-13-01")`,
			reason: []string{"period: malformed date", "2025-13-01"}, indicator: "K-2",
		},
		{
			name:  "malformed due date",
			only:  SQLite,
			exec:  []string{`UPDATE change_action SET due_date = '30.06.2025' WHERE id = 'T-2'`},
			table: "change_action", key: `"T-2"`, reason: []string{"due_date: malformed date", "30.06.2025"},
		},
		{
			name:  "malformed revised_on",
			only:  SQLite,
			exec:  []string{`UPDATE indicator_ambition SET revised_on = 'i fjor' WHERE indicator_id = 'K-1' AND year = 2025`},
			table: "indicator_ambition", key: `(indicator_id "K-1", year 2025)`, reason: []string{"revised_on", "i fjor"}, indicator: "K-1",
		},
		{
			name:  "text in a number column",
			only:  SQLite,
			exec:  []string{`UPDATE measurement SET numerator = 'tre' WHERE indicator_id = 'K-1' AND org_unit_id = '5430' AND period = '2025-09-01'`},
			table: "measurement", key: `(indicator_id "K-1", org_unit_id "5430", period "2025-09-01")`,
			reason: []string{`numerator: text "tre" in a number column`}, indicator: "K-1",
		},
		{
			name:   "text in a number column of a view",
			exec:   unionView("measurement", `SELECT 'K-2', 'STO', '2025-08-01', 'n/a', NULL, NULL`),
			pgExec: textNumbersView(`SELECT 'K-2', 'STO', '2025-08-01', 'n/a', NULL, NULL`),
			table:  "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-08-01")`,
			reason: []string{`value: text "n/a" in a number column`}, indicator: "K-2",
		},
		{
			name:  "NaN stored as text",
			only:  SQLite,
			exec:  []string{`UPDATE measurement SET value = 'NaN' WHERE indicator_id = 'K-2' AND period = '2025-07-01'`},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-07-01")`,
			reason: []string{"value: NaN is not a finite number"}, indicator: "K-2",
		},
		{
			name:  "infinity",
			only:  SQLite,
			exec:  []string{`UPDATE measurement SET value = -9e999 WHERE indicator_id = 'K-2' AND period = '2025-07-01'`},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-07-01")`,
			reason: []string{"value: -Inf is not a finite number"}, indicator: "K-2",
		},
		{
			name:  "infinity from a view",
			exec:  unionView("measurement", `SELECT 'K-2', 'STO', '2025-08-01', 'Infinity', NULL, NULL`),
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-08-01")`,
			reason: []string{"value: +Inf is not a finite number"}, indicator: "K-2",
		},
		{
			name:  "NaN in a double column",
			only:  Postgres,
			exec:  []string{`UPDATE measurement SET value = 'NaN' WHERE indicator_id = 'K-2' AND period = '2025-07-01'`},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-07-01")`,
			reason: []string{"value: NaN is not a finite number"}, indicator: "K-2",
		},
		{
			name:  "infinity in a double column",
			only:  Postgres,
			exec:  []string{`UPDATE measurement SET value = '-Infinity' WHERE indicator_id = 'K-2' AND period = '2025-07-01'`},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-07-01")`,
			reason: []string{"value: -Inf is not a finite number"}, indicator: "K-2",
		},
		{
			name: "NaN in a numeric view",
			only: Postgres,
			exec: []string{
				"ALTER TABLE measurement RENAME TO measurement_base",
				`CREATE VIEW measurement AS SELECT indicator_id, org_unit_id, period, CAST(value AS NUMERIC) AS value,
				   CAST(numerator AS NUMERIC) AS numerator, CAST(denominator AS NUMERIC) AS denominator FROM measurement_base
				 UNION ALL SELECT 'K-2', 'STO', '2025-08-01', 'NaN', NULL, NULL`,
			},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-08-01")`,
			reason: []string{"value: NaN is not a finite number"}, indicator: "K-2",
		},
		{
			name:  "infinite due date",
			only:  Postgres,
			exec:  []string{`UPDATE change_action SET due_date = 'infinity' WHERE id = 'T-2'`},
			table: "change_action", key: `"T-2"`, reason: []string{"due_date: malformed date", "infinity"},
		},
		{
			name: "malformed text period in a view",
			only: Postgres,
			exec: []string{
				"ALTER TABLE measurement RENAME TO measurement_base",
				`CREATE VIEW measurement AS SELECT indicator_id, org_unit_id, to_char(period, 'YYYY-MM-DD') AS period,
				   value, numerator, denominator FROM measurement_base
				 UNION ALL SELECT 'K-2', 'STO', '01.08.2025', 1, NULL, NULL`,
			},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "01.08.2025")`,
			reason: []string{"period: malformed date", "01.08.2025"}, indicator: "K-2",
		},
		{
			name:  "absurd magnitude",
			exec:  []string{`UPDATE measurement SET value = -1e300 WHERE indicator_id = 'K-2' AND period = '2025-07-01'`},
			table: "measurement", key: `(indicator_id "K-2", org_unit_id "STO", period "2025-07-01")`,
			reason: []string{"value: -1e+300 is beyond the plausible bound ±1e+12"}, indicator: "K-2",
		},
		{
			name:  "NULL id",
			exec:  unionView("person", `SELECT NULL, 'Uten Id', 'uten.id@example.no', NULL`),
			table: "person", key: `(id NULL, name "Uten Id")`, reason: []string{"id is NULL"},
		},
		{
			name:  "NULL measurement key",
			exec:  unionView("measurement", `SELECT 'K-1', NULL, '2025-08-01', NULL, 1, 2`),
			table: "measurement", key: `(indicator_id "K-1", org_unit_id NULL, period "2025-08-01")`,
			reason: []string{"org_unit_id is NULL"}, indicator: "K-1",
		},
		{
			name:  "NULL ambition target",
			exec:  unionView("indicator_ambition", `SELECT 'K-2', 2026, NULL, NULL, NULL, NULL, NULL`),
			table: "indicator_ambition", key: `(indicator_id "K-2", year 2026)`, reason: []string{"target_value is NULL"}, indicator: "K-2",
		},
		{
			name:  "unknown frequency",
			exec:  unionView("indicator", `SELECT 'K-3', 'G-012', 'Ukentlig', '', 'up', 'sum', 'week', 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL`),
			table: "indicator", key: `"K-3"`, reason: []string{`frequency "week" is not month, quarter or year`}, indicator: "K-3",
		},
		{
			name:  "decimals out of bounds",
			exec:  []string{`UPDATE indicator SET decimals = 400 WHERE id = 'K-2'`},
			table: "indicator", key: `"K-2"`, reason: []string{"decimals 400 is outside 0 to 9"}, indicator: "K-2",
		},
		{
			name:  "comment period not first of month",
			exec:  []string{`INSERT INTO commentary (benefit_id, indicator_id, period, text) VALUES ('G-012', 'K-1', '2025-09-30', 'Sent')`},
			table: "commentary", key: `(benefit_id "G-012", indicator_id "K-1", period "2025-09-30")`,
			reason: []string{"period 2025-09-30 is not the first day of a month"}, indicator: "K-1",
		},
		{
			name:  "comment without benefit in a view",
			exec:  unionView("commentary", `SELECT NULL, '', '2025-09-01', NULL, 'Hvem?', NULL`),
			table: "commentary", key: `(benefit_id NULL, indicator_id "", period "2025-09-01")`,
			reason: []string{"benefit_id is NULL"},
		},
		{
			name:  "malformed written_on",
			only:  SQLite,
			exec:  []string{`UPDATE commentary SET written_on = '3. oktober' WHERE indicator_id = 'K-1'`},
			table: "commentary", key: `(benefit_id "G-012", indicator_id "K-1", period "2025-09-01")`,
			reason: []string{"written_on: malformed date"}, indicator: "K-1",
		},
		{
			name:   "an id with control characters is quoted",
			exec:   unionView("measurement", "SELECT 'K-1\n\x1b[2J', 'STO', '2025-08-01', NULL, 'x', 2"),
			pgExec: textNumbersView("SELECT 'K-1\n\x1b[2J', 'STO', '2025-08-01', NULL, 'x', '2'"),
			table:  "measurement", key: `(indicator_id "K-1\n\x1b[2J", org_unit_id "STO", period "2025-08-01")`,
			reason: []string{`numerator: text "x" in a number column`}, indicator: "K-1\n\x1b[2J",
		},
	}
	for _, b := range backends() {
		for _, tt := range tests {
			if tt.only != "" && tt.only != b.dialect {
				continue
			}
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				db := withSchema(t, b, nil)
				want := sampleRegister()
				if err := WriteRegister(ctx, db, b.dialect, want); err != nil {
					t.Fatal(err)
				}
				exec := tt.exec
				if b.dialect == Postgres && tt.pgExec != nil {
					exec = tt.pgExec
				}
				for _, s := range exec {
					if _, err := db.ExecContext(ctx, s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
				reg, err := Load(ctx, db, b.dialect)
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if len(reg.Skipped) != 1 {
					t.Fatalf("skipped %d rows, want 1: %+v", len(reg.Skipped), reg.Skipped)
				}
				got := reg.Skipped[0]
				if got.Table != tt.table || got.Key != tt.key || got.IndicatorID != tt.indicator {
					t.Errorf("skipped %s %s (indicator %q), want %s %s (indicator %q)", got.Table, got.Key, got.IndicatorID, tt.table, tt.key, tt.indicator)
				}
				for _, w := range tt.reason {
					if !strings.Contains(got.Reason, w) {
						t.Errorf("reason %q lacks %q", got.Reason, w)
					}
				}
				if strings.ContainsAny(got.Key+got.Reason, "\n\x1b") {
					t.Errorf("finding text holds a raw control character: %q", got.Key+got.Reason)
				}
				if tt.table != "measurement" && len(reg.Measurements) != others {
					t.Errorf("loaded %d measurements, want all %d", len(reg.Measurements), others)
				}
				if len(reg.Units) != len(want.Units) || len(reg.Benefits) != len(want.Benefits) || len(reg.Holders) != len(want.Holders) {
					t.Errorf("other tables lost rows: %d units, %d benefits, %d holders", len(reg.Units), len(reg.Benefits), len(reg.Holders))
				}
			})
		}
	}
}

func TestLoadMissingTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		if _, err := db.ExecContext(ctx, `DROP TABLE change_action`); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(ctx, db, b.dialect); err == nil || !strings.Contains(err.Error(), "load change_action") {
			t.Errorf("Load without change_action: %v, want a load change_action error", err)
		}
	})
}

// TestLoadWithoutCommentary loads a register kept without the optional
// commentary table: no error, no comments, and AbsentOptional names it.
func TestLoadWithoutCommentary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		in := sampleRegister()
		in.Comments = nil
		if err := WriteRegister(ctx, db, b.dialect, in); err != nil {
			t.Fatal(err)
		}
		if absent, err := AbsentOptional(ctx, db, b.dialect); err != nil || len(absent) != 0 {
			t.Fatalf("AbsentOptional with the table = %v, %v; want none", absent, err)
		}
		if _, err := db.ExecContext(ctx, `DROP TABLE commentary`); err != nil {
			t.Fatal(err)
		}
		got, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatalf("Load without commentary: %v", err)
		}
		if d := diffRegister(sorted(in), got); d != "" {
			t.Errorf("Load without commentary differs:\n%s", d)
		}
		absent, err := AbsentOptional(ctx, db, b.dialect)
		if err != nil || !slices.Equal(absent, []string{"commentary"}) {
			t.Errorf("AbsentOptional = %v, %v; want [commentary]", absent, err)
		}
	})
}

// TestLoadDefaultsAndNulls inserts rows with only the required columns and
// checks the contract defaults and NULL mapping.
func TestLoadDefaultsAndNulls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		for _, s := range []string{
			`INSERT INTO benefit (id, title, category, org_unit_id, owner_id) VALUES ('G-1', 'T', 'savings', 'HMN', 'p1')`,
			`INSERT INTO indicator (id, benefit_id, name, unit, direction, aggregation) VALUES ('K-1', 'G-1', 'N', '', 'up', 'sum')`,
			`INSERT INTO measurement (indicator_id, org_unit_id, period) VALUES ('K-1', 'HMN', '2025-02-01')`,
		} {
			if _, err := db.ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		got, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatal(err)
		}
		want := &register.Register{
			Benefits: []register.Benefit{{ID: "G-1", Title: "T", Category: register.Savings, OrgUnitID: "HMN", OwnerID: "p1", Phase: register.PhaseRealise}},
			Indicators: []register.Indicator{{ID: "K-1", BenefitID: "G-1", Name: "N", Direction: register.Up,
				Aggregation: register.Sum, Frequency: register.Monthly, Decimals: 1}},
			Measurements: []register.Measurement{{IndicatorID: "K-1", OrgUnitID: "HMN", Period: register.MonthOf(2025, time.February)}},
		}
		if d := diffRegister(want, got); d != "" {
			t.Errorf("defaults:\n%s", d)
		}
	})
}

// TestLoadViewNulls reads views that yield NULL where the tables have
// defaults or NOT NULL: text becomes "", and the contract defaults apply.
func TestLoadViewNulls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		for _, s := range []string{
			`DROP TABLE benefit`,
			`CREATE VIEW benefit AS SELECT 'G-1' AS id, NULL AS title, NULL AS description, NULL AS category,
				   'HMN' AS org_unit_id, 'p1' AS owner_id, NULL AS phase, NULL AS counted_in_benefit_id`,
			`DROP TABLE indicator`,
			`CREATE VIEW indicator AS SELECT 'K-1' AS id, 'G-1' AS benefit_id, NULL AS name, NULL AS unit,
				   NULL AS direction, NULL AS aggregation, NULL AS frequency, NULL AS decimals, NULL AS scale,
				   NULL AS baseline_value, NULL AS baseline_period, NULL AS target_value, NULL AS target_date,
				   NULL AS min_denominator, NULL AS data_source`,
		} {
			if _, err := db.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if got := CheckContract(ctx, db, b.dialect); len(got) != 0 {
			t.Errorf("CheckContract with views = %v, want none", got)
		}
		got, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatal(err)
		}
		want := &register.Register{
			Benefits:   []register.Benefit{{ID: "G-1", OrgUnitID: "HMN", OwnerID: "p1", Phase: register.PhaseRealise}},
			Indicators: []register.Indicator{{ID: "K-1", BenefitID: "G-1", Frequency: register.Monthly, Decimals: 1}},
		}
		if d := diffRegister(want, got); d != "" {
			t.Errorf("views with NULLs:\n%s", d)
		}
	})
}

// TestLoadKeepsUnknownEnums checks that values outside the contract's enums
// (possible from views, which have no CHECK constraints) load unchanged,
// except an unknown frequency (TestLoadSkipsBadRows).
func TestLoadKeepsUnknownEnums(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		disable := []string{`PRAGMA ignore_check_constraints = ON`}
		switch b.dialect {
		case MySQL:
			disable = []string{`SET SESSION check_constraint_checks = OFF`}
		case Postgres:
			// No session setting turns CHECK constraints off.
			disable = []string{
				`ALTER TABLE org_unit DROP CONSTRAINT org_unit_kind_check`,
				`ALTER TABLE indicator DROP CONSTRAINT indicator_direction_check`,
				`ALTER TABLE indicator DROP CONSTRAINT indicator_aggregation_check`,
				`ALTER TABLE change_action DROP CONSTRAINT change_action_status_check`,
			}
		}
		for _, s := range append(disable,
			`INSERT INTO org_unit (id, name, kind) VALUES ('X', 'X', 'bydel')`,
			`INSERT INTO indicator (id, benefit_id, name, unit, direction, aggregation, frequency) VALUES ('K-1', 'G-1', 'N', '%', 'sideways', 'median', 'month')`,
			`INSERT INTO change_action (id, benefit_id, title, status) VALUES ('T-1', 'G-1', 'T', 'done')`,
		) {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		reg, err := Load(ctx, db, b.dialect)
		if err != nil {
			t.Fatalf("Load with unknown enum values: %v", err)
		}
		ind := reg.Indicators[0]
		if reg.Units[0].Kind != "bydel" || ind.Direction != "sideways" || ind.Aggregation != "median" || reg.Actions[0].Status != "done" {
			t.Errorf("unknown enums not kept: kind %q, direction %q, aggregation %q, status %q",
				reg.Units[0].Kind, ind.Direction, ind.Aggregation, reg.Actions[0].Status)
		}
	})
}

func TestCheckEnumsEnforced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	eachSchema(t, func(t *testing.T, b backend, db *sql.DB) {
		_, err := db.ExecContext(ctx, `INSERT INTO person (id, name, language) VALUES ('p', 'P', 'de')`)
		if err == nil {
			t.Errorf("inserting language 'de' succeeded, want a CHECK constraint violation")
		}
	})
}

func TestCheckContract(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name   string
		exec   []string
		pgExec []string // PostgreSQL's statements when they differ
		want   []Problem
	}{
		{name: "complete"},
		{
			name: "missing table",
			exec: []string{`DROP TABLE measurement`},
			want: []Problem{{Table: "measurement", Message: "table or view is missing"}},
		},
		{
			name: "the optional commentary table may be absent",
			exec: []string{`DROP TABLE commentary`},
		},
		{
			name: "an optional table that exists needs every column",
			exec: []string{`ALTER TABLE commentary DROP COLUMN written_on`},
			want: []Problem{{Table: "commentary", Column: "written_on", Message: "column is missing"}},
		},
		{
			name: "missing columns",
			exec: []string{`ALTER TABLE change_action DROP COLUMN note`, `ALTER TABLE indicator DROP COLUMN min_denominator`},
			want: []Problem{
				{Table: "indicator", Column: "min_denominator", Message: "column is missing"},
				{Table: "change_action", Column: "note", Message: "column is missing"},
			},
		},
		{
			name: "view with upper-case columns is fine",
			exec: []string{
				`CREATE TABLE hr_people (ID VARCHAR(20), NAME VARCHAR(50), EMAIL VARCHAR(50), LANGUAGE VARCHAR(2))`,
				`DROP TABLE person`,
				`CREATE VIEW person AS SELECT ID, NAME, EMAIL, LANGUAGE FROM hr_people`,
			},
		},
		{
			name: "view over a dropped table",
			exec: []string{
				`CREATE TABLE hr_people (id VARCHAR(20), name VARCHAR(50), email VARCHAR(50), language VARCHAR(2))`,
				`DROP TABLE person`,
				`CREATE VIEW person AS SELECT id, name, email, language FROM hr_people`,
				`DROP TABLE hr_people`,
			},
			// PostgreSQL refuses to drop a table a view depends on; there a
			// view that fails when it runs stands in.
			pgExec: []string{
				`DROP TABLE person`,
				`CREATE VIEW person AS SELECT CAST(NULL AS TEXT) AS id, CAST(NULL AS TEXT) AS name, CAST(NULL AS TEXT) AS email,
				   CAST(NULL AS TEXT) AS language WHERE 1 / 0 = 1`,
			},
			want: []Problem{{Table: "person", Message: "cannot be read"}},
		},
	}
	for _, b := range backends() {
		for _, tt := range tests {
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				db := withSchema(t, b, nil)
				exec := tt.exec
				if b.dialect == Postgres && tt.pgExec != nil {
					exec = tt.pgExec
				}
				for _, s := range exec {
					if _, err := db.ExecContext(ctx, s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
				got := CheckContract(ctx, db, b.dialect)
				if len(got) != len(tt.want) {
					t.Fatalf("CheckContract = %v, want %v", got, tt.want)
				}
				for i := range got {
					if got[i].Table != tt.want[i].Table || got[i].Column != tt.want[i].Column || !strings.HasPrefix(got[i].Message, tt.want[i].Message) {
						t.Errorf("problem %d = %+v, want %+v", i, got[i], tt.want[i])
					}
				}
			})
		}
	}
}

// TestCheckContractDown checks a closed database is reported, not a panic.
func TestCheckContractDown(t *testing.T) {
	t.Parallel()
	db := freshSQLite(t, nil)
	db.Close()
	got := CheckContract(context.Background(), db, SQLite)
	if len(got) != len(contract()) || !strings.Contains(got[0].Message, "cannot be read") {
		t.Errorf("CheckContract on a closed database = %v, want one 'cannot be read' per table", got)
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    Problem
		want string
	}{
		{name: "column", p: Problem{Table: "indicator", Column: "scale", Message: "column is missing"}, want: "indicator.scale: column is missing"},
		{name: "table", p: Problem{Table: "person", Message: "table or view is missing"}, want: "person: table or view is missing"},
		{name: "database", p: Problem{Message: "unknown dialect"}, want: "unknown dialect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRedactDSN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "mysql", in: "gevinst:s3cret@tcp(db:3306)/gevinst?parseTime=true", want: "gevinst:***@tcp(db:3306)/gevinst?parseTime=true"},
		{name: "mysql password with @ and /", in: "u:p@ss/w@rd@tcp(db:3306)/g", want: "u:***@tcp(db:3306)/g"},
		{name: "mysql password with ?", in: "u:p?q@tcp(db)/g?tls=true", want: "u:***@tcp(db)/g?tls=true"},
		{name: "mysql without password", in: "root@tcp(127.0.0.1:3306)/gevinst_test?parseTime=true", want: "root@tcp(127.0.0.1:3306)/gevinst_test?parseTime=true"},
		{name: "mysql empty password", in: "root:@tcp(127.0.0.1:3306)/x", want: "root:***@tcp(127.0.0.1:3306)/x"},
		{name: "mysql unix socket", in: "u:pw@unix(/var/run/mysqld/mysqld.sock)/g", want: "u:***@unix(/var/run/mysqld/mysqld.sock)/g"},
		{name: "url", in: "mysql://gevinst:s3cret@db:3306/gevinst?parseTime=true", want: "mysql://gevinst:***@db:3306/gevinst?parseTime=true"},
		{name: "url with @ in password", in: "mysql://u:a@b@db/g", want: "mysql://u:***@db/g"},
		{name: "url without userinfo", in: "file:///var/lib/g/register.db?mode=ro", want: "file:///var/lib/g/register.db?mode=ro"},
		{name: "password parameter", in: "file:reg.db?_auth_user=a&_auth_pass=hemmelig&mode=ro", want: "file:reg.db?_auth_user=a&_auth_pass=***&mode=ro"},
		{name: "url password parameter", in: "postgres://db/g?user=u&password=hemmelig", want: "postgres://db/g?user=u&password=***"},
		{name: "postgres url", in: "postgres://gevinst:s3cret@db:5432/register?sslmode=verify-full", want: "postgres://gevinst:***@db:5432/register?sslmode=verify-full"},
		{name: "postgresql url, two hosts", in: "postgresql://u:s3cret@db1:5432,db2:5432/r?target_session_attrs=read-write", want: "postgresql://u:***@db1:5432,db2:5432/r?target_session_attrs=read-write"},
		{name: "postgres url sslpassword", in: "postgres://u@db/r?sslkey=/k.pem&sslpassword=hemmelig", want: "postgres://u@db/r?sslkey=/k.pem&sslpassword=***"},
		{name: "key=value", in: "host=db user=gevinst password=s3cret dbname=register", want: "host=db user=gevinst password=*** dbname=register"},
		{name: "key=value quoted", in: "host=db password = 'hemmelig \\' s3cret' dbname=r", want: "host=db password = *** dbname=r"},
		{name: "key=value sslpassword last", in: "host=/var/run/postgresql sslpassword=hemmelig", want: "host=/var/run/postgresql sslpassword=***"},
		{name: "key=value without password", in: "host=127.0.0.1 user=root dbname=test sslmode=disable", want: "host=127.0.0.1 user=root dbname=test sslmode=disable"},
		{name: "sqlite path", in: "/var/lib/gevinstrapport/register.db", want: "/var/lib/gevinstrapport/register.db"},
		{name: "memory", in: ":memory:", want: ":memory:"},
		{name: "malformed mysql", in: "u:s3cret@tcp(db:3306", want: "u:***@tcp(db:3306"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactDSN(tt.in)
			if got != tt.want {
				t.Errorf("RedactDSN(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, secret := range []string{"s3cret", "hemmelig", "p@ss", "w@rd"} {
				if strings.Contains(got, secret) {
					t.Errorf("RedactDSN(%q) = %q still shows %q", tt.in, got, secret)
				}
			}
		})
	}
}

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name       string
		dialect    Dialect
		dsn        string
		wantErr    []string
		notInError string
	}{
		{name: "unknown dialect", dialect: "oracle", dsn: "x", wantErr: []string{"unknown dialect"}},
		{name: "bad mysql dsn", dialect: MySQL, dsn: "u:topsecret@tcp(db:3306", wantErr: []string{"open mysql"}, notInError: "topsecret"},
		{name: "mysql refused", dialect: MySQL, dsn: "u:topsecret@tcp(127.0.0.1:1)/g?timeout=2s", wantErr: []string{"connect to mysql", "u:***@tcp(127.0.0.1:1)"}, notInError: "topsecret"},
		{name: "bad postgres dsn", dialect: Postgres, dsn: "postgres://u:topsecret@db:notaport/g", wantErr: []string{"open postgres", "u:***@db"}, notInError: "topsecret"},
		{name: "bad postgres key=value dsn", dialect: Postgres, dsn: "host=db password='topsecret", wantErr: []string{"open postgres", "invalid DSN"}, notInError: "topsecret"},
		{name: "postgres refused", dialect: Postgres, dsn: "postgres://u:topsecret@127.0.0.1:1/g?connect_timeout=2", wantErr: []string{"connect to postgres", "u:***@127.0.0.1:1"}, notInError: "topsecret"},
		{name: "sqlite missing dir", dialect: SQLite, dsn: filepath.Join(t.TempDir(), "no", "such", "dir", "r.db"), wantErr: []string{"connect to sqlite"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, tt.dialect, tt.dsn)
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded, want an error")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.notInError != "" && strings.Contains(err.Error(), tt.notInError) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestOpenSQLitePragmas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		dsn      string
		wantBusy int
	}{
		{name: "path", dsn: filepath.Join(t.TempDir(), "a.db"), wantBusy: sqliteBusyTimeoutMS},
		{name: "uri with query", dsn: "file:" + filepath.Join(t.TempDir(), "b.db") + "?mode=rwc", wantBusy: sqliteBusyTimeoutMS},
		{name: "memory", dsn: ":memory:", wantBusy: sqliteBusyTimeoutMS},
		{name: "own busy timeout", dsn: filepath.Join(t.TempDir(), "c.db") + "?_pragma=busy_timeout(1234)", wantBusy: 1234},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(ctx, SQLite, tt.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var fk, busy int
			if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if fk != 0 || busy != tt.wantBusy {
				t.Errorf("foreign_keys = %d, busy_timeout = %d; want 0 and %d", fk, busy, tt.wantBusy)
			}
			// The schema must survive across pool connections, even in memory.
			if err := CreateSchema(ctx, db, SQLite); err != nil {
				t.Fatal(err)
			}
			if got := CheckContract(ctx, db, SQLite); len(got) != 0 {
				t.Errorf("CheckContract = %v, want none", got)
			}
		})
	}
}

// generateRegister builds a register of units × indicators × months
// measurements, in key order.
func generateRegister(units, indicators, months int) *register.Register {
	reg := &register.Register{
		Units:    []register.OrgUnit{{ID: "HMN", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF}},
		People:   []register.Person{{ID: "p1", Name: "Kari Nordmann", Email: "kari@example.no"}},
		Benefits: []register.Benefit{{ID: "G-1", Title: "Gevinst", Category: register.Savings, OrgUnitID: "HMN", OwnerID: "p1", Phase: register.PhaseRealise}},
	}
	for u := range units {
		reg.Units = append(reg.Units, register.OrgUnit{ID: fmt.Sprintf("U%04d", u), Name: fmt.Sprintf("Enhet %d – Snåsa", u), Kind: register.KindKommune, ParentID: "HMN"})
	}
	start := register.MonthOf(2020, time.January)
	for i := range indicators {
		id := fmt.Sprintf("K-%03d", i)
		reg.Indicators = append(reg.Indicators, register.Indicator{ID: id, BenefitID: "G-1", Name: "Indikator " + id, Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselinePeriod: &start, TargetValue: register.F(30), TargetDate: day(2026, time.December, 31)})
		reg.Ambitions = append(reg.Ambitions, register.Ambition{IndicatorID: id, Year: 2025, Target: 10})
		for u := range units {
			for m := range months {
				reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: id, OrgUnitID: fmt.Sprintf("U%04d", u),
					Period: start.Add(m), Numerator: register.F(float64((u + m) % 50)), Denominator: register.F(float64(50 + i))})
			}
		}
	}
	return reg
}

// BenchmarkLoad loads a generated register of 100 800 measurements from SQLite.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	be := backend{name: "sqlite", dialect: SQLite, fresh: freshSQLite}
	db := withSchema(b, be, nil)
	reg := generateRegister(100, 21, 48)
	if err := WriteRegister(ctx, db, SQLite, reg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := Load(ctx, db, SQLite)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Measurements) != len(reg.Measurements) {
			b.Fatalf("loaded %d measurements, want %d", len(got.Measurements), len(reg.Measurements))
		}
	}
	b.ReportMetric(float64(len(reg.Measurements)), "measurements/op")
}

// BenchmarkWriteRegister writes the same generated register into a fresh SQLite file.
func BenchmarkWriteRegister(b *testing.B) {
	ctx := context.Background()
	be := backend{name: "sqlite", dialect: SQLite, fresh: freshSQLite}
	reg := generateRegister(100, 21, 48)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db := withSchema(b, be, nil)
		b.StartTimer()
		if err := WriteRegister(ctx, db, SQLite, reg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(reg.Measurements)), "measurements/op")
}

// TestNumColScan covers what drivers deliver for a number column.
func TestNumColScan(t *testing.T) {
	tests := []struct {
		name string
		src  any
		want float64
		null bool
		bad  string // part of the reason, "" when usable
	}{
		{name: "NULL", src: nil, null: true},
		{name: "float64", src: 12.5, want: 12.5},
		{name: "float32", src: float32(0.5), want: 0.5},
		{name: "int64", src: int64(-3), want: -3},
		{name: "uint64", src: uint64(7), want: 7},
		{name: "MySQL text", src: []byte("14.25"), want: 14.25},
		{name: "padded text", src: " 3 ", want: 3},
		{name: "text", src: "tre", bad: `text "tre" in a number column`},
		{name: "empty text", src: "", bad: `text "" in a number column`},
		{name: "NaN text", src: "NaN", bad: "NaN is not a finite number"},
		{name: "Inf text", src: []byte("-Infinity"), bad: "-Inf is not a finite number"},
		{name: "overflowing text", src: "1e999", bad: "+Inf is not a finite number"},
		{name: "beyond the bound", src: 1.5e12, bad: "1.5e+12 is beyond the plausible bound ±1e+12"},
		{name: "at the bound", src: -1e12, want: -1e12},
		{name: "a date", src: day(2025, 1, 1), bad: "is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c numCol
			if err := c.Scan(tt.src); err != nil {
				t.Fatalf("Scan returned %v; it must never fail", err)
			}
			switch {
			case tt.bad != "":
				if !strings.Contains(c.bad, tt.bad) {
					t.Errorf("reason %q, want %q", c.bad, tt.bad)
				}
			case c.bad != "" || c.null != tt.null || c.v != tt.want:
				t.Errorf("got %v (null %v, bad %q), want %v (null %v)", c.v, c.null, c.bad, tt.want, tt.null)
			}
		})
	}
}

// TestPostgresViewTypes reads views that deliver the contract's columns in
// other PostgreSQL types than the DDL's, as views over a warehouse do:
// NUMERIC and REAL numbers, BIGINT and NUMERIC integers, dates as text and
// as timestamps, ids as plain TEXT. The register loads unchanged.
func TestPostgresViewTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := backend{name: "postgres", dialect: Postgres, fresh: freshPostgres}
	db := withSchema(t, b, nil)
	in := sampleRegister()
	if err := WriteRegister(ctx, db, Postgres, in); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`ALTER TABLE measurement RENAME TO measurement_base`,
		`CREATE VIEW measurement AS SELECT CAST(indicator_id AS TEXT) AS indicator_id, org_unit_id,
		   to_char(period, 'YYYY-MM-DD') AS period, CAST(value AS NUMERIC(20, 6)) AS value,
		   CAST(numerator AS NUMERIC) AS numerator, CAST(denominator AS REAL) AS denominator FROM measurement_base`,
		`ALTER TABLE indicator RENAME TO indicator_base`,
		`CREATE VIEW indicator AS SELECT id, benefit_id, name, unit, direction, aggregation, frequency,
		   CAST(decimals AS BIGINT) AS decimals, CAST(scale AS NUMERIC) AS scale, baseline_value,
		   CAST(baseline_period AS TIMESTAMP) AS baseline_period, target_value,
		   CAST(target_date AS TIMESTAMP) AS target_date, min_denominator, data_source FROM indicator_base`,
		`ALTER TABLE indicator_ambition RENAME TO indicator_ambition_base`,
		`CREATE VIEW indicator_ambition AS SELECT indicator_id, CAST(year AS NUMERIC) AS year, target_value, red_limit,
		   green_limit, CAST(revised_on AS TEXT) AS revised_on, note FROM indicator_ambition_base`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if got := CheckContract(ctx, db, Postgres); len(got) != 0 {
		t.Errorf("CheckContract with typed views = %v, want none", got)
	}
	got, err := Load(ctx, db, Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffRegister(sorted(in), got); d != "" {
		t.Errorf("Load through typed views differs from the input:\n%s", d)
	}
}

func TestLoadQueryPostgres(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{
			in:   `SELECT id, name FROM org_unit ORDER BY id`,
			want: `SELECT id, name FROM org_unit ORDER BY CAST(id AS TEXT) COLLATE "C"`,
		},
		{
			in: `SELECT indicator_id, org_unit_id, CAST(period AS CHAR), value FROM measurement ORDER BY indicator_id, org_unit_id, period`,
			want: `SELECT indicator_id, org_unit_id, period, value FROM measurement ` +
				`ORDER BY CAST(indicator_id AS TEXT) COLLATE "C", CAST(org_unit_id AS TEXT) COLLATE "C", period`,
		},
		{
			in:   `SELECT indicator_id, year FROM indicator_ambition ORDER BY indicator_id, year`,
			want: `SELECT indicator_id, year FROM indicator_ambition ORDER BY CAST(indicator_id AS TEXT) COLLATE "C", year`,
		},
	}
	for _, tt := range tests {
		if got := loadQuery(Postgres, tt.in); got != tt.want {
			t.Errorf("loadQuery(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if got := loadQuery(MySQL, tt.in); got != tt.in {
			t.Errorf("loadQuery(MySQL) changed %q to %q", tt.in, got)
		}
	}
}

// TestPostgresLoadOrderIgnoresCollation loads views that yield their ids
// in a Norwegian ICU collation, which orders "a1" before "B2" and "Z"
// before "Æ" differently from bytes: the register still loads in byte
// order, as from SQLite.
func TestPostgresLoadOrderIgnoresCollation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := backend{name: "postgres", dialect: Postgres, fresh: freshPostgres}
	db := withSchema(t, b, nil)
	ids := []string{"Æ-1", "a1", "Z", "B2"}
	reg := &register.Register{}
	for _, id := range ids {
		reg.Units = append(reg.Units, register.OrgUnit{ID: id, Name: id, Kind: register.KindUnit})
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "K-1", OrgUnitID: id,
			Period: register.MonthOf(2025, time.September), Value: register.F(1)})
	}
	if err := WriteRegister(ctx, db, Postgres, reg); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`ALTER TABLE org_unit RENAME TO org_unit_base`,
		`CREATE VIEW org_unit AS SELECT CAST(id AS TEXT) COLLATE "nb-x-icu" AS id, name, kind, parent_id FROM org_unit_base`,
		`ALTER TABLE measurement RENAME TO measurement_base`,
		`CREATE VIEW measurement AS SELECT indicator_id, CAST(org_unit_id AS TEXT) COLLATE "nb-x-icu" AS org_unit_id,
		   period, value, numerator, denominator FROM measurement_base`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	var first string
	if err := db.QueryRowContext(ctx, `SELECT id FROM org_unit ORDER BY id LIMIT 1`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if first != "a1" {
		t.Fatalf("the view's collation puts %q first, want a1: the test would not tell the orders apart", first)
	}
	got, err := Load(ctx, db, Postgres)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"B2", "Z", "a1", "Æ-1"}
	var units, measured []string
	for _, u := range got.Units {
		units = append(units, u.ID)
	}
	for _, m := range got.Measurements {
		measured = append(measured, m.OrgUnitID)
	}
	if !slices.Equal(units, want) || !slices.Equal(measured, want) {
		t.Errorf("loaded units %q, measurements %q; want byte order %q", units, measured, want)
	}
}
