package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// Measurement queries of LoadWindow. The window's condition is built from
// placeholders only (periods and indicator ids; see dateArg); rows with a
// NULL key are always inside it, so they are read and reported as the full
// load does. They are written with ? placeholders (Rebind numbers them for
// PostgreSQL) and pass through loadQuery.
const (
	queryWindowRows = `SELECT indicator_id, org_unit_id, CAST(period AS CHAR), value, numerator, denominator
FROM measurement WHERE %s ORDER BY indicator_id, org_unit_id, period`
	// queryOutside sums up the rows outside the window per indicator and
	// unit: the database aggregates, the program gets one row per pair.
	queryOutside = `SELECT indicator_id, org_unit_id, COUNT(*), COUNT(DISTINCT period), MAX(CAST(period AS CHAR)),
  SUM(CASE WHEN %[2]s THEN 1 ELSE 0 END),
  SUM(CASE WHEN value IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN numerator IS NULL OR denominator IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN numerator < 0 OR denominator <= 0 OR numerator > denominator THEN 1 ELSE 0 END),
  SUM(CASE WHEN %[3]s NOT IN (1, 4, 7, 10) THEN 1 ELSE 0 END),
  SUM(CASE WHEN %[3]s <> 1 THEN 1 ELSE 0 END)
FROM measurement WHERE NOT (%[1]s) GROUP BY indicator_id, org_unit_id`
)

// suspectRow is, per dialect, the condition for a row that the load would
// skip or Check would report whatever its indicator: an odd type or date,
// a time of day, an implausible number, a period not yet begun (the one
// placeholder). monthOf is the calendar month of period as a number.
var suspectRow = map[Dialect]struct{ cond, monthOf string }{
	SQLite: {
		cond: `typeof(period) <> 'text' OR period NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-01'
  OR substr(period, 6, 2) NOT BETWEEN '01' AND '12'
  OR typeof(value) NOT IN ('integer', 'real', 'null') OR typeof(numerator) NOT IN ('integer', 'real', 'null')
  OR typeof(denominator) NOT IN ('integer', 'real', 'null')
  OR ABS(value) > 1e12 OR ABS(numerator) > 1e12 OR ABS(denominator) > 1e12 OR period >= ?`,
		monthOf: `CAST(substr(period, 6, 2) AS INTEGER)`,
	},
	MySQL: {
		cond: `DAYOFMONTH(period) <> 1 OR period < '1000-01-01'
  OR ABS(value) > 1e12 OR ABS(numerator) > 1e12 OR ABS(denominator) > 1e12 OR period >= ?`,
		monthOf: `MONTH(period)`,
	},
	Postgres: {
		cond: `EXTRACT(DAY FROM period) <> 1
  OR ABS(value) > 1e12 OR ABS(numerator) > 1e12 OR ABS(denominator) > 1e12 OR period >= ?`,
		monthOf: `EXTRACT(MONTH FROM period)`,
	},
}

// typedColumns counts, per server dialect, the measurement columns whose
// type could hold a bad value the window's SQL would not see (text in a
// number column, a period that is not a DATE).
var typedColumns = map[Dialect]string{
	MySQL: `SELECT COUNT(*) FROM information_schema.columns
WHERE table_schema = DATABASE() AND table_name = 'measurement'
  AND ((column_name IN ('value', 'numerator', 'denominator') AND data_type NOT IN ('double', 'float', 'decimal', 'int', 'bigint', 'smallint', 'tinyint', 'mediumint'))
    OR (column_name = 'period' AND data_type <> 'date'))`,
	Postgres: `SELECT COUNT(*) FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = 'measurement'
  AND ((column_name IN ('value', 'numerator', 'denominator') AND data_type NOT IN ('double precision', 'real', 'numeric', 'integer', 'bigint', 'smallint'))
    OR (column_name = 'period' AND data_type <> 'date'))`,
}

