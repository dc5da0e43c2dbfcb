package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Problem is one way the database falls short of the data contract.
type Problem struct {
	Table   string // "" when the whole database is affected
	Column  string // "" when the whole table is affected
	Message string
}

// String formats p as "table.column: message".
func (p Problem) String() string {
	where := p.Table
	if p.Column != "" {
		where += "." + p.Column
	}
	if where == "" {
		return p.Message
	}
	return where + ": " + p.Message
}

// Queries listing the columns of a table or view, and counting tables or
// views of a name.
const (
	queryColumnsMySQL  = `SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?`
	queryColumnsSQLite = `SELECT name FROM pragma_table_info(?)`
	queryExistsMySQL   = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`
	queryExistsSQLite  = `SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?`
	// PostgreSQL: to_regclass finds the table or view the way a query
	// does, through the search_path, so a register in its own schema works.
	queryColumnsPostgres = `SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`
	queryExistsPostgres  = `SELECT COUNT(*) FROM pg_class WHERE oid = to_regclass($1) AND relkind IN ('r', 'v', 'm', 'p', 'f')`
)

// dialectQueries returns d's queries listing a table's columns and
// counting tables or views of a name.
func dialectQueries(d Dialect) (columns, exists string, err error) {
	switch d {
	case MySQL:
		return queryColumnsMySQL, queryExistsMySQL, nil
	case SQLite:
		return queryColumnsSQLite, queryExistsSQLite, nil
	case Postgres:
		return queryColumnsPostgres, queryExistsPostgres, nil
	}
	return "", "", fmt.Errorf("unknown dialect %q", d)
}

// CheckContract verifies that every table (or view) and column of the data
// contract exists and can be read; it returns no problems when all is well.
// An optional table that is absent is no problem (see AbsentOptional); one
// that exists must have every column.
func CheckContract(ctx context.Context, db *sql.DB, d Dialect) []Problem {
	query, exists, err := dialectQueries(d)
	if err != nil {
		return []Problem{{Message: err.Error()}}
	}
	var problems []Problem
	for _, t := range contract() {
		have, err := columnsOf(ctx, db, query, t.name)
		if err != nil {
			problems = append(problems, Problem{Table: t.name, Message: fmt.Sprintf("cannot be read: %v", err)})
			continue
		}
		var names []string
		for _, c := range t.columns {
			names = append(names, c.name)
		}
		// A view can list its columns yet fail to run (a dropped base table),
		// or, in MariaDB, list none at all.
		probe := fmt.Sprintf("SELECT %s FROM %s WHERE 1 = 0", strings.Join(names, ", "), t.name)
		if len(have) == 0 {
			var n int
			if err := db.QueryRowContext(ctx, exists, t.name).Scan(&n); err != nil {
				problems = append(problems, Problem{Table: t.name, Message: fmt.Sprintf("cannot be read: %v", err)})
			} else if n == 0 && !t.optional {
				problems = append(problems, Problem{Table: t.name, Message: "table or view is missing"})
			} else if n == 0 {
				continue // optional: AbsentOptional names it
			} else if err := probeQuery(ctx, db, probe); err != nil {
				problems = append(problems, Problem{Table: t.name, Message: fmt.Sprintf("cannot be read: %v", err)})
			} else {
				problems = append(problems, Problem{Table: t.name, Message: "has no columns"})
			}
			continue
		}
		missing := false
		for _, c := range t.columns {
			if !have[c.name] {
				problems = append(problems, Problem{Table: t.name, Column: c.name, Message: "column is missing"})
				missing = true
			}
		}
		if missing {
			continue
		}
		if err := probeQuery(ctx, db, probe); err != nil {
			problems = append(problems, Problem{Table: t.name, Message: fmt.Sprintf("cannot be read: %v", err)})
		}
	}
	return problems
}

// columnsOf returns the lower-cased column names of table.
func columnsOf(ctx context.Context, db *sql.DB, query, table string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, query, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		have[strings.ToLower(name)] = true
	}
	return have, rows.Err()
}

func probeQuery(ctx context.Context, db *sql.DB, query string) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// AbsentOptional returns the names of the contract's optional tables that
// the database holds neither as a table nor as a view.
func AbsentOptional(ctx context.Context, db *sql.DB, d Dialect) ([]string, error) {
	var absent []string
	for _, t := range contract() {
		if !t.optional {
			continue
		}
		ok, err := tableExists(ctx, db, d, t.name)
		if err != nil {
			return nil, err
		}
		if !ok {
			absent = append(absent, t.name)
		}
	}
	return absent, nil
}

// tableExists reports whether a table or view called name exists.
func tableExists(ctx context.Context, db *sql.DB, d Dialect, name string) (bool, error) {
	_, exists, err := dialectQueries(d)
	if err != nil {
		return false, err
	}
	var n int
	if err := db.QueryRowContext(ctx, exists, name).Scan(&n); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}
