package register

import (
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
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
// p, in register order: rows the load skipped and org_unit cycles (errors);
// duplicate keys, empty or overlong ids, dangling references, unknown enum
// values, invalid email addresses and implausible numbers (errors: they make
// figures wrong or mail undeliverable); comments on an indicator of another
// benefit (error), by an unknown author, empty or over-long (warnings); measurement rows with a share above
// 100 %, a period after s.Today, a negative count (errors), periods not
// aligned to their indicator's frequency, ratio rows without numerator or
// denominator, sum/mean rows without a value (warnings); and from each
// indicator's evaluation at its benefit's scope (closed benefits left out):
// contradicting thresholds (error), staleness, suppressed cells, missing
// baselines, and — for benefits in phase realise — missing ambitions and
// missing data (warnings).
func Check(x *Index, p Month, s Settings) []Note {
	c := newChecker(x)
	c.skippedRows()
	c.cycles()
	c.units()
	c.people()
	c.benefits()
	c.holders()
	c.indicators()
	c.ambitions()
	c.measurements(s)
	c.actions()
	c.comments()
	c.evaluations(p, s)
	return c.out
}

// checker collects Check's findings. skipped holds, per table, the ids of
// rows the load left out: references to them are not reported again.
type checker struct {
	x       *Index
	out     []Note
	skipped map[string]map[string]bool
}

func newChecker(x *Index) *checker {
	c := &checker{x: x, skipped: map[string]map[string]bool{}}
	for _, r := range x.reg.Skipped {
		if r.ID == "" {
			continue
		}
		if c.skipped[r.Table] == nil {
			c.skipped[r.Table] = map[string]bool{}
		}
		c.skipped[r.Table][r.ID] = true
	}
	return c
}

func (c *checker) add(code NoteCode, sev Severity, indicatorID string, args []string, format string, a ...any) {
	c.out = append(c.out, newNote(code, sev, indicatorID, "", args, format, a...))
}

// dangling reports a reference from a row to a missing id of table, unless
// that id's row was skipped at load (already reported).
func (c *checker) dangling(indicatorID, from, field, table, id string, exists bool) {
	if exists || c.skipped[table][id] {
		return
	}
	c.add(NoteDanglingReference, SeverityError, indicatorID, []string{from, field, id},
		"%s: %s %s does not exist", from, field, QuoteID(id))
}

func (c *checker) badEnum(indicatorID, from, field, value string) {
	c.add(NoteBadEnum, SeverityError, indicatorID, []string{from, field, value},
		"%s: unknown %s %q", from, field, value)
}

// key reports a defining id that is empty, overlong or seen before.
func (c *checker) key(table, indicatorID, id string, seen map[string]bool) {
	if seen[id] {
		c.add(NoteDuplicateID, SeverityError, indicatorID, []string{table, id}, "%s %s appears more than once", table, QuoteID(id))
	}
	seen[id] = true
	if p := idProblem(id); p != "" {
		c.add(NoteBadID, SeverityError, indicatorID, []string{table, id}, "%s id %s %s", table, QuoteID(id), p)
	}
}

// number reports a number of a row beyond ±MaxMagnitude.
func (c *checker) number(indicatorID, from, field string, v *float64) {
	if v == nil || PlausibleNumber(*v) {
		return
	}
	c.add(NoteImplausible, SeverityError, indicatorID, []string{from, field, fmtNum(*v)},
		"%s: %s %s is beyond the plausible bound ±%g", from, field, fmtNum(*v), float64(MaxMagnitude))
}

// skippedRows reports the rows the load could not read.
func (c *checker) skippedRows() {
	for _, r := range c.x.reg.Skipped {
		c.add(NoteRowSkipped, SeverityError, r.IndicatorID, []string{r.Table, r.Key, r.Reason},
			"%s %s skipped: %s", r.Table, r.Key, r.Reason)
	}
}

// cycles reports each org_unit parent cycle, which NewIndex detached.
func (c *checker) cycles() {
	for _, ids := range c.x.cycles {
		quoted := quoteIDs(ids)
		if len(ids) == 1 {
			c.add(NoteOrgCycle, SeverityError, "", ids, "org_unit %s is its own parent; it is detached from the tree (treated as a top unit)", quoted[0])
			continue
		}
		c.add(NoteOrgCycle, SeverityError, "", ids, "org_unit parents form a cycle %s → %s; these units are detached from the tree (treated as top units)",
			strings.Join(quoted, " → "), quoted[0])
	}
}

func (c *checker) units() {
	seen := map[string]bool{}
	for _, u := range c.x.reg.Units {
		from := "org_unit " + QuoteID(u.ID)
		c.key("org_unit", "", u.ID, seen)
		if !oneOf(u.Kind, KindRHF, KindHF, KindKommune, KindUnit) {
			c.badEnum("", from, "kind", string(u.Kind))
		}
		if u.ParentID != "" {
			_, ok := c.x.Unit(u.ParentID)
			c.dangling("", from, "parent_id", "org_unit", u.ParentID, ok)
		}
	}
}

func (c *checker) people() {
	seen := map[string]bool{}
	for _, pe := range c.x.reg.People {
		from := "person " + QuoteID(pe.ID)
		c.key("person", "", pe.ID, seen)
		if pe.Language != "" && !oneOf(pe.Language, "nb", "nn", "en") {
			c.badEnum("", from, "language", pe.Language)
		}
		if pe.Email != "" && !PlainEmail(pe.Email) {
			c.add(NoteInvalidEmail, SeverityError, "", []string{pe.ID, pe.Email},
				"%s: email %q is not a plain email address; the report cannot be delivered", from, pe.Email)
		}
	}
}

// PlainEmail reports whether s is a bare address (local@domain) as mail
// delivery accepts it: no display name, no comments, no stray spaces.
func PlainEmail(s string) bool {
	a, err := netmail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func (c *checker) benefits() {
	seen := map[string]bool{}
	x := c.x
	for _, b := range x.reg.Benefits {
		from := "benefit " + QuoteID(b.ID)
		c.key("benefit", "", b.ID, seen)
		if !oneOf(b.Category, Categories...) {
			c.badEnum("", from, "category", string(b.Category))
		}
		if !oneOf(b.Phase, PhaseIdentify, PhasePlan, PhaseRealise, PhaseEvaluate, PhaseClosed) {
			c.badEnum("", from, "phase", string(b.Phase))
		}
		_, ok := x.Unit(b.OrgUnitID)
		c.dangling("", from, "org_unit_id", "org_unit", b.OrgUnitID, ok)
		_, ok = x.Person(b.OwnerID)
		c.dangling("", from, "owner_id", "person", b.OwnerID, ok)
		if b.CountedInBenefitID != "" {
			_, ok = x.Benefit(b.CountedInBenefitID)
			c.dangling("", from, "counted_in_benefit_id", "benefit", b.CountedInBenefitID, ok)
		}
	}
}

func (c *checker) holders() {
	x := c.x
	for _, h := range x.reg.Holders {
		from := fmt.Sprintf("benefit_holder (%s, %s, %s)", QuoteID(h.BenefitID), QuoteID(h.OrgUnitID), QuoteID(h.PersonID))
		_, ok := x.Benefit(h.BenefitID)
		c.dangling("", from, "benefit_id", "benefit", h.BenefitID, ok)
		_, ok = x.Unit(h.OrgUnitID)
		c.dangling("", from, "org_unit_id", "org_unit", h.OrgUnitID, ok)
		_, ok = x.Person(h.PersonID)
		c.dangling("", from, "person_id", "person", h.PersonID, ok)
	}
}

func (c *checker) indicators() {
	seen := map[string]bool{}
	for _, ind := range c.x.reg.Indicators {
		from := "indicator " + QuoteID(ind.ID)
		c.key("indicator", ind.ID, ind.ID, seen)
		_, ok := c.x.Benefit(ind.BenefitID)
		c.dangling(ind.ID, from, "benefit_id", "benefit", ind.BenefitID, ok)
		if !validDirection(ind.Direction) {
			c.badEnum(ind.ID, from, "direction", string(ind.Direction))
		}
		if !validAggregation(ind.Aggregation) {
			c.badEnum(ind.ID, from, "aggregation", string(ind.Aggregation))
		}
		if !ind.Frequency.Valid() {
			c.badEnum(ind.ID, from, "frequency", string(ind.Frequency))
		}
		c.number(ind.ID, from, "scale", ind.Scale)
		c.number(ind.ID, from, "baseline_value", ind.BaselineValue)
		c.number(ind.ID, from, "target_value", ind.TargetValue)
		c.number(ind.ID, from, "min_denominator", ind.MinDenominator)
	}
}

func (c *checker) ambitions() {
	seen := map[ambitionKey]bool{}
	for _, a := range c.x.reg.Ambitions {
		from := fmt.Sprintf("indicator_ambition (%s, %d)", QuoteID(a.IndicatorID), a.Year)
		k := ambitionKey{a.IndicatorID, a.Year}
		if seen[k] {
			c.add(NoteDuplicateID, SeverityError, a.IndicatorID, []string{"indicator_ambition", a.IndicatorID, strconv.Itoa(a.Year)},
				"%s appears more than once", from)
		}
		seen[k] = true
		_, ok := c.x.Indicator(a.IndicatorID)
		c.dangling(a.IndicatorID, from, "indicator_id", "indicator", a.IndicatorID, ok)
		c.number(a.IndicatorID, from, "target_value", &a.Target)
		c.number(a.IndicatorID, from, "red_limit", a.RedLimit)
		c.number(a.IndicatorID, from, "green_limit", a.GreenLimit)
	}
}

func (c *checker) actions() {
	seen := map[string]bool{}
	for _, a := range c.x.reg.Actions {
		from := "change_action " + QuoteID(a.ID)
		c.key("change_action", "", a.ID, seen)
		_, ok := c.x.Benefit(a.BenefitID)
		c.dangling("", from, "benefit_id", "benefit", a.BenefitID, ok)
		if !oneOf(a.Status, ActionPlanned, ActionInProgress, ActionImplemented, ActionCancelled) {
			c.badEnum("", from, "status", string(a.Status))
		}
	}
}

// evaluations reports the notes of each indicator's evaluation at its
// benefit's scope that Check passes on (reportedEvaluationNote).
func (c *checker) evaluations(p Month, s Settings) {
	x := c.x
	seen := map[string]bool{}
	for _, ind := range x.reg.Indicators {
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
				c.out = append(c.out, n)
			}
		}
	}
}

