package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// Queries of Load: one per table, in key order so a load is deterministic.
// Dates are read as text (CAST ... AS CHAR works in MySQL and SQLite; see
// loadQuery for PostgreSQL), so the
// result does not depend on the driver's time parsing or MySQL's parseTime;
// the casts carry no alias, so ORDER BY still names the stored columns.
const (
	queryOrgUnits = `SELECT id, name, kind, parent_id FROM org_unit ORDER BY id`
	queryPeople   = `SELECT id, name, email, language FROM person ORDER BY id`
	queryBenefits = `SELECT id, title, description, category, org_unit_id, owner_id, phase, counted_in_benefit_id
FROM benefit ORDER BY id`
	queryHolders    = `SELECT benefit_id, org_unit_id, person_id FROM benefit_holder ORDER BY benefit_id, org_unit_id, person_id`
	queryIndicators = `SELECT id, benefit_id, name, unit, direction, aggregation, frequency, decimals, scale,
  baseline_value, CAST(baseline_period AS CHAR), target_value, CAST(target_date AS CHAR), min_denominator, data_source
FROM indicator ORDER BY id`
	queryAmbitions = `SELECT indicator_id, year, target_value, red_limit, green_limit, CAST(revised_on AS CHAR), note
FROM indicator_ambition ORDER BY indicator_id, year`
	queryMeasurements = `SELECT indicator_id, org_unit_id, CAST(period AS CHAR), value, numerator, denominator
FROM measurement ORDER BY indicator_id, org_unit_id, period`
	queryActions = `SELECT id, benefit_id, title, responsible, CAST(due_date AS CHAR), status, CAST(completed_on AS CHAR), note
FROM change_action ORDER BY id`
	queryComments = `SELECT benefit_id, indicator_id, CAST(period AS CHAR), author_id, text, CAST(written_on AS CHAR)
FROM commentary ORDER BY benefit_id, indicator_id, period`
)

// Defaults of the contract, applied when a view yields NULL where a table
// would have used the column default.
const (
	defaultDecimals  = 1
	defaultFrequency = register.Monthly
	defaultPhase     = register.PhaseRealise
)

// Load reads the whole data contract with one query per table, row by row.
// A row that cannot be read (a NULL key or required value, text in a number
// column, a non-finite or implausible number, a malformed date, a period
// not on the first day of a month, an unknown frequency) is left out and
// listed in the register's Skipped rows, so one bad row never stops the
// others. An optional table (commentary) that does not exist is read as
// empty. Other unknown enum values are kept (Check and the evaluation
// report them). Only a failing query is an error.
func Load(ctx context.Context, db *sql.DB, d Dialect) (*register.Register, error) {
	return load(ctx, db, d, func(ctx context.Context, l *loader) error {
		return queryEach(ctx, db, loadQuery(d, queryMeasurements), l.scanMeasurement)
	})
}

// load reads every table of the contract in order, the measurement table
// with readMeasurements.
func load(ctx context.Context, db *sql.DB, d Dialect, readMeasurements func(context.Context, *loader) error) (*register.Register, error) {
	if !d.known() {
		return nil, fmt.Errorf("load register: unknown dialect %q", d)
	}
	l := &loader{reg: &register.Register{}, ids: map[string]string{}}
	each := func(query string, scan func(*sql.Rows) error) func(context.Context, *loader) error {
		return func(ctx context.Context, _ *loader) error { return queryEach(ctx, db, loadQuery(d, query), scan) }
	}
	steps := []struct {
		table string
		read  func(context.Context, *loader) error
	}{
		{tableOrgUnit, each(queryOrgUnits, l.scanOrgUnit)},
		{tablePerson, each(queryPeople, l.scanPerson)},
		{tableBenefit, each(queryBenefits, l.scanBenefit)},
		{tableHolder, each(queryHolders, l.scanHolder)},
		{tableIndicator, each(queryIndicators, l.scanIndicator)},
		{tableAmbition, each(queryAmbitions, l.scanAmbition)},
		{tableMeasure, readMeasurements},
		{tableChangeActn, each(queryActions, l.scanAction)},
		{tableCommentary, each(queryComments, l.scanComment)},
	}
	optional := map[string]bool{}
	for _, t := range contract() {
		optional[t.name] = t.optional
	}
	for _, s := range steps {
		if optional[s.table] {
			ok, err := tableExists(ctx, db, d, s.table)
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", s.table, err)
			}
			if !ok {
				continue
			}
		}
		if err := s.read(ctx, l); err != nil {
			return nil, fmt.Errorf("load %s: %w", s.table, err)
		}
	}
	return l.reg, nil
}

