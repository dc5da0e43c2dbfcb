package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// colType is the logical type of a contract column; each dialect maps it to
// a concrete SQL type.
type colType int

const (
	typeID     colType = iota // stable text code, compared byte for byte
	typeName                  // short human text (names, titles)
	typeText                  // long free text (descriptions, notes)
	typeCode                  // enum value
	typeDate                  // calendar date
	typeDouble                // nullable or not, a floating-point number
	typeInt                   // integer
)

// column is one column of the data contract.
type column struct {
	name    string
	typ     colType
	notNull bool
	def     string   // SQL default literal, "" for none
	enum    []string // allowed values, checked by a CHECK constraint
}

// table is one table of the data contract.
type table struct {
	name     string
	columns  []column
	key      []string   // primary key columns
	indexes  [][]string // secondary indexes
	optional bool       // a register without the table still works
}

// Table names of the data contract (SPEC §3).
const (
	tableOrgUnit    = "org_unit"
	tablePerson     = "person"
	tableBenefit    = "benefit"
	tableHolder     = "benefit_holder"
	tableIndicator  = "indicator"
	tableAmbition   = "indicator_ambition"
	tableMeasure    = "measurement"
	tableChangeActn = "change_action"
	tableCommentary = "commentary"
)

// contract describes every table of SPEC §3, in dependency order.
func contract() []table {
	id := func(name string) column { return column{name: name, typ: typeID, notNull: true} }
	optID := func(name string) column { return column{name: name, typ: typeID} }
	name := func(name string) column { return column{name: name, typ: typeName, notNull: true} }
	optName := func(name string) column { return column{name: name, typ: typeName} }
	text := func(name string) column { return column{name: name, typ: typeText} }
	date := func(name string, notNull bool) column { return column{name: name, typ: typeDate, notNull: notNull} }
	num := func(name string, notNull bool) column { return column{name: name, typ: typeDouble, notNull: notNull} }
	enum := func(name string, notNull bool, def string, values ...string) column {
		return column{name: name, typ: typeCode, notNull: notNull, def: def, enum: values}
	}
	return []table{
		{
			name: tableOrgUnit,
			columns: []column{
				id("id"), name("name"),
				enum("kind", true, "", "rhf", "hf", "kommune", "unit"),
				optID("parent_id"),
			},
			key:     []string{"id"},
			indexes: [][]string{{"parent_id"}},
		},
		{
			name: tablePerson,
			columns: []column{
				id("id"), name("name"), optName("email"),
				enum("language", false, "", "nb", "nn", "en"),
			},
			key: []string{"id"},
		},
		{
			name: tableBenefit,
			columns: []column{
				id("id"), name("title"), text("description"),
				enum("category", true, "", "satisfaction", "quality_safety", "data_security", "patient_involvement", "savings"),
				id("org_unit_id"), id("owner_id"),
				enum("phase", true, "'realise'", "identify", "plan", "realise", "evaluate", "closed"),
				optID("counted_in_benefit_id"),
			},
			key:     []string{"id"},
			indexes: [][]string{{"owner_id"}, {"org_unit_id"}},
		},
		{
			name:    tableHolder,
			columns: []column{id("benefit_id"), id("org_unit_id"), id("person_id")},
			key:     []string{"benefit_id", "org_unit_id", "person_id"},
			indexes: [][]string{{"person_id"}},
		},
		{
			name: tableIndicator,
			columns: []column{
				id("id"), id("benefit_id"), name("name"), name("unit"),
				enum("direction", true, "", "up", "down"),
				enum("aggregation", true, "", "ratio", "sum", "mean"),
				enum("frequency", true, "'month'", "month", "quarter", "year"),
				{name: "decimals", typ: typeInt, notNull: true, def: "1"},
				num("scale", false), num("baseline_value", false), date("baseline_period", false),
				num("target_value", false), date("target_date", false),
				num("min_denominator", false), optName("data_source"),
			},
			key:     []string{"id"},
			indexes: [][]string{{"benefit_id"}},
		},
		{
			name: tableAmbition,
			columns: []column{
				id("indicator_id"), {name: "year", typ: typeInt, notNull: true},
				num("target_value", true), num("red_limit", false), num("green_limit", false),
				date("revised_on", false), text("note"),
			},
			key: []string{"indicator_id", "year"},
		},
		{
			name: tableMeasure,
			columns: []column{
				id("indicator_id"), id("org_unit_id"), date("period", true),
				num("value", false), num("numerator", false), num("denominator", false),
			},
			key:     []string{"indicator_id", "org_unit_id", "period"},
			indexes: [][]string{{"indicator_id", "period"}, {"org_unit_id", "period"}},
		},
		{
			name: tableChangeActn,
			columns: []column{
				id("id"), id("benefit_id"), name("title"), optName("responsible"),
				date("due_date", false),
				enum("status", true, "", "planned", "in_progress", "implemented", "cancelled"),
				date("completed_on", false), text("note"),
			},
			key:     []string{"id"},
			indexes: [][]string{{"benefit_id"}},
		},
		{
			name: tableCommentary,
			columns: []column{
				id("benefit_id"), {name: "indicator_id", typ: typeID, notNull: true, def: "''"},
				date("period", true), optID("author_id"),
				{name: "text", typ: typeText, notNull: true}, date("written_on", false),
			},
			key:      []string{"benefit_id", "indicator_id", "period"},
			optional: true,
		},
	}
}

