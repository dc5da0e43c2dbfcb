package register

import (
	"fmt"
	"strconv"
)

// reportedEvaluationNote says whether Check reports a note of an
// indicator's evaluation at its benefit's scope; missing ambitions and
// missing data only for benefits in phase realise.
func reportedEvaluationNote(code NoteCode, phase Phase) bool {
	switch code {
	case NoteInvalidThresholds, NoteStale, NoteSuppressed, NoteComplementarySuppression,
		NoteBaselineSuppressed, NoteNoBaseline, NoteRedFromGreen, NoteMissingPeriods:
		return true
	case NoteNoAmbition, NoteNoData:
		return phase == PhaseRealise
	}
	return false
}

// Check returns the register-wide data-quality findings for report period
// p, in register order: duplicate keys, dangling references and unknown
// enum values (errors: they make figures wrong), measurement periods not
// aligned to their indicator's frequency, ratio rows without numerator or
// denominator, sum/mean rows without a value, and from each indicator's
// evaluation at its benefit's scope (closed benefits left out):
// contradicting thresholds (error), staleness, suppressed cells, missing
// baselines, and — for benefits in phase realise — missing ambitions and
// missing data (warnings).
func Check(x *Index, p Month, s Settings) []Note {
	var out []Note
	add := func(code NoteCode, sev Severity, indicatorID string, args []string, format string, a ...any) {
		out = append(out, newNote(code, sev, indicatorID, "", args, format, a...))
	}
	dangling := func(indicatorID, from, field, id string) {
		add(NoteDanglingReference, SeverityError, indicatorID, []string{from, field, id},
			"%s: %s %q does not exist", from, field, id)
	}
	badEnum := func(indicatorID, from, field, value string) {
		add(NoteBadEnum, SeverityError, indicatorID, []string{from, field, value},
			"%s: unknown %s %q", from, field, value)
	}
	reg := x.reg

	seen := map[string]bool{}
	for _, u := range reg.Units {
		from := "org_unit " + u.ID
		if seen[u.ID] {
			add(NoteDuplicateID, SeverityError, "", []string{"org_unit", u.ID}, "org_unit %q appears more than once", u.ID)
		}
		seen[u.ID] = true
		if !oneOf(u.Kind, KindRHF, KindHF, KindKommune, KindUnit) {
			badEnum("", from, "kind", string(u.Kind))
		}
		if u.ParentID != "" {
			if _, ok := x.Unit(u.ParentID); !ok {
				dangling("", from, "parent_id", u.ParentID)
			}
		}
	}
	clear(seen)
	for _, pe := range reg.People {
		if seen[pe.ID] {
			add(NoteDuplicateID, SeverityError, "", []string{"person", pe.ID}, "person %q appears more than once", pe.ID)
		}
		seen[pe.ID] = true
		if pe.Language != "" && !oneOf(pe.Language, "nb", "nn", "en") {
			badEnum("", "person "+pe.ID, "language", pe.Language)
		}
	}
	clear(seen)
	for _, b := range reg.Benefits {
		from := "benefit " + b.ID
		if seen[b.ID] {
			add(NoteDuplicateID, SeverityError, "", []string{"benefit", b.ID}, "benefit %q appears more than once", b.ID)
		}
		seen[b.ID] = true
		if !oneOf(b.Category, Categories...) {
			badEnum("", from, "category", string(b.Category))
		}
		if !oneOf(b.Phase, PhaseIdentify, PhasePlan, PhaseRealise, PhaseEvaluate, PhaseClosed) {
			badEnum("", from, "phase", string(b.Phase))
		}
		if _, ok := x.Unit(b.OrgUnitID); !ok {
			dangling("", from, "org_unit_id", b.OrgUnitID)
		}
		if _, ok := x.Person(b.OwnerID); !ok {
			dangling("", from, "owner_id", b.OwnerID)
		}
		if b.CountedInBenefitID != "" {
			if _, ok := x.Benefit(b.CountedInBenefitID); !ok {
				dangling("", from, "counted_in_benefit_id", b.CountedInBenefitID)
			}
		}
	}
	for _, h := range reg.Holders {
		from := fmt.Sprintf("benefit_holder (%s, %s, %s)", h.BenefitID, h.OrgUnitID, h.PersonID)
		if _, ok := x.Benefit(h.BenefitID); !ok {
			dangling("", from, "benefit_id", h.BenefitID)
		}
		if _, ok := x.Unit(h.OrgUnitID); !ok {
			dangling("", from, "org_unit_id", h.OrgUnitID)
		}
		if _, ok := x.Person(h.PersonID); !ok {
			dangling("", from, "person_id", h.PersonID)
		}
	}
	clear(seen)
	for _, ind := range reg.Indicators {
		from := "indicator " + ind.ID
		if seen[ind.ID] {
			add(NoteDuplicateID, SeverityError, ind.ID, []string{"indicator", ind.ID}, "indicator %q appears more than once", ind.ID)
		}
		seen[ind.ID] = true
		if _, ok := x.Benefit(ind.BenefitID); !ok {
			dangling(ind.ID, from, "benefit_id", ind.BenefitID)
		}
		if !validDirection(ind.Direction) {
			badEnum(ind.ID, from, "direction", string(ind.Direction))
		}
		if !validAggregation(ind.Aggregation) {
			badEnum(ind.ID, from, "aggregation", string(ind.Aggregation))
		}
		if !oneOf(ind.Frequency, Monthly, Quarterly, Yearly) {
			badEnum(ind.ID, from, "frequency", string(ind.Frequency))
		}
	}
	seenAmb := map[ambitionKey]bool{}
	for _, a := range reg.Ambitions {
		k := ambitionKey{a.IndicatorID, a.Year}
		if seenAmb[k] {
			add(NoteDuplicateID, SeverityError, a.IndicatorID, []string{"indicator_ambition", a.IndicatorID, strconv.Itoa(a.Year)},
				"indicator_ambition (%s, %d) appears more than once", a.IndicatorID, a.Year)
		}
		seenAmb[k] = true
		if _, ok := x.Indicator(a.IndicatorID); !ok {
			dangling(a.IndicatorID, fmt.Sprintf("indicator_ambition (%s, %d)", a.IndicatorID, a.Year), "indicator_id", a.IndicatorID)
		}
	}
	out = append(out, checkMeasurements(x)...)
	clear(seen)
	for _, a := range reg.Actions {
		from := "change_action " + a.ID
		if seen[a.ID] {
			add(NoteDuplicateID, SeverityError, "", []string{"change_action", a.ID}, "change_action %q appears more than once", a.ID)
		}
		seen[a.ID] = true
		if _, ok := x.Benefit(a.BenefitID); !ok {
			dangling("", from, "benefit_id", a.BenefitID)
		}
		if !oneOf(a.Status, ActionPlanned, ActionInProgress, ActionImplemented, ActionCancelled) {
			badEnum("", from, "status", string(a.Status))
		}
	}

	clear(seen)
	for _, ind := range reg.Indicators {
		if seen[ind.ID] {
			continue
		}
		seen[ind.ID] = true
		b, ok := x.Benefit(ind.BenefitID)
		if !ok || b.Phase == PhaseClosed {
			continue
		}
		if _, ok := x.Unit(b.OrgUnitID); !ok {
			continue
		}
		r := x.Evaluate(ind, b.OrgUnitID, p, s)
		for _, n := range r.Notes {
			if reportedEvaluationNote(n.Code, b.Phase) {
				out = append(out, n)
			}
		}
	}
	return out
}