// measurementIssues counts one indicator's row-level problems.
type measurementIssues struct {
	misaligned, missingNumDen, missingValue, duplicates, negative int
	above100, implausible, future                                 int
	firstMisaligned, firstFuture                                  Month
	unknownUnits                                                  []string
}

// measurements reports measurement problems grouped per indicator so a
// large register gives a readable list; it walks each indicator's rows once.
func (c *checker) measurements(s Settings) {
	x := c.x
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
			if !c.skipped["indicator"][id] {
				c.add(NoteDanglingReference, SeverityError, id, []string{"measurement", "indicator_id", id},
					"measurement: indicator_id %s does not exist (%d rows)", QuoteID(id), len(rows))
			}
			continue
		}
		c.indicatorRows(&ind, c.tally(&ind, rows, s))
	}
}

// tally counts one indicator's row-level problems.
func (c *checker) tally(ind *Indicator, rows []int32, s Settings) measurementIssues {
	x := c.x
	var is measurementIssues
	today, checkFuture := MonthFromTime(s.Today), !s.Today.IsZero()
	unknownSeen := map[string]bool{}
	seen := make(map[uint64]struct{}, len(rows))
	for _, mi := range rows {
		m := &x.reg.Measurements[mi]
		if u, ok := x.unitIdx[m.OrgUnitID]; !ok {
			if !unknownSeen[m.OrgUnitID] && !c.skipped["org_unit"][m.OrgUnitID] {
				is.unknownUnits = append(is.unknownUnits, m.OrgUnitID)
			}
			unknownSeen[m.OrgUnitID] = true
		} else {
			k := uint64(uint32(u))<<32 | uint64(uint32(m.Period))
			if _, dup := seen[k]; dup {
				is.duplicates++
			}
			seen[k] = struct{}{}
		}
		if ind.Frequency.PeriodStart(m.Period) != m.Period {
			if is.misaligned == 0 {
				is.firstMisaligned = m.Period
			}
			is.misaligned++
		}
		if checkFuture && m.Period > today {
			if is.future == 0 || m.Period < is.firstFuture {
				is.firstFuture = m.Period
			}
			is.future++
		}
		for _, v := range []*float64{m.Value, m.Numerator, m.Denominator} {
			if v != nil && !PlausibleNumber(*v) {
				is.implausible++
				break
			}
		}
		tallyAggregation(ind, m, &is)
	}
	return is
}

