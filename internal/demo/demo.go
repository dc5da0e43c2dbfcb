// Package demo builds the built-in demo register: a believable Central
// Norway benefits register (Helse Midt-Norge RHF, its hospital trusts and
// municipalities on Helseplattformen) with more than three years of monthly
// data, used by `gevinstrapport demo` and by `run` when no config is given.
//
// The register is deterministic: every call to Generate returns the same
// data (fixed-seed PCG generators, no clock), and Write produces the same
// bytes every time.
//
// Municipalities (kind kommune) have the RHF of their region as parent. A
// municipality is not owned by the RHF; the link models the regional health
// community (helsefellesskap) so that a region-wide benefit such as digital
// booking covers both the hospital units and the municipal ones.
//
// The small demo deliberately carries the imperfections real registers have,
// so that every data-quality path of the reports shows up:
//
//   - Missing month: indicator I-001 has no row for unit 5001-LEG
//     (Fastlegekontorene i Trondheim) in 2024-07.
//   - Stale indicator: I-013 (utskrivningsklare pasientdøgn) has no data after
//     2025-05, four months before Latest.
//   - Suppression: the home care and nursing home units of Snåsa (5041-HJT,
//     5041-SHJ) and Røyrvik (5043-HJT) report fewer messages to I-012 every
//     month than its min_denominator of 20; Røyrvik's GP office (5043-LEG)
//     stays below I-022's min_denominator of 20.
//   - Contradictory thresholds: I-006 (direction up) has red_limit 80 above
//     green_limit 75 in 2025.
//   - Double counting: savings benefit G-009 is counted in G-008
//     (counted_in_benefit_id).
//   - No ambition: I-019 has yearly ambitions for 2023 and 2024 but not 2025.
//   - Baseline from a period: I-002 has no baseline_value, only
//     baseline_period 2023-01.
//   - Holder without email: person P-040 (holder for 5041-HJT, Snåsa) has no
//     address.
//   - Person without language: P-041 (holder for 5043-HJT, Røyrvik) has none,
//     so the config default applies.
//   - Overdue change actions: several actions were due before 2025-09 and are
//     still planned or in progress; one has no responsible.
//   - Owners' comments (commentary): for 2025-09 on G-001, I-006, I-007 and
//     I-008; older ones on G-006 (2025-07) and G-010 (2025-08), shown marked
//     as older; I-015's for 2024-12, in the 2024 annual report.
//
// Trends: most indicators improve after each organisation's go-live (with a
// short dip right after it); I-007 (time to first doctor in the emergency
// department) keeps worsening; I-003 (patient satisfaction) stays flat.
//
// The regional and national scales, for benchmarks, keep the same benefits,
// indicators, ambitions and actions and add organisations: about 45
// municipalities and 200 units in the region, and 4 RHFs, 19 HFs, 356
// municipalities and about 2000 units nationally, each unit with a holder.
// The national scale adds a root unit, NO "Helse- og omsorgstjenesten"
// (kind rhf), above the four regional health authorities, and scopes the
// region-wide benefits (Helse Midt-Norge RHF in the other scales) there, so
// every holder and measurement lies within its benefit's scope.
//
// The huge scale is the national tree with 450 units per hospital trust
// (about 10 000 recipients) and data from 2020-01 instead of 2022-06, so
// it holds more than 2 million measurement rows, most of them older than
// any report shows. Its rows are generated as a stream (see WriteTo), so
// writing it never holds the register's measurements in memory.
package demo

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gevinstrapport/internal/register"
)

// Scale is the size of the demo register.
type Scale string

// Scales of the demo: the realistic small register and three large ones for benchmarks.
const (
	Small    Scale = "small"
	Regional Scale = "regional"
	National Scale = "national"
	Huge     Scale = "huge"
)

// ParseScale turns a --scale flag value into a Scale; "" means Small.
func ParseScale(s string) (Scale, error) {
	switch Scale(strings.ToLower(strings.TrimSpace(s))) {
	case "", Small:
		return Small, nil
	case Regional:
		return Regional, nil
	case National:
		return National, nil
	case Huge:
		return Huge, nil
	}
	return "", fmt.Errorf("unknown demo scale %q (want small, regional, national or huge)", s)
}

