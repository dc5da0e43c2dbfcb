package register

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// cleanRegister is a small register without data-quality problems for 2025-09.
func cleanRegister() *Register {
	return &Register{
		Units:    testUnits(),
		People:   []Person{{ID: "P1", Name: "Kari", Email: "kari@example.no", Language: "nn"}},
		Benefits: []Benefit{{ID: "G1", Title: "Digital timebestilling", Category: PatientInvolvement, OrgUnitID: "R", OwnerID: "P1", Phase: PhaseRealise}},
		Holders:  []Holder{{BenefitID: "G1", OrgUnitID: "A", PersonID: "P1"}},
		Indicators: []Indicator{with(ratioInd(), func(i *Indicator) {
			i.BaselineValue = F(0)
			i.TargetValue = F(30)
			i.MinDenominator = F(5)
		})},
		Ambitions:    []Ambition{amb(2025, 10)},
		Measurements: []Measurement{rr("I1", "A", "2025-08", 1, 10), rr("I1", "A", "2025-09", 1, 10), rr("I1", "B", "2025-09", 2, 10)},
		Actions:      []ChangeAction{{ID: "T1", BenefitID: "G1", Title: "Opplæring", Status: ActionInProgress}},
	}
}

func TestCheck(t *testing.T) {
	type want struct {
		code     NoteCode
		severity Severity
		arg      string // one of the note's Args
	}
	tests := []struct {
		name   string
		change func(r *Register)
		want   []want
	}{
		{
			name:   "a clean register has no findings",
			change: func(r *Register) {},
		},
		{
			name: "a negative count in a ratio row is an error",
			change: func(r *Register) {
				r.Measurements = append(r.Measurements, rr("I1", "B", "2025-08", 5, -10))
			},
			want: []want{{NoteNegativeCount, SeverityError, "1"}},
		},
		{
			name: "dangling references are errors",
			change: func(r *Register) {
				r.Benefits = append(r.Benefits, Benefit{ID: "G2", Category: Savings, OrgUnitID: "GONE", OwnerID: "NOBODY", Phase: PhasePlan, CountedInBenefitID: "G9"})
				r.Holders = append(r.Holders, Holder{BenefitID: "G8", OrgUnitID: "A", PersonID: "P1"})
				r.Indicators = append(r.Indicators, Indicator{ID: "I7", BenefitID: "G7", Direction: Up, Aggregation: Sum, Frequency: Monthly})
				r.Ambitions = append(r.Ambitions, Ambition{IndicatorID: "I6", Year: 2025})
				r.Measurements = append(r.Measurements, rr("I5", "A", "2025-09", 1, 1), rr("I1", "Z", "2025-09", 1, 1))
				r.Units = append(r.Units, OrgUnit{ID: "Q", Kind: KindUnit, ParentID: "P"})
			},
			want: []want{
				{NoteDanglingReference, SeverityError, "GONE"},
				{NoteDanglingReference, SeverityError, "NOBODY"},
				{NoteDanglingReference, SeverityError, "G9"},
				{NoteDanglingReference, SeverityError, "G8"},
				{NoteDanglingReference, SeverityError, "G7"},
				{NoteDanglingReference, SeverityError, "I6"},
				{NoteDanglingReference, SeverityError, "I5"},
				{NoteDanglingReference, SeverityError, "Z"},
				{NoteDanglingReference, SeverityError, "P"},
			},
		},
		{
			name: "unknown enum values are errors",
			change: func(r *Register) {
				r.Units[0].Kind = "region"
				r.People[0].Language = "se"
				r.Benefits[0].Category = "fun"
				r.Benefits[0].Phase = "done"
				r.Indicators[0].Direction = "sideways"
				r.Indicators[0].Frequency = "week"
				r.Actions[0].Status = "later"
			},
			want: []want{
				{NoteBadEnum, SeverityError, "region"},
				{NoteBadEnum, SeverityError, "se"},
				{NoteBadEnum, SeverityError, "fun"},
				{NoteBadEnum, SeverityError, "done"},
				{NoteBadEnum, SeverityError, "sideways"},
				{NoteBadEnum, SeverityError, "week"},
				{NoteBadEnum, SeverityError, "later"},
			},
		},
		{
			name: "quarterly rows off the first month are misaligned",
			change: func(r *Register) {
				r.Indicators[0].Frequency = Quarterly
				r.Measurements = []Measurement{rr("I1", "A", "2025-07", 1, 10), rr("I1", "B", "2025-08", 1, 10)}
			},
			want: []want{{NoteMisalignedPeriod, SeverityWarning, "2025-08"}},
		},
		{
			name: "ratio rows without numerator and duplicates",
			change: func(r *Register) {
				r.Measurements = append(r.Measurements, Measurement{IndicatorID: "I1", OrgUnitID: "C", Period: mo("2025-09"), Denominator: F(3)}, rr("I1", "B", "2025-09", 2, 10))
			},
			want: []want{{NoteMissingNumerator, SeverityWarning, "1"}, {NoteDuplicateID, SeverityError, "1"}},
		},
		{
			name: "contradicting thresholds are errors",
			change: func(r *Register) {
				r.Ambitions = []Ambition{ambLimits(2025, 10, 12, 10)}
			},
			want: []want{{NoteInvalidThresholds, SeverityError, "2025"}},
		},
		{
			name: "no ambition while realising",
			change: func(r *Register) {
				r.Ambitions = []Ambition{amb(2024, 10)}
			},
			want: []want{{NoteNoAmbition, SeverityWarning, "2025"}},
		},
		{
			name: "stale data at the benefit's scope",
			change: func(r *Register) {
				r.Measurements = []Measurement{rr("I1", "A", "2025-05", 1, 10)}
			},
			want: []want{{NoteStale, SeverityWarning, "2025-05"}, {NoteNoData, SeverityWarning, "2025-09"}},
		},
		{
			name: "suppressed unit cells",
			change: func(r *Register) {
				r.Measurements = append(r.Measurements, rr("I1", "C", "2025-09", 1, 2))
			},
			want: []want{{NoteSuppressed, SeverityWarning, "C"}, {NoteComplementarySuppression, SeverityWarning, "C"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := cleanRegister()
			tc.change(reg)
			notes := Check(mustIndex(t, reg), mo("2025-09"), DefaultSettings())
			for _, w := range tc.want {
				if !slices.ContainsFunc(notes, func(n Note) bool {
					return n.Code == w.code && n.Severity == w.severity && slices.Contains(n.Args, w.arg)
				}) {
					t.Errorf("no %s %s note with arg %q in:", w.severity, w.code, w.arg)
					for _, n := range notes {
						t.Logf("  %s %s %v: %s", n.Severity, n.Code, n.Args, n.Message)
					}
				}
			}
			if len(tc.want) == 0 && len(notes) > 0 {
				for _, n := range notes {
					t.Errorf("unexpected %s %s: %s", n.Severity, n.Code, n.Message)
				}
			}
			for _, n := range notes {
				if n.Message == "" {
					t.Errorf("%s note without message", n.Code)
				}
			}
		})
	}
}

func TestCheckPhases(t *testing.T) {
	tests := []struct {
		name          string
		phase         Phase
		wantAmbition  bool
		wantStaleness bool
	}{
		{"realise reports a missing ambition", PhaseRealise, true, true},
		{"plan reports staleness but not a missing ambition", PhasePlan, false, true},
		{"closed reports neither", PhaseClosed, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := cleanRegister()
			reg.Benefits[0].Phase = tc.phase
			reg.Ambitions = nil
			reg.Measurements = []Measurement{rr("I1", "A", "2025-01", 1, 10)}
			notes := Check(mustIndex(t, reg), mo("2025-09"), DefaultSettings())
			if got := hasNote(notes, NoteNoAmbition); got != tc.wantAmbition {
				t.Errorf("no_ambition reported = %v, want %v", got, tc.wantAmbition)
			}
			if got := hasNote(notes, NoteStale); got != tc.wantStaleness {
				t.Errorf("stale reported = %v, want %v", got, tc.wantStaleness)
			}
		})
	}
}

