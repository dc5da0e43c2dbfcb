package register

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cellState says whether a cell can be shown.
type cellState int

const (
	stNone       cellState = iota // no usable rows, or a ratio with Σdenominator 0
	stSuppressed                  // below min_denominator
	stValue                       // shown
)

// cellValue applies rules 1 and 2 to one cell: ratio = Σnum/Σden × scale
// (no data when no rows or Σden is 0), sum = Σvalue, mean = Σvalue/rows.
// The cell is suppressed when min_denominator is set and Σden (ratio) or the
// contributing row count (sum, mean) is below it; equal is shown.
func cellValue(ind *Indicator, c cell) (float64, cellState) {
	if c.n == 0 {
		return 0, stNone
	}
	switch ind.Aggregation {
	case Ratio:
		if c.den == 0 {
			return 0, stNone
		}
		if ind.MinDenominator != nil && c.den < *ind.MinDenominator {
			return 0, stSuppressed
		}
		return c.num / c.den * ind.EffectiveScale(), stValue
	case Sum, Mean:
		if ind.MinDenominator != nil && float64(c.n) < *ind.MinDenominator {
			return 0, stSuppressed
		}
		if ind.Aggregation == Sum {
			return c.val, stValue
		}
		return c.val / float64(c.n), stValue
	}
	return 0, stNone
}

// suppressionMeasure is what min_denominator is compared with: Σden for
// ratio, the contributing row count otherwise.
func suppressionMeasure(ind *Indicator, c cell) float64 {
	if ind.Aggregation == Ratio {
		return c.den
	}
	return float64(c.n)
}

// ytd is a sum indicator's year-to-date total over the periods of vp's year
// from January up to and including vp (rule 5). It is no data when vp itself
// has none, suppressed when any period in it is suppressed; missing counts
// earlier periods without data (they add nothing), n the contributing rows.
func ytd(ind *Indicator, r *rollup, cells []cell, vp Month) (total float64, st cellState, missing int, n float64) {
	first, _ := yearPeriods(ind.Frequency, vp.Year())
	suppressed := false
	for p := first; p <= vp; p += Month(r.step) {
		c := r.cellAt(cells, p)
		n += suppressionMeasure(ind, c)
		v, s := cellValue(ind, c)
		switch s {
		case stNone:
			if p != vp {
				missing++
			}
		case stSuppressed:
			suppressed = true
		case stValue:
			total += v
		}
	}
	if _, s := cellValue(ind, r.cellAt(cells, vp)); s == stNone {
		return 0, stNone, missing, n
	}
	if suppressed {
		return 0, stSuppressed, missing, n
	}
	return total, stValue, missing, n
}

// periodsPerYear is how many periods of f make a year.
func periodsPerYear(f Frequency) int { return 12 / f.Months() }

// validAggregation and validDirection tell whether an enum is in the data contract.
func validAggregation(a Aggregation) bool { return a == Ratio || a == Sum || a == Mean }

func validDirection(d Direction) bool { return d == Up || d == Down }

// meets reports whether v is at least as good as limit in direction d.
func meets(v, limit float64, d Direction) bool {
	if d == Down {
		return v <= limit
	}
	return v >= limit
}

// judge applies rule 4 to an already rounded value: up is green at
// v ≥ green, red at v < red; down is green at v ≤ green, red at v > red;
// yellow between.
func judge(v float64, d Direction, t Thresholds) Status {
	switch {
	case meets(v, t.GreenLimit, d):
		return Green
	case d == Down && v > t.RedLimit, d != Down && v < t.RedLimit:
		return Red
	}
	return Yellow
}

// thresholdsValid reports whether red and green agree with the direction:
// for up red ≤ green, for down red ≥ green.
func thresholdsValid(d Direction, t Thresholds) bool {
	if d == Down {
		return t.RedLimit >= t.GreenLimit
	}
	return t.RedLimit <= t.GreenLimit
}

