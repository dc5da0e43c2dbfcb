package register

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Bounds of what a register row may plausibly hold. A number beyond
// MaxMagnitude (a thousand billion, well above any count, minute or krone
// total of a national register) is a data error, not a figure; an id longer
// than MaxIDLength characters (the contract's VARCHAR(100)) or empty
// cannot serve as a key.
const (
	MaxMagnitude = 1e12
	MaxIDLength  = 100
	MinDecimals  = 0
	MaxDecimals  = 9
)

// SkippedRow is a row of the reporting database that could not be read (a
// NULL key or required value, text in a number column, a non-finite or
// absurd number, a malformed or mid-month date, an unknown frequency). The
// row is left out of the register and named in a finding.
type SkippedRow struct {
	Table       string // the contract's table (or view) name
	Key         string // the row's key as findings print it, ids quoted
	ID          string // the id the row defines, "" when NULL or composite
	IndicatorID string // the indicator the row belongs to, "" when none or unknown
	Reason      string
}

// PlausibleNumber reports whether v is finite and within ±MaxMagnitude.
func PlausibleNumber(v float64) bool {
	return !math.IsNaN(v) && math.Abs(v) <= MaxMagnitude
}

// Finite reports whether v is neither NaN nor ±Inf.
func Finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Valid reports whether f is a frequency of the data contract.
func (f Frequency) Valid() bool { return f == Monthly || f == Quarterly || f == Yearly }

// QuoteID prints an id for a finding: quoted, with control characters and
// invalid UTF-8 escaped, so an id holding a newline or ESC cannot forge
// extra lines or terminal sequences.
func QuoteID(id string) string { return strconv.Quote(id) }

// quoteIDs quotes each id with QuoteID.
func quoteIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = QuoteID(id)
	}
	return out
}

// idProblem says what makes a defining id unusable as a key, "" when nothing.
func idProblem(id string) string {
	switch n := utf8.RuneCountInString(id); {
	case n == 0:
		return "is empty"
	case n > MaxIDLength:
		return "is " + strconv.Itoa(n) + " characters long (at most " + strconv.Itoa(MaxIDLength) + ")"
	}
	return ""
}