// castToChar matches the date casts of the load queries.
var castToChar = regexp.MustCompile(`CAST\((\w+) AS CHAR\)`)

// loadQuery adapts a load query to d. PostgreSQL reads CAST(x AS CHAR) as
// a cast to char(1), and pgx delivers a DATE column as a time.Time without
// going through the session's DateStyle, so there the casts are dropped;
// a view that yields text in a date column still arrives as text.
//
// The ids a query orders by are compared byte for byte (COLLATE "C"), as
// in SQLite and MySQL's utf8mb4_bin, also when a view yields them in the
// database's own collation (nb_NO puts "a1" before "B2"): a register then
// loads in the same order on every database. For the contract's tables,
// whose ids are COLLATE "C" already, the primary key index still serves.
func loadQuery(d Dialect, query string) string {
	if d != Postgres {
		return query
	}
	query = castToChar.ReplaceAllString(query, "$1")
	head, order, ok := strings.Cut(query, " ORDER BY ")
	if !ok {
		return query
	}
	cols := strings.Split(order, ", ")
	for i, c := range cols {
		if c == "id" || strings.HasSuffix(c, "_id") {
			cols[i] = "CAST(" + c + ` AS TEXT) COLLATE "C"`
		}
	}
	return head + " ORDER BY " + strings.Join(cols, ", ")
}

// loader holds the state of one Load: the register being filled, shared
// copies of repeated ids, and a slab for nullable numbers, which keeps a
// large load to a few allocations per measurement.
type loader struct {
	reg    *register.Register
	ids    map[string]string
	floats []float64
}

// float returns a pointer to a copy of v in a slab that is never reallocated.
func (l *loader) float(v float64) *float64 {
	if len(l.floats) == cap(l.floats) {
		l.floats = make([]float64, 0, 4096)
	}
	l.floats = append(l.floats, v)
	return &l.floats[len(l.floats)-1]
}

// skip records a row that cannot be read.
func (l *loader) skip(table, key, id, indicatorID string, rc *rowCheck) {
	l.reg.Skipped = append(l.reg.Skipped, register.SkippedRow{
		Table: table, Key: key, ID: id, IndicatorID: indicatorID, Reason: rc.reason(),
	})
}

// singleKey prints the key of a table keyed by one id; a NULL id is shown
// with a describing column so the row can still be found.
func singleKey(id *textCol, col string, describe *textCol) string {
	if !id.null {
		return id.quoted()
	}
	return fmt.Sprintf("(id NULL, %s %s)", col, describe.quoted())
}

// definedID is the id a row defines, "" when NULL.
func definedID(id *textCol) string {
	if id.null {
		return ""
	}
	return id.s
}

