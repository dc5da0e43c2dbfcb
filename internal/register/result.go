package register

import "time"

// Status is the traffic-light verdict on an indicator, or why there is none.
type Status string

// Statuses, with the names the manifest uses.
const (
	Green      Status = "green"
	Yellow     Status = "yellow"
	Red        Status = "red"
	NoData     Status = "no_data"
	Suppressed Status = "suppressed"
	NoAmbition Status = "no_ambition"
	Invalid    Status = "invalid"
)

// Trend classifies the least-squares slope of the last periods, direction-aware.
type Trend string

// Trends; TrendUnknown when fewer than three periods have data.
const (
	Improving    Trend = "improving"
	Stable       Trend = "stable"
	Worsening    Trend = "worsening"
	TrendUnknown Trend = "unknown"
)

// Settings are the evaluation settings that come from the config.
type Settings struct {
	RedFraction       float64 // red_limit default: baseline + RedFraction × (green − baseline); 0.5
	StaleAfterPeriods int     // flag when the latest data is older than this many periods; 2
	TrendPeriods      int     // periods with data in the trend fit; 6
	// Today is the run's date: Check flags measurement periods that start
	// after it. The zero time skips that check.
	Today time.Time
}

// DefaultSettings are the SPEC defaults.
func DefaultSettings() Settings {
	return Settings{RedFraction: 0.5, StaleAfterPeriods: 2, TrendPeriods: 6}
}

// NoteCode identifies a data-quality note so reports can word it per language.
type NoteCode string

// Severity of a data-quality note.
type Severity string

// Severities as the manifest names them.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Note is a data-quality or evaluation note on one indicator (and scope).
// Message is English and goes to the manifest and logs; reports word the
// note from Code and Args in the reader's language.
type Note struct {
	Code        NoteCode
	Severity    Severity
	IndicatorID string
	Scope       string
	Args        []string
	Message     string
}

// Point is one period of a scope's series. Value is nil when there is no
// data or the cell is suppressed.
type Point struct {
	Period     Month
	Value      *float64
	Suppressed bool
}

// Thresholds are the limits applied for one year (pro-rated for sum indicators).
type Thresholds struct {
	Ambition   float64 // the yearly ambition as applied (pro-rated for sum)
	RedLimit   float64
	GreenLimit float64
}

// Result is the evaluation of one indicator for one scope and report period.
type Result struct {
	IndicatorID string
	BenefitID   string
	Scope       string // org_unit id at the root of the scope
	Period      Month  // the report period P
	ValuePeriod Month  // the indicator's period containing P (first month)

	Value      *float64 // the judged value, rounded to Decimals, after scale; YTD for sum; nil when not shown
	Status     Status
	Thresholds *Thresholds // nil without an ambition row for P's year
	YearTarget *float64    // the yearly ambition's full target_value
	Baseline   *float64
	Target     *float64 // final ambition
	TargetDate time.Time
	Progress   *float64 // fraction toward the final ambition, direction-aware; nil when n/a

	Trend     Trend
	Slope     float64  // per period, in value units (positive = rising)
	Forecast  *float64 // trend projected to the last period of P's year (YTD total for sum)
	WillReach *bool    // whether the forecast meets the yearly ambition

	// PartOfWhole is set for a sum indicator evaluated for a part of its
	// benefit's scope (a holder's unit): the yearly ambition, final target
	// and baseline_value are amounts for the whole benefit, so the part is
	// shown and not judged, and those amounts are not given for it.
	PartOfWhole bool

	Latest *Month // latest period with data in scope
	Stale  bool

	Series []Point      // every period of the scope up to P, oldest first
	Units  []UnitResult // per-unit breakdown when the scope has several units with data
	Notes  []Note
}

// UnitResult is one unit's part of a scope's value for the report period.
type UnitResult struct {
	UnitID string
	Value  *float64
	Status Status
}

// AnnualResult is the evaluation of one indicator for one scope and a whole
// year (rule 11), for the annual evaluation report.
type AnnualResult struct {
	IndicatorID string
	BenefitID   string
	Scope       string
	Year        int

	Value       *float64 // the annual figure rounded to Decimals; nil when no data or suppressed
	Status      Status   // the annual figure against the full-year thresholds
	Thresholds  *Thresholds
	YearTarget  *float64 // the yearly ambition's target_value
	AmbitionMet *bool    // Value meets YearTarget, direction-aware; nil when either is missing or the year is not complete
	// OnTrack is the verdict on a year not yet complete: the year-to-date
	// figure meets the yearly ambition (pro-rated for a sum); AmbitionMet is
	// then nil. The report sets it; Annual leaves it nil.
	OnTrack *bool

	Baseline *float64
	Change   *float64 // Value − ChangeFrom, rounded to Decimals
	// ChangeFrom is the baseline Change is measured from: Baseline, or, for
	// a sum in a year not yet complete, its part pro-rated to the data's
	// last period (the report sets that; Annual sets Baseline).
	ChangeFrom *float64

	Target       *float64 // final ambition
	TargetDate   time.Time
	FinalReached *bool // Value meets Target, direction-aware

	// MissingPeriods are the year's periods without data (sum indicators),
	// whose total then undercounts the year.
	MissingPeriods []Month

	SuggestedAmbition *float64 // ambition suggested for Year+1
	NextAmbition      *float64 // the ambition registered for Year+1 (indicator_ambition), nil when none
	Notes             []Note
}