// TestCheckAdditions covers the plausibility, address, id and load
// findings: each case names the notes it must give and those it must not.
func TestCheckAdditions(t *testing.T) {
	today := time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)
	type want struct {
		code NoteCode
		arg  string // one of the note's Args
	}
	tests := []struct {
		name   string
		change func(r *Register)
		want   []want
		absent []NoteCode
	}{
		{
			name:   "a share above 100 % on a % ratio",
			change: func(r *Register) { r.Measurements = append(r.Measurements, rr("I1", "B", "2025-08", 12, 10)) },
			want:   []want{{NoteShareAbove100, "1"}},
		},
		{
			name: "numerator above denominator is fine when the ratio is not a share",
			change: func(r *Register) {
				r.Indicators[0].Unit = "per 1000"
				r.Measurements = append(r.Measurements, rr("I1", "B", "2025-08", 12, 10))
			},
			absent: []NoteCode{NoteShareAbove100},
		},
		{
			name:   "a period that has not begun",
			change: func(r *Register) { r.Measurements = append(r.Measurements, rr("I1", "A", "2052-09", 1, 10)) },
			want:   []want{{NoteFuturePeriod, "2052-09"}},
		},
		{
			name:   "the current month is not in the future",
			change: func(r *Register) { r.Measurements = append(r.Measurements, rr("I1", "A", "2025-10", 1, 10)) },
			absent: []NoteCode{NoteFuturePeriod},
		},
		{
			name: "absurd magnitudes",
			change: func(r *Register) {
				r.Measurements = append(r.Measurements, rr("I1", "A", "2025-07", -1e300, 10))
				r.Ambitions[0].Target = 2e12
				r.Indicators[0].TargetValue = F(math.Inf(-1))
			},
			want: []want{{NoteImplausible, "measurement"}, {NoteImplausible, "2e+12"}, {NoteImplausible, "-Inf"}},
		},
		{
			name:   "a magnitude at the bound is plausible",
			change: func(r *Register) { r.Ambitions[0].Target = -MaxMagnitude },
			absent: []NoteCode{NoteImplausible},
		},
		{
			name:   "an unknown frequency",
			change: func(r *Register) { r.Indicators[0].Frequency = "fortnight" },
			want:   []want{{NoteBadEnum, "fortnight"}},
		},
		{
			name: "invalid email addresses",
			change: func(r *Register) {
				for i, e := range []string{"kari@", "Kari <kari@example.no>", "kari example.no", " kari@example.no", "kari@@example.no"} {
					r.People = append(r.People, Person{ID: fmt.Sprintf("E%d", i), Email: e})
				}
			},
			want: []want{{NoteInvalidEmail, "kari@"}, {NoteInvalidEmail, "Kari <kari@example.no>"}, {NoteInvalidEmail, "kari example.no"},
				{NoteInvalidEmail, " kari@example.no"}, {NoteInvalidEmail, "kari@@example.no"}},
		},
		{
			name: "plain addresses and no address are fine",
			change: func(r *Register) {
				r.People = append(r.People, Person{ID: "P2", Email: "ola.o'brien+gevinst@kommune.example.no"}, Person{ID: "P3"})
			},
			absent: []NoteCode{NoteInvalidEmail},
		},
		{
			name: "empty and overlong ids",
			change: func(r *Register) {
				r.People = append(r.People, Person{ID: ""}, Person{ID: strings.Repeat("x", MaxIDLength+1)})
				r.Units = append(r.Units, OrgUnit{ID: "", Kind: KindUnit})
			},
			want: []want{{NoteBadID, ""}, {NoteBadID, strings.Repeat("x", MaxIDLength+1)}, {NoteBadID, "org_unit"}},
		},
		{
			name:   "an id of the maximum length is fine",
			change: func(r *Register) { r.People = append(r.People, Person{ID: strings.Repeat("å", MaxIDLength)}) },
			absent: []NoteCode{NoteBadID},
		},
		{
			name: "a skipped row is one finding, and references to it are not reported again",
			change: func(r *Register) {
				r.Skipped = append(r.Skipped, SkippedRow{Table: "indicator", Key: `"I9"`, ID: "I9", IndicatorID: "I9", Reason: `frequency "week" is not month, quarter or year`})
				r.Measurements = append(r.Measurements, rr("I9", "A", "2025-09", 1, 2))
				r.Ambitions = append(r.Ambitions, Ambition{IndicatorID: "I9", Year: 2025, Target: 1})
			},
			want:   []want{{NoteRowSkipped, `"I9"`}},
			absent: []NoteCode{NoteDanglingReference},
		},
		{
			name: "a cycle and a self-parent",
			change: func(r *Register) {
				r.Units = append(r.Units, OrgUnit{ID: "Y1", ParentID: "Y2", Kind: KindUnit}, OrgUnit{ID: "Y2", ParentID: "Y1", Kind: KindUnit},
					OrgUnit{ID: "S", ParentID: "S", Kind: KindUnit})
			},
			want: []want{{NoteOrgCycle, "Y1"}, {NoteOrgCycle, "S"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := cleanRegister()
			tc.change(reg)
			s := DefaultSettings()
			s.Today = today
			notes := Check(mustIndex(t, reg), mo("2025-09"), s)
			for _, w := range tc.want {
				if !slices.ContainsFunc(notes, func(n Note) bool { return n.Code == w.code && slices.Contains(n.Args, w.arg) }) {
					t.Errorf("no %s note with arg %q", w.code, w.arg)
				}
			}
			for _, n := range notes {
				if slices.Contains(tc.absent, n.Code) {
					t.Errorf("unexpected %s: %s", n.Code, n.Message)
				}
				if n.Severity != SeverityError && slices.ContainsFunc(tc.want, func(w want) bool { return w.code == n.Code }) {
					t.Errorf("%s is a %s, want an error", n.Code, n.Severity)
				}
			}
			if t.Failed() {
				for _, n := range notes {
					t.Logf("  %s %s %q: %s", n.Severity, n.Code, n.Args, n.Message)
				}
			}
		})
	}
}

