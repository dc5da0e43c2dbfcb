package register

import "strconv"

// annualValue applies rule 11: ratio is Σnum/Σden over all the year's
// periods × scale (suppressed when the year's Σden is below
// min_denominator); sum is the Σ of the periods and mean the mean of the
// periods' scope values, both suppressed when any period cell is (the
// hidden period could otherwise be derived from the others).
func annualValue(ind *Indicator, r *rollup, cells []cell, year int) (float64, cellState) {
	first, last := yearPeriods(ind.Frequency, year)
	step := Month(r.step)
	if ind.Aggregation == Ratio {
		var total cell
		for p := first; p <= last; p += step {
			total.add(r.cellAt(cells, p))
		}
		return cellValue(ind, total)
	}
	var sum float64
	var shown int
	suppressed := false
	for p := first; p <= last; p += step {
		v, st := cellValue(ind, r.cellAt(cells, p))
		switch st {
		case stSuppressed:
			suppressed = true
		case stValue:
			sum += v
			shown++
		}
	}
	switch {
	case suppressed:
		return 0, stSuppressed
	case shown == 0:
		return 0, stNone
	case ind.Aggregation == Mean:
		return sum / float64(shown), stValue
	}
	return sum, stValue
}

// Annual evaluates an indicator for a scope over a whole year (rule 11):
// the annual figure judged against the full-year thresholds (not
// pro-rated), whether it meets the yearly ambition and the final target,
// the change from the baseline, and a suggested ambition for year+1 on a
// straight path from the figure to the final target at its target date:
// v + (target − v) / (targetYear − year), or the target itself when the
// target year is year+1 or earlier.
func (x *Index) Annual(ind Indicator, scope string, year int, s Settings) AnnualResult {
	res := AnnualResult{
		IndicatorID: ind.ID,
		BenefitID:   ind.BenefitID,
		Scope:       scope,
		Year:        year,
		Status:      NoData,
		Target:      ind.TargetValue,
		TargetDate:  ind.TargetDate,
	}
	note := func(n ...Note) { res.Notes = append(res.Notes, n...) }
	r, cells, u, rnotes := x.scopeCells(&ind, scope)
	note(rnotes...)
	if u < 0 {
		return res
	}
	ys := strconv.Itoa(year)

	raw, st := annualValue(&ind, r, cells, year)
	base, bnotes := baseline(&ind, r, cells, scope)
	res.Baseline = base
	note(bnotes...)

	if next, ok := x.Ambition(ind.ID, year+1); ok {
		t := next.Target
		res.NextAmbition = &t
	}
	amb, hasAmb := x.Ambition(ind.ID, year)
	valid := true
	if hasAmb {
		t, tnotes := yearThresholds(&ind, amb, base, scope, s)
		note(tnotes...)
		res.Thresholds = &t
		yt := amb.Target
		res.YearTarget = &yt
		if valid = thresholdsValid(ind.Direction, t); !valid {
			note(invalidNote(&ind, scope, year, t))
		}
	} else {
		note(newNote(NoteNoAmbition, SeverityWarning, ind.ID, scope, []string{ys},
			"indicator %q has no yearly ambition for %d", ind.ID, year))
	}

	switch {
	case !validAggregation(ind.Aggregation):
		res.Status = Invalid
		note(newNote(NoteBadEnum, SeverityError, ind.ID, scope, []string{"aggregation", string(ind.Aggregation)},
			"indicator %q has unknown aggregation %q", ind.ID, ind.Aggregation))
		return res
	case st == stNone:
		note(newNote(NoteNoData, SeverityWarning, ind.ID, scope, []string{ys},
			"indicator %q has no data for scope %q in %d", ind.ID, scope, year))
		return res
	case st == stSuppressed:
		res.Status = Suppressed
		note(newNote(NoteSuppressed, SeverityWarning, ind.ID, scope, []string{ys},
			"indicator %q: the annual figure for scope %q in %d is suppressed (below min_denominator)", ind.ID, scope, year))
		return res
	}

	v := Round(raw, ind.Decimals)
	var cnotes []Note
	res.Status, cnotes = colour(&ind, scope, v, hasAmb, valid, res.Thresholds)
	note(cnotes...)
	if !Finite(v) {
		return res
	}
	res.Value = &v
	if hasAmb && validDirection(ind.Direction) {
		met := meets(v, amb.Target, ind.Direction)
		res.AmbitionMet = &met
	}
	if ind.Aggregation == Sum {
		first, last := yearPeriods(ind.Frequency, year)
		for p := first; p <= last; p += Month(r.step) {
			if _, cs := cellValue(&ind, r.cellAt(cells, p)); cs == stNone {
				res.MissingPeriods = append(res.MissingPeriods, p)
			}
		}
		if len(res.MissingPeriods) > 0 {
			note(newNote(NoteMissingPeriods, SeverityWarning, ind.ID, scope,
				[]string{strconv.Itoa(len(res.MissingPeriods)), strconv.Itoa(periodsPerYear(ind.Frequency))},
				"indicator %q: %d period(s) of %d in scope %q have no data", ind.ID, len(res.MissingPeriods), year, scope))
			UndercountedSum(&ind, &res, len(res.MissingPeriods))
		}
	}
	if base != nil {
		c := Round(v-*base, ind.Decimals)
		res.Change = &c
		res.ChangeFrom = base
	}
	if ind.TargetValue == nil {
		note(newNote(NoteNoTarget, SeverityWarning, ind.ID, scope, nil,
			"indicator %q has no final target_value", ind.ID))
		return res
	}
	t := *ind.TargetValue
	if validDirection(ind.Direction) {
		reached := meets(v, t, ind.Direction)
		res.FinalReached = &reached
	}
	if ind.TargetDate.IsZero() {
		note(newNote(NoteNoTargetDate, SeverityWarning, ind.ID, scope, nil,
			"indicator %q has a final target but no target_date, so no ambition is suggested", ind.ID))
		return res
	}
	sugg := t
	switch remaining := ind.TargetDate.Year() - year; {
	case res.FinalReached != nil && *res.FinalReached:
		// Already at or past the final ambition: suggest holding this level
		// rather than a path back towards the target.
		sugg = RoundMeant(v, ind.Decimals)
	case remaining > 1:
		sugg = RoundMeant(v+(t-v)/float64(remaining), ind.Decimals)
	}
	res.SuggestedAmbition = &sugg
	return res
}

// UndercountedSum withdraws the verdict on a sum that lacks some of its
// periods: the total can only grow with them, so it is judged only when it
// already meets the green limit of an "up" indicator; otherwise its status
// is no data (the partial total is still shown) and the ambition is not
// said to be met or missed.
func UndercountedSum(ind *Indicator, res *AnnualResult, missing int) {
	if missing == 0 || res.Value == nil || res.Status == Invalid || res.Status == Suppressed {
		return
	}
	if ind.Direction == Up && res.Thresholds != nil && meets(*res.Value, res.Thresholds.GreenLimit, Up) {
		return
	}
	res.Status = NoData
	res.AmbitionMet = nil
}
