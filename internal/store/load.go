package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// Queries of Load: one per table, in key order so a load is deterministic.
// Dates are read as text (CAST ... AS CHAR works in both dialects), so the
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
)

// Defaults of the contract, applied when a view yields NULL where a table
// would have used the column default.
const (
	defaultDecimals  = 1
	defaultFrequency = register.Monthly
	defaultPhase     = register.PhaseRealise
)

// Load reads the whole data contract with one query per table. Unknown enum
// values are kept as they are (the evaluation reports them); malformed dates
// and periods that do not start a month are errors.
func Load(ctx context.Context, db *sql.DB, d Dialect) (*register.Register, error) {
	if d != MySQL && d != SQLite {
		return nil, fmt.Errorf("load register: unknown dialect %q", d)
	}
	l := &loader{reg: &register.Register{}, ids: map[string]string{}}
	reg := l.reg
	steps := []struct {
		table string
		query string
		scan  func(*sql.Rows) error
	}{
		{tableOrgUnit, queryOrgUnits, func(r *sql.Rows) error { return l.scanOrgUnit(r) }},
		{tablePerson, queryPeople, func(r *sql.Rows) error { return l.scanPerson(r) }},
		{tableBenefit, queryBenefits, func(r *sql.Rows) error { return l.scanBenefit(r) }},
		{tableHolder, queryHolders, func(r *sql.Rows) error { return l.scanHolder(r) }},
		{tableIndicator, queryIndicators, func(r *sql.Rows) error { return l.scanIndicator(r) }},
		{tableAmbition, queryAmbitions, func(r *sql.Rows) error { return l.scanAmbition(r) }},
		{tableMeasure, queryMeasurements, func(r *sql.Rows) error { return l.scanMeasurement(r) }},
		{tableChangeActn, queryActions, func(r *sql.Rows) error { return l.scanAction(r) }},
	}
	for _, s := range steps {
		if err := queryEach(ctx, db, s.query, s.scan); err != nil {
			return nil, fmt.Errorf("load %s: %w", s.table, err)
		}
	}
	return reg, nil
}

// loader holds the state of one Load: the register being filled, shared
// copies of repeated ids, and a slab for nullable numbers, which keeps a
// large load to a few allocations per measurement.
type loader struct {
	reg    *register.Register
	ids    map[string]string
	floats []float64
}

// id returns a shared copy of the id in b.
func (l *loader) id(b []byte) string {
	if s, ok := l.ids[string(b)]; ok {
		return s
	}
	s := string(b)
	l.ids[s] = s
	return s
}

// float returns a pointer to n's value, nil when NULL; pointers point into
// slabs that are never reallocated.
func (l *loader) float(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	if len(l.floats) == cap(l.floats) {
		l.floats = make([]float64, 0, 4096)
	}
	l.floats = append(l.floats, n.Float64)
	return &l.floats[len(l.floats)-1]
}

// queryEach runs query and calls scan once per row.
func queryEach(ctx context.Context, db *sql.DB, query string, scan func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, query)
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
	reg := l.reg
	var u register.OrgUnit
	var name, kind, parent sql.NullString
	if err := rows.Scan(&u.ID, &name, &kind, &parent); err != nil {
		return err
	}
	u.Name, u.Kind, u.ParentID = name.String, register.OrgKind(kind.String), parent.String
	reg.Units = append(reg.Units, u)
	return nil
}

func (l *loader) scanPerson(rows *sql.Rows) error {
	reg := l.reg
	var p register.Person
	var name, email, lang sql.NullString
	if err := rows.Scan(&p.ID, &name, &email, &lang); err != nil {
		return err
	}
	p.Name, p.Email, p.Language = name.String, email.String, lang.String
	reg.People = append(reg.People, p)
	return nil
}

func (l *loader) scanBenefit(rows *sql.Rows) error {
	reg := l.reg
	var b register.Benefit
	var title, desc, category, phase, countedIn sql.NullString
	if err := rows.Scan(&b.ID, &title, &desc, &category, &b.OrgUnitID, &b.OwnerID, &phase, &countedIn); err != nil {
		return err
	}
	b.Title, b.Description, b.Category, b.CountedInBenefitID = title.String, desc.String, register.Category(category.String), countedIn.String
	b.Phase = register.Phase(phase.String)
	if !phase.Valid {
		b.Phase = defaultPhase
	}
	reg.Benefits = append(reg.Benefits, b)
	return nil
}

func (l *loader) scanHolder(rows *sql.Rows) error {
	reg := l.reg
	var h register.Holder
	if err := rows.Scan(&h.BenefitID, &h.OrgUnitID, &h.PersonID); err != nil {
		return err
	}
	reg.Holders = append(reg.Holders, h)
	return nil
}