// queryEach runs query with args and calls scan once per row.
func queryEach(ctx context.Context, db *sql.DB, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (l *loader) scanOrgUnit(rows *sql.Rows) error {
	var id, name, kind, parent textCol
	if err := rows.Scan(&id, &name, &kind, &parent); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("id", id.null)
	if !rc.ok() {
		l.skip(tableOrgUnit, singleKey(&id, "name", &name), definedID(&id), "", &rc)
		return nil
	}
	l.reg.Units = append(l.reg.Units, register.OrgUnit{ID: id.s, Name: name.s, Kind: register.OrgKind(kind.s), ParentID: parent.s})
	return nil
}

func (l *loader) scanPerson(rows *sql.Rows) error {
	var id, name, email, lang textCol
	if err := rows.Scan(&id, &name, &email, &lang); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("id", id.null)
	if !rc.ok() {
		l.skip(tablePerson, singleKey(&id, "name", &name), definedID(&id), "", &rc)
		return nil
	}
	l.reg.People = append(l.reg.People, register.Person{ID: id.s, Name: name.s, Email: email.s, Language: lang.s})
	return nil
}

func (l *loader) scanBenefit(rows *sql.Rows) error {
	var id, title, desc, category, unit, owner, phase, countedIn textCol
	if err := rows.Scan(&id, &title, &desc, &category, &unit, &owner, &phase, &countedIn); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("id", id.null)
	rc.required("org_unit_id", unit.null)
	rc.required("owner_id", owner.null)
	if !rc.ok() {
		l.skip(tableBenefit, singleKey(&id, "title", &title), definedID(&id), "", &rc)
		return nil
	}
	b := register.Benefit{ID: id.s, Title: title.s, Description: desc.s, Category: register.Category(category.s),
		OrgUnitID: unit.s, OwnerID: owner.s, Phase: register.Phase(phase.s), CountedInBenefitID: countedIn.s}
	if phase.null {
		b.Phase = defaultPhase
	}
	l.reg.Benefits = append(l.reg.Benefits, b)
	return nil
}

func (l *loader) scanHolder(rows *sql.Rows) error {
	var benefit, unit, person textCol
	if err := rows.Scan(&benefit, &unit, &person); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("benefit_id", benefit.null)
	rc.required("org_unit_id", unit.null)
	rc.required("person_id", person.null)
	if !rc.ok() {
		key := fmt.Sprintf("(benefit_id %s, org_unit_id %s, person_id %s)", benefit.quoted(), unit.quoted(), person.quoted())
		l.skip(tableHolder, key, "", "", &rc)
		return nil
	}
	l.reg.Holders = append(l.reg.Holders, register.Holder{BenefitID: benefit.s, OrgUnitID: unit.s, PersonID: person.s})
	return nil
}

func (l *loader) scanIndicator(rows *sql.Rows) error {
	var id, benefit, name, unit, direction, aggregation, frequency, dataSource textCol
	var decimals intCol
	var scale, baseline, target, minDen numCol
	var baselinePeriod, targetDate nullDate
	if err := rows.Scan(&id, &benefit, &name, &unit, &direction, &aggregation, &frequency,
		&decimals, &scale, &baseline, &baselinePeriod, &target, &targetDate, &minDen, &dataSource); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("id", id.null)
	rc.required("benefit_id", benefit.null)
	if f := register.Frequency(frequency.s); !frequency.null && !f.Valid() {
		rc.add("frequency %q is not month, quarter or year", frequency.s)
	}
	rc.int("decimals", &decimals)
	if !decimals.null && decimals.bad == "" && (decimals.n < register.MinDecimals || decimals.n > register.MaxDecimals) {
		rc.add("decimals %d is outside %d to %d", decimals.n, register.MinDecimals, register.MaxDecimals)
	}
	rc.num("scale", &scale)
	rc.num("baseline_value", &baseline)
	rc.num("target_value", &target)
	rc.num("min_denominator", &minDen)
	rc.date("baseline_period", &baselinePeriod, true)
	rc.date("target_date", &targetDate, false)
	if !rc.ok() {
		l.skip(tableIndicator, singleKey(&id, "name", &name), definedID(&id), definedID(&id), &rc)
		return nil
	}
	ind := register.Indicator{ID: id.s, BenefitID: benefit.s, Name: name.s, Unit: unit.s, DataSource: dataSource.s,
		Direction: register.Direction(direction.s), Aggregation: register.Aggregation(aggregation.s),
		Frequency: register.Frequency(frequency.s), Decimals: decimals.n,
		Scale: scale.ptr(l), BaselineValue: baseline.ptr(l), TargetValue: target.ptr(l), MinDenominator: minDen.ptr(l),
		TargetDate: targetDate.Time}
	if frequency.null {
		ind.Frequency = defaultFrequency
	}
	if decimals.null {
		ind.Decimals = defaultDecimals
	}
	if baselinePeriod.Valid {
		m := register.MonthFromTime(baselinePeriod.Time)
		ind.BaselinePeriod = &m
	}
	l.reg.Indicators = append(l.reg.Indicators, ind)
	return nil
}

func (l *loader) scanAmbition(rows *sql.Rows) error {
	var indicator, note textCol
	var year intCol
	var target, red, green numCol
	var revised nullDate
	if err := rows.Scan(&indicator, &year, &target, &red, &green, &revised, &note); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("indicator_id", indicator.null)
	rc.required("year", year.null)
	rc.int("year", &year)
	rc.required("target_value", target.null)
	rc.num("target_value", &target)
	rc.num("red_limit", &red)
	rc.num("green_limit", &green)
	rc.date("revised_on", &revised, false)
	if !rc.ok() {
		yearText := "NULL"
		if !year.null && year.bad == "" {
			yearText = fmt.Sprint(year.n)
		}
		key := fmt.Sprintf("(indicator_id %s, year %s)", indicator.quoted(), yearText)
		l.skip(tableAmbition, key, "", definedID(&indicator), &rc)
		return nil
	}
	l.reg.Ambitions = append(l.reg.Ambitions, register.Ambition{IndicatorID: indicator.s, Year: year.n, Target: target.v,
		RedLimit: red.ptr(l), GreenLimit: green.ptr(l), RevisedOn: revised.Time, Note: note.s})
	return nil
}

func (l *loader) scanMeasurement(rows *sql.Rows) error {
	indicator, unit := textCol{intern: l.ids}, textCol{intern: l.ids}
	var period nullDate
	var value, num, den numCol
	if err := rows.Scan(&indicator, &unit, &period, &value, &num, &den); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("indicator_id", indicator.null)
	rc.required("org_unit_id", unit.null)
	rc.required("period", !period.Valid && period.err == nil)
	rc.date("period", &period, true)
	rc.num("value", &value)
	rc.num("numerator", &num)
	rc.num("denominator", &den)
	if !rc.ok() {
		key := fmt.Sprintf("(indicator_id %s, org_unit_id %s, period %s)", indicator.quoted(), unit.quoted(), quotedDate(&period))
		l.skip(tableMeasure, key, "", definedID(&indicator), &rc)
		return nil
	}
	l.reg.Measurements = append(l.reg.Measurements, register.Measurement{
		IndicatorID: indicator.s, OrgUnitID: unit.s, Period: register.MonthFromTime(period.Time),
		Value: value.ptr(l), Numerator: num.ptr(l), Denominator: den.ptr(l),
	})
	return nil
}

func (l *loader) scanAction(rows *sql.Rows) error {
	var id, benefit, title, responsible, status, note textCol
	var due, completed nullDate
	if err := rows.Scan(&id, &benefit, &title, &responsible, &due, &status, &completed, &note); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("id", id.null)
	rc.required("benefit_id", benefit.null)
	rc.date("due_date", &due, false)
	rc.date("completed_on", &completed, false)
	if !rc.ok() {
		l.skip(tableChangeActn, singleKey(&id, "title", &title), definedID(&id), "", &rc)
		return nil
	}
	l.reg.Actions = append(l.reg.Actions, register.ChangeAction{ID: id.s, BenefitID: benefit.s, Title: title.s,
		Responsible: responsible.s, DueDate: due.Time, Status: register.ActionStatus(status.s),
		CompletedOn: completed.Time, Note: note.s})
	return nil
}

func (l *loader) scanComment(rows *sql.Rows) error {
	var benefit, indicator, author, text textCol
	var period, written nullDate
	if err := rows.Scan(&benefit, &indicator, &period, &author, &text, &written); err != nil {
		return err
	}
	var rc rowCheck
	rc.required("benefit_id", benefit.null)
	rc.required("period", !period.Valid && period.err == nil)
	rc.date("period", &period, true)
	rc.date("written_on", &written, false)
	if !rc.ok() {
		key := fmt.Sprintf("(benefit_id %s, indicator_id %s, period %s)", benefit.quoted(), indicator.quoted(), quotedDate(&period))
		l.skip(tableCommentary, key, "", definedID(&indicator), &rc)
		return nil
	}
	// A NULL indicator_id (a view without the column default) is a comment
	// on the whole benefit; NULL text reads as empty, which Check reports.
	l.reg.Comments = append(l.reg.Comments, register.Comment{BenefitID: benefit.s, IndicatorID: indicator.s,
		Period: register.MonthFromTime(period.Time), AuthorID: author.s, Text: text.s, WrittenOn: written.Time})
	return nil
}

// nullDate scans a DATE column whatever the driver delivers: time.Time
// (go-sql-driver with parseTime=true, modernc for DATE columns), []byte
// (go-sql-driver without parseTime) or string (SQLite TEXT). A value that
// cannot be read as a date is kept in err, so the caller can name the row.
type nullDate struct {
	Time  time.Time // midnight UTC of the date; zero when NULL
	Valid bool
	raw   string
	err   error
}

// Scan implements sql.Scanner.
func (d *nullDate) Scan(src any) error {
	*d = nullDate{}
	switch v := src.(type) {
	case nil:
	case time.Time:
		if !v.IsZero() {
			d.set(v)
		}
	case []byte:
		d.parse(string(v))
	case string:
		d.parse(v)
	default:
		d.raw = fmt.Sprint(src)
		d.err = fmt.Errorf("date %v has unsupported type %T", src, src)
	}
	return nil
}

// set keeps t's calendar date (in t's own location) as midnight UTC.
func (d *nullDate) set(t time.Time) {
	y, m, day := t.Date()
	d.Time, d.Valid = time.Date(y, m, day, 0, 0, 0, 0, time.UTC), true
	d.raw = d.Time.Format(time.DateOnly)
}

// parse reads "YYYY-MM-DD", optionally followed by a time of day, which is
// ignored. MySQL's zero date "0000-00-00" counts as NULL.
func (d *nullDate) parse(s string) {
	d.raw = s
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0000-00-00") {
		return
	}
	datePart := s
	if len(s) > len(time.DateOnly) && (s[len(time.DateOnly)] == ' ' || s[len(time.DateOnly)] == 'T') {
		datePart = s[:len(time.DateOnly)]
	}
	t, err := time.Parse(time.DateOnly, datePart)
	if err != nil {
		d.err = fmt.Errorf("malformed date %q (want YYYY-MM-DD)", d.raw)
		return
	}
	d.set(t)
}