// yearThresholds applies rule 3 to a yearly ambition: green_limit defaults to
// the ambition's target, red_limit to baseline + RedFraction × (green −
// baseline); without a baseline and a red_limit, red = green (no yellow
// band, noted).
func yearThresholds(ind *Indicator, amb Ambition, baseline *float64, scope string, s Settings) (Thresholds, []Note) {
	t := Thresholds{Ambition: amb.Target, GreenLimit: amb.Target}
	if amb.GreenLimit != nil {
		t.GreenLimit = *amb.GreenLimit
	}
	var notes []Note
	switch {
	case amb.RedLimit != nil:
		t.RedLimit = *amb.RedLimit
	case baseline != nil:
		t.RedLimit = *baseline + s.RedFraction*(t.GreenLimit-*baseline)
	default:
		t.RedLimit = t.GreenLimit
		notes = append(notes, newNote(NoteRedFromGreen, SeverityWarning, ind.ID, scope,
			[]string{strconv.Itoa(amb.Year), fmtNum(t.GreenLimit)},
			"indicator %q has neither a baseline nor a red_limit for %d: red limit set to the green limit %s (no yellow band)",
			ind.ID, amb.Year, fmtNum(t.GreenLimit)))
	}
	return t, notes
}

// invalidNote is the data-quality error for contradicting thresholds.
func invalidNote(ind *Indicator, scope string, year int, t Thresholds) Note {
	return newNote(NoteInvalidThresholds, SeverityError, ind.ID, scope,
		[]string{strconv.Itoa(year), string(ind.Direction), fmtNum(t.RedLimit), fmtNum(t.GreenLimit)},
		"indicator %q (direction %q) has contradicting thresholds for %d: red limit %s, green limit %s",
		ind.ID, ind.Direction, year, fmtNum(t.RedLimit), fmtNum(t.GreenLimit))
}

// baseline applies rule 6: baseline_value, else the scope value at
// baseline_period rounded to Decimals — for sum indicators, whose ambitions
// are yearly amounts, the total of the year of periods starting there (all
// of them must have data);
// a suppressed or empty baseline cell, or neither set, gives nil and a note.
func baseline(ind *Indicator, r *rollup, cells []cell, scope string) (*float64, []Note) {
	if ind.BaselineValue != nil {
		b := *ind.BaselineValue
		return &b, nil
	}
	if ind.BaselinePeriod == nil {
		return nil, []Note{newNote(NoteNoBaseline, SeverityWarning, ind.ID, scope, nil,
			"indicator %q has neither baseline_value nor baseline_period", ind.ID)}
	}
	bp := ind.Frequency.PeriodStart(*ind.BaselinePeriod)
	v, st := cellValue(ind, r.cellAt(cells, bp))
	if ind.Aggregation == Sum {
		// A sum's ambitions and target are yearly amounts, so its baseline
		// is the year of periods that starts at baseline_period.
		var missing int
		v, st, missing = baselineYear(ind, r, cells, bp)
		if missing > 0 && st == stValue {
			return nil, []Note{newNote(NoteNoBaseline, SeverityWarning, ind.ID, scope, []string{bp.String()},
				"indicator %q: %d period(s) of the baseline year from %s have no data in scope %q, so there is no baseline", ind.ID, missing, bp, scope)}
		}
	}
	switch st {
	case stSuppressed:
		return nil, []Note{newNote(NoteBaselineSuppressed, SeverityWarning, ind.ID, scope, []string{bp.String()},
			"indicator %q: the baseline period %s is suppressed in scope %q, so there is no baseline", ind.ID, bp, scope)}
	case stNone:
		return nil, []Note{newNote(NoteNoBaseline, SeverityWarning, ind.ID, scope, []string{bp.String()},
			"indicator %q has no data in scope %q at its baseline period %s", ind.ID, scope, bp)}
	}
	b := Round(v, ind.Decimals)
	if !Finite(b) {
		return nil, []Note{notFiniteNote(ind, scope, "baseline")}
	}
	return &b, nil
}

