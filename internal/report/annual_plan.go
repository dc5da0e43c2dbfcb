package report

import (
	"strconv"
	"time"

	"gevinstrapport/internal/register"
)

// suggestionHistoryYears is how many years before the report's year the
// warning on a suggested ambition looks back for the largest yearly step.
const suggestionHistoryYears = 4

// suggestionStepMargin is how much larger than the best yearly step before
// a suggestion's step must be to be warned about: a fifth more. A step
// within that margin (8,7 against 7,9 prosentpoeng) is the same order of
// progress the indicator has shown, and a warning on it would be noise.
const suggestionStepMargin = 1.2

// AnnualSavings is the annual report's realised savings for the year,
// counting each saving once: kroner indicators (sum, up) of the savings
// benefits in the report, leaving out benefits whose savings another
// benefit already counts (counted_in_benefit_id).
type AnnualSavings struct {
	Realised           float64 // Σ annual figures (year to date in a partial year); missing count 0
	Ambition           float64 // Σ full yearly ambitions; missing count 0
	Prorated           float64 // Σ ambitions pro-rated to the data's last month (partial year), else = Ambition
	Items              []AnnualSavingsItem
	Excluded           []SavingsExclusion
	ExcludedBenefitIDs []string
	Text               string // summary sentence; "" when the report has no savings indicator
}

// AnnualSavingsItem is one counted kroner indicator.
type AnnualSavingsItem struct {
	BenefitID     string
	BenefitTitle  string
	IndicatorID   string
	IndicatorName string
	Status        register.Status
	StatusText    string
	RealisedText  string
	AmbitionText  string
}

// nextAmbitionText words the ambition registered for year+1, shown beside
// the suggested one; "" when none is registered.
func nextAmbitionText(c *Catalog, ind register.Indicator, res register.AnnualResult, next string) string {
	if res.NextAmbition == nil {
		return ""
	}
	return c.T("annual.suggest.registered", "next", next, "value", c.IndicatorValue(ind, res.NextAmbition))
}

// suggestionWarning warns when the suggested ambition asks for a clearly
// larger step in one year (by suggestionStepMargin) than any yearly step of
// the indicator's complete years before (up to suggestionHistoryYears back, the report's year included as
// the last step's end); "" when the history shows such a step, or is too
// short to tell (fewer than two annual figures).
func suggestionWarning(x *register.Index, c *Catalog, ind register.Indicator, res register.AnnualResult, s register.Settings) string {
	if res.SuggestedAmbition == nil || res.Value == nil || (ind.Direction != register.Up && ind.Direction != register.Down) {
		return ""
	}
	sign := 1.0
	if ind.Direction == register.Down {
		sign = -1
	}
	need := register.Round(sign*(*res.SuggestedAmbition-*res.Value), ind.Decimals)
	if need <= 0 {
		return ""
	}
	figures := []float64{*res.Value}
	from := res.Year
	for y := res.Year - 1; y >= res.Year-suggestionHistoryYears; y-- {
		r := x.Annual(ind, res.Scope, y, s)
		if n, all := annualCoverage(x, ind, res.Scope, y, register.MonthOf(y, time.December), s); r.Value == nil || n < all {
			break // only complete years: a part year's figure is no step
		}
		figures = append(figures, *r.Value)
		from = y
	}
	if len(figures) < 2 {
		return ""
	}
	best := sign * (figures[0] - figures[1])
	for i := 1; i+1 < len(figures); i++ {
		best = max(best, sign*(figures[i]-figures[i+1]))
	}
	best = register.Round(best, ind.Decimals)
	if !stepUnprecedented(need, best) {
		return ""
	}
	kv := []string{"step", stepText(c, ind, need), "from", strconv.Itoa(from), "next", strconv.Itoa(res.Year + 1)}
	if best <= 0 {
		return c.T("annual.suggest.unprecedented_none", kv...)
	}
	return c.T("annual.suggest.unprecedented", append(kv, "best", stepText(c, ind, best))...)
}