// LoadWindow reads the register as Load does, but of the measurement table
// only the rows inside w (see register.Window) and, whole, the indicators
// register.NeedsHistory names; the rest is summed up by the database, one
// row per indicator and unit, and kept in the register's Unread. The
// figures and findings of a run inside w are the same as after Load.
// today is the run's date (zero: no check for periods not yet begun).
func LoadWindow(ctx context.Context, db *sql.DB, d Dialect, w register.Window, today time.Time) (*register.Register, error) {
	sus, ok := suspectRow[d]
	if !ok {
		return nil, fmt.Errorf("load register: unknown dialect %q", d)
	}
	future := dateArg(d, register.MonthOf(9999, time.December))
	if !today.IsZero() {
		future = dateArg(d, register.MonthFromTime(today).Add(1))
	}
	if q, ok := typedColumns[d]; ok {
		var untyped int
		if err := db.QueryRowContext(ctx, q).Scan(&untyped); err != nil {
			return nil, fmt.Errorf("load measurement: column types: %w", err)
		}
		if untyped > 0 {
			return Load(ctx, db, d) // text may hide in its columns: read it all, as the load must judge every row
		}
	}
	query := func(format string, a ...any) string { return Rebind(d, loadQuery(d, fmt.Sprintf(format, a...))) }
	return load(ctx, db, d, func(ctx context.Context, l *loader) error {
		skipped := len(l.reg.Skipped)
		cond, args := windowCond(d, l.reg.Indicators, w, nil)
		// The database sums up the rows outside the window on a second
		// connection while the window's rows are read.
		var outside []register.Outside
		done := make(chan error, 1)
		go func() {
			scan := func(rows *sql.Rows) error {
				o, err := scanOutside(rows)
				outside = append(outside, o)
				return err
			}
			q := query(queryOutside, cond, sus.cond, sus.monthOf)
			done <- queryEach(ctx, db, q, scan, append([]any{future}, args...)...)
		}()
		err := queryEach(ctx, db, query(queryWindowRows, cond), l.scanMeasurement, args...)
		if oerr := <-done; err == nil && oerr != nil {
			err = fmt.Errorf("sum up rows outside the window: %w", oerr)
		}
		if err != nil {
			return err
		}
		need := register.NeedsHistory(l.reg, outside, w)
		if !need.Empty() {
			ok, err := readWhole(ctx, db, d, l, skipped, w, need)
			if err != nil {
				return err
			}
			if !ok {
				// Read again with those indicators whole in one ordered query.
				l.reg.Measurements, l.reg.Skipped = nil, l.reg.Skipped[:skipped]
				cond, args = windowCond(d, l.reg.Indicators, w, need.Indicators())
				if err := queryEach(ctx, db, query(queryWindowRows, cond), l.scanMeasurement, args...); err != nil {
					return err
				}
			}
		}
		l.reg.Unread = unread(outside, need)
		return nil
	})
}

// Queries of readWhole: the rows of the indicators a run needs beyond the
// window (historyCond), and every indicator id of the measurement table in
// the database's order.
const (
	queryWholeRows = `SELECT indicator_id, org_unit_id, CAST(period AS CHAR), value, numerator, denominator
FROM measurement WHERE %s ORDER BY indicator_id, org_unit_id, period`
	queryIndicatorOrder = `SELECT indicator_id FROM measurement WHERE indicator_id IS NOT NULL GROUP BY indicator_id ORDER BY indicator_id`
)

