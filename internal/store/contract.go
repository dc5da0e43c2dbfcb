package store

import (
	"strings"

	"gevinstrapport/internal/register"
)

// ColumnKind is what a contract column holds, as a spreadsheet or a CSV
// file must spell it.
type ColumnKind int

// Kinds of contract columns.
const (
	KindText    ColumnKind = iota // ids, names and free text
	KindCode                      // one of the column's Enum values
	KindDate                      // a calendar date
	KindNumber                    // a floating-point number
	KindInteger                   // a whole number
)

// ColumnSpec describes one column of the data contract to code outside
// this package (the spreadsheet template and import).
type ColumnSpec struct {
	Name     string
	Kind     ColumnKind
	Required bool     // NOT NULL without a default: an empty value is an error
	Default  string   // the value an empty cell stands for, "" when none
	NotNull  bool     // NOT NULL (with or without a default)
	Enum     []string // allowed values of a KindCode column
	ID       bool     // an id (case-sensitive code), not prose
	MaxLen   int      // the most characters the column holds, 0 for no limit
}

// TableSpec describes one table of the data contract.
type TableSpec struct {
	Name     string
	Columns  []ColumnSpec
	Key      []string // primary key columns
	Optional bool     // a register without the table still works
}

// Column returns the column called name and whether there is one.
func (t TableSpec) Column(name string) (ColumnSpec, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return ColumnSpec{}, false
}

// Contract describes every table of SPEC §3 in dependency order, from the
// same definition the DDL is generated from.
func Contract() []TableSpec {
	var out []TableSpec
	for _, t := range contract() {
		ts := TableSpec{Name: t.name, Key: t.key, Optional: t.optional}
		for _, c := range t.columns {
			ts.Columns = append(ts.Columns, ColumnSpec{
				Name: c.name, Kind: columnKind(c.typ), NotNull: c.notNull,
				Required: c.notNull && c.def == "", Default: strings.Trim(c.def, "'"),
				Enum: c.enum, ID: c.typ == typeID, MaxLen: maxLen(c.typ),
			})
		}
		out = append(out, ts)
	}
	return out
}

// maxLen is the length limit of t's VARCHAR in MySQL and PostgreSQL.
func maxLen(t colType) int {
	switch t {
	case typeID:
		return 100
	case typeName:
		return 500
	}
	return 0
}

func columnKind(t colType) ColumnKind {
	switch t {
	case typeCode:
		return KindCode
	case typeDate:
		return KindDate
	case typeDouble:
		return KindNumber
	case typeInt:
		return KindInteger
	}
	return KindText
}

// TableRows is the content of one contract table: each row holds one value
// per column of Columns (string, float64, int, or nil for NULL; dates as
// 'YYYY-MM-DD' text).
type TableRows struct {
	Table   string
	Columns []string
	Rows    [][]any
}

// RegisterRows returns the rows of reg table by table, in contract order
// and with the contract's columns, as WriteRegister would insert them.
func RegisterRows(reg *register.Register) []TableRows {
	var out []TableRows
	for _, t := range tableWrites(reg) {
		tr := TableRows{Table: t.table, Columns: t.cols}
		if t.table == tableMeasure {
			for _, m := range reg.Measurements {
				tr.Rows = append(tr.Rows, []any{m.IndicatorID, m.OrgUnitID, monthText(m.Period),
					nullFloat(m.Value), nullFloat(m.Numerator), nullFloat(m.Denominator)})
			}
		} else {
			for i := range t.n {
				tr.Rows = append(tr.Rows, t.row(i))
			}
		}
		out = append(out, tr)
	}
	return out
}