// measurementIssues counts one indicator's row-level problems.
type measurementIssues struct {
	misaligned      int
	firstMisaligned Month
	missingNumDen   int
	missingValue    int
	duplicates      int
	unknownUnits    []string
}

// checkMeasurements reports measurement problems grouped per indicator so a
// large register gives a readable list; it walks each indicator's rows once.
func checkMeasurements(x *Index) []Note {
	var out []Note
	var order []string
	seenInd := map[string]bool{}
	for _, ind := range x.reg.Indicators {
		if !seenInd[ind.ID] {
			seenInd[ind.ID] = true
			order = append(order, ind.ID)
		}
	}
	for _, m := range x.reg.Measurements {
		if !seenInd[m.IndicatorID] {
			seenInd[m.IndicatorID] = true
			order = append(order, m.IndicatorID)
		}
	}
	for _, id := range order {
		rows := x.measByInd[id]
		if len(rows) == 0 {
			continue
		}
		ind, known := x.Indicator(id)
		if !known {
			out = append(out, newNote(NoteDanglingReference, SeverityError, id, "", []string{"measurement", "indicator_id", id},
				"measurement: indicator_id %q does not exist (%d rows)", id, len(rows)))
			continue
		}
		out = append(out, checkIndicatorRows(x, &ind, rows)...)
	}
	return out
}