// baselineYear sums the year of periods starting at bp: the state is
// suppressed when any period is, none when all are empty; missing counts the
// empty ones.
func baselineYear(ind *Indicator, r *rollup, cells []cell, bp Month) (float64, cellState, int) {
	var sum float64
	st, missing := stNone, 0
	for i := range periodsPerYear(ind.Frequency) {
		v, cs := cellValue(ind, r.cellAt(cells, bp+Month(i*r.step)))
		switch cs {
		case stSuppressed:
			return 0, stSuppressed, 0
		case stNone:
			missing++
		default:
			sum += v
			st = stValue
		}
	}
	return sum, st, missing
}

// Evaluate applies SPEC §4 to one indicator, scope (an org unit and all
// below it) and report period p. Measurements are looked up by ind.ID in the
// index's roll-up; the other fields of ind are used as given. The team's
// decisions where SPEC is silent:
//
//   - Value (rules 1, 2, 4): the period of ind.Frequency containing p; the
//     value is rounded to Decimals before it is judged and Result.Value is
//     the rounded value. Status order: invalid aggregation, no data,
//     suppressed, no ambition, invalid direction or thresholds, colour.
//   - Sum indicators (rule 5): the value is the year-to-date total, judged
//     against the yearly limits × k/periodsPerYear (k periods elapsed,
//     January's period included); the full-year limits are computed first
//     (red default from the yearly green) and then pro-rated. The YTD is no
//     data when the value period has none and suppressed when any period
//     in it is; earlier empty periods add nothing and are noted.
//   - Progress (rule 7): (v − baseline)/(target − baseline) as a fraction;
//     for sum indicators v is the rolling sum of the last year's periods
//     ending at the value period (empty periods add nothing, any suppressed
//     period gives nil), compared with the yearly final target.
//   - Trend (rule 8): least squares over the last s.TrendPeriods shown
//     periods up to the value period (per-period values for sum), x in
//     period steps; fewer than 3 points is unknown. The fitted change
//     |slope × (x_last − x_first)| (= slope × (n−1) without gaps) below 5 %
//     of |target − baseline| (for sum indicators, whose target and baseline
//     are yearly amounts, of that gap per period; or of |mean value| when
//     either is missing, they are equal, or the scope is a part of a sum's
//     whole) is stable; otherwise improving when the slope goes in the good
//     direction, else worsening.
//   - Forecast (rule 9): the fitted line at the year's last period (sum: the
//     YTD plus the fitted values of the remaining periods), rounded to
//     Decimals; WillReach compares it with the full-year green limit.
//   - Staleness (rule 10): Latest is the latest period ≤ the value period
//     with rows in scope (shown or suppressed); stale when more than
//     s.StaleAfterPeriods periods lie between it and the value period.
//   - Units: one entry per direct child of the scope whose subtree has rows
//     for the value period (for sum indicators: in any period of the year
//     to date, a unit whose year to date holds a suppressed cell being
//     suppressed), plus the scope root with its own rows, when
//     there are at least two; ordered by name; judged against the same
//     thresholds, except sum indicators whose units get status no_ambition
//     (a unit's part of a total has no ambition of its own). When exactly
//     one unit cell is suppressed and the total is shown, the shown unit
//     with the smallest Σden (row count) is suppressed too.
func (x *Index) Evaluate(ind Indicator, scope string, p Month, s Settings) Result {
	vp := ind.Frequency.PeriodStart(p)
	year := p.Year()
	res := Result{
		IndicatorID: ind.ID,
		BenefitID:   ind.BenefitID,
		Scope:       scope,
		Period:      p,
		ValuePeriod: vp,
		Status:      NoData,
		Target:      ind.TargetValue,
		TargetDate:  ind.TargetDate,
		Trend:       TrendUnknown,
	}
	note := func(n ...Note) { res.Notes = append(res.Notes, n...) }

	r, cells, u, rnotes := x.scopeCells(&ind, scope)
	note(rnotes...)
	if u < 0 {
		return res
	}

	var raw float64
	var st cellState
	if ind.Aggregation == Sum {
		var missing int
		raw, st, missing, _ = ytd(&ind, r, cells, vp)
		if missing > 0 && st != stNone {
			note(newNote(NoteMissingPeriods, SeverityWarning, ind.ID, scope, []string{strconv.Itoa(missing), vp.String()},
				"indicator %q: %d period(s) of the year up to %s have no data in scope %q and count as zero in the year-to-date sum",
				ind.ID, missing, vp, scope))
		}
	} else {
		raw, st = cellValue(&ind, r.cellAt(cells, vp))
	}

	// A sum's yearly ambition, final target and baseline_value are amounts
	// for the benefit as a whole: a holder's unit is one part of it and is
	// not judged against them (it would always look red), nor is its
	// progress measured on the whole's target. Its own baseline can still
	// come from baseline_period.
	partOfWhole := ind.Aggregation == Sum && x.partScope(&ind, scope)
	baseInd := ind
	if partOfWhole {
		res.PartOfWhole = true
		res.Target, res.TargetDate = nil, time.Time{}
		baseInd.BaselineValue = nil
	}
	base, bnotes := baseline(&baseInd, r, cells, scope)
	res.Baseline = base
	if !partOfWhole || ind.BaselinePeriod != nil {
		note(bnotes...)
	}

	amb, hasAmb := x.Ambition(ind.ID, year)
	if partOfWhole {
		hasAmb = false
	}
	var full Thresholds
	valid := true
	if hasAmb {
		var tnotes []Note
		full, tnotes = yearThresholds(&ind, amb, base, scope, s)
		note(tnotes...)
		yt := amb.Target
		res.YearTarget = &yt
		applied := full
		if ind.Aggregation == Sum {
			first, _ := yearPeriods(ind.Frequency, year)
			k := float64(int(vp-first)/r.step + 1)
			f := k / float64(periodsPerYear(ind.Frequency))
			// Rounded like the value, so that what the reader sees (value
			// and limits at the indicator's decimals) is what is judged.
			applied = Thresholds{
				Ambition:   Round(full.Ambition*f, ind.Decimals),
				RedLimit:   Round(full.RedLimit*f, ind.Decimals),
				GreenLimit: Round(full.GreenLimit*f, ind.Decimals),
			}
		}
		res.Thresholds = &applied
		if valid = thresholdsValid(ind.Direction, full); !valid {
			note(invalidNote(&ind, scope, year, full))
		}
	} else if partOfWhole {
		note(newNote(NotePartOfWhole, SeverityWarning, ind.ID, scope, []string{strconv.Itoa(year)},
			"indicator %q sums over the benefit's whole scope; scope %q is a part of it and is shown, not judged against the benefit's ambition", ind.ID, scope))
	} else {
		note(newNote(NoteNoAmbition, SeverityWarning, ind.ID, scope, []string{strconv.Itoa(year)},
			"indicator %q has no yearly ambition for %d", ind.ID, year))
	}

	switch {
	case !validAggregation(ind.Aggregation):
		res.Status = Invalid
		note(newNote(NoteBadEnum, SeverityError, ind.ID, scope, []string{"aggregation", string(ind.Aggregation)},
			"indicator %q has unknown aggregation %q", ind.ID, ind.Aggregation))
	case st == stNone:
		res.Status = NoData
		note(newNote(NoteNoData, SeverityWarning, ind.ID, scope, []string{vp.String()},
			"indicator %q has no data for scope %q in period %s", ind.ID, scope, vp))
	case st == stSuppressed:
		res.Status = Suppressed
		note(newNote(NoteSuppressed, SeverityWarning, ind.ID, scope, []string{vp.String()},
			"indicator %q is suppressed for scope %q in period %s (below min_denominator)", ind.ID, scope, vp))
	default:
		v := Round(raw, ind.Decimals)
		var n []Note
		res.Status, n = colour(&ind, scope, v, hasAmb, valid, res.Thresholds)
		note(n...)
		if Finite(v) {
			res.Value = &v
		}
	}

	if !partOfWhole {
		res.Progress = progress(&ind, r, cells, vp, res.Value, base, scope, &res.Notes)
	}

	// Series, latest data and staleness.
	series := seriesOf(&ind, r, cells, vp)
	res.Series = series.points
	if series.latest != nil {
		l := *series.latest
		res.Latest = &l
		if behind := int(vp-l) / r.step; behind > s.StaleAfterPeriods {
			res.Stale = true
			note(newNote(NoteStale, SeverityWarning, ind.ID, scope, []string{l.String(), strconv.Itoa(behind)},
				"indicator %q: the latest data for scope %q is from %s, %d periods before %s", ind.ID, scope, l, behind, vp))
		}
	}

	// Trend and forecast.
	fit, ok := fitTrend(series.shown, s.TrendPeriods)
	if ok {
		res.Slope = fit.slope
		// A sum's target and baseline are yearly amounts while the fit runs
		// over per-period values; a part of a whole has no target of its own.
		gapPeriods := 1
		if ind.Aggregation == Sum {
			gapPeriods = periodsPerYear(ind.Frequency)
		}
		res.Trend = classify(fit, ind.Direction, res.Target, base, gapPeriods)
	}
	if ind.Aggregation == Sum {
		// With a year of history a sum's trend is that of its rolling yearly
		// total, comparable with its yearly target and baseline: one period's
		// dip then moves it by one period's difference instead of tilting a
		// short per-period fit.
		if yf, yok := fitTrend(rollingTotals(&ind, r, cells, vp, s.TrendPeriods), s.TrendPeriods); yok {
			res.Slope = yf.slope
			res.Trend = classify(yf, ind.Direction, res.Target, base, 1)
		}
	}
	if ok {
		_, last := yearPeriods(ind.Frequency, year)
		xEnd := float64(int(last-vp) / r.step)
		var fc float64
		haveFC := true
		if st == stSuppressed {
			haveFC = false
		}
		measured := xEnd == 0 && st == stValue
		if ind.Aggregation == Sum {
			if st != stValue {
				haveFC = false
			}
			fc = raw
			for k := 1.0; k <= xEnd; k++ {
				fc += fit.at(k)
			}
		} else if measured {
			// The year's last period is measured: the year ends where it is.
			fc = raw
		} else {
			fc = fit.at(xEnd)
		}
		if haveFC && Finite(fc) {
			// A projection is rounded to what it can mean; a measured year
			// keeps the indicator's decimals.
			if measured {
				fc = Round(fc, ind.Decimals)
			} else {
				fc = RoundMeant(fc, ind.Decimals)
			}
			res.Forecast = &fc
			if hasAmb && validDirection(ind.Direction) {
				w := meets(fc, full.GreenLimit, ind.Direction)
				res.WillReach = &w
			}
		}
	}

	res.Units = x.unitBreakdown(&ind, r, u, vp, res.Thresholds, valid, res.Value != nil, &res.Notes)
	return res
}