// sqlType is the column type of t in dialect d.
func sqlType(d Dialect, t colType) string {
	if d == MySQL {
		switch t {
		case typeID:
			// Binary collation: ids are case- and accent-sensitive and sort
			// byte for byte, exactly as in SQLite and Go.
			return "VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
		case typeName:
			return "VARCHAR(500)"
		case typeText:
			return "TEXT"
		case typeCode:
			return "VARCHAR(32)"
		case typeDate:
			return "DATE"
		case typeDouble:
			return "DOUBLE"
		case typeInt:
			return "INT"
		}
	}
	if d == Postgres {
		switch t {
		case typeID:
			// The "C" collation compares and sorts byte for byte, as
			// utf8mb4_bin does in MySQL.
			return `VARCHAR(100) COLLATE "C"`
		case typeName:
			return "VARCHAR(500)"
		case typeText:
			return "TEXT"
		case typeCode:
			return "VARCHAR(32)"
		case typeDate:
			return "DATE"
		case typeDouble:
			return "DOUBLE PRECISION"
		case typeInt:
			return "INTEGER"
		}
	}
	switch t {
	case typeDate:
		return "DATE"
	case typeDouble:
		return "REAL"
	case typeInt:
		return "INTEGER"
	}
	return "TEXT"
}

// statements returns the DDL of the contract for d, one statement per entry.
// Every statement is idempotent (IF NOT EXISTS), so applying it twice is safe
// and never touches existing data.
func statements(d Dialect) []string {
	var out []string
	for _, t := range contract() {
		var b strings.Builder
		fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n", t.name)
		var lines []string
		for _, c := range t.columns {
			line := fmt.Sprintf("  %s %s", c.name, sqlType(d, c.typ))
			if c.notNull {
				line += " NOT NULL"
			}
			if c.def != "" {
				line += " DEFAULT " + c.def
			}
			if len(c.enum) > 0 {
				line += fmt.Sprintf(" CHECK (%s IN ('%s'))", c.name, strings.Join(c.enum, "', '"))
			}
			lines = append(lines, line)
		}
		lines = append(lines, fmt.Sprintf("  PRIMARY KEY (%s)", strings.Join(t.key, ", ")))
		if d == MySQL {
			// MySQL has no CREATE INDEX IF NOT EXISTS; inline keys keep the
			// DDL idempotent on both MySQL and MariaDB.
			for _, ix := range t.indexes {
				lines = append(lines, fmt.Sprintf("  KEY %s (%s)", indexName(t.name, ix), strings.Join(ix, ", ")))
			}
		}
		b.WriteString(strings.Join(lines, ",\n"))
		b.WriteString("\n)")
		if d == MySQL {
			b.WriteString(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci")
		}
		out = append(out, b.String())
		if d == SQLite || d == Postgres {
			for _, ix := range t.indexes {
				out = append(out, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s (%s)", indexName(t.name, ix), t.name, strings.Join(ix, ", ")))
			}
		}
	}
	return out
}

// known reports whether d is one of the supported dialects.
func (d Dialect) known() bool { return d == MySQL || d == Postgres || d == SQLite }

func indexName(table string, cols []string) string {
	return "idx_" + table + "_" + strings.Join(cols, "_")
}

// Schema returns the DDL of the data contract (SPEC §3) for d, runnable as
// is; every statement uses IF NOT EXISTS, so it can be applied repeatedly.
func Schema(d Dialect) string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- gevinstrapport data contract (SPEC §3), dialect %s.\n", d)
	b.WriteString("-- Tables may also be views with these names and columns.\n")
	var optional []string
	for _, t := range contract() {
		if t.optional {
			optional = append(optional, t.name)
		}
	}
	fmt.Fprintf(&b, "-- Optional (a register without them works): %s.\n\n", strings.Join(optional, ", "))
	for _, s := range statements(d) {
		b.WriteString(s)
		b.WriteString(";\n\n")
	}
	return b.String()
}

// CreateSchema applies Schema(d) statement by statement; existing tables
// are left untouched.
func CreateSchema(ctx context.Context, db *sql.DB, d Dialect) error {
	if !d.known() {
		return fmt.Errorf("create schema: unknown dialect %q", d)
	}
	for _, s := range statements(d) {
		if _, err := db.ExecContext(ctx, s); err != nil {
			first, _, _ := strings.Cut(s, "\n")
			return fmt.Errorf("create schema: %s: %w", strings.TrimSuffix(first, " ("), err)
		}
	}
	return nil
}
