package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
)

func TestParseScale(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Scale
		wantErr bool
	}{
		{name: "empty is small", in: "", want: Small},
		{name: "small", in: "small", want: Small},
		{name: "regional", in: "regional", want: Regional},
		{name: "national with case and space", in: " National ", want: National},
		{name: "huge", in: "huge", want: Huge},
		{name: "unknown", in: "global", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScale(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseScale(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseScale(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLatest(t *testing.T) {
	for _, s := range []Scale{Small, Regional, National, Huge} {
		if got, want := Latest(s), register.MonthOf(2025, time.September); got != want {
			t.Errorf("Latest(%s) = %s, want %s", s, got, want)
		}
	}
}

func TestGenerateUnknownScaleIsSmall(t *testing.T) {
	if !reflect.DeepEqual(Generate("bogus"), Generate(Small)) || !reflect.DeepEqual(Generate(""), Generate(Small)) {
		t.Error("an unknown or empty scale does not give the small demo")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	for _, s := range []Scale{Small, Regional} {
		t.Run(string(s), func(t *testing.T) {
			a, b := Generate(s), Generate(s)
			if !reflect.DeepEqual(a, b) {
				t.Fatal("two calls of Generate returned different registers")
			}
			if len(a.Measurements) == 0 {
				t.Fatal("no measurements")
			}
		})
	}
}

// byID indexes a register for the tests.
type index struct {
	units      map[string]register.OrgUnit
	people     map[string]register.Person
	benefits   map[string]register.Benefit
	indicators map[string]register.Indicator
}

func indexOf(reg *register.Register) index {
	ix := index{map[string]register.OrgUnit{}, map[string]register.Person{}, map[string]register.Benefit{}, map[string]register.Indicator{}}
	for _, u := range reg.Units {
		ix.units[u.ID] = u
	}
	for _, p := range reg.People {
		ix.people[p.ID] = p
	}
	for _, b := range reg.Benefits {
		ix.benefits[b.ID] = b
	}
	for _, i := range reg.Indicators {
		ix.indicators[i.ID] = i
	}
	return ix
}

func (ix index) inScope(id, root string) bool {
	for n := 0; id != "" && n < 100; n++ {
		if id == root {
			return true
		}
		id = ix.units[id].ParentID
	}
	return false
}

func TestReferencesResolve(t *testing.T) {
	for _, s := range []Scale{Small, Regional, National} {
		t.Run(string(s), func(t *testing.T) {
			reg := Generate(s)
			ix := indexOf(reg)
			if len(ix.units) != len(reg.Units) || len(ix.people) != len(reg.People) ||
				len(ix.benefits) != len(reg.Benefits) || len(ix.indicators) != len(reg.Indicators) {
				t.Fatal("duplicate ids among units, people, benefits or indicators")
			}
			for _, u := range reg.Units {
				if _, ok := ix.units[u.ParentID]; u.ParentID != "" && !ok {
					t.Errorf("unit %s: parent %q does not exist", u.ID, u.ParentID)
				}
				if !ix.inScope(u.ID, rootOf(ix, u.ID)) || rootOf(ix, u.ID) == "" {
					t.Errorf("unit %s: no root (cycle?)", u.ID)
				}
			}
			emails := map[string]string{}
			for _, p := range reg.People {
				if p.Email == "" {
					continue
				}
				if !strings.HasSuffix(p.Email, "@example.no") {
					t.Errorf("person %s: email %q not @example.no", p.ID, p.Email)
				}
				if other, dup := emails[p.Email]; dup {
					t.Errorf("persons %s and %s share email %s", other, p.ID, p.Email)
				}
				emails[p.Email] = p.ID
			}
			for _, b := range reg.Benefits {
				if _, ok := ix.units[b.OrgUnitID]; !ok {
					t.Errorf("benefit %s: org unit %q does not exist", b.ID, b.OrgUnitID)
				}
				if _, ok := ix.people[b.OwnerID]; !ok {
					t.Errorf("benefit %s: owner %q does not exist", b.ID, b.OwnerID)
				}
				if _, ok := ix.benefits[b.CountedInBenefitID]; b.CountedInBenefitID != "" && !ok {
					t.Errorf("benefit %s: counted in %q which does not exist", b.ID, b.CountedInBenefitID)
				}
			}
			holders := map[register.Holder]bool{}
			for _, h := range reg.Holders {
				if holders[h] {
					t.Errorf("duplicate holder %+v", h)
				}
				holders[h] = true
				b, ok := ix.benefits[h.BenefitID]
				if !ok {
					t.Errorf("holder %+v: benefit does not exist", h)
					continue
				}
				if _, ok := ix.people[h.PersonID]; !ok {
					t.Errorf("holder %+v: person does not exist", h)
				}
				if !ix.inScope(h.OrgUnitID, b.OrgUnitID) {
					t.Errorf("holder %+v: unit outside the benefit's scope %s", h, b.OrgUnitID)
				}
			}
			for _, ind := range reg.Indicators {
				if _, ok := ix.benefits[ind.BenefitID]; !ok {
					t.Errorf("indicator %s: benefit %q does not exist", ind.ID, ind.BenefitID)
				}
				if ind.BaselinePeriod != nil && ind.Frequency.PeriodStart(*ind.BaselinePeriod) != *ind.BaselinePeriod {
					t.Errorf("indicator %s: baseline period %s not aligned to %s", ind.ID, *ind.BaselinePeriod, ind.Frequency)
				}
			}
			years := map[string]bool{}
			for _, a := range reg.Ambitions {
				if _, ok := ix.indicators[a.IndicatorID]; !ok {
					t.Errorf("ambition %s/%d: indicator does not exist", a.IndicatorID, a.Year)
				}
				key := fmt.Sprintf("%s/%d", a.IndicatorID, a.Year)
				if years[key] {
					t.Errorf("duplicate ambition %s", key)
				}
				years[key] = true
			}
			for _, a := range reg.Actions {
				if _, ok := ix.benefits[a.BenefitID]; !ok {
					t.Errorf("action %s: benefit %q does not exist", a.ID, a.BenefitID)
				}
				if (a.Status == register.ActionImplemented) != !a.CompletedOn.IsZero() {
					t.Errorf("action %s: status %s with completed_on %v", a.ID, a.Status, a.CompletedOn)
				}
			}
			keys := map[string]bool{}
			latest := Latest(s)
			for _, m := range reg.Measurements {
				ind, ok := ix.indicators[m.IndicatorID]
				if !ok {
					t.Fatalf("measurement %+v: indicator does not exist", m)
				}
				if _, ok := ix.units[m.OrgUnitID]; !ok {
					t.Fatalf("measurement %+v: unit does not exist", m)
				}
				if !ix.inScope(m.OrgUnitID, ix.benefits[ind.BenefitID].OrgUnitID) {
					t.Fatalf("measurement %s/%s: unit outside the benefit's scope", m.IndicatorID, m.OrgUnitID)
				}
				if ind.Frequency.PeriodStart(m.Period) != m.Period {
					t.Fatalf("measurement %s/%s/%s: period not aligned to %s", m.IndicatorID, m.OrgUnitID, m.Period, ind.Frequency)
				}
				if m.Period > latest {
					t.Fatalf("measurement %s/%s/%s: after Latest %s", m.IndicatorID, m.OrgUnitID, m.Period, latest)
				}
				key := fmt.Sprintf("%s|%s|%d", m.IndicatorID, m.OrgUnitID, m.Period)
				if keys[key] {
					t.Fatalf("duplicate measurement %s", key)
				}
				keys[key] = true
				switch ind.Aggregation {
				case register.Ratio:
					if m.Numerator == nil || m.Denominator == nil || *m.Denominator <= 0 || *m.Numerator < 0 {
						t.Fatalf("ratio measurement %s: numerator/denominator missing or invalid", key)
					}
					if m.Value != nil && math.Abs(*m.Value - *m.Numerator / *m.Denominator * ind.EffectiveScale()) > 1e-3 {
						t.Fatalf("ratio measurement %s: value %v is not num/den×scale", key, *m.Value)
					}
					if ind.Unit == "%" && *m.Numerator > *m.Denominator {
						t.Fatalf("ratio measurement %s: more than 100 %%", key)
					}
				default:
					if m.Value == nil || *m.Value < 0 {
						t.Fatalf("%s measurement %s: value missing or negative", ind.Aggregation, key)
					}
				}
			}
		})
	}
}

func rootOf(ix index, id string) string {
	for n := 0; n < 100; n++ {
		u, ok := ix.units[id]
		if !ok {
			return ""
		}
		if u.ParentID == "" {
			return id
		}
		id = u.ParentID
	}
	return ""
}

func TestSmallDemoCoverage(t *testing.T) {
	reg := Generate(Small)
	ix := indexOf(reg)
	set := func(vals ...string) map[string]bool {
		m := map[string]bool{}
		for _, v := range vals {
			m[v] = true
		}
		return m
	}
	var cats, aggs, dirs, freqs, units, phases, langs, targetYears, decimals []string
	baselinePeriodOnly, minDenRatio := 0, 0
	for _, b := range reg.Benefits {
		cats = append(cats, string(b.Category))
		phases = append(phases, string(b.Phase))
	}
	for _, ind := range reg.Indicators {
		aggs = append(aggs, string(ind.Aggregation))
		dirs = append(dirs, string(ind.Direction))
		freqs = append(freqs, string(ind.Frequency))
		units = append(units, ind.Unit)
		decimals = append(decimals, fmt.Sprint(ind.Decimals))
		if !ind.TargetDate.IsZero() {
			targetYears = append(targetYears, fmt.Sprint(ind.TargetDate.Year()))
		}
		if ind.BaselineValue == nil && ind.BaselinePeriod != nil {
			baselinePeriodOnly++
		}
		if ind.MinDenominator != nil && ind.Aggregation == register.Ratio {
			minDenRatio++
		}
		if ind.Scale != nil && *ind.Scale != ind.EffectiveScale() {
			t.Errorf("indicator %s: EffectiveScale ignores scale", ind.ID)
		}
	}
	for _, p := range reg.People {
		langs = append(langs, p.Language)
	}
	var cat []string
	for _, c := range register.Categories {
		cat = append(cat, string(c))
	}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"categories", cats, cat},
		{"aggregations", aggs, []string{"ratio", "sum", "mean"}},
		{"directions", dirs, []string{"up", "down"}},
		{"frequencies", freqs, []string{"month", "quarter", "year"}},
		{"units", units, []string{"%", "per 1000 innleggelser", "minutter", "kr", "antall", "dager"}},
		{"phases", phases, []string{"realise", "evaluate"}},
		{"languages", langs, []string{"nb", "nn", "en"}},
		{"target years", targetYears, []string{"2025", "2026", "2027"}},
		{"decimals", decimals, []string{"0", "1", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := set(tt.got...)
			for _, w := range tt.want {
				if !have[w] {
					t.Errorf("no %q among %v", w, tt.got)
				}
			}
		})
	}
	counts := []struct {
		name     string
		got      int
		min, max int
	}{
		{"benefits", len(reg.Benefits), 8, 12},
		{"indicators", len(reg.Indicators), 20, 40},
		{"indicators with only a baseline period", baselinePeriodOnly, 1, 40},
		{"ratio indicators with min_denominator", minDenRatio, 2, 40},
		{"change actions", len(reg.Actions), 10, 100},
		{"languages nb", count(langs, "nb"), len(langs) / 2, len(langs)},
		{"languages en", count(langs, "en"), 1, 1},
	}
	for _, c := range counts {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s: %d, want %d..%d", c.name, c.got, c.min, c.max)
		}
	}

	t.Run("36 months of monthly data", func(t *testing.T) {
		months := map[register.Month]bool{}
		for _, m := range reg.Measurements {
			if ix.indicators[m.IndicatorID].Frequency == register.Monthly {
				months[m.Period] = true
			}
		}
		if len(months) < 36 {
			t.Errorf("%d months with data, want ≥ 36", len(months))
		}
	})
	t.Run("data at unit and kommune level", func(t *testing.T) {
		kinds := map[register.OrgKind]bool{}
		for _, m := range reg.Measurements {
			kinds[ix.units[m.OrgUnitID].Kind] = true
		}
		if !kinds[register.KindUnit] || !kinds[register.KindKommune] {
			t.Errorf("measurements at kinds %v, want unit and kommune", kinds)
		}
	})
	t.Run("org tree", func(t *testing.T) {
		want := map[string]register.OrgKind{
			"Helse Midt-Norge RHF": register.KindRHF, "St. Olavs hospital HF": register.KindHF,
			"Helse Møre og Romsdal HF": register.KindHF, "Helse Nord-Trøndelag HF": register.KindHF,
			"Trondheim kommune": register.KindKommune, "Molde kommune": register.KindKommune,
			"Levanger kommune": register.KindKommune, "Kristiansund kommune": register.KindKommune,
			"Snåase – Snåsa": register.KindKommune, "Raarvihke – Røyrvik": register.KindKommune,
		}
		names := map[string]register.OrgKind{}
		for _, u := range reg.Units {
			names[u.Name] = u.Kind
		}
		for n, k := range want {
			if names[n] != k {
				t.Errorf("unit %q: kind %q, want %q", n, names[n], k)
			}
		}
	})
	t.Run("Sámi letter in a unit name", func(t *testing.T) {
		found := false
		for _, u := range reg.Units {
			if strings.ContainsAny(u.Name, "áčđŋšŧžïÁČĐŊŠŦŽÏ") {
				found = true
			}
		}
		if !found {
			t.Error("no unit name with a Sámi letter")
		}
	})
	t.Run("Norwegian letters in people's names", func(t *testing.T) {
		n := 0
		for _, p := range reg.People {
			if strings.ContainsAny(p.Name, "æøåÆØÅ") {
				n++
			}
		}
		if n < 5 {
			t.Errorf("%d names with æ, ø or å, want ≥ 5", n)
		}
	})
	t.Run("a long benefit title", func(t *testing.T) {
		longest := 0
		for _, b := range reg.Benefits {
			longest = max(longest, len([]rune(b.Title)))
		}
		if longest < 150 {
			t.Errorf("longest title has %d characters, want ≥ 150", longest)
		}
	})
	t.Run("owners at different organisations", func(t *testing.T) {
		orgs := map[string]bool{}
		for _, b := range reg.Benefits {
			orgs[b.OrgUnitID] = true
		}
		if len(orgs) < 3 {
			t.Errorf("benefits at %d organisations, want ≥ 3", len(orgs))
		}
	})
	t.Run("savings ambition in kroner", func(t *testing.T) {
		found := false
		for _, a := range reg.Ambitions {
			if ix.indicators[a.IndicatorID].Unit == "kr" && a.Target == 7624000 {
				found = true
			}
		}
		if !found {
			t.Error("no savings ambition of 7 624 000 kr")
		}
	})
	t.Run("ambitions", func(t *testing.T) {
		var revised, explicit, defaults, y2026 int
		for _, a := range reg.Ambitions {
			if !a.RevisedOn.IsZero() {
				revised++
				if a.RevisedOn.Year() < a.Year || a.Note == "" {
					t.Errorf("ambition %s/%d: revised %v without a note or before its year", a.IndicatorID, a.Year, a.RevisedOn)
				}
			}
			if a.RedLimit != nil && a.GreenLimit != nil {
				explicit++
			}
			if a.RedLimit == nil && a.GreenLimit == nil {
				defaults++
			}
			if a.Year == 2026 {
				y2026++
			}
		}
		if revised < 2 || explicit < 3 || defaults < 10 || y2026 < 3 {
			t.Errorf("revised %d, explicit limits %d, default limits %d, 2026 rows %d", revised, explicit, defaults, y2026)
		}
	})
	t.Run("handbook example", func(t *testing.T) {
		a, ok := ambition(reg, "I-001", 2024)
		if !ok || a.Target != 10 || a.RedLimit == nil || *a.RedLimit != 5 || a.GreenLimit == nil || *a.GreenLimit != 10 {
			t.Errorf("I-001 2024 ambition %+v, want 10 with red 5 and green 10", a)
		}
		ind := ix.indicators["I-001"]
		if *ind.TargetValue != 30 || ind.TargetDate != time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC) {
			t.Errorf("I-001 target %v by %v, want 30 by 2026-12-31", *ind.TargetValue, ind.TargetDate)
		}
	})
	t.Run("overdue change actions", func(t *testing.T) {
		due := Latest(Small).FirstDay()
		n := 0
		for _, a := range reg.Actions {
			open := a.Status == register.ActionPlanned || a.Status == register.ActionInProgress
			if open && !a.DueDate.IsZero() && a.DueDate.Before(due) {
				n++
			}
		}
		if n < 3 {
			t.Errorf("%d overdue actions, want ≥ 3", n)
		}
		var statuses []string
		for _, a := range reg.Actions {
			statuses = append(statuses, string(a.Status))
		}
		for _, s := range []string{"planned", "in_progress", "implemented", "cancelled"} {
			if count(statuses, s) == 0 {
				t.Errorf("no change action with status %s", s)
			}
		}
	})
}

func count(vals []string, v string) int {
	n := 0
	for _, x := range vals {
		if x == v {
			n++
		}
	}
	return n
}

func ambition(reg *register.Register, id string, year int) (register.Ambition, bool) {
	for _, a := range reg.Ambitions {
		if a.IndicatorID == id && a.Year == year {
			return a, true
		}
	}
	return register.Ambition{}, false
}

func rows(reg *register.Register, id, unit string) []register.Measurement {
	var out []register.Measurement
	for _, m := range reg.Measurements {
		if m.IndicatorID == id && (unit == "" || m.OrgUnitID == unit) {
			out = append(out, m)
		}
	}
	return out
}

func TestImperfections(t *testing.T) {
	reg := Generate(Small)
	ix := indexOf(reg)
	latest := Latest(Small)
	tests := []struct {
		name  string
		check func() error
	}{
		{"missing month", func() error {
			rs := rows(reg, missingIndicator, missingUnit)
			have := map[register.Month]bool{}
			for _, m := range rs {
				have[m.Period] = true
			}
			if have[missingMonth] {
				return fmt.Errorf("%s has a row for %s at %s", missingIndicator, missingMonth, missingUnit)
			}
			if !have[missingMonth.Add(-1)] || !have[missingMonth.Add(1)] {
				return fmt.Errorf("the months around %s are missing too", missingMonth)
			}
			return nil
		}},
		{"stale indicator", func() error {
			rs := rows(reg, staleIndicator, "")
			if len(rs) == 0 {
				return fmt.Errorf("%s has no data", staleIndicator)
			}
			last := register.Month(0)
			for _, m := range rs {
				last = max(last, m.Period)
			}
			if last > latest.Add(-4) {
				return fmt.Errorf("%s latest data %s, want 4+ months before %s", staleIndicator, last, latest)
			}
			return nil
		}},
		{"other monthly indicators reach Latest", func() error {
			for _, ind := range reg.Indicators {
				last := register.Month(0)
				for _, m := range rows(reg, ind.ID, "") {
					last = max(last, m.Period)
				}
				if ind.ID != staleIndicator && last != ind.Frequency.PeriodStart(latest) {
					return fmt.Errorf("%s latest data %s, want the period of %s", ind.ID, last, latest)
				}
			}
			return nil
		}},
		{"units below the suppression limit", func() error {
			cells := []struct{ ind, unit string }{
				{"I-012", "5041-HJT"}, {"I-012", "5041-SHJ"}, {"I-012", "5043-HJT"}, {"I-022", "5043-LEG"},
			}
			for _, c := range cells {
				ind := ix.indicators[c.ind]
				rs := rows(reg, c.ind, c.unit)
				if ind.MinDenominator == nil || len(rs) < 36 {
					return fmt.Errorf("%s at %s: min_denominator %v, %d rows", c.ind, c.unit, ind.MinDenominator, len(rs))
				}
				for _, m := range rs {
					if *m.Denominator >= *ind.MinDenominator {
						return fmt.Errorf("%s at %s %s: denominator %v not below %v", c.ind, c.unit, m.Period, *m.Denominator, *ind.MinDenominator)
					}
				}
				var total float64
				for _, m := range rows(reg, c.ind, "") {
					if m.Period == latest {
						total += *m.Denominator
					}
				}
				if total < *ind.MinDenominator {
					return fmt.Errorf("%s region total %v is suppressed too", c.ind, total)
				}
			}
			return nil
		}},
		{"contradictory thresholds", func() error {
			a, ok := ambition(reg, "I-006", 2025)
			if !ok || ix.indicators["I-006"].Direction != register.Up || a.RedLimit == nil || a.GreenLimit == nil || *a.RedLimit <= *a.GreenLimit {
				return fmt.Errorf("I-006 2025 is not an up-indicator with red_limit > green_limit: %+v", a)
			}
			return nil
		}},
		{"double-counted savings", func() error {
			b := ix.benefits["G-009"]
			if b.Category != register.Savings || b.CountedInBenefitID != "G-008" || ix.benefits["G-008"].Category != register.Savings {
				return fmt.Errorf("G-009 %+v is not a savings benefit counted in savings benefit G-008", b)
			}
			return nil
		}},
		{"no ambition for 2025", func() error {
			if _, ok := ambition(reg, "I-019", 2025); ok {
				return fmt.Errorf("I-019 has an ambition for 2025")
			}
			if _, ok := ambition(reg, "I-019", 2024); !ok {
				return fmt.Errorf("I-019 has no ambition for 2024 either")
			}
			for _, ind := range reg.Indicators {
				if _, ok := ambition(reg, ind.ID, 2025); !ok && ind.ID != "I-019" {
					return fmt.Errorf("%s has no ambition for 2025 either", ind.ID)
				}
			}
			return nil
		}},
		{"baseline from a period only", func() error {
			ind := ix.indicators["I-002"]
			if ind.BaselineValue != nil || ind.BaselinePeriod == nil {
				return fmt.Errorf("I-002 baseline %v / %v", ind.BaselineValue, ind.BaselinePeriod)
			}
			if len(rows(reg, "I-002", "")) == 0 || !slices.ContainsFunc(rows(reg, "I-002", ""), func(m register.Measurement) bool { return m.Period == *ind.BaselinePeriod }) {
				return fmt.Errorf("I-002 has no data at its baseline period %s", *ind.BaselinePeriod)
			}
			return nil
		}},
		{"holder without email", func() error {
			if p := ix.people["P-040"]; p.Email != "" || p.Name == "" {
				return fmt.Errorf("P-040 %+v should exist without an email address", p)
			}
			if !slices.Contains(reg.Holders, register.Holder{BenefitID: "G-006", OrgUnitID: "5041-HJT", PersonID: "P-040"}) {
				return fmt.Errorf("P-040 is not the G-006 holder for 5041-HJT")
			}
			n := 0
			for _, p := range reg.People {
				if p.Email == "" {
					n++
				}
			}
			if n != 1 {
				return fmt.Errorf("%d people without email, want exactly 1", n)
			}
			return nil
		}},
		{"person without language", func() error {
			if p := ix.people["P-041"]; p.Language != "" || p.Name == "" {
				return fmt.Errorf("P-041 %+v should exist without a language", p)
			}
			return nil
		}},
		{"action without responsible", func() error {
			for _, a := range reg.Actions {
				if a.ID == "A-012" && a.Responsible == "" {
					return nil
				}
			}
			return fmt.Errorf("A-012 has a responsible or does not exist")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(); err != nil {
				t.Error(err)
			}
		})
	}
}

// scopeSeries aggregates an indicator over every unit per period, as the
// evaluation would for the region.
func scopeSeries(reg *register.Register, ind register.Indicator) []float64 {
	type acc struct{ a, b float64 }
	per := map[register.Month]*acc{}
	var ps []register.Month
	for _, m := range rows(reg, ind.ID, "") {
		x := per[m.Period]
		if x == nil {
			x = &acc{}
			per[m.Period] = x
			ps = append(ps, m.Period)
		}
		if ind.Aggregation == register.Ratio {
			x.a += *m.Numerator
			x.b += *m.Denominator
		} else {
			x.a += *m.Value
			x.b++
		}
	}
	slices.Sort(ps)
	out := make([]float64, len(ps))
	for i, p := range ps {
		x := per[p]
		switch ind.Aggregation {
		case register.Ratio:
			out[i] = x.a / x.b * ind.EffectiveScale()
		case register.Sum:
			out[i] = x.a
		default:
			out[i] = x.a / x.b
		}
	}
	return out
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func TestTrends(t *testing.T) {
	reg := Generate(Small)
	improving := 0
	for _, ind := range reg.Indicators {
		t.Run(ind.ID, func(t *testing.T) {
			s := scopeSeries(reg, ind)
			n := max(1, len(s)/4)
			first, last := mean(s[:n]), mean(s[len(s)-n:])
			change := (last - first) / math.Max(math.Abs(first), 1)
			if ind.Direction == register.Down {
				change = -change
			}
			switch ind.ID {
			case "I-007":
				if change > -0.05 {
					t.Errorf("I-007 should worsen: first %.2f, last %.2f", first, last)
				}
			case "I-003":
				if math.Abs(change) > 0.02 {
					t.Errorf("I-003 should stay flat: first %.2f, last %.2f", first, last)
				}
			default:
				if change < 0.05 {
					t.Errorf("%s should improve: first %.2f, last %.2f", ind.ID, first, last)
				}
				improving++
			}
		})
	}
	if improving < len(reg.Indicators)-2 {
		t.Errorf("%d improving indicators of %d", improving, len(reg.Indicators))
	}
}

func TestLargeScales(t *testing.T) {
	tests := []struct {
		scale                          Scale
		rhf, hf, kommune, unitMin, max int
	}{
		{Regional, 1, 3, 45, 180, 230},
		{National, 5, 19, 356, 1800, 2200}, // four RHFs and the national root
	}
	small := Generate(Small)
	for _, tt := range tests {
		t.Run(string(tt.scale), func(t *testing.T) {
			reg := Generate(tt.scale)
			kinds := map[register.OrgKind]int{}
			for _, u := range reg.Units {
				kinds[u.Kind]++
			}
			if kinds[register.KindRHF] != tt.rhf || kinds[register.KindHF] != tt.hf || kinds[register.KindKommune] != tt.kommune ||
				kinds[register.KindUnit] < tt.unitMin || kinds[register.KindUnit] > tt.max {
				t.Errorf("org kinds %v", kinds)
			}
			want := slices.Clone(small.Benefits)
			if tt.scale == National {
				for i := range want {
					if want[i].OrgUnitID == "HMN" {
						want[i].OrgUnitID = nationalRoot
					}
				}
			}
			if !reflect.DeepEqual(reg.Benefits, want) || !reflect.DeepEqual(reg.Indicators, small.Indicators) ||
				!reflect.DeepEqual(reg.Ambitions, small.Ambitions) {
				t.Error("benefits, indicators or ambitions differ from the small demo")
			}
			holderKommuner := map[string]bool{}
			ix := indexOf(reg)
			for _, h := range reg.Holders {
				if _, ok := ix.people[h.PersonID]; !ok {
					t.Fatalf("holder %+v: person does not exist", h)
				}
				u := ix.units[h.OrgUnitID]
				if u.Kind == register.KindUnit {
					u = ix.units[u.ParentID]
				}
				if u.Kind == register.KindKommune {
					holderKommuner[u.ID] = true
				}
			}
			if len(holderKommuner) != tt.kommune {
				t.Errorf("holders in %d municipalities, want %d", len(holderKommuner), tt.kommune)
			}
			if len(reg.Measurements) <= 5*len(small.Measurements) {
				t.Errorf("%d measurements, not many more than the small demo's %d", len(reg.Measurements), len(small.Measurements))
			}
		})
	}
}

func TestWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.db")
	if err := os.WriteFile(path, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	var sums [2][32]byte
	for i := range sums {
		if err := Write(ctx, path, Small); err != nil {
			t.Fatalf("Write #%d: %v", i+1, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = sha256.Sum256(b)
	}
	if sums[0] != sums[1] {
		t.Errorf("two writes differ: %x vs %x", sums[0], sums[1])
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only demo.db", names)
	}

	db, err := store.Open(ctx, store.SQLite, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := store.Load(ctx, db, store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	// Compare content, not representation: rows in key order, numbers by
	// value, times by instant (JSON), whatever order and time.Location Load uses.
	sortByKey(got)
	compareTables(t, got, Generate(Small))
}

// compareTables reports the first differing row of each table, comparing
// rows by their JSON encoding.
func compareTables(t *testing.T, got, want *register.Register) {
	t.Helper()
	g, w := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range g.NumField() {
		name := g.Type().Field(i).Name
		gf, wf := g.Field(i), w.Field(i)
		if gf.Kind() != reflect.Slice {
			if !reflect.DeepEqual(gf.Interface(), wf.Interface()) {
				t.Errorf("%s: loaded %+v, generated %+v", name, gf.Interface(), wf.Interface())
			}
			continue
		}
		if gf.Len() != wf.Len() {
			t.Errorf("%s: loaded %d rows, generated %d", name, gf.Len(), wf.Len())
			continue
		}
		for j := range gf.Len() {
			gj, err := json.Marshal(gf.Index(j).Interface())
			if err != nil {
				t.Fatal(err)
			}
			wj, err := json.Marshal(wf.Index(j).Interface())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gj, wj) {
				t.Errorf("%s[%d]: loaded %s, generated %s", name, j, gj, wj)
				break
			}
		}
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
	}{
		{"missing directory", filepath.Join(dir, "nope", "demo.db")},
		{"path is a directory", sub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Write(context.Background(), tt.path, Small); err == nil {
				t.Fatalf("Write(%q) succeeded", tt.path)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".demo-") {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, s := range []Scale{Small, Regional, National} {
		b.Run(string(s), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Generate(s)
			}
		})
	}
}
