package sheet

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// Finding is one problem of an import, placed where the coordinator will
// find it.
type Finding struct {
	Severity register.Severity
	Where    string // "measurement!C14" (or "measurement.csv!C14"), a sheet, or "" for the register as a whole
	Message  string
	order    [3]int // sheet, row, column: the order findings are printed in
}

// String formats f as "measurement!C14: message".
func (f Finding) String() string {
	if f.Where == "" {
		return f.Message
	}
	return f.Where + ": " + f.Message
}

// table is one sheet read against its contract table.
type table struct {
	spec   store.TableSpec
	sheet  *rawSheet
	order  int   // position in the contract
	cols   []int // per contract column, its index in the sheet's rows; -1 when missing
	broken bool  // row 1 is not the contract's: the table is never written
	rows   []row
}

// row is one filled row of a sheet.
type row struct {
	line   int      // the row number the coordinator sees
	values []any    // per contract column, as stored
	texts  []string // per contract column, as written
	bad    bool     // a cell cannot be stored, or the key repeats: the row is never written
}

// where names a cell of column i (a contract column) in row line.
func (t *table) where(line, i int) string {
	if i < 0 || t.cols[i] < 0 {
		return t.sheet.label
	}
	col, _ := excelize.ColumnNumberToName(t.cols[i] + 1)
	return fmt.Sprintf("%s!%s%d", t.sheet.label, col, line)
}

// finding is a problem at column i of row line.
func (t *table) finding(sev register.Severity, line, i int, format string, a ...any) Finding {
	col := 0
	if i >= 0 && t.cols[i] >= 0 {
		col = t.cols[i] + 1
	}
	return Finding{Severity: sev, Where: t.where(line, i), Message: fmt.Sprintf(format, a...), order: [3]int{t.order, line, col}}
}