// partScope reports whether scope is below the indicator's benefit's own
// org unit, i.e. a holder's part of the benefit.
func (x *Index) partScope(ind *Indicator, scope string) bool {
	b, ok := x.Benefit(ind.BenefitID)
	return ok && b.OrgUnitID != "" && b.OrgUnitID != scope
}

// progress applies rule 7; see Evaluate.
func progress(ind *Indicator, r *rollup, cells []cell, vp Month, value, base *float64, scope string, notes *[]Note) *float64 {
	if value == nil || base == nil {
		return nil
	}
	if ind.TargetValue == nil {
		*notes = append(*notes, newNote(NoteNoTarget, SeverityWarning, ind.ID, scope, nil,
			"indicator %q has no final target_value, so progress cannot be computed", ind.ID))
		return nil
	}
	t, b := *ind.TargetValue, *base
	if t == b {
		*notes = append(*notes, newNote(NoteTargetEqualsBaseline, SeverityWarning, ind.ID, scope, []string{fmtNum(t)},
			"indicator %q has target equal to baseline (%s), so progress cannot be computed", ind.ID, fmtNum(t)))
		return nil
	}
	v := *value
	if ind.Aggregation == Sum {
		v = 0
		for i := range periodsPerYear(ind.Frequency) {
			pv, st := cellValue(ind, r.cellAt(cells, vp-Month(i*r.step)))
			if st == stSuppressed {
				return nil
			}
			v += pv
		}
		v = Round(v, ind.Decimals)
	}
	pr := (v - b) / (t - b)
	return &pr
}