// TestCheckQuotesIDs checks that an id holding a newline or ESC cannot
// forge a finding line: every message is one line, ids quoted.
func TestCheckQuotesIDs(t *testing.T) {
	bad := "P1\nerror: forged\x1b[2J"
	reg := cleanRegister()
	reg.People = append(reg.People, Person{ID: bad, Email: "x"})
	reg.Benefits = append(reg.Benefits, Benefit{ID: "G\n2", Category: Savings, OrgUnitID: "R\r", OwnerID: bad, Phase: PhaseRealise})
	reg.Measurements = append(reg.Measurements, rr("I\n9", "A", "2025-09", 1, 2), rr("I1", "Z\x1b", "2025-09", 1, 2))
	notes := Check(mustIndex(t, reg), mo("2025-09"), DefaultSettings())
	if len(notes) < 4 {
		t.Fatalf("got %d notes, want at least 4", len(notes))
	}
	for _, n := range notes {
		if strings.ContainsFunc(n.Message, unicode.IsControl) {
			t.Errorf("message with a raw control character: %q", n.Message)
		}
	}
	if !slices.ContainsFunc(notes, func(n Note) bool { return strings.Contains(n.Message, `"P1\nerror: forged\x1b[2J"`) }) {
		t.Errorf("no message names the id quoted and escaped")
	}
}
