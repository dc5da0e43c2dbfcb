package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"gevinstrapport/internal/register"
)

// AttentionReason is a stable code for why an item is on the steering
// pack's attention list; the manifest carries these codes and the README
// documents them.
type AttentionReason string

// Attention reasons, most severe first (attentionReasons is the order).
const (
	ReasonRed                  AttentionReason = "red"                    // the indicator's status is red
	ReasonFinalAmbitionMissed  AttentionReason = "final_ambition_missed"  // the final ambition will not be reached by its date
	ReasonYearlyAmbitionMissed AttentionReason = "yearly_ambition_missed" // the forecast (or the year's final figure) misses the yearly ambition
	ReasonInvalidThresholds    AttentionReason = "invalid_thresholds"     // the year's thresholds contradict the direction
	ReasonMissingData          AttentionReason = "missing_data"           // no data for the report period
	ReasonStaleData            AttentionReason = "stale_data"             // the latest data is older than stale_after_periods
	ReasonOverdueAction        AttentionReason = "overdue_action"         // a change action is past its deadline, not implemented or cancelled
	ReasonNoResponsible        AttentionReason = "no_responsible"         // that overdue action has no responsible person
	ReasonWorsening            AttentionReason = "worsening"              // the trend goes the wrong way for an indicator that does not meet its ambition
)

// attentionReasons is every reason in severity order.
var attentionReasons = []AttentionReason{
	ReasonRed, ReasonFinalAmbitionMissed, ReasonYearlyAmbitionMissed, ReasonInvalidThresholds,
	ReasonMissingData, ReasonStaleData, ReasonOverdueAction, ReasonNoResponsible, ReasonWorsening,
}

// AttentionItem is one entry of the attention list: an indicator or a
// change action, every reason it needs a decision, and the numbers behind
// them in words.
type AttentionItem struct {
	Reasons      []AttentionReason // most severe first; never empty
	ReasonTexts  []string          // Reasons worded, same order
	BenefitID    string
	BenefitTitle string
	Owner        string // the benefit owner's name
	IndicatorID  string // "" for an action
	ActionID     string // "" for an indicator
	Subject      string // the indicator's name or the action's title
	Status       register.Status
	StatusText   string
	Detail       string // the numbers behind the reasons, worded
	// Comment is the owner's words on the indicator; BenefitComment those on
	// the whole benefit, set on the benefit's first item only. nil when none.
	Comment        *Comment
	BenefitComment *Comment
}

// severity is the rank of an item's most severe reason (0 is the most severe).
func (it AttentionItem) severity() int {
	return slices.Index(attentionReasons, it.Reasons[0])
}