// series is a scope's per-period view up to the value period.
type series struct {
	points []Point
	shown  []trendPoint // periods with a shown value, oldest first
	latest *Month       // latest period with rows (shown or suppressed)
}

type trendPoint struct {
	x, y float64 // x in periods relative to the value period (≤ 0)
}

// seriesOf lists every period from the first with data in scope up to vp,
// values rounded to Decimals (per period, also for sum indicators).
func seriesOf(ind *Indicator, r *rollup, cells []cell, vp Month) series {
	var out series
	if cells == nil || r.n == 0 {
		return out
	}
	step := Month(r.step)
	end := min(vp, r.first+Month((r.n-1)*r.step))
	start, found := Month(0), false
	for p := r.first; p <= end; p += step {
		if _, st := cellValue(ind, r.cellAt(cells, p)); st != stNone {
			start, found = p, true
			break
		}
	}
	if !found {
		return out
	}
	for p := start; p <= vp; p += step {
		v, st := cellValue(ind, r.cellAt(cells, p))
		pt := Point{Period: p}
		switch st {
		case stValue:
			if !Finite(v) {
				break // not drawn or fitted; colour reports it for P
			}
			rv := Round(v, ind.Decimals)
			pt.Value = &rv
			out.shown = append(out.shown, trendPoint{x: float64(int(p-vp) / r.step), y: v})
		case stSuppressed:
			pt.Suppressed = true
		}
		if st != stNone {
			l := p
			out.latest = &l
		}
		out.points = append(out.points, pt)
	}
	return out
}