// readWhole replaces the window's rows of the indicators whole (sorted ids)
// with all their rows, and puts every indicator's rows (and skipped rows)
// in the order the database gives the ids, so that the result is what a
// full load holds: the rows of one indicator in one ordered run, and the
// runs in the order of a full load. skipped is where the measurement
// table's skipped rows start. It returns false, leaving the caller to read
// again, when ids cannot be told apart by their runs: an empty id (a
// skipped row's id is "" for NULL too), or ids the database's collation
// holds equal (one of them missing from its list of ids).
func readWhole(ctx context.Context, db *sql.DB, d Dialect, l *loader, skipped int, w register.Window, need register.History) (bool, error) {
	whole := need.Indicators()
	if slices.Contains(whole, "") {
		return false, nil
	}
	type run struct {
		rows []register.Measurement
		skip []register.SkippedRow
	}
	runs := map[string]*run{}
	at := func(id string) *run {
		if runs[id] == nil {
			runs[id] = &run{}
		}
		return runs[id]
	}
	var nullIDs []register.SkippedRow // rows without indicator_id: always inside the window
	split := func(ms []register.Measurement, sk []register.SkippedRow, keep func(string) bool) {
		for _, m := range ms {
			if keep(m.IndicatorID) {
				at(m.IndicatorID).rows = append(at(m.IndicatorID).rows, m)
			}
		}
		for _, r := range sk {
			switch {
			case r.IndicatorID == "":
				nullIDs = append(nullIDs, r)
			case keep(r.IndicatorID):
				at(r.IndicatorID).skip = append(at(r.IndicatorID).skip, r)
			}
		}
	}
	isWhole := func(id string) bool { _, ok := slices.BinarySearch(whole, id); return ok }
	split(l.reg.Measurements, l.reg.Skipped[skipped:], func(id string) bool { return !isWhole(id) })
	windowNull := len(nullIDs)
	l.reg.Measurements, l.reg.Skipped = nil, l.reg.Skipped[:skipped]
	cond, args := historyCond(d, l.reg.Indicators, w, need)
	q := Rebind(d, loadQuery(d, fmt.Sprintf(queryWholeRows, cond)))
	if err := queryEach(ctx, db, q, l.scanMeasurement, args...); err != nil {
		return false, err
	}
	split(l.reg.Measurements, l.reg.Skipped[skipped:], isWhole)
	nullIDs = nullIDs[:windowNull] // an empty id read whole is also "": keep the window's NULL rows only once
	l.reg.Measurements, l.reg.Skipped = nil, l.reg.Skipped[:skipped]
	var order []string
	err := queryEach(ctx, db, loadQuery(d, queryIndicatorOrder), func(rows *sql.Rows) error {
		var id textCol
		if err := rows.Scan(&id); err != nil {
			return err
		}
		order = append(order, id.s)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("order of indicator ids: %w", err)
	}
	rows, skips := 0, len(nullIDs)
	for _, r := range runs {
		rows, skips = rows+len(r.rows), skips+len(r.skip)
	}
	if d != Postgres { // NULL sorts first in SQLite and MySQL, last in PostgreSQL
		l.reg.Skipped = append(l.reg.Skipped, nullIDs...)
	}
	for _, id := range order {
		if r := runs[id]; r != nil {
			l.reg.Measurements = append(l.reg.Measurements, r.rows...)
			l.reg.Skipped = append(l.reg.Skipped, r.skip...)
		}
	}
	if d == Postgres {
		l.reg.Skipped = append(l.reg.Skipped, nullIDs...)
	}
	return len(l.reg.Measurements) == rows && len(l.reg.Skipped) == skipped+skips, nil
}

// historyCond is the condition for all rows of the indicators need names:
// the whole indicators, and for the others the window's rows and every row
// of the units named.
func historyCond(d Dialect, inds []register.Indicator, w register.Window, need register.History) (string, []any) {
	var terms []string
	var args []any
	if len(need.Whole) > 0 {
		terms = append(terms, "indicator_id IN ("+placeholders(len(need.Whole))+")")
		for _, id := range need.Whole {
			args = append(args, id)
		}
	}
	if len(need.Units) > 0 {
		ids := slices.Sorted(maps.Keys(need.Units))
		win, winArgs := windowCond(d, inds, w, nil)
		units := make([]string, 0, len(ids))
		var unitArgs []any
		for _, id := range ids {
			units = append(units, "(indicator_id = ? AND org_unit_id IN ("+placeholders(len(need.Units[id]))+"))")
			unitArgs = append(unitArgs, id)
			for _, u := range need.Units[id] {
				unitArgs = append(unitArgs, u)
			}
		}
		terms = append(terms, "(indicator_id IN ("+placeholders(len(ids))+") AND ("+win+" OR "+strings.Join(units, " OR ")+"))")
		for _, id := range ids {
			args = append(args, id)
		}
		args = append(append(args, winArgs...), unitArgs...)
	}
	return strings.Join(terms, " OR "), args
}

// windowCond is the SQL condition for the rows inside w, with its
// arguments: every indicator's months from its frequency's start through
// w.To, its baseline year, and the indicators in whole.
func windowCond(d Dialect, inds []register.Indicator, w register.Window, whole []string) (string, []any) {
	end := dateArg(d, w.To.Add(1))
	terms := []string{"indicator_id IS NULL OR org_unit_id IS NULL OR period IS NULL", "(period >= ? AND period < ?)"}
	args := []any{dateArg(d, w.FromFor(register.Monthly)), end}
	byRange := map[[2]register.Month][]string{}
	var order [][2]register.Month
	add := func(from, to register.Month, id string) {
		k := [2]register.Month{from, to}
		if _, ok := byRange[k]; !ok {
			order = append(order, k)
		}
		byRange[k] = append(byRange[k], id)
	}
	for i := range inds {
		ind := &inds[i]
		if from := w.FromFor(ind.Frequency); from != w.FromFor(register.Monthly) {
			add(from, w.To, ind.ID)
		}
		if from, to, ok := register.BaselineRange(ind); ok {
			add(from, to, ind.ID)
		}
	}
	for _, k := range order {
		ids := byRange[k]
		terms = append(terms, "(period >= ? AND period < ? AND indicator_id IN ("+placeholders(len(ids))+"))")
		args = append(args, dateArg(d, k[0]), dateArg(d, k[1].Add(1)))
		for _, id := range ids {
			args = append(args, id)
		}
	}
	if len(whole) > 0 {
		terms = append(terms, "indicator_id IN ("+placeholders(len(whole))+")")
		for _, id := range whole {
			args = append(args, id)
		}
	}
	return strings.Join(terms, " OR "), args
}

// WindowCondition is the SQL condition (with ? placeholders) and its
// arguments for the rows of the indicators inds inside w, as LoadWindow
// first reads them; the bench runs its GROUP BY reference over it.
func WindowCondition(d Dialect, inds []register.Indicator, w register.Window) (string, []any) {
	return windowCond(d, inds, w, nil)
}

// dateArg is the first day of m as a query argument: 'YYYY-MM-DD' text,
// which SQLite compares as text and MySQL converts to a DATE; a time.Time
// for PostgreSQL, whose driver binds it as a date.
func dateArg(d Dialect, m register.Month) any {
	if d == Postgres {
		return m.FirstDay()
	}
	return monthText(m)
}

// Rebind numbers the ? placeholders of query for PostgreSQL ($1, $2, ...);
// a ? inside a quoted literal is left alone. Other dialects take it as is.
func Rebind(d Dialect, query string) string {
	if d != Postgres {
		return query
	}
	var b strings.Builder
	n, quoted := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// scanOutside reads one row of queryOutside.
func scanOutside(rows *sql.Rows) (register.Outside, error) {
	var o register.Outside
	var ind, unit textCol
	var latest nullDate
	var suspect, nullValue, nullNumDen, badNumDen, notQuarter, notJan sql.NullInt64
	if err := rows.Scan(&ind, &unit, &o.Rows, &o.DistinctPeriods, &latest, &suspect, &nullValue, &nullNumDen,
		&badNumDen, &notQuarter, &notJan); err != nil {
		return o, err
	}
	o.IndicatorID, o.OrgUnitID = ind.s, unit.s
	o.Suspect, o.NullValue, o.NullNumDen = int(suspect.Int64), int(nullValue.Int64), int(nullNumDen.Int64)
	o.BadNumDen, o.NotQuarterStart, o.NotJanuary = int(badNumDen.Int64), int(notQuarter.Int64), int(notJan.Int64)
	if !latest.Valid {
		o.Suspect++ // a latest period that cannot be read: read the rows and let the load say why
	} else {
		o.Latest = register.MonthFromTime(latest.Time)
	}
	return o, nil
}

// unread sums up the rows left unread: those of the groups whose
// indicator or unit was not read beyond the window.
func unread(outside []register.Outside, need register.History) register.UnreadRows {
	var u register.UnreadRows
	for _, o := range outside {
		if slices.Contains(need.Whole, o.IndicatorID) || slices.Contains(need.Units[o.IndicatorID], o.OrgUnitID) {
			continue
		}
		if u.Rows == 0 || o.Latest > u.Latest {
			u.Latest = o.Latest
		}
		u.Rows += o.Rows
	}
	return u
}
