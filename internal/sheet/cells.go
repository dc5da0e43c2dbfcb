package sheet

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

// monthColumns are the date columns that hold a month: the first day of it.
func monthColumns() map[string]bool {
	return map[string]bool{"measurement.period": true, "commentary.period": true, "indicator.baseline_period": true}
}

// intRanges are the integer columns with bounds beyond the type.
func intRanges() map[string][2]int {
	return map[string][2]int{"indicator.decimals": {register.MinDecimals, register.MaxDecimals}}
}

// cellRule is how one column's cells are read.
type cellRule struct {
	col      store.ColumnSpec
	month    bool
	intRange *[2]int
}

// value turns the trimmed text of a cell into the value stored: string,
// float64, int, a 'YYYY-MM-DD' date, or nil for NULL. problem says what is
// wrong with the cell, as the coordinator should read it.
func (r cellRule) value(text string) (v any, problem string) {
	c := r.col
	if text == "" {
		switch {
		case c.Required:
			return nil, fmt.Sprintf("%s is empty; it must be filled in", c.Name)
		case c.NotNull && c.Default != "":
			return r.value(c.Default)
		case c.NotNull:
			return "", ""
		}
		return nil, ""
	}
	switch c.Kind {
	case store.KindCode:
		for _, e := range c.Enum {
			if text == e {
				return text, ""
			}
		}
		return nil, fmt.Sprintf("%s %q is not one of %s", c.Name, text, strings.Join(c.Enum, ", "))
	case store.KindDate:
		return r.date(text)
	case store.KindNumber:
		f, problem := number(text)
		return f, problem
	case store.KindInteger:
		return r.integer(text)
	}
	if c.MaxLen > 0 && utf8.RuneCountInString(text) > c.MaxLen {
		return nil, fmt.Sprintf("%s is %d characters long; at most %d fit", c.Name, utf8.RuneCountInString(text), c.MaxLen)
	}
	return text, ""
}

func (r cellRule) date(text string) (any, string) {
	d, ok := parseDate(text, r.month)
	if !ok {
		return nil, fmt.Sprintf("%q is not a date (enter a date, or write it as YYYY-MM-DD)", text)
	}
	iso := d.Format(time.DateOnly)
	if r.month && d.Day() != 1 {
		return nil, fmt.Sprintf("%s is not the first day of a month", iso)
	}
	return iso, ""
}

func (r cellRule) integer(text string) (any, string) {
	f, problem := number(text)
	if problem != "" {
		return nil, problem
	}
	n := int(f)
	if float64(n) != f {
		return nil, fmt.Sprintf("%s is not a whole number", text)
	}
	if rg := r.intRange; rg != nil && (n < rg[0] || n > rg[1]) {
		return nil, fmt.Sprintf("%s %d is outside %d to %d", r.col.Name, n, rg[0], rg[1])
	}
	return n, ""
}

// parseDate reads a spreadsheet date (its serial number) or ISO text
// (YYYY-MM-DD, optionally with a time of day, which is ignored; YYYY-MM
// in a month column).
func parseDate(text string, month bool) (time.Time, bool) {
	if serial, err := strconv.ParseFloat(text, 64); err == nil {
		if serial < 1 || serial > 2958465 { // 9999-12-31
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			return time.Time{}, false
		}
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	}
	if month && len(text) == len("2006-01") {
		t, err := time.Parse("2006-01", text)
		return t, err == nil
	}
	datePart := text
	if len(text) > len(time.DateOnly) && (text[len(time.DateOnly)] == ' ' || text[len(time.DateOnly)] == 'T') {
		datePart = text[:len(time.DateOnly)]
	}
	t, err := time.Parse(time.DateOnly, datePart)
	return t, err == nil
}

// number reads a real number, or text with a decimal comma or point (and
// spaces or the other mark as thousands separators).
func number(text string) (float64, string) {
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, text)
	comma, point := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && point >= 0 && comma > point: // 1.234,5
		s = strings.ReplaceAll(s[:comma], ".", "") + "." + s[comma+1:]
	case comma >= 0 && point >= 0: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0 && strings.Count(s, ",") == 1:
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || strings.ContainsAny(strings.ToLower(s), "infa"):
		return 0, fmt.Sprintf("%q is not a number", text)
	case !register.PlausibleNumber(f):
		return 0, fmt.Sprintf("%s is beyond the plausible bound ±%g", text, float64(register.MaxMagnitude))
	}
	return f, ""
}