// tallyAggregation counts the problems of a row that depend on the
// indicator's aggregation.
func tallyAggregation(ind *Indicator, m *Measurement, is *measurementIssues) {
	switch ind.Aggregation {
	case Ratio:
		switch {
		case m.Numerator == nil || m.Denominator == nil:
			is.missingNumDen++
		case *m.Numerator < 0 || *m.Denominator < 0:
			is.negative++
		case ind.Unit == "%" && *m.Numerator > *m.Denominator:
			is.above100++
		}
	case Sum:
		if m.Value == nil {
			is.missingValue++
		}
	case Mean:
		if m.Value == nil && (m.Numerator == nil || m.Denominator == nil || *m.Denominator <= 0) {
			is.missingValue++
		}
	}
}

// indicatorRows reports one indicator's tallied row-level problems.
func (c *checker) indicatorRows(ind *Indicator, is measurementIssues) {
	id, qid := ind.ID, QuoteID(ind.ID)
	n := strconv.Itoa
	for _, u := range is.unknownUnits {
		c.add(NoteDanglingReference, SeverityError, id, []string{"measurement", "org_unit_id", u},
			"measurement of indicator %s: org_unit_id %s does not exist; its rows are left out", qid, QuoteID(u))
	}
	if is.duplicates > 0 {
		c.add(NoteDuplicateID, SeverityError, id, []string{"measurement", n(is.duplicates)},
			"indicator %s has %d duplicate measurement row(s) for the same unit and period", qid, is.duplicates)
	}
	if is.misaligned > 0 {
		c.add(NoteMisalignedPeriod, SeverityWarning, id, []string{n(is.misaligned), string(ind.Frequency), is.firstMisaligned.String()},
			"indicator %s has %d measurement(s) whose period is not the first month of a %s (first: %s); they count in the period containing them",
			qid, is.misaligned, ind.Frequency, is.firstMisaligned)
	}
	if is.future > 0 {
		c.add(NoteFuturePeriod, SeverityError, id, []string{n(is.future), is.firstFuture.String()},
			"indicator %s has %d measurement(s) for a period that has not begun (first: %s)", qid, is.future, is.firstFuture)
	}
	if is.implausible > 0 {
		c.add(NoteImplausible, SeverityError, id, []string{"measurement", n(is.implausible)},
			"indicator %s has %d measurement(s) with a number beyond the plausible bound ±%g", qid, is.implausible, float64(MaxMagnitude))
	}
	if is.negative > 0 {
		// Counts cannot be negative: such a row turns every total it is in into nonsense.
		c.add(NoteNegativeCount, SeverityError, id, []string{n(is.negative)},
			"ratio indicator %s has %d measurement(s) with a negative numerator or denominator", qid, is.negative)
	}
	if is.above100 > 0 {
		c.add(NoteShareAbove100, SeverityError, id, []string{n(is.above100)},
			"ratio indicator %s has %d measurement(s) with the numerator above the denominator (a share above 100 %%)", qid, is.above100)
	}
	if is.missingNumDen > 0 {
		c.add(NoteMissingNumerator, SeverityWarning, id, []string{n(is.missingNumDen)},
			"ratio indicator %s has %d measurement(s) without numerator or denominator; they are left out", qid, is.missingNumDen)
	}
	if is.missingValue > 0 {
		c.add(NoteMissingValue, SeverityWarning, id, []string{n(is.missingValue)},
			"indicator %s has %d measurement(s) without a value; they are left out", qid, is.missingValue)
	}
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
