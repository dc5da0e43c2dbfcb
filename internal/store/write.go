package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// rowsPerInsert is how many rows one multi-row INSERT carries; it keeps the
// placeholder count well under both SQLite's and MySQL's limits.
const rowsPerInsert = 200

// WriteRegister inserts reg into the (empty) contract tables in one
// transaction, with prepared multi-row INSERTs. Empty strings of nullable
// text columns and zero dates are written as NULL; dates are written as
// 'YYYY-MM-DD' text, which SQLite keeps verbatim and MySQL reads as DATE.
func WriteRegister(ctx context.Context, db *sql.DB, d Dialect, reg *register.Register) (err error) {
	if !d.known() {
		return fmt.Errorf("write register: unknown dialect %q", d)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write register: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	inserts := []struct {
		table string
		cols  []string
		n     int
		row   func(i int) []any
	}{
		{tableOrgUnit, []string{"id", "name", "kind", "parent_id"}, len(reg.Units), func(i int) []any {
			u := &reg.Units[i]
			return []any{u.ID, u.Name, string(u.Kind), nullText(u.ParentID)}
		}},
		{tablePerson, []string{"id", "name", "email", "language"}, len(reg.People), func(i int) []any {
			p := &reg.People[i]
			return []any{p.ID, p.Name, nullText(p.Email), nullText(p.Language)}
		}},
		{tableBenefit, []string{"id", "title", "description", "category", "org_unit_id", "owner_id", "phase", "counted_in_benefit_id"}, len(reg.Benefits), func(i int) []any {
			b := &reg.Benefits[i]
			return []any{b.ID, b.Title, nullText(b.Description), string(b.Category), b.OrgUnitID, b.OwnerID, string(b.Phase), nullText(b.CountedInBenefitID)}
		}},
		{tableHolder, []string{"benefit_id", "org_unit_id", "person_id"}, len(reg.Holders), func(i int) []any {
			h := &reg.Holders[i]
			return []any{h.BenefitID, h.OrgUnitID, h.PersonID}
		}},
		{tableIndicator, []string{"id", "benefit_id", "name", "unit", "direction", "aggregation", "frequency", "decimals", "scale",
			"baseline_value", "baseline_period", "target_value", "target_date", "min_denominator", "data_source"}, len(reg.Indicators), func(i int) []any {
			ind := &reg.Indicators[i]
			var baselinePeriod any
			if ind.BaselinePeriod != nil {
				baselinePeriod = monthText(*ind.BaselinePeriod)
			}
			return []any{ind.ID, ind.BenefitID, ind.Name, ind.Unit, string(ind.Direction), string(ind.Aggregation), string(ind.Frequency),
				ind.Decimals, nullFloat(ind.Scale), nullFloat(ind.BaselineValue), baselinePeriod, nullFloat(ind.TargetValue),
				nullDateText(ind.TargetDate), nullFloat(ind.MinDenominator), nullText(ind.DataSource)}
		}},
		{tableAmbition, []string{"indicator_id", "year", "target_value", "red_limit", "green_limit", "revised_on", "note"}, len(reg.Ambitions), func(i int) []any {
			a := &reg.Ambitions[i]
			return []any{a.IndicatorID, a.Year, a.Target, nullFloat(a.RedLimit), nullFloat(a.GreenLimit), nullDateText(a.RevisedOn), nullText(a.Note)}
		}},
		{tableMeasure, []string{"indicator_id", "org_unit_id", "period", "value", "numerator", "denominator"}, len(reg.Measurements), func(i int) []any {
			m := &reg.Measurements[i]
			return []any{m.IndicatorID, m.OrgUnitID, monthText(m.Period), nullFloat(m.Value), nullFloat(m.Numerator), nullFloat(m.Denominator)}
		}},
		{tableChangeActn, []string{"id", "benefit_id", "title", "responsible", "due_date", "status", "completed_on", "note"}, len(reg.Actions), func(i int) []any {
			a := &reg.Actions[i]
			return []any{a.ID, a.BenefitID, a.Title, nullText(a.Responsible), nullDateText(a.DueDate), string(a.Status), nullDateText(a.CompletedOn), nullText(a.Note)}
		}},
		{tableCommentary, []string{"benefit_id", "indicator_id", "period", "author_id", "text", "written_on"}, len(reg.Comments), func(i int) []any {
			c := &reg.Comments[i]
			return []any{c.BenefitID, c.IndicatorID, monthText(c.Period), nullText(c.AuthorID), c.Text, nullDateText(c.WrittenOn)}
		}},
	}
	for _, in := range inserts {
		if err := insertRows(ctx, tx, d, in.table, in.cols, in.n, in.row); err != nil {
			return fmt.Errorf("write %s: %w", in.table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write register: commit: %w", err)
	}
	return nil
}

// insertRows inserts n rows into table with prepared multi-row INSERTs:
// one statement for full batches and one for the remainder.
func insertRows(ctx context.Context, tx *sql.Tx, d Dialect, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	batch := min(rowsPerInsert, n)
	full, err := tx.PrepareContext(ctx, insertSQL(d, table, cols, batch))
	if err != nil {
		return fmt.Errorf("prepare insert: %w", err)
	}
	defer full.Close()
	args := make([]any, 0, batch*len(cols))
	i := 0
	for ; i+batch <= n; i += batch {
		args = args[:0]
		for j := i; j < i+batch; j++ {
			args = append(args, row(j)...)
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert rows %d-%d: %w", i+1, i+batch, err)
		}
	}
	if rest := n - i; rest > 0 {
		args = args[:0]
		for j := i; j < n; j++ {
			args = append(args, row(j)...)
		}
		if _, err := tx.ExecContext(ctx, insertSQL(d, table, cols, rest), args...); err != nil {
			return fmt.Errorf("insert rows %d-%d: %w", i+1, n, err)
		}
	}
	return nil
}

// insertSQL builds "INSERT INTO table (cols) VALUES (?, ...), ..." for rows
// rows; PostgreSQL's placeholders are numbered ($1, $2, ...).
func insertSQL(d Dialect, table string, cols []string, rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
	n := 0
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			n++
			if d == Postgres {
				fmt.Fprintf(&b, "$%d", n)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func nullDateText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

func monthText(m register.Month) string {
	return m.FirstDay().Format(time.DateOnly)
}