// lineFit is a least-squares line y = a + slope × x.
type lineFit struct {
	a, slope float64
	span     float64 // x_last − x_first
	mean     float64 // mean y
}

func (f lineFit) at(x float64) float64 { return f.a + f.slope*x }

// fitTrend fits the last n shown points; ok is false with fewer than 3.
func fitTrend(pts []trendPoint, n int) (lineFit, bool) {
	if n < 3 || len(pts) < 3 {
		return lineFit{}, false
	}
	if len(pts) > n {
		pts = pts[len(pts)-n:]
	}
	var sx, sy float64
	for _, p := range pts {
		sx += p.x
		sy += p.y
	}
	k := float64(len(pts))
	mx, my := sx/k, sy/k
	var sxy, sxx float64
	for _, p := range pts {
		sxy += (p.x - mx) * (p.y - my)
		sxx += (p.x - mx) * (p.x - mx)
	}
	slope := sxy / sxx
	return lineFit{a: my - slope*mx, slope: slope, span: pts[len(pts)-1].x - pts[0].x, mean: my}, true
}

// rollingTotals lists the rolling yearly totals of a sum indicator (the sum
// of the year of periods ending at each period) for the last n periods up
// to vp whose whole year has data, oldest first, x relative to vp.
func rollingTotals(ind *Indicator, r *rollup, cells []cell, vp Month, n int) []trendPoint {
	if cells == nil || r.n == 0 {
		return nil
	}
	ppy := periodsPerYear(ind.Frequency)
	step := Month(r.step)
	var out []trendPoint
	for p := vp; p-Month(ppy-1)*step >= r.first && len(out) < n; p -= step {
		total, whole := 0.0, true
		for i := range ppy {
			v, st := cellValue(ind, r.cellAt(cells, p-Month(i)*step))
			if st != stValue {
				whole = false
				break
			}
			total += v
		}
		if whole {
			out = append(out, trendPoint{x: float64(int(p-vp) / r.step), y: total})
		}
	}
	slices.Reverse(out)
	return out
}

