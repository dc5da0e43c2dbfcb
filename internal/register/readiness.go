package register

import "slices"

// DefaultMinCoverage is the share of the active monthly indicators that must
// have data for a month before its reports are sent (SPEC §8).
const DefaultMinCoverage = 0.8

// ReadyState is what the readiness rule found for a report month.
type ReadyState string

// The readiness states, from worst to best.
const (
	// RegisterEmpty: the register holds no measurement at all, or no active
	// indicator; a wrong view or missing grants, never a late load.
	RegisterEmpty ReadyState = "empty"
	// NoPeriodData: not one active indicator has a measurement for the period.
	NoPeriodData ReadyState = "no_data"
	// NotReady: some active monthly indicators have data, fewer than the
	// minimum coverage asks for.
	NotReady ReadyState = "not_ready"
	// Ready: the minimum coverage is met.
	Ready ReadyState = "ready"
)

// Readiness is the result of the readiness rule for one report month.
type Readiness struct {
	State       ReadyState
	Month       Month   // the month whose coverage was judged (the period's last)
	MinCoverage float64 // the share asked for
	Covered     int     // active monthly indicators with a measurement for Month
	Total       int     // active monthly indicators
	Missing     []string
	Active      int // active indicators of any frequency
	Rows        int // measurement rows in the whole register
	Latest      Month
	HasLatest   bool // the register has a latest period (Latest)
}

// Coverage is Covered/Total; 1 when there are no monthly indicators to wait for.
func (r Readiness) Coverage() float64 {
	if r.Total == 0 {
		return 1
	}
	return float64(r.Covered) / float64(r.Total)
}

// Active reports whether a benefit is still followed up (every phase but closed).
func (b Benefit) Active() bool { return b.Phase != PhaseClosed }

// Readiness applies the readiness rule to the report period first..last
// (one month, or a year's twelve): of the active monthly indicators (those
// of benefits not closed), the share with at least one usable measurement
// for the last month must reach minCoverage. A measurement is usable when
// the evaluation can use it: numerator and denominator for a ratio, a value
// otherwise; a row of NULLs is a placeholder, not data. When no active
// indicator has a usable measurement anywhere in the period, the state is
// NoPeriodData whatever minCoverage says.
//
// Only monthly indicators are counted because only they are due every
// month: a quarterly or yearly figure arrives after its period ends, so
// waiting for it would hold back two months of every three. A register
// without monthly indicators is ready once any indicator has data for the
// period. Coverage is judged on the last month: for the annual report that
// is December, the last month to be loaded, while the earlier months were
// already judged month by month.
func (x *Index) Readiness(first, last Month, minCoverage float64) Readiness {
	r := Readiness{Month: last, MinCoverage: minCoverage, Rows: len(x.reg.Measurements) + x.reg.Unread.Rows}
	r.Latest, r.HasLatest = x.LatestPeriod()
	anyData := false
	for _, id := range x.activeBenefitIDs() {
		for _, ind := range x.indicatorsOf[id] {
			r.Active++
			anyData = anyData || x.hasDataIn(ind, first, last)
			if ind.Frequency.Months() != 1 {
				continue
			}
			r.Total++
			if x.hasDataIn(ind, last, last) {
				r.Covered++
			} else {
				r.Missing = append(r.Missing, ind.ID)
			}
		}
	}
	slices.Sort(r.Missing)
	switch {
	case r.Rows == 0 || r.Active == 0:
		r.State = RegisterEmpty
	case !anyData:
		r.State = NoPeriodData
	case r.Coverage() < minCoverage:
		r.State = NotReady
	default:
		r.State = Ready
	}
	return r
}

// activeBenefitIDs lists the ids of the benefits that are not closed (the
// register's first row for an id), sorted.
func (x *Index) activeBenefitIDs() []string {
	var ids []string
	for id, b := range x.benefits {
		if b.Active() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// hasDataIn reports whether ind has a usable measurement for a period of
// its frequency that overlaps the months first..last.
func (x *Index) hasDataIn(ind Indicator, first, last Month) bool {
	from := ind.Frequency.PeriodStart(first)
	for _, i := range x.measByInd[ind.ID] {
		row := &x.reg.Measurements[i]
		if row.Period < from || row.Period > last {
			continue
		}
		if ind.Aggregation == Ratio {
			if row.Numerator != nil && row.Denominator != nil {
				return true
			}
		} else if row.Value != nil {
			return true
		}
	}
	return false
}
