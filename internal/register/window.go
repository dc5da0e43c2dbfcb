package register

import "slices"

// Window is the part of the measurement table a run reads in full: for
// each frequency the months From[f] through To, and each indicator's
// baseline year. Rows outside it stay in the database and are summed up
// per indicator and unit (Outside); NeedsHistory says which indicators
// must be read whole because those rows could change what a run shows.
type Window struct {
	From map[Frequency]Month // first month read, per frequency
	To   Month               // last month read
	// Earliest and Latest are the report months the run evaluates at
	// (owner: both the report month; steering: the compared month and the
	// report month; annual: January and December of the year).
	Earliest, Latest Month
	Trend            int // Settings.TrendPeriods
	// FirstYear is the first year of the annual report's chart (0 when
	// the run draws none): its first bar is the first year with data.
	FirstYear int
}

// NewWindow gives the window of a run that evaluates at report months
// earliest through latest and draws charts from chartFrom: per frequency
// it reaches back far enough for the trend fit over s.TrendPeriods periods
// and, for sums, the rolling yearly totals behind them (which also covers
// the year to date and a sum's yearly progress).
func NewWindow(earliest, latest, chartFrom Month, firstYear int, s Settings) Window {
	w := Window{From: map[Frequency]Month{}, To: latest, Earliest: earliest, Latest: latest, Trend: s.TrendPeriods, FirstYear: firstYear}
	for _, f := range []Frequency{Monthly, Quarterly, Yearly} {
		back := max(s.TrendPeriods-1, 0) + periodsPerYear(f) - 1
		w.From[f] = min(chartFrom, f.PeriodStart(earliest)-Month(back*f.Months()))
	}
	return w
}

// FromFor is the first month read in full for an indicator of frequency f
// (an unknown frequency counts as monthly, as the evaluation does).
func (w Window) FromFor(f Frequency) Month {
	if m, ok := w.From[f]; ok {
		return m
	}
	return w.From[Monthly]
}

// BaselineRange is the months of ind's baseline year that the evaluation
// reads (rule 6); ok is false when it has no baseline_period.
func BaselineRange(ind *Indicator) (from, to Month, ok bool) {
	if ind.BaselinePeriod == nil {
		return 0, 0, false
	}
	bp := ind.Frequency.PeriodStart(*ind.BaselinePeriod)
	return bp, bp + Month(12-1), true
}

// Outside sums up one indicator's rows of one unit that a windowed load
// left unread. The counts are of rows that would give a data-quality
// finding or make the evaluation depend on them; the load reads the
// indicator whole when any applies.
type Outside struct {
	IndicatorID, OrgUnitID string
	Rows                   int
	DistinctPeriods        int
	Latest                 Month // the latest period among the rows
	// Suspect rows: an odd type or date, a time of day, an implausible
	// number, a period not yet begun.
	Suspect int
	// NullValue, NullNumDen (numerator or denominator NULL) and BadNumDen
	// (negative numerator, denominator ≤ 0, or numerator above denominator).
	NullValue, NullNumDen, BadNumDen int
	NotQuarterStart, NotJanuary      int // periods not on a quarter's or a year's first month
}

// History is what a windowed load must read beyond the window: Whole
// indicators (sorted) and, per indicator, the Units (sorted) whose rows
// outside the window must be read too.
type History struct {
	Whole []string
	Units map[string][]string
}

// Empty reports whether nothing beyond the window is needed.
func (h History) Empty() bool { return len(h.Whole) == 0 && len(h.Units) == 0 }

