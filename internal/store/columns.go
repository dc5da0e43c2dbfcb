package store

import (
	"fmt"
	"strconv"
	"strings"

	"gevinstrapport/internal/register"
)

// The column scanners below never fail a query: whatever a cell holds is
// kept with what is wrong with it, so Load can skip just that row and name
// it. A view over a warehouse may yield NULL in a NOT NULL column, text in
// a number column or a non-finite number; the tables' constraints do not
// reach views.

// textCol scans a text column; intern, when set, shares repeated values.
type textCol struct {
	s      string
	null   bool
	intern map[string]string
}

// Scan implements sql.Scanner.
func (c *textCol) Scan(src any) error {
	c.s, c.null = "", false
	switch v := src.(type) {
	case nil:
		c.null = true
	case string:
		c.s = v
	case []byte:
		if c.intern != nil {
			if s, ok := c.intern[string(v)]; ok {
				c.s = s
				return nil
			}
		}
		c.s = string(v)
	default:
		c.s = fmt.Sprint(v)
	}
	if c.intern != nil {
		if s, ok := c.intern[c.s]; ok {
			c.s = s
		} else {
			c.intern[c.s] = c.s
		}
	}
	return nil
}

// quoted is the value as a finding prints it: quoted, or NULL.
func (c *textCol) quoted() string {
	if c.null {
		return "NULL"
	}
	return register.QuoteID(c.s)
}

// numCol scans a number column; bad says why the value cannot be used.
type numCol struct {
	v    float64
	null bool
	bad  string
}

// Scan implements sql.Scanner.
func (c *numCol) Scan(src any) error {
	*c = numCol{}
	switch v := src.(type) {
	case nil:
		c.null = true
		return nil
	case float64:
		c.v = v
	case float32:
		c.v = float64(v)
	case int64:
		c.v = float64(v)
	case uint64:
		c.v = float64(v)
	case int32:
		c.v = float64(v)
	case []byte:
		c.parse(string(v))
	case string:
		c.parse(v)
	default:
		c.bad = fmt.Sprintf("%v (%T) is not a number", v, v)
	}
	switch {
	case c.bad != "":
	case !register.Finite(c.v):
		c.bad = fmt.Sprintf("%g is not a finite number", c.v)
	case !register.PlausibleNumber(c.v):
		c.bad = fmt.Sprintf("%g is beyond the plausible bound ±%g", c.v, float64(register.MaxMagnitude))
	}
	return nil
}

// parse reads a number that the database delivers as text (MySQL always
// does; SQLite does for text stored in a REAL column).
func (c *numCol) parse(s string) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil && !isRangeErr(err) {
		c.bad = fmt.Sprintf("text %q in a number column", s)
		return
	}
	c.v = v
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// ptr returns a pointer to the value, nil when NULL.
func (c *numCol) ptr(l *loader) *float64 {
	if c.null {
		return nil
	}
	return l.float(c.v)
}

// intCol scans an integer column; bad says why the value cannot be used.
type intCol struct {
	n    int
	null bool
	bad  string
}

// Scan implements sql.Scanner.
func (c *intCol) Scan(src any) error {
	var f numCol
	f.Scan(src)
	*c = intCol{n: int(f.v), null: f.null, bad: f.bad}
	if c.bad == "" && !f.null && float64(c.n) != f.v {
		c.bad = fmt.Sprintf("%g is not a whole number", f.v)
	}
	return nil
}

// rowCheck gathers why one row cannot be read.
type rowCheck struct{ reasons []string }

func (r *rowCheck) add(format string, a ...any) {
	r.reasons = append(r.reasons, fmt.Sprintf(format, a...))
}

// required notes a NULL in a column the row cannot do without.
func (r *rowCheck) required(col string, null bool) {
	if null {
		r.add("%s is NULL", col)
	}
}

func (r *rowCheck) num(col string, c *numCol) {
	if c.bad != "" {
		r.add("%s: %s", col, c.bad)
	}
}

func (r *rowCheck) int(col string, c *intCol) {
	if c.bad != "" {
		r.add("%s: %s", col, c.bad)
	}
}

// date notes a malformed date; with month set, also one that is not the
// first day of a month.
func (r *rowCheck) date(col string, d *nullDate, month bool) {
	switch {
	case d.err != nil:
		r.add("%s: %v", col, d.err)
	case month && d.Valid && d.Time.Day() != 1:
		r.add("%s %s is not the first day of a month", col, d.raw)
	}
}

func (r *rowCheck) ok() bool { return len(r.reasons) == 0 }

func (r *rowCheck) reason() string { return strings.Join(r.reasons, "; ") }

// quotedDate is a date as a finding prints it: quoted as stored, or NULL.
func quotedDate(d *nullDate) string {
	if !d.Valid && d.err == nil {
		return "NULL"
	}
	return strconv.Quote(d.raw)
}
