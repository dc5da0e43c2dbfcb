package main

import (
	"database/sql"
	"fmt"
	"math"
	"strings"
	"testing"

	"gevinstrapport/internal/output"
	"gevinstrapport/internal/store"
)

// scopeQuery lists a scope's units: the unit and everything below it, by a
// recursive query that SQLite, MariaDB and PostgreSQL all run.
const scopeQuery = `WITH RECURSIVE scope(id) AS (
	SELECT id FROM org_unit WHERE id = ?
	UNION ALL
	SELECT o.id FROM org_unit o JOIN scope s ON o.parent_id = s.id)
`

// Independent re-computations of SPEC §4 rules 1, 2 and 5 in SQL, one per
// aggregation; each returns the value (NULL for no data), the sum of
// denominators (ratio) and the number of rows.
const (
	oracleRatio = scopeQuery + `SELECT SUM(m.numerator) / SUM(m.denominator), SUM(m.denominator), COUNT(*)
	FROM measurement m JOIN scope s ON m.org_unit_id = s.id
	WHERE m.indicator_id = ? AND m.period = ? AND m.numerator IS NOT NULL AND m.denominator IS NOT NULL`
	oracleMean = scopeQuery + `SELECT AVG(m.value), 0, COUNT(*)
	FROM measurement m JOIN scope s ON m.org_unit_id = s.id
	WHERE m.indicator_id = ? AND m.period = ? AND m.value IS NOT NULL`
	// The year to date, from January up to the value period; no data when
	// the value period itself has none.
	oracleSumYTD = scopeQuery + `SELECT CASE WHEN SUM(CASE WHEN m.period = ? THEN 1 ELSE 0 END) > 0 THEN SUM(m.value) END, 0, COUNT(*)
	FROM measurement m JOIN scope s ON m.org_unit_id = s.id
	WHERE m.indicator_id = ? AND m.period >= ? AND m.period <= ? AND m.value IS NOT NULL`
	oracleIndicators = `SELECT id, aggregation, frequency, decimals, scale, unit, min_denominator FROM indicator`
)

type oracleIndicator struct {
	agg, freq, unit string
	decimals        int
	scale, minDen   sql.NullFloat64
}

// checkAgainstSQL recomputes every value in the owner manifest (each
// indicator for each recipient's scope, at 2025-09) straight from the
// database with SQL, and compares it with what the program judged.
func checkAgainstSQL(t *testing.T, db *sql.DB, d store.Dialect, m output.Manifest) {
	t.Helper()
	q := func(query string) string { return numbered(d, query) }
	inds := map[string]oracleIndicator{}
	rows, err := db.Query(oracleIndicators)
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	for rows.Next() {
		var id string
		var o oracleIndicator
		if err := rows.Scan(&id, &o.agg, &o.freq, &o.decimals, &o.scale, &o.unit, &o.minDen); err != nil {
			t.Fatalf("oracle: %v", err)
		}
		inds[id] = o
	}
	rows.Close()

	checked := 0
	for _, r := range m.Reports {
		for _, e := range r.Indicators {
			o := inds[e.IndicatorID]
			if o.agg == "sum" && o.minDen.Valid {
				continue // suppression of a year to date depends on every month's cell
			}
			periodStart := map[string]string{"month": "2025-09-01", "quarter": "2025-07-01", "year": "2025-01-01"}[o.freq]
			var v sql.NullFloat64
			var den sql.NullFloat64
			var n int
			switch o.agg {
			case "ratio":
				err = db.QueryRow(q(oracleRatio), e.Scope, e.IndicatorID, periodStart).Scan(&v, &den, &n)
			case "mean":
				err = db.QueryRow(q(oracleMean), e.Scope, e.IndicatorID, periodStart).Scan(&v, &den, &n)
			case "sum":
				err = db.QueryRow(q(oracleSumYTD), e.Scope, periodStart, e.IndicatorID, "2025-01-01", periodStart).Scan(&v, &den, &n)
			}
			if err != nil {
				t.Fatalf("oracle %s %s: %v", e.IndicatorID, e.Scope, err)
			}
			want := v
			if o.agg == "ratio" && v.Valid {
				scale := 1.0
				if o.unit == "%" {
					scale = 100
				}
				if o.scale.Valid {
					scale = o.scale.Float64
				}
				want.Float64 *= scale
			}
			suppressed := o.minDen.Valid && ((o.agg == "ratio" && den.Valid && den.Float64 < o.minDen.Float64) ||
				(o.agg != "ratio" && float64(n) < o.minDen.Float64))
			checked++
			switch {
			case !want.Valid || suppressed:
				if e.Value != nil {
					t.Errorf("%s for %s (%s): value %v, but SQL finds no data or a suppressed cell", e.IndicatorID, e.Scope, r.Recipient.ID, *e.Value)
				}
				if suppressed && e.Status != "suppressed" {
					t.Errorf("%s for %s: status %s, SQL says below min_denominator", e.IndicatorID, e.Scope, e.Status)
				}
			case e.Value == nil:
				t.Errorf("%s for %s (%s): no value, SQL finds %v", e.IndicatorID, e.Scope, r.Recipient.ID, want.Float64)
			default:
				p := math.Pow(10, float64(o.decimals))
				if got, w := *e.Value, math.Round(want.Float64*p)/p; math.Abs(got-w) > 1e-9 && !nearTie(want.Float64*p) {
					t.Errorf("%s for %s (%s, %s): value %v, SQL computes %v (rounded %v)", e.IndicatorID, e.Scope, r.Recipient.ID, o.agg, got, want.Float64, w)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("the oracle checked only %d values", checked)
	}
}

// nearTie reports whether x is within floating-point noise of a .5, where
// two correct roundings may differ.
func nearTie(x float64) bool {
	return math.Abs(math.Abs(x-math.Trunc(x))-0.5) < 1e-6
}

// numbered rewrites the ? placeholders of query to PostgreSQL's $1, $2, ...
// when d is PostgreSQL.
func numbered(d store.Dialect, query string) string {
	if d != store.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