// checkIndicatorRows reports one indicator's row-level problems.
func checkIndicatorRows(x *Index, ind *Indicator, rows []int32) []Note {
	var out []Note
	var misaligned, missingNumDen, missingValue, duplicates, negative int
	var firstMisaligned Month
	var unknownUnits []string
	unknownSeen := map[string]bool{}
	seen := make(map[uint64]struct{}, len(rows))
	for _, mi := range rows {
		m := &x.reg.Measurements[mi]
		u, ok := x.unitIdx[m.OrgUnitID]
		if !ok {
			if !unknownSeen[m.OrgUnitID] {
				unknownSeen[m.OrgUnitID] = true
				unknownUnits = append(unknownUnits, m.OrgUnitID)
			}
		} else {
			k := uint64(uint32(u))<<32 | uint64(uint32(m.Period))
			if _, dup := seen[k]; dup {
				duplicates++
			}
			seen[k] = struct{}{}
		}
		if ind.Frequency.PeriodStart(m.Period) != m.Period {
			if misaligned == 0 {
				firstMisaligned = m.Period
			}
			misaligned++
		}
		switch ind.Aggregation {
		case Ratio:
			if m.Numerator == nil || m.Denominator == nil {
				missingNumDen++
			} else if *m.Numerator < 0 || *m.Denominator < 0 {
				negative++
			}
		case Sum:
			if m.Value == nil {
				missingValue++
			}
		case Mean:
			if m.Value == nil && (m.Numerator == nil || m.Denominator == nil || *m.Denominator <= 0) {
				missingValue++
			}
		}
	}
	id := ind.ID
	for _, u := range unknownUnits {
		out = append(out, newNote(NoteDanglingReference, SeverityError, id, "", []string{"measurement", "org_unit_id", u},
			"measurement of indicator %s: org_unit_id %q does not exist; its rows are left out", id, u))
	}
	if duplicates > 0 {
		out = append(out, newNote(NoteDuplicateID, SeverityError, id, "", []string{"measurement", strconv.Itoa(duplicates)},
			"indicator %s has %d duplicate measurement row(s) for the same unit and period", id, duplicates))
	}
	if misaligned > 0 {
		out = append(out, newNote(NoteMisalignedPeriod, SeverityWarning, id, "",
			[]string{strconv.Itoa(misaligned), string(ind.Frequency), firstMisaligned.String()},
			"indicator %s has %d measurement(s) whose period is not the first month of a %s (first: %s); they count in the period containing them",
			id, misaligned, ind.Frequency, firstMisaligned))
	}
	if negative > 0 {
		// Counts cannot be negative: such a row turns every total it is in into nonsense.
		out = append(out, newNote(NoteNegativeCount, SeverityError, id, "", []string{strconv.Itoa(negative)},
			"ratio indicator %s has %d measurement(s) with a negative numerator or denominator", id, negative))
	}
	if missingNumDen > 0 {
		out = append(out, newNote(NoteMissingNumerator, SeverityWarning, id, "", []string{strconv.Itoa(missingNumDen)},
			"ratio indicator %s has %d measurement(s) without numerator or denominator; they are left out", id, missingNumDen))
	}
	if missingValue > 0 {
		out = append(out, newNote(NoteMissingValue, SeverityWarning, id, "", []string{strconv.Itoa(missingValue)},
			"indicator %s has %d measurement(s) without a value; they are left out", id, missingValue))
	}
	return out
}

// oneOf reports whether v is one of the allowed values.
func oneOf[T ~string](v T, allowed ...T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