// index is the position of the contract column name, -1 when none.
func (t *table) index(name string) int {
	for i, c := range t.spec.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// readTables matches the sheets to contract tables and reads their rows.
func readTables(sheets []*rawSheet) ([]*table, []Finding) {
	specs := store.Contract()
	var names []string
	for _, s := range specs {
		names = append(names, s.Name)
	}
	var tables []*table
	var out []Finding
	seen := map[string]string{}
	for _, sh := range sheets {
		pos := -1
		for i, s := range specs {
			if strings.EqualFold(sh.name, s.Name) {
				pos = i
			}
		}
		if pos < 0 {
			out = append(out, Finding{Severity: register.SeverityError, Where: sh.label,
				Message: fmt.Sprintf("no table of the data contract is called %q; name the sheet one of %s", sh.name, strings.Join(names, ", ")),
				order:   [3]int{-1}})
			continue
		}
		if prev, dup := seen[specs[pos].Name]; dup {
			out = append(out, Finding{Severity: register.SeverityError, Where: sh.label,
				Message: fmt.Sprintf("%s is already read from %s", specs[pos].Name, prev), order: [3]int{-1}})
			continue
		}
		seen[specs[pos].Name] = sh.label
		t := &table{spec: specs[pos], sheet: sh, order: pos}
		out = append(out, t.readHeader()...)
		out = append(out, t.readRows()...)
		out = append(out, t.duplicates()...)
		if !t.broken && len(t.rows) == 0 {
			out = append(out, Finding{Severity: register.SeverityWarning, Where: sh.label, order: [3]int{pos, 2},
				Message: fmt.Sprintf("the sheet has no rows: importing it empties the %s table", t.spec.Name)})
		}
		tables = append(tables, t)
	}
	return tables, out
}

// readHeader matches row 1 to the contract's columns.
func (t *table) readHeader() []Finding {
	t.cols = make([]int, len(t.spec.Columns))
	for i := range t.cols {
		t.cols[i] = -1
	}
	var header []string
	if len(t.sheet.rows) > 0 {
		header = t.sheet.rows[0]
	}
	var out []Finding
	names := make([]string, len(t.spec.Columns))
	for i, c := range t.spec.Columns {
		names[i] = c.Name
	}
	for j, h := range header {
		if h == "" {
			continue
		}
		i := t.index(strings.ToLower(h))
		col, _ := excelize.ColumnNumberToName(j + 1)
		where := fmt.Sprintf("%s!%s1", t.sheet.label, col)
		switch {
		case i < 0:
			out = append(out, Finding{Severity: register.SeverityError, Where: where, order: [3]int{t.order, 1, j + 1},
				Message: fmt.Sprintf("unknown column %q; the columns of %s are %s", h, t.spec.Name, strings.Join(names, ", "))})
		case t.cols[i] >= 0:
			t.broken = true
			out = append(out, Finding{Severity: register.SeverityError, Where: where, order: [3]int{t.order, 1, j + 1},
				Message: fmt.Sprintf("column %s appears twice", t.spec.Columns[i].Name)})
		default:
			t.cols[i] = j
		}
	}
	for i, c := range t.spec.Columns {
		if t.cols[i] < 0 {
			t.broken = true
			out = append(out, Finding{Severity: register.SeverityError, Where: t.sheet.label, order: [3]int{t.order, 1, 0},
				Message: fmt.Sprintf("row 1 has no column %s; the table is not imported", c.Name)})
		}
	}
	return out
}

// readRows reads every row below the header that has a filled cell. The
// cells of a broken table are read for their ids only; their problems
// would repeat the header's.
func (t *table) readRows() []Finding {
	months, ranges := monthColumns(), intRanges()
	rules := make([]cellRule, len(t.spec.Columns))
	for i, c := range t.spec.Columns {
		rules[i] = cellRule{col: c, month: months[t.spec.Name+"."+c.Name]}
		if rg, ok := ranges[t.spec.Name+"."+c.Name]; ok {
			rules[i].intRange = &rg
		}
	}
	var out []Finding
	for n := 1; n < len(t.sheet.rows); n++ {
		cells := t.sheet.rows[n]
		if !t.filled(cells) {
			continue
		}
		r := row{line: n + 1, values: make([]any, len(rules)), texts: make([]string, len(rules))}
		for i, rule := range rules {
			if j := t.cols[i]; j >= 0 && j < len(cells) {
				r.texts[i] = cells[j]
			}
			v, problem := rule.value(r.texts[i])
			r.values[i] = v
			if problem != "" {
				r.bad = true
				if !t.broken {
					out = append(out, t.finding(register.SeverityError, r.line, i, "%s", problem))
				}
			}
		}
		t.rows = append(t.rows, r)
	}
	return append(out, t.unnamedCells()...)
}

// filled reports whether a row has a value in a column of the table.
func (t *table) filled(cells []string) bool {
	for _, j := range t.cols {
		if j >= 0 && j < len(cells) && cells[j] != "" {
			return true
		}
	}
	return false
}

// unnamedCells warns once per column that holds values below an empty
// header cell: they are not imported.
func (t *table) unnamedCells() []Finding {
	var header []string
	if len(t.sheet.rows) > 0 {
		header = t.sheet.rows[0]
	}
	var out []Finding
	warned := map[int]bool{}
	for n := 1; n < len(t.sheet.rows); n++ {
		for j, c := range t.sheet.rows[n] {
			if c == "" || warned[j] || (j < len(header) && header[j] != "") {
				continue
			}
			warned[j] = true
			col, _ := excelize.ColumnNumberToName(j + 1)
			out = append(out, Finding{Severity: register.SeverityWarning, Where: fmt.Sprintf("%s!%s%d", t.sheet.label, col, n+1),
				order: [3]int{t.order, n + 1, j + 1}, Message: fmt.Sprintf("column %s has no name in row 1; its cells are not imported", col)})
		}
	}
	return out
}

// duplicates marks each row whose key an earlier row already has.
func (t *table) duplicates() []Finding {
	if t.broken {
		return nil
	}
	key := make([]int, len(t.spec.Key))
	for k, name := range t.spec.Key {
		key[k] = t.index(name)
	}
	first := map[string]int{}
	var out []Finding
	for i := range t.rows {
		r := &t.rows[i]
		parts := make([]string, len(key))
		shown := make([]string, len(key))
		complete := true
		for k, c := range key {
			if r.values[c] == nil && t.spec.Columns[c].NotNull {
				complete = false
			}
			parts[k] = fmt.Sprint(r.values[c])
			shown[k] = fmt.Sprintf("%s %s", t.spec.Key[k], register.QuoteID(parts[k]))
		}
		if !complete {
			continue
		}
		k := strings.Join(parts, "\x00")
		if line, dup := first[k]; dup {
			r.bad = true
			out = append(out, t.finding(register.SeverityError, r.line, key[0],
				"%s appears twice: row %d has the same key (%s)", t.spec.Name, line, strings.Join(shown, ", ")))
			continue
		}
		first[k] = r.line
	}
	return out
}

// storable returns the rows that can be written: not from a broken
// table, no cell that cannot be stored, no repeated key.
func (t *table) storable() store.TableRows {
	tr := store.TableRows{Table: t.spec.Name}
	for _, c := range t.spec.Columns {
		tr.Columns = append(tr.Columns, c.Name)
	}
	if t.broken {
		return tr
	}
	for _, r := range t.rows {
		if !r.bad {
			tr.Rows = append(tr.Rows, r.values)
		}
	}
	return tr
}
