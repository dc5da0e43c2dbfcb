package store

import (
	"context"
	"database/sql"
	"fmt"
)

// ReplaceTables empties each table of tables and inserts its rows, all in
// one transaction: either every table is replaced or none is. Tables not
// named are left alone. Each table must be a contract table and its
// columns contract columns.
func ReplaceTables(ctx context.Context, db *sql.DB, d Dialect, tables []TableRows) (err error) {
	if !d.known() {
		return fmt.Errorf("replace tables: unknown dialect %q", d)
	}
	if err := checkTableRows(tables); err != nil {
		return fmt.Errorf("replace tables: %w", err)
	}
	l := &bulkTx{db: db, d: d}
	if err := l.begin(ctx); err != nil {
		return fmt.Errorf("replace tables: %w", err)
	}
	defer func() {
		if err != nil {
			l.rollback()
		}
	}()
	for _, t := range tables {
		// The names were checked against the contract above, so they are
		// not user text in the statement.
		if _, err := l.tx.ExecContext(ctx, "DELETE FROM "+t.Table); err != nil {
			return fmt.Errorf("empty %s: %w", t.Table, err)
		}
		if err := insertRows(ctx, l, t.Table, t.Columns, len(t.Rows), func(i int) []any { return t.Rows[i] }); err != nil {
			return fmt.Errorf("write %s: %w", t.Table, err)
		}
	}
	if err := l.commit(); err != nil {
		return fmt.Errorf("replace tables: %w", err)
	}
	return nil
}

// checkTableRows makes sure every table and column is in the contract and
// every row has one value per column.
func checkTableRows(tables []TableRows) error {
	specs := map[string]TableSpec{}
	for _, t := range Contract() {
		specs[t.Name] = t
	}
	for _, t := range tables {
		spec, ok := specs[t.Table]
		if !ok {
			return fmt.Errorf("%q is not a table of the data contract", t.Table)
		}
		for _, c := range t.Columns {
			if _, ok := spec.Column(c); !ok {
				return fmt.Errorf("%s: %q is not a column of the data contract", t.Table, c)
			}
		}
		for i, r := range t.Rows {
			if len(r) != len(t.Columns) {
				return fmt.Errorf("%s: row %d has %d values for %d columns", t.Table, i+1, len(r), len(t.Columns))
			}
		}
	}
	return nil
}