// buildAttention lists every indicator and overdue change action of the
// pack that needs a decision, most severe first; within a severity the
// pack's benefit order is kept.
func buildAttention(x *register.Index, c *Catalog, bs []SteeringBenefit, p register.Month) []AttentionItem {
	var out []AttentionItem
	for _, sb := range bs {
		b := sb.Section.Benefit
		for _, is := range sb.Section.Indicators {
			reasons := indicatorReasons(is.Indicator, is.Result, p)
			if len(reasons) == 0 {
				continue
			}
			out = append(out, AttentionItem{
				Reasons: reasons, ReasonTexts: reasonTexts(c, reasons),
				BenefitID: b.ID, BenefitTitle: b.Title, Owner: sb.Owner,
				IndicatorID: is.Indicator.ID, Subject: is.Name,
				Status: is.Result.Status, StatusText: is.StatusText,
				Detail:  attentionDetail(c, is.Indicator, is.Result, reasons),
				Comment: is.Comment,
			})
		}
		for _, a := range sb.Section.Actions {
			if !a.Overdue {
				continue
			}
			reasons := []AttentionReason{ReasonOverdueAction}
			if strings.TrimSpace(a.Action.Responsible) == "" {
				reasons = append(reasons, ReasonNoResponsible)
			}
			days := int(p.LastDay().Sub(a.Action.DueDate).Hours() / 24)
			out = append(out, AttentionItem{
				Reasons: reasons, ReasonTexts: reasonTexts(c, reasons),
				BenefitID: b.ID, BenefitTitle: b.Title, Owner: sb.Owner,
				ActionID: a.Action.ID, Subject: a.Title,
				Status: register.Red, StatusText: c.T("actions.overdue"),
				Detail: c.T("steering.attention.overdue_detail", "due", a.Due, "days", strconv.Itoa(max(days, 0)),
					"status", c.ActionStatus(a.Action.Status), "responsible", a.Responsible),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b AttentionItem) int { return cmp.Compare(a.severity(), b.severity()) })
	attachBenefitComments(out, bs)
	return out
}

// attachBenefitComments puts each benefit's own comment beside the first
// (most severe) attention item of that benefit.
func attachBenefitComments(items []AttentionItem, bs []SteeringBenefit) {
	comments := map[string]*Comment{}
	for _, sb := range bs {
		if sb.Section.Comment != nil {
			comments[sb.Section.Benefit.ID] = sb.Section.Comment
		}
	}
	for i := range items {
		id := items[i].BenefitID
		if cm, ok := comments[id]; ok {
			items[i].BenefitComment = cm
			delete(comments, id)
		}
	}
}

// indicatorReasons applies the attention rules to one evaluated indicator
// (README, "The attention list"). A suppressed value is never judged, and a
// worsening trend alone does not flag an indicator that meets its ambition.
func indicatorReasons(ind register.Indicator, res register.Result, p register.Month) []AttentionReason {
	if res.Status == register.Suppressed {
		return nil
	}
	var rs []AttentionReason
	switch res.Status {
	case register.Red:
		rs = append(rs, ReasonRed)
	case register.Invalid:
		rs = append(rs, ReasonInvalidThresholds)
	case register.NoData:
		rs = append(rs, ReasonMissingData)
	}
	if _, _, missed := finalMissed(ind, res, p); missed {
		rs = append(rs, ReasonFinalAmbitionMissed)
	}
	if res.WillReach != nil && !*res.WillReach {
		rs = append(rs, ReasonYearlyAmbitionMissed)
	}
	if res.Stale {
		rs = append(rs, ReasonStaleData)
	}
	if res.Trend == register.Worsening && (res.Status == register.Yellow || len(rs) > 0) {
		rs = append(rs, ReasonWorsening)
	}
	slices.SortFunc(rs, func(a, b AttentionReason) int {
		return cmp.Compare(slices.Index(attentionReasons, a), slices.Index(attentionReasons, b))
	})
	return rs
}

// finalBasis says what a final-ambition verdict rests on.
type finalBasis int

const (
	finalNone     finalBasis = iota // not judged: no target, no date, or the date lies beyond P's year
	finalForecast                   // the date is in P's year: the year-end forecast
	finalMeasured                   // the date is in P's year and its last period is measured
	finalPassed                     // the date is before P's year: the progress reached
)

// finalMissed judges whether the final ambition will be missed by its
// date, and gives the figure it compared (the forecast, the year's figure,
// or the progress reached). Only a date within the report's year or already
// past is judged: a forecast further out would be a guess. For a date in
// the year the year's own figure, once its last period is measured, or
// else the year-end forecast is compared with the target; for a date
// already past, the progress toward it.
func finalMissed(ind register.Indicator, res register.Result, p register.Month) (finalBasis, float64, bool) {
	if res.Target == nil || res.TargetDate.IsZero() || (ind.Direction != register.Up && ind.Direction != register.Down) {
		return finalNone, 0, false
	}
	switch y := res.TargetDate.Year(); {
	case y == p.Year() && yearMeasured(ind, res):
		return finalMeasured, *res.Value, !meetsTarget(*res.Value, *res.Target, ind.Direction)
	case y == p.Year() && res.Forecast != nil:
		return finalForecast, *res.Forecast, !meetsTarget(*res.Forecast, *res.Target, ind.Direction)
	case y < p.Year() && res.Progress != nil:
		return finalPassed, *res.Progress, *res.Progress < 1
	}
	return finalNone, 0, false
}

// yearMeasured says whether the value period is the year's last period and
// has a value, so the forecast is the year's own figure.
func yearMeasured(ind register.Indicator, res register.Result) bool {
	last := ind.Frequency.PeriodStart(register.MonthOf(res.Period.Year(), 12))
	return res.Value != nil && res.ValuePeriod == last
}

// meetsTarget says whether v meets target in direction d.
func meetsTarget(v, target float64, d register.Direction) bool {
	if d == register.Down {
		return v <= target
	}
	return v >= target
}

// reasonTexts words reasons for the list's first column.
func reasonTexts(c *Catalog, rs []AttentionReason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = c.T("steering.attention.reason." + string(r))
	}
	return out
}

// attentionDetail words the numbers behind an indicator's reasons: the
// judged value, the limits, the final and yearly ambition against what is
// expected, the data's age and the trend.
func attentionDetail(c *Catalog, ind register.Indicator, res register.Result, rs []AttentionReason) string {
	has := func(r AttentionReason) bool { return slices.Contains(rs, r) }
	v := func(f float64) string { return c.Value(f, ind.Unit, ind.Decimals) }
	period := c.Period(res.ValuePeriod, ind.Frequency)
	var parts []string
	if res.Value != nil {
		key := "steering.detail.value"
		if ind.Aggregation == register.Sum {
			key = "steering.detail.value_ytd"
		}
		parts = append(parts, c.T(key, "value", valueText(c, ind, res), "period", period))
	}
	th := res.Thresholds
	switch {
	case th != nil && has(ReasonInvalidThresholds):
		parts = append(parts, c.T("steering.attention.invalid", "year", strconv.Itoa(res.Period.Year()),
			"red", v(th.RedLimit), "green", v(th.GreenLimit)))
	case th != nil && res.Value != nil:
		parts = append(parts, c.T("steering.detail.limits", "ambition", v(th.Ambition), "red", v(th.RedLimit)))
	}
	year := strconv.Itoa(res.Period.Year())
	basis, fv, _ := finalMissed(ind, res, res.Period)
	if has(ReasonFinalAmbitionMissed) {
		kv := []string{"target", v(*res.Target), "date", c.Date(res.TargetDate), "year", year, "period", period}
		switch basis {
		case finalForecast:
			parts = append(parts, c.T("steering.attention.final_forecast", append(kv, "value", v(fv))...))
		case finalMeasured:
			parts = append(parts, c.T("steering.attention.final_measured", append(kv, "value", v(fv))...))
		case finalPassed:
			parts = append(parts, c.T("steering.attention.final_passed", append(kv, "progress", c.Percent(fv))...))
		}
	}
	if has(ReasonYearlyAmbitionMissed) && res.YearTarget != nil && !(has(ReasonFinalAmbitionMissed) && basis != finalPassed) {
		key := "steering.attention.yearly_forecast"
		if yearMeasured(ind, res) {
			key = "steering.attention.yearly_measured"
		}
		parts = append(parts, c.T(key, "value", v(*res.Forecast), "ambition", v(*res.YearTarget), "year", year, "period", period))
	}
	if has(ReasonMissingData) || has(ReasonStaleData) {
		parts = append(parts, dataAgeText(c, ind, res, period))
	}
	if res.Trend == register.Improving || res.Trend == register.Worsening || res.Trend == register.Stable {
		parts = append(parts, c.T("steering.detail.trend", "trend", c.T("steering.detail.slope", "trend", c.Trend(res.Trend),
			"slope", signed(c, res.Slope, ind), "per", perPeriodText(c, ind.Frequency))))
	}
	return strings.Join(parts, " ")
}

// dataAgeText words missing or stale data: the period without data and
// the latest period with it.
func dataAgeText(c *Catalog, ind register.Indicator, res register.Result, period string) string {
	latest := Missing
	if res.Latest != nil {
		latest = c.Period(*res.Latest, ind.Frequency)
	}
	if res.Status == register.NoData {
		if res.Latest == nil {
			return c.T("steering.attention.no_data_ever", "period", period)
		}
		return c.T("steering.attention.no_data", "period", period, "latest", latest)
	}
	return c.T("steering.attention.stale", "latest", latest)
}
