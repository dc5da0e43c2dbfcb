package sheet

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// ErrNoSchema is returned when a database server lacks the tables of the
// data contract, which import does not create there.
var ErrNoSchema = errors.New("the database does not have the data contract's tables")

// Options say where and how an import goes.
type Options struct {
	Dialect  store.Dialect     // of the register database
	Period   register.Month    // the report period the checks are made for
	Settings register.Settings // as for check
	DryRun   bool              // only check
	Force    bool              // write the rows without errors even when there are errors
}

// Result says what an import found and did.
type Result struct {
	Errors, Warnings int
	Rows             map[string]int // rows read per table of the file
	Written          map[string]int // rows written per table; nil when nothing was written
}

// Import reads the workbook or CSV folder at path, checks it as `check`
// would (merged with the tables of db that the file does not have) and,
// when there are no errors (or Force is set) and not DryRun, replaces the
// file's tables in db in one transaction. Findings and a summary go to
// out. db may be nil for an SQLite register that does not exist yet (a
// dry run does not create it).
func Import(ctx context.Context, db *sql.DB, path string, opt Options, out io.Writer) (Result, error) {
	res := Result{Rows: map[string]int{}}
	if db == nil && !opt.DryRun {
		return res, errors.New("import: no register database to write to")
	}
	sheets, err := readBook(path)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	tables, findings := readTables(sheets)
	if len(tables) == 0 {
		findings = append(findings, Finding{Severity: register.SeverityError,
			Message: fmt.Sprintf("%s has no sheet named after a table of the data contract", path)})
	}
	byName := map[string]*table{}
	inFile := map[string]bool{}
	var rows []store.TableRows
	for _, t := range tables {
		byName[t.spec.Name], inFile[t.spec.Name] = t, true
		res.Rows[t.spec.Name] = len(t.rows)
		rows = append(rows, t.storable())
	}
	slices.SortStableFunc(rows, func(a, b store.TableRows) int { return cmp.Compare(byName[a.Table].order, byName[b.Table].order) })
	dbReg, err := targetRegister(ctx, db, opt, inFile)
	if err != nil {
		return res, err
	}
	fileReg, err := loadRows(ctx, rows)
	if err != nil {
		return res, err
	}
	merged := merge(dbReg, fileReg, inFile, leftOut(tables))
	findings = append(findings, danglingRefs(byName, knownIDs(byName, dbReg))...)
	notes, err := checkRegister(merged, opt)
	if err != nil {
		return res, err
	}
	froms := rowFroms(byName)
	for _, n := range notes {
		if !covered(n, inFile) {
			findings = append(findings, placeNote(n, froms, byName))
		}
	}
	res.Errors, res.Warnings = report(out, findings)
	return res, finish(ctx, db, opt, rows, &res, out)
}

// finish writes the rows when the findings and options allow it, and says
// what was done.
func finish(ctx context.Context, db *sql.DB, opt Options, rows []store.TableRows, res *Result, out io.Writer) error {
	for _, tr := range rows {
		n := res.Rows[tr.Table]
		fmt.Fprintf(out, "%s: %d row(s) read", tr.Table, n)
		if len(tr.Rows) != n {
			fmt.Fprintf(out, ", %d without errors", len(tr.Rows))
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "%d error(s), %d warning(s)\n", res.Errors, res.Warnings)
	switch {
	case opt.DryRun:
		fmt.Fprintln(out, "dry run: nothing written")
		return nil
	case res.Errors > 0 && !opt.Force:
		fmt.Fprintln(out, "nothing written: fix the errors above (or import with --force to write the rows without errors)")
		return nil
	}
	var write []store.TableRows
	for _, tr := range rows {
		if len(tr.Rows) > 0 || res.Rows[tr.Table] == 0 {
			write = append(write, tr)
		} else {
			fmt.Fprintf(out, "%s: left as it is in the database (no row of the sheet can be written)\n", tr.Table)
		}
	}
	if err := store.ReplaceTables(ctx, db, opt.Dialect, write); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	res.Written = map[string]int{}
	var parts []string
	for _, tr := range write {
		res.Written[tr.Table] = len(tr.Rows)
		parts = append(parts, fmt.Sprintf("%s %d", tr.Table, len(tr.Rows)))
	}
	fmt.Fprintf(out, "written (each table replaced, in one transaction): %s\n", strings.Join(parts, ", "))
	return nil
}

// report prints the findings, those of the file in sheet, row and column
// order first, and counts them.
func report(out io.Writer, findings []Finding) (errs, warnings int) {
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return slices.Compare(a.order[:], b.order[:])
	})
	for _, f := range findings {
		fmt.Fprintf(out, "%s: %s\n", f.Severity, strings.ReplaceAll(f.String(), "\n", " "))
		if f.Severity == register.SeverityError {
			errs++
		} else {
			warnings++
		}
	}
	return errs, warnings
}

