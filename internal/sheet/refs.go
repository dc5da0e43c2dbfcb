package sheet

import (
	"fmt"
	"strings"

	"gevinstrapport/internal/register"
)

// reference is a column whose values must be ids of another table.
type reference struct {
	table, column, target string
	severity              register.Severity
}

// references lists the contract's references (the DDL declares no foreign
// keys, so they are checked here and by register.Check).
func references() []reference {
	e, w := register.SeverityError, register.SeverityWarning
	return []reference{
		{"org_unit", "parent_id", "org_unit", e},
		{"benefit", "org_unit_id", "org_unit", e},
		{"benefit", "owner_id", "person", e},
		{"benefit", "counted_in_benefit_id", "benefit", e},
		{"benefit_holder", "benefit_id", "benefit", e},
		{"benefit_holder", "org_unit_id", "org_unit", e},
		{"benefit_holder", "person_id", "person", e},
		{"indicator", "benefit_id", "benefit", e},
		{"indicator_ambition", "indicator_id", "indicator", e},
		{"measurement", "indicator_id", "indicator", e},
		{"measurement", "org_unit_id", "org_unit", e},
		{"change_action", "benefit_id", "benefit", e},
		{"commentary", "benefit_id", "benefit", e},
		{"commentary", "indicator_id", "indicator", e},
		{"commentary", "author_id", "person", w},
	}
}

// knownIDs returns the ids of each referenced table: from the file when
// the file has the table (every row, also those with errors, whose errors
// are reported already), else from the database's register (also the rows
// its load skipped).
func knownIDs(tables map[string]*table, db *register.Register) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	add := func(name, id string) {
		if out[name] == nil {
			out[name] = map[string]bool{}
		}
		out[name][id] = true
	}
	for _, name := range []string{"org_unit", "person", "benefit", "indicator"} {
		out[name] = map[string]bool{}
		if t, ok := tables[name]; ok {
			id := t.index("id")
			for _, r := range t.rows {
				add(name, r.texts[id])
			}
			continue
		}
		for _, r := range db.Skipped {
			if r.Table == name && r.ID != "" {
				add(name, r.ID)
			}
		}
	}
	for _, u := range db.Units {
		if _, ok := tables["org_unit"]; !ok {
			add("org_unit", u.ID)
		}
	}
	for _, p := range db.People {
		if _, ok := tables["person"]; !ok {
			add("person", p.ID)
		}
	}
	for _, b := range db.Benefits {
		if _, ok := tables["benefit"]; !ok {
			add("benefit", b.ID)
		}
	}
	for _, ind := range db.Indicators {
		if _, ok := tables["indicator"]; !ok {
			add("indicator", ind.ID)
		}
	}
	return out
}

// danglingRefs reports each id a sheet refers to that its table does not
// have: once per sheet, column and id, at its first row, with the number
// of other rows that have it.
func danglingRefs(tables map[string]*table, known map[string]map[string]bool) []Finding {
	var out []Finding
	for _, ref := range references() {
		t, ok := tables[ref.table]
		if !ok || t.broken {
			continue
		}
		col := t.index(ref.column)
		type miss struct {
			line, more int
		}
		missing := map[string]*miss{}
		var order []string
		for _, r := range t.rows {
			id, ok := r.values[col].(string)
			if !ok || id == "" || known[ref.target][id] {
				continue
			}
			if m, seen := missing[id]; seen {
				m.more++
				continue
			}
			missing[id] = &miss{line: r.line}
			order = append(order, id)
		}
		for _, id := range order {
			m := missing[id]
			msg := fmt.Sprintf("%s %s does not exist in %s", ref.column, register.QuoteID(id), ref.target)
			if m.more > 0 {
				msg += fmt.Sprintf(" (nor for %d more rows of this sheet)", m.more)
			}
			out = append(out, t.finding(ref.severity, m.line, col, "%s", msg))
		}
	}
	return out
}