// Indicators lists, sorted, every indicator with rows to read beyond the window.
func (h History) Indicators() []string {
	out := slices.Clone(h.Whole)
	for id := range h.Units {
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// NeedsHistory says which rows outside the window could change a run's
// figures or findings: indicators to read whole (unknown indicators and
// units, rows Check would report) and units whose older rows the
// evaluation could reach because the window holds too few of their shown
// periods (see sufficient). Reading such a unit's rows is enough: a scope
// holding a sufficient unit with unread rows never looks outside the
// window, and a scope without one has all its rows. reg holds the window's
// rows; outside the summaries of the rest.
func NeedsHistory(reg *Register, outside []Outside, w Window) History {
	inds := map[string]*Indicator{}
	for i := range reg.Indicators {
		if _, dup := inds[reg.Indicators[i].ID]; !dup {
			inds[reg.Indicators[i].ID] = &reg.Indicators[i]
		}
	}
	units := map[string]bool{}
	for _, u := range reg.Units {
		units[u.ID] = true
	}
	rows := map[string][]*Measurement{} // indicator|unit → window rows
	negative := map[string]bool{}
	for i := range reg.Measurements {
		m := &reg.Measurements[i]
		k := m.IndicatorID + "\x00" + m.OrgUnitID
		rows[k] = append(rows[k], m)
		if (m.Numerator != nil && (*m.Numerator < 0 || !PlausibleNumber(*m.Numerator))) ||
			(m.Denominator != nil && (*m.Denominator < 0 || !PlausibleNumber(*m.Denominator))) ||
			(m.Value != nil && !PlausibleNumber(*m.Value)) {
			negative[m.IndicatorID] = true
		}
	}
	whole := map[string]bool{}
	for _, o := range outside {
		ind, known := inds[o.IndicatorID]
		if !known || !units[o.OrgUnitID] || negative[o.IndicatorID] || dirty(ind, &o) {
			whole[o.IndicatorID] = true
		}
	}
	h := History{Units: map[string][]string{}}
	for _, o := range outside {
		if !whole[o.IndicatorID] && !sufficient(inds[o.IndicatorID], rows[o.IndicatorID+"\x00"+o.OrgUnitID], w) {
			h.Units[o.IndicatorID] = append(h.Units[o.IndicatorID], o.OrgUnitID)
		}
	}
	for id := range whole {
		h.Whole = append(h.Whole, id)
	}
	slices.Sort(h.Whole)
	for _, us := range h.Units {
		slices.Sort(us)
	}
	if len(h.Units) == 0 {
		h.Units = nil
	}
	return h
}

// dirty reports whether unread rows would give a data-quality finding
// (Check's row tallies) for ind.
func dirty(ind *Indicator, o *Outside) bool {
	if o.Suspect > 0 || o.Rows != o.DistinctPeriods {
		return true
	}
	switch ind.Frequency {
	case Quarterly:
		if o.NotQuarterStart > 0 {
			return true
		}
	case Yearly:
		if o.NotJanuary > 0 {
			return true
		}
	}
	switch ind.Aggregation {
	case Ratio:
		return o.NullNumDen > 0 || o.BadNumDen > 0
	case Sum, Mean:
		return o.NullValue > 0
	}
	return true
}

// sufficient reports whether a unit's window rows make its older rows
// invisible to every scope holding the unit: all counts being
// non-negative, a period the unit's own cell shows is shown in every
// subtree containing it (Σden and the row count only grow), so it needs
//   - Trend shown periods from the window's start up to the earliest
//     evaluated period (the trend fit, the latest data, the latest measured
//     value then all lie in the window),
//   - for sums, every period shown from the first rolling yearly total's
//     start through the latest evaluated period,
//   - for the annual chart, a shown period in its first year.
func sufficient(ind *Indicator, rows []*Measurement, w Window) bool {
	f := ind.Frequency
	step := f.Months()
	from := w.FromFor(f)
	first, last := f.PeriodStart(w.Earliest), f.PeriodStart(w.Latest)
	cells := map[Month]cell{}
	for _, m := range rows {
		p := f.PeriodStart(m.Period)
		c := cells[p]
		c.add(ownCell(ind, m))
		cells[p] = c
	}
	shown := func(p Month) bool {
		v, st := cellValue(ind, cells[p])
		return st == stValue && Finite(v)
	}
	n := 0
	for p := f.PeriodStart(from); p <= first; p += Month(step) {
		if p >= from && shown(p) {
			n++
		}
	}
	if n < max(w.Trend, 1) {
		return false
	}
	if ind.Aggregation == Sum {
		start := first - Month((max(w.Trend-1, 0)+periodsPerYear(f)-1)*step)
		if start < from {
			return false
		}
		for p := start; p <= last; p += Month(step) {
			if !shown(p) {
				return false
			}
		}
	}
	if w.FirstYear != 0 {
		y0, y1 := yearPeriods(f, w.FirstYear)
		ok := false
		for p := y0; p <= y1 && !ok; p += Month(step) {
			ok = p >= from && shown(p)
		}
		if !ok {
			return false
		}
	}
	return true
}

// ownCell is one row's contribution to its unit's cell, as buildRollup adds it.
func ownCell(ind *Indicator, m *Measurement) cell {
	c := cell{rows: 1}
	switch ind.Aggregation {
	case Ratio:
		if m.Numerator != nil && m.Denominator != nil {
			c.num, c.den, c.n = *m.Numerator, *m.Denominator, 1
		}
	case Sum:
		if m.Value != nil {
			c.val, c.n = *m.Value, 1
		}
	case Mean:
		switch {
		case m.Value != nil:
			c.val, c.n = *m.Value, 1
		case m.Numerator != nil && m.Denominator != nil && *m.Denominator > 0:
			c.val, c.n = *m.Numerator / *m.Denominator * ind.EffectiveScale(), 1
		}
	}
	return c
}