// classify turns a fit into a Trend; see Evaluate. The fitted change over
// the window is compared with 5 % of |target − baseline| / gapPeriods (the
// gap per period, for per-period values of a sum), or of the mean value
// when either is missing or they are equal.
func classify(f lineFit, d Direction, target, base *float64, gapPeriods int) Trend {
	if !validDirection(d) {
		return TrendUnknown
	}
	scale := math.Abs(f.mean)
	if target != nil && base != nil && *target != *base {
		scale = math.Abs(*target-*base) / float64(gapPeriods)
	}
	change := math.Abs(f.slope * f.span)
	if scale == 0 || change < 0.05*scale {
		return Stable
	}
	if (f.slope > 0) == (d == Up) {
		return Improving
	}
	return Worsening
}

// unitBreakdown builds Result.Units; see Evaluate.
func (x *Index) unitBreakdown(ind *Indicator, r *rollup, u int, vp Month, th *Thresholds, valid, totalShown bool, notes *[]Note) []UnitResult {
	type cand struct {
		unit    OrgUnit
		cells   []cell
		value   float64
		st      cellState
		measure float64
	}
	// A sum's total runs over the year to date, so a unit with rows in any
	// of its periods is part of it and is listed: left out, its share
	// (perhaps a suppressed cell) would be the total minus the listed units.
	from := vp
	if ind.Aggregation == Sum {
		from, _ = yearPeriods(ind.Frequency, vp.Year())
	}
	hasRows := func(cells []cell) bool {
		for p := from; p <= vp; p += Month(r.step) {
			if r.cellAt(cells, p).rows > 0 {
				return true
			}
		}
		return false
	}
	var cands []cand
	if own := r.ownOf(u); own != nil && hasRows(own) {
		cands = append(cands, cand{unit: x.units[u], cells: own})
	}
	for _, c := range x.children[u] {
		if sub := r.subOf(c); sub != nil && hasRows(sub) {
			cands = append(cands, cand{unit: x.units[c], cells: sub})
		}
	}
	if len(cands) < 2 {
		return nil
	}
	scope := x.units[u].ID
	var suppressedIDs []string
	for i := range cands {
		c := &cands[i]
		if ind.Aggregation == Sum {
			c.value, c.st, _, c.measure = ytd(ind, r, c.cells, vp)
			if c.st == stNone && anySuppressed(ind, r, c.cells, from, vp) {
				c.st = stSuppressed
			}
		} else {
			cc := r.cellAt(c.cells, vp)
			c.value, c.st = cellValue(ind, cc)
			c.measure = suppressionMeasure(ind, cc)
		}
		if c.st == stSuppressed {
			suppressedIDs = append(suppressedIDs, c.unit.ID)
		}
	}
	if len(suppressedIDs) > 0 {
		*notes = append(*notes, newNote(NoteSuppressed, SeverityWarning, ind.ID, scope, suppressedIDs,
			"indicator %q: unit cells suppressed in scope %q for %s: %s", ind.ID, scope, vp, strings.Join(quoteIDs(suppressedIDs), ", ")))
	}
	if len(suppressedIDs) == 1 && totalShown {
		best := -1
		for i, c := range cands {
			if c.st == stValue && (best < 0 || c.measure < cands[best].measure) {
				best = i
			}
		}
		if best >= 0 {
			cands[best].st = stSuppressed
			*notes = append(*notes, newNote(NoteComplementarySuppression, SeverityWarning, ind.ID, scope,
				[]string{cands[best].unit.ID, suppressedIDs[0]},
				"indicator %q: unit %q also suppressed in scope %q for %s so that unit %q cannot be derived from the total",
				ind.ID, cands[best].unit.ID, scope, vp, suppressedIDs[0]))
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.unit.Name, b.unit.Name), cmp.Compare(a.unit.ID, b.unit.ID))
	})
	out := make([]UnitResult, 0, len(cands))
	for _, c := range cands {
		ur := UnitResult{UnitID: c.unit.ID}
		switch c.st {
		case stNone:
			ur.Status = NoData
		case stSuppressed:
			ur.Status = Suppressed
		default:
			v := Round(c.value, ind.Decimals)
			ur.Value = &v
			switch {
			case !Finite(v):
				ur.Value, ur.Status = nil, Invalid
			case !validAggregation(ind.Aggregation) || !validDirection(ind.Direction) || !valid:
				ur.Status = Invalid
			case th == nil || ind.Aggregation == Sum:
				ur.Status = NoAmbition
			default:
				ur.Status = judge(v, ind.Direction, *th)
			}
		}
		out = append(out, ur)
	}
	return out
}

