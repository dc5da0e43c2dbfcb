package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// NBSP is the no-break space used as thousands separator and between a
// number and its unit, so that "7 624 000 kr" never breaks across lines.
const NBSP = "\u00a0"

// Missing is what a report shows where a figure cannot be given.
const Missing = "–"

// round rounds like the evaluation does (register.Round: what people see is
// what is judged) and turns negative zero into zero.
func round(v float64, decimals int) float64 {
	r := register.Round(v, decimals)
	if r == 0 {
		return 0
	}
	return r
}

// Number formats v with decimals places as the catalogue's language writes
// numbers: in nb and nn decimal comma, no-break space between thousands and
// the minus sign U+2212; in en decimal point and comma between thousands.
func (c *Catalog) Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Missing
	}
	if decimals < 0 {
		decimals = 0
	}
	return c.printer.Sprintf("%.*f", decimals, round(v, decimals))
}

// Value formats v with the indicator unit, as Unit words it, after a
// no-break space ("10,0 %", "7 624 000 kr", "12,5 minutes"); an empty unit,
// or one that is only a count ("antall"), gives the number alone.
func (c *Catalog) Value(v float64, unit string, decimals int) string {
	n := c.Number(v, decimals)
	unit = c.Unit(unit)
	if unit == "" || n == Missing {
		return n
	}
	return n + NBSP + unit
}

// Unit words an indicator's unit as written in the register through the
// catalogue's unit table ("unit.<unit>": "poeng" → "points" in English,
// "antall" → "", since a count needs no unit); a unit the table does not
// know is kept as written.
func (c *Catalog) Unit(unit string) string {
	u := strings.TrimSpace(unit)
	if t, ok := c.texts["unit."+strings.ToLower(u)]; ok {
		return t
	}
	return u
}

// StatusCount words n indicators of status s with the status word agreeing
// with n: "1 grønn", "12 grønne", "2 røde" ("status.part_of_whole" for the
// parts of a sum that are shown and not judged).
func (c *Catalog) StatusCount(n int, s register.Status) string {
	form := "other"
	if n == 1 {
		form = "one"
	}
	return c.T("count."+string(s)+"."+form, "n", strconv.Itoa(n))
}

// Count returns the text of key's ".one" form when the count n is "1" and
// of its ".other" form otherwise, so that noun and verb agree with n
// ("1 måling mangler", "3 målinger mangler"); n fills {n}.
func (c *Catalog) Count(key, n string, kv ...string) string {
	form := ".other"
	if n == "1" {
		form = ".one"
	}
	return c.T(key+form, append([]string{"n", n}, kv...)...)
}

// IndicatorValue formats v in ind's unit and decimals; nil gives Missing.
func (c *Catalog) IndicatorValue(ind register.Indicator, v *float64) string {
	if v == nil {
		return Missing
	}
	return c.Value(*v, ind.Unit, ind.Decimals)
}

// Percent formats a fraction as a whole percentage, e.g. 0.45 → "45 %".
func (c *Catalog) Percent(frac float64) string {
	return c.Value(frac*100, "%", 0)
}

// Month words m, e.g. "september 2025" (nb, nn) or "September 2025" (en).
func (c *Catalog) Month(m register.Month) string {
	return c.T("fmt.month", "month", c.T("month."+strconv.Itoa(int(m.Month()))), "year", strconv.Itoa(m.Year()))
}

// MonthShort words m briefly for chart axes, e.g. "sep. 25".
func (c *Catalog) MonthShort(m register.Month) string {
	return c.T("fmt.month_short", "month", c.T("month_short."+strconv.Itoa(int(m.Month()))),
		"yy", strconv.Itoa(m.Year()%100 + 100)[1:])
}

// Date words the calendar date of t, e.g. "3. oktober 2025" (nb, nn) or
// "3 October 2025" (en); t is taken in its own location.
func (c *Catalog) Date(t time.Time) string {
	return c.T("fmt.date", "day", strconv.Itoa(t.Day()),
		"month", c.T("month."+strconv.Itoa(int(t.Month()))), "year", strconv.Itoa(t.Year()))
}

// Period words the period of frequency f that starts at start: a month
// ("september 2025"), a quarter ("3. kvartal 2025") or a year ("2025").
func (c *Catalog) Period(start register.Month, f register.Frequency) string {
	start = f.PeriodStart(start)
	switch f {
	case register.Quarterly:
		return c.T("period.quarter", "q", strconv.Itoa(int(start.Month()-1)/3+1), "year", strconv.Itoa(start.Year()))
	case register.Yearly:
		return c.T("period.year", "year", strconv.Itoa(start.Year()))
	default:
		return c.Month(start)
	}
}

// Status words a status, e.g. "Grønn" or "Mangler data".
func (c *Catalog) Status(s register.Status) string { return c.T("status." + string(s)) }

// Trend words a trend, e.g. "Bedring".
func (c *Catalog) Trend(t register.Trend) string {
	if t == "" {
		t = register.TrendUnknown
	}
	return c.T("trend." + string(t))
}

// Category words a benefit category, e.g. "Pasientsikkerhet og kvalitet".
func (c *Catalog) Category(cat register.Category) string { return c.T("category." + string(cat)) }

// Phase words a benefit phase, e.g. "Realisere".
func (c *Catalog) Phase(p register.Phase) string {
	if p == "" {
		p = register.PhaseRealise
	}
	return c.T("phase." + string(p))
}

// ActionStatus words a change action's state, e.g. "Pågår".
func (c *Catalog) ActionStatus(s register.ActionStatus) string { return c.T("action." + string(s)) }

// slopeDecimals is how many decimals a change per period needs so that it
// is not rounded away ("−0,3 minutter", never "0 minutter"): the
// indicator's own decimals, or more until a significant digit shows, at
// most three.
func slopeDecimals(v float64, decimals int) int {
	a := math.Abs(v)
	if a == 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return decimals
	}
	need := int(math.Ceil(-math.Log10(a)))
	return max(decimals, min(need, 3))
}

// overdueText words how many change actions are past their deadline, the
// verb agreeing with the count ("1 action is", "2 actions are").
func overdueText(c *Catalog, n int) string {
	if n == 1 {
		return c.T("actions.overdue_count_one", "n", "1")
	}
	return c.T("actions.overdue_count", "n", strconv.Itoa(n))
}