// known reports whether scale is one of the demo's scales.
func (s Scale) known() bool {
	return s == Small || s == Regional || s == National || s == Huge
}

// nationwide reports whether scale has the national tree (see nationalScope).
func (s Scale) nationwide() bool { return s == National || s == Huge }

// firstMonth returns the first month with data: 2022-06, or 2020-01 in the
// huge scale, whose long history stands for the years a report never shows.
func firstMonth(scale Scale) register.Month {
	if scale == Huge {
		return register.MonthOf(2020, 1)
	}
	return register.MonthOf(2022, 6)
}

// Latest returns the demo's latest month with data, the default report period on the demo.
func Latest(scale Scale) register.Month { return register.MonthOf(2025, 9) }

// Generate builds the demo register for scale (unknown scales give the small
// one); every call returns equal data. It holds every measurement in
// memory: for the huge scale use WriteTo, which streams them.
func Generate(scale Scale) *register.Register {
	reg, plan := build(scale)
	reg.Measurements = make([]register.Measurement, 0, plan.count())
	for m := range plan.rows {
		reg.Measurements = append(reg.Measurements, m)
	}
	sortByKey(reg)
	return reg
}

// build returns the demo register of scale without its measurements, every
// table in primary key order, and the plan that yields the measurements.
func build(scale Scale) (*register.Register, *plan) {
	if !scale.known() {
		scale = Small
	}
	orgs := buildOrgs(scale)
	reg := &register.Register{
		Units:  orgs.units,
		People: orgs.people,
	}
	specs := indicatorSpecs()
	benefits := benefitList()
	if scale.nationwide() {
		nationalScope(benefits)
	}
	reg.Benefits = benefits
	for _, s := range specs {
		reg.Indicators = append(reg.Indicators, s.ind)
		reg.Ambitions = append(reg.Ambitions, ambitions(s)...)
	}
	reg.Actions = changeActions()
	reg.Comments = comments()
	plan := newPlan(orgs, benefits, specs, firstMonth(scale), Latest(scale))
	reg.Holders = plan.holders
	sortByKey(reg)
	return reg, plan
}

// nationalScope moves the region-wide benefits (scope Helse Midt-Norge RHF)
// to the national root, so that in the national scale every holder and
// measurement in the other regions lies within its benefit's scope.
func nationalScope(benefits []register.Benefit) {
	for i := range benefits {
		if benefits[i].OrgUnitID == "HMN" {
			benefits[i].OrgUnitID = nationalRoot
		}
	}
}

// sortByKey puts every table in primary key order, the order store.Load
// returns from SQLite, so a generated and a loaded demo register are equal.
func sortByKey(reg *register.Register) {
	slices.SortFunc(reg.Units, func(a, b register.OrgUnit) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(reg.People, func(a, b register.Person) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(reg.Benefits, func(a, b register.Benefit) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(reg.Holders, func(a, b register.Holder) int {
		return cmp.Or(strings.Compare(a.BenefitID, b.BenefitID), strings.Compare(a.OrgUnitID, b.OrgUnitID), strings.Compare(a.PersonID, b.PersonID))
	})
	slices.SortFunc(reg.Indicators, func(a, b register.Indicator) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(reg.Ambitions, func(a, b register.Ambition) int {
		return cmp.Or(strings.Compare(a.IndicatorID, b.IndicatorID), cmp.Compare(a.Year, b.Year))
	})
	slices.SortFunc(reg.Measurements, func(a, b register.Measurement) int {
		return cmp.Or(strings.Compare(a.IndicatorID, b.IndicatorID), strings.Compare(a.OrgUnitID, b.OrgUnitID), cmp.Compare(a.Period, b.Period))
	})
	slices.SortFunc(reg.Actions, func(a, b register.ChangeAction) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(reg.Comments, func(a, b register.Comment) int {
		return cmp.Or(strings.Compare(a.BenefitID, b.BenefitID), strings.Compare(a.IndicatorID, b.IndicatorID), cmp.Compare(a.Period, b.Period))
	})
}