func (l *loader) scanIndicator(rows *sql.Rows) error {
	reg := l.reg
	var ind register.Indicator
	var name, unit, direction, aggregation, frequency, dataSource sql.NullString
	var decimals sql.NullInt64
	var scale, baseline, target, minDen sql.NullFloat64
	var baselinePeriod, targetDate nullDate
	if err := rows.Scan(&ind.ID, &ind.BenefitID, &name, &unit, &direction, &aggregation, &frequency,
		&decimals, &scale, &baseline, &baselinePeriod, &target, &targetDate, &minDen, &dataSource); err != nil {
		return err
	}
	ind.Name, ind.Unit, ind.DataSource = name.String, unit.String, dataSource.String
	ind.Direction, ind.Aggregation = register.Direction(direction.String), register.Aggregation(aggregation.String)
	ind.Frequency = register.Frequency(frequency.String)
	if !frequency.Valid {
		ind.Frequency = defaultFrequency
	}
	ind.Decimals = defaultDecimals
	if decimals.Valid {
		ind.Decimals = int(decimals.Int64)
	}
	ind.Scale, ind.BaselineValue = l.float(scale), l.float(baseline)
	ind.TargetValue, ind.MinDenominator = l.float(target), l.float(minDen)
	if baselinePeriod.Valid || baselinePeriod.err != nil {
		m, err := baselinePeriod.month()
		if err != nil {
			return fmt.Errorf("indicator %q: baseline_period: %w", ind.ID, err)
		}
		ind.BaselinePeriod = &m
	}
	if targetDate.err != nil {
		return fmt.Errorf("indicator %q: target_date: %w", ind.ID, targetDate.err)
	}
	ind.TargetDate = targetDate.Time
	reg.Indicators = append(reg.Indicators, ind)
	return nil
}

func (l *loader) scanAmbition(rows *sql.Rows) error {
	reg := l.reg
	var a register.Ambition
	var year int64
	var red, green sql.NullFloat64
	var revised nullDate
	var note sql.NullString
	if err := rows.Scan(&a.IndicatorID, &year, &a.Target, &red, &green, &revised, &note); err != nil {
		return err
	}
	if revised.err != nil {
		return fmt.Errorf("indicator %q, year %d: revised_on: %w", a.IndicatorID, year, revised.err)
	}
	a.Year, a.RedLimit, a.GreenLimit = int(year), l.float(red), l.float(green)
	a.RevisedOn, a.Note = revised.Time, note.String
	reg.Ambitions = append(reg.Ambitions, a)
	return nil
}

func (l *loader) scanMeasurement(rows *sql.Rows) error {
	reg := l.reg
	var m register.Measurement
	var indicatorID, unitID sql.RawBytes
	var period nullDate
	var value, num, den sql.NullFloat64
	if err := rows.Scan(&indicatorID, &unitID, &period, &value, &num, &den); err != nil {
		return err
	}
	m.IndicatorID, m.OrgUnitID = l.id(indicatorID), l.id(unitID)
	if period.err != nil {
		return fmt.Errorf("indicator %q, unit %q: period: %w", m.IndicatorID, m.OrgUnitID, period.err)
	}
	if !period.Valid {
		return fmt.Errorf("indicator %q, unit %q: period is NULL", m.IndicatorID, m.OrgUnitID)
	}
	p, err := period.month()
	if err != nil {
		return fmt.Errorf("indicator %q, unit %q: %w", m.IndicatorID, m.OrgUnitID, err)
	}
	m.Period, m.Value, m.Numerator, m.Denominator = p, l.float(value), l.float(num), l.float(den)
	reg.Measurements = append(reg.Measurements, m)
	return nil
}

func (l *loader) scanAction(rows *sql.Rows) error {
	reg := l.reg
	var a register.ChangeAction
	var title, responsible, status, note sql.NullString
	var due, completed nullDate
	if err := rows.Scan(&a.ID, &a.BenefitID, &title, &responsible, &due, &status, &completed, &note); err != nil {
		return err
	}
	if due.err != nil {
		return fmt.Errorf("change action %q: due_date: %w", a.ID, due.err)
	}
	if completed.err != nil {
		return fmt.Errorf("change action %q: completed_on: %w", a.ID, completed.err)
	}
	a.Title, a.Responsible, a.Status, a.Note = title.String, responsible.String, register.ActionStatus(status.String), note.String
	a.DueDate, a.CompletedOn = due.Time, completed.Time
	reg.Actions = append(reg.Actions, a)
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

// month converts a scanned period to a Month, rejecting dates that are not
// the first day of a month.
func (d nullDate) month() (register.Month, error) {
	if d.err != nil {
		return 0, d.err
	}
	if d.Time.Day() != 1 {
		return 0, fmt.Errorf("period %s is not the first day of a month", d.raw)
	}
	return register.MonthFromTime(d.Time), nil
}
