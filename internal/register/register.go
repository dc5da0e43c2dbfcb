// Package register holds the benefit register's domain types and the
// evaluation rules of SPEC §4. It is pure: no I/O, no clock, no globals.
package register

import (
	"fmt"
	"time"
)

// Month is a calendar month, counted as year*12 + (month-1), so that
// arithmetic on periods is plain integer arithmetic.
type Month int

// MonthOf returns the Month for a year and a calendar month.
func MonthOf(year int, m time.Month) Month { return Month(year*12 + int(m) - 1) }

// MonthFromTime returns the Month that contains t (in t's location).
func MonthFromTime(t time.Time) Month { return MonthOf(t.Year(), t.Month()) }

// ParseMonth parses "YYYY-MM" (also accepts a full date "YYYY-MM-DD" whose day is 1).
func ParseMonth(s string) (Month, error) {
	for _, layout := range []string{"2006-01", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Day() != 1 {
				return 0, fmt.Errorf("period %q is not the first day of a month", s)
			}
			return MonthFromTime(t), nil
		}
	}
	return 0, fmt.Errorf("period %q is not YYYY-MM", s)
}

// Year is the calendar year of m.
func (m Month) Year() int { return floorDiv(int(m), 12) }

// Month is the calendar month of m.
func (m Month) Month() time.Month { return time.Month(int(m)-m.Year()*12) + 1 }

// Add returns m moved by n months.
func (m Month) Add(n int) Month { return m + Month(n) }

// FirstDay is midnight UTC of the first day of m.
func (m Month) FirstDay() time.Time { return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC) }

// LastDay is midnight UTC of the last day of m.
func (m Month) LastDay() time.Time { return m.Add(1).FirstDay().AddDate(0, 0, -1) }

// String formats m as "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), int(m.Month())) }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Frequency is how often an indicator is measured; a period is the first
// month of the month, quarter or year it covers.
type Frequency string

// Frequencies of the data contract.
const (
	Monthly   Frequency = "month"
	Quarterly Frequency = "quarter"
	Yearly    Frequency = "year"
)

// Months is the length of one period of f in months.
func (f Frequency) Months() int {
	switch f {
	case Quarterly:
		return 3
	case Yearly:
		return 12
	default:
		return 1
	}
}

// PeriodStart returns the first month of f's period that contains m.
func (f Frequency) PeriodStart(m Month) Month {
	n := f.Months()
	return Month(floorDiv(int(m), n) * n)
}

// Direction says whether higher or lower values are better.
type Direction string

// Directions of the data contract.
const (
	Up   Direction = "up"
	Down Direction = "down"
)

// Aggregation says how unit values combine into a scope value.
type Aggregation string

// Aggregations of the data contract.
const (
	Ratio Aggregation = "ratio"
	Sum   Aggregation = "sum"
	Mean  Aggregation = "mean"
)

// Category is one of the five HIMSS value areas.
type Category string

// Categories of the data contract, in report order.
const (
	Satisfaction       Category = "satisfaction"
	QualitySafety      Category = "quality_safety"
	DataSecurity       Category = "data_security"
	PatientInvolvement Category = "patient_involvement"
	Savings            Category = "savings"
)

// Categories lists every category in report order.
var Categories = []Category{Satisfaction, QualitySafety, DataSecurity, PatientInvolvement, Savings}

// Phase is where a benefit is in the realisation cycle.
type Phase string

// Phases of the data contract.
const (
	PhaseIdentify Phase = "identify"
	PhasePlan     Phase = "plan"
	PhaseRealise  Phase = "realise"
	PhaseEvaluate Phase = "evaluate"
	PhaseClosed   Phase = "closed"
)

// OrgKind is the kind of an organisational unit.
type OrgKind string

// Organisation kinds of the data contract.
const (
	KindRHF     OrgKind = "rhf"
	KindHF      OrgKind = "hf"
	KindKommune OrgKind = "kommune"
	KindUnit    OrgKind = "unit"
)

// ActionStatus is the state of a change action.
type ActionStatus string

// Change action states of the data contract.
const (
	ActionPlanned     ActionStatus = "planned"
	ActionInProgress  ActionStatus = "in_progress"
	ActionImplemented ActionStatus = "implemented"
	ActionCancelled   ActionStatus = "cancelled"
)

// OrgUnit is a hospital trust, municipality or unit; ParentID is "" at the top.
type OrgUnit struct {
	ID       string
	Name     string
	Kind     OrgKind
	ParentID string
}

// Person is a benefit owner, holder or other recipient. Language is "" when
// the config default applies.
type Person struct {
	ID       string
	Name     string
	Email    string
	Language string
}

// Benefit is a benefit goal with its owner (gevinstansvarlig).
type Benefit struct {
	ID                 string
	Title              string
	Description        string
	Category           Category
	OrgUnitID          string
	OwnerID            string
	Phase              Phase
	CountedInBenefitID string // "" when the benefit's savings are its own
}

// Holder is a benefit holder (gevinsteier): a person responsible for one
// unit's part of a benefit.
type Holder struct {
	BenefitID string
	OrgUnitID string
	PersonID  string
}

// Indicator is a KPI tied to a benefit. Nullable numbers are pointers;
// a zero TargetDate means none.
type Indicator struct {
	ID             string
	BenefitID      string
	Name           string
	Unit           string
	Direction      Direction
	Aggregation    Aggregation
	Frequency      Frequency
	Decimals       int
	Scale          *float64
	BaselineValue  *float64
	BaselinePeriod *Month
	TargetValue    *float64
	TargetDate     time.Time
	MinDenominator *float64
	DataSource     string
}

// EffectiveScale is the indicator's scale, defaulting to 100 for "%" and 1 otherwise.
func (ind *Indicator) EffectiveScale() float64 {
	if ind.Scale != nil {
		return *ind.Scale
	}
	if ind.Unit == "%" {
		return 100
	}
	return 1
}

// Ambition is an indicator's yearly ambition with its optional thresholds.
type Ambition struct {
	IndicatorID string
	Year        int
	Target      float64
	RedLimit    *float64
	GreenLimit  *float64
	RevisedOn   time.Time // zero when never revised
	Note        string
}

// Measurement is one unit's figure for one indicator and period.
type Measurement struct {
	IndicatorID string
	OrgUnitID   string
	Period      Month
	Value       *float64
	Numerator   *float64
	Denominator *float64
}

// ChangeAction is an entry of the benefits realisation plan.
type ChangeAction struct {
	ID          string
	BenefitID   string
	Title       string
	Responsible string
	DueDate     time.Time // zero when none
	Status      ActionStatus
	CompletedOn time.Time // zero when not completed
	Note        string
}

// Register is the whole reporting database as read in one run.
type Register struct {
	Units        []OrgUnit
	People       []Person
	Benefits     []Benefit
	Holders      []Holder
	Indicators   []Indicator
	Ambitions    []Ambition
	Measurements []Measurement
	Actions      []ChangeAction
	Comments     []Comment // optional table commentary; empty when absent
	// Skipped are the rows the load could not read; Check reports them.
	Skipped []SkippedRow
	// Unread sums up the measurement rows a windowed load left in the
	// database (none after a full load): they count for LatestPeriod and
	// the readiness row count, never in a figure.
	Unread UnreadRows
}

// UnreadRows is how many measurement rows were left unread and the latest
// period among them.
type UnreadRows struct {
	Rows   int
	Latest Month // meaningful when Rows > 0
}

// F returns a pointer to v, for building nullable numbers.
func F(v float64) *float64 { return &v }