// stepUnprecedented says whether a suggestion's step need is clearly
// larger than the best yearly step before: more than suggestionStepMargin
// times it, or any step at all when the figure never improved.
func stepUnprecedented(need, best float64) bool {
	if best <= 0 {
		return need > 0
	}
	return need > best*suggestionStepMargin
}

// stepText words a change between two figures: percentage points for a %
// indicator, the unit otherwise.
func stepText(c *Catalog, ind register.Indicator, v float64) string {
	n := c.Number(v, ind.Decimals)
	if ind.Unit == "%" {
		return n + NBSP + c.T("annual.pp")
	}
	if u := c.Unit(ind.Unit); u != "" {
		return n + NBSP + u
	}
	return n
}

// buildAnnualSavings sums the realised savings of the report's savings
// benefits for the year, each saving once.
func buildAnnualSavings(x *register.Index, c *Catalog, rep *AnnualReport) AnnualSavings {
	sv := AnnualSavings{ExcludedBenefitIDs: []string{}}
	ys := strconv.Itoa(rep.Year)
	kr := func(v float64) string { return c.Value(v, "kr", 0) }
	for _, sec := range rep.Benefits {
		b := sec.Benefit
		if b.Category != register.Savings {
			continue
		}
		var realised *float64
		for _, ai := range sec.Indicators {
			res := ai.Result
			if !isSavingsIndicator(ai.Indicator) {
				continue
			}
			if b.CountedInBenefitID != "" {
				if res.Value != nil {
					realised = register.F(*res.Value + deref(realised))
				}
				continue
			}
			it := AnnualSavingsItem{BenefitID: b.ID, BenefitTitle: b.Title, IndicatorID: ai.Indicator.ID, IndicatorName: ai.Name,
				Status: res.Status, StatusText: ai.StatusText, RealisedText: ai.Value, AmbitionText: ai.Ambition}
			if res.Value != nil {
				sv.Realised += *res.Value
			}
			if res.YearTarget != nil {
				sv.Ambition += *res.YearTarget
				part := *res.YearTarget
				if th := res.Thresholds; th != nil && rep.Partial {
					part = th.Ambition // pro-rated for a sum in a partial year
				}
				sv.Prorated += part
			}
			sv.Items = append(sv.Items, it)
		}
		if b.CountedInBenefitID != "" {
			value := Missing
			if realised != nil {
				value = kr(*realised)
			}
			sv.Excluded = append(sv.Excluded, SavingsExclusion{BenefitID: b.ID, BenefitTitle: b.Title, CountedIn: b.CountedInBenefitID,
				Realised: realised, Reason: c.T("annual.savings.excluded", "benefit", benefitLabel(x, b.CountedInBenefitID), "value", value, "year", ys)})
			sv.ExcludedBenefitIDs = append(sv.ExcludedBenefitIDs, b.ID)
		}
	}
	switch {
	case len(sv.Items) == 0:
	case sv.Ambition == 0:
		sv.Text = c.T("annual.savings.text_no_ambition", "year", ys, "realised", kr(sv.Realised))
	case rep.Partial:
		sv.Text = c.T("annual.savings.text_partial", "year", ys, "month", rep.DataThroughText, "realised", kr(sv.Realised),
			"prorated", kr(sv.Prorated), "ambition", kr(sv.Ambition))
	default:
		sv.Text = c.T("annual.savings.text", "year", ys, "realised", kr(sv.Realised), "ambition", kr(sv.Ambition),
			"share", c.Percent(sv.Realised/sv.Ambition))
	}
	return sv
}

// deref is *p, or 0 for nil.
func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// completedLate says whether a change action was completed after its deadline.
func completedLate(a register.ChangeAction) bool {
	return !a.DueDate.IsZero() && !a.CompletedOn.IsZero() && a.CompletedOn.After(endOfDay(a.DueDate))
}

// endOfDay is the last instant of t's calendar day.
func endOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, t.Location())
}