// covered reports whether the import's own cell and row checks already
// report note for the file's tables, with the cell.
func covered(n register.Note, inFile map[string]bool) bool {
	if len(n.Args) == 0 {
		return false
	}
	table, _, _ := strings.Cut(n.Args[0], " ")
	switch n.Code {
	case register.NoteDanglingReference, register.NoteDuplicateID, register.NoteBadEnum:
		return inFile[table]
	case register.NoteRowSkipped:
		return inFile[table] && len(n.Args) > 1 && strings.HasPrefix(n.Args[1], leftOutKey)
	}
	return false
}

// leftOutKey starts the key of a row the import left out, so Check's note
// on it (already reported at its cell) is recognised.
const leftOutKey = "\x00row "

// rowFroms maps the way register.Check names a row ("benefit \"B-1\"",
// "indicator_ambition (\"I-1\", 2025)") to its table and row.
func rowFroms(tables map[string]*table) map[string]rowAt {
	out := map[string]rowAt{}
	for _, t := range tables {
		for i, r := range t.rows {
			if from := checkFrom(t, r); from != "" {
				out[from] = rowAt{t: t, r: &t.rows[i]}
			}
		}
	}
	return out
}

// rowAt is one row of one sheet.
type rowAt struct {
	t *table
	r *row
}

// checkFrom is how register.Check names row r of t in its findings.
func checkFrom(t *table, r row) string {
	txt := func(col string) string { return register.QuoteID(r.texts[t.index(col)]) }
	switch t.spec.Name {
	case "org_unit", "person", "benefit", "indicator", "change_action":
		return t.spec.Name + " " + txt("id")
	case "benefit_holder":
		return fmt.Sprintf("benefit_holder (%s, %s, %s)", txt("benefit_id"), txt("org_unit_id"), txt("person_id"))
	case "indicator_ambition":
		year, _ := r.values[t.index("year")].(int)
		return fmt.Sprintf("indicator_ambition (%s, %d)", txt("indicator_id"), year)
	case "commentary":
		period, _ := r.values[t.index("period")].(string)
		return fmt.Sprintf("commentary (%s, %s, %s)", txt("benefit_id"), txt("indicator_id"), strings.TrimSuffix(period, "-01"))
	}
	return ""
}

// placeNote turns a note of register.Check into a finding, at the row
// (and column) of the file it is about when there is one.
func placeNote(n register.Note, froms map[string]rowAt, tables map[string]*table) Finding {
	f := Finding{Severity: n.Severity, Message: n.Message, order: [3]int{len(tables) + 100}}
	at, col, ok := noteRow(n, froms, tables)
	if !ok {
		return f
	}
	msg := strings.TrimPrefix(n.Message, checkFrom(at.t, *at.r)+": ")
	return at.t.finding(n.Severity, at.r.line, col, "%s", msg)
}

// noteRow finds the row a note is about, and the column it names.
func noteRow(n register.Note, froms map[string]rowAt, tables map[string]*table) (rowAt, int, bool) {
	if n.Code == register.NoteInvalidEmail && len(n.Args) > 0 {
		at, ok := froms["person "+register.QuoteID(n.Args[0])]
		if ok {
			return at, at.t.index("email"), true
		}
	}
	if n.Code == register.NoteBadID && len(n.Args) > 1 {
		at, ok := froms[n.Args[0]+" "+register.QuoteID(n.Args[1])]
		if ok {
			return at, at.t.index("id"), true
		}
	}
	if (n.Code == register.NoteInvalidThresholds || n.Code == register.NoteRedFromGreen) && len(n.Args) > 0 {
		// Args[0] is the year whose ambition row holds the limits.
		if at, ok := froms[fmt.Sprintf("indicator_ambition (%s, %s)", register.QuoteID(n.IndicatorID), n.Args[0])]; ok {
			return at, at.t.index("red_limit"), true
		}
	}
	if len(n.Args) > 0 {
		if at, ok := froms[n.Args[0]]; ok {
			col := 0
			if len(n.Args) > 1 && at.t.index(n.Args[1]) >= 0 {
				col = at.t.index(n.Args[1])
			}
			return at, col, true
		}
	}
	if n.IndicatorID != "" {
		if at, ok := froms["indicator "+register.QuoteID(n.IndicatorID)]; ok {
			return at, 0, true
		}
	}
	return rowAt{}, 0, false
}