// anySuppressed reports whether a cell of the periods from first to last is suppressed.
func anySuppressed(ind *Indicator, r *rollup, cells []cell, first, last Month) bool {
	for p := first; p <= last; p += Month(r.step) {
		if _, st := cellValue(ind, r.cellAt(cells, p)); st == stSuppressed {
			return true
		}
	}
	return false
}

// scopeCells finds the indicator's roll-up and the cells of scope's
// subtree; u is -1 (with a note) when the scope is not a known unit.
func (x *Index) scopeCells(ind *Indicator, scope string) (r *rollup, cells []cell, u int, notes []Note) {
	u, ok := x.unitIdx[scope]
	if !ok {
		return nil, nil, -1, []Note{newNote(NoteDanglingReference, SeverityError, ind.ID, scope, []string{"org_unit", scope},
			"indicator %q evaluated for unknown org_unit %q", ind.ID, scope)}
	}
	r = x.rollupOf(ind.ID)
	if r == nil {
		notes = append(notes, newNote(NoteDanglingReference, SeverityError, ind.ID, scope, []string{"indicator", ind.ID},
			"indicator %q is not in the register", ind.ID))
		r = &rollup{step: ind.Frequency.Months()}
	}
	return r, r.subOf(u), u, notes
}

// colour judges a shown, rounded value: invalid (a non-finite value or
// threshold, or an unknown direction, with a note; contradicting
// thresholds), no ambition, or its colour. A value that is not a number is
// never given a colour.
func colour(ind *Indicator, scope string, v float64, hasAmb, valid bool, t *Thresholds) (Status, []Note) {
	switch {
	case !Finite(v):
		return Invalid, []Note{notFiniteNote(ind, scope, "value")}
	case t != nil && (!Finite(t.RedLimit) || !Finite(t.GreenLimit)):
		return Invalid, []Note{notFiniteNote(ind, scope, "threshold")}
	case !hasAmb:
		return NoAmbition, nil
	case !validDirection(ind.Direction):
		return Invalid, []Note{newNote(NoteBadEnum, SeverityError, ind.ID, scope, []string{"direction", string(ind.Direction)},
			"indicator %q has unknown direction %q", ind.ID, ind.Direction)}
	case !valid:
		return Invalid, nil
	default:
		return judge(v, ind.Direction, *t), nil
	}
}

// notFiniteNote is the error for a computed figure that is NaN or ±Inf.
func notFiniteNote(ind *Indicator, scope, what string) Note {
	return newNote(NoteNotFinite, SeverityError, ind.ID, scope, []string{what},
		"indicator %q: the %s for scope %q is not a finite number; it is not shown or judged", ind.ID, what, scope)
}