// targetRegister prepares the register database and reads what it holds:
// on SQLite it creates the contract's tables when they are missing (a dry
// run treats a register without them as empty); on a server they must
// exist, the commentary table too when the file has it.
func targetRegister(ctx context.Context, db *sql.DB, opt Options, inFile map[string]bool) (*register.Register, error) {
	if db == nil {
		return &register.Register{}, nil
	}
	if opt.Dialect == store.SQLite && !opt.DryRun {
		if err := store.CreateSchema(ctx, db, opt.Dialect); err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	problems := store.CheckContract(ctx, db, opt.Dialect)
	if len(problems) > 0 && opt.Dialect == store.SQLite && opt.DryRun {
		return &register.Register{}, nil
	}
	absent, err := store.AbsentOptional(ctx, db, opt.Dialect)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	for _, t := range absent {
		if inFile[t] {
			problems = append(problems, store.Problem{Table: t, Message: "table is missing"})
		}
	}
	if len(problems) > 0 {
		var lines []string
		for _, p := range problems {
			lines = append(lines, p.String())
		}
		return nil, fmt.Errorf("import: %w (%s); create them first: gevinstrapport schema --dialect %s, run with the database's own client",
			ErrNoSchema, strings.Join(lines, "; "), opt.Dialect)
	}
	reg, err := store.Load(ctx, db, opt.Dialect)
	if err != nil {
		return nil, fmt.Errorf("import: read the register: %w", err)
	}
	return reg, nil
}

// loadRows reads rows into a register the way the job reads a database:
// through an in-memory SQLite register and store.Load, so the file means
// exactly what the same rows in SQL mean.
func loadRows(ctx context.Context, rows []store.TableRows) (*register.Register, error) {
	mem, err := store.Open(ctx, store.SQLite, ":memory:")
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer mem.Close()
	if err := store.CreateSchema(ctx, mem, store.SQLite); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if err := store.ReplaceTables(ctx, mem, store.SQLite, rows); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	reg, err := store.Load(ctx, mem, store.SQLite)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return reg, nil
}

// leftOut lists the rows with errors as rows the load skipped, so that
// register.Check does not report references to them again.
func leftOut(tables []*table) []register.SkippedRow {
	var out []register.SkippedRow
	for _, t := range tables {
		id := t.index("id")
		for _, r := range t.rows {
			if !r.bad && !t.broken {
				continue
			}
			s := register.SkippedRow{Table: t.spec.Name, Key: fmt.Sprintf("%s%d", leftOutKey, r.line), Reason: "has errors"}
			if id >= 0 {
				s.ID = r.texts[id]
			}
			out = append(out, s)
		}
	}
	return out
}

// merge is the register the import would leave: the file's tables from
// file, the others from db.
func merge(db, file *register.Register, inFile map[string]bool, left []register.SkippedRow) *register.Register {
	m := *db
	pick := func(name string) bool { return inFile[name] }
	if pick("org_unit") {
		m.Units = file.Units
	}
	if pick("person") {
		m.People = file.People
	}
	if pick("benefit") {
		m.Benefits = file.Benefits
	}
	if pick("benefit_holder") {
		m.Holders = file.Holders
	}
	if pick("indicator") {
		m.Indicators = file.Indicators
	}
	if pick("indicator_ambition") {
		m.Ambitions = file.Ambitions
	}
	if pick("measurement") {
		m.Measurements = file.Measurements
	}
	if pick("change_action") {
		m.Actions = file.Actions
	}
	if pick("commentary") {
		m.Comments = file.Comments
	}
	m.Skipped = nil
	for _, s := range db.Skipped {
		if !inFile[s.Table] {
			m.Skipped = append(m.Skipped, s)
		}
	}
	m.Skipped = append(append(m.Skipped, file.Skipped...), left...)
	return &m
}

// checkRegister runs register.Check on reg.
func checkRegister(reg *register.Register, opt Options) ([]register.Note, error) {
	x, err := register.NewIndex(reg)
	if err != nil {
		return nil, fmt.Errorf("import: index register: %w", err)
	}
	return register.Check(x, opt.Period, opt.Settings), nil
}
