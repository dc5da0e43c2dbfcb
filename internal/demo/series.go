package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gevinstrapport/internal/register"
)

// Imperfections placed in the data (see the package comment).
const (
	missingIndicator = "I-001"
	missingUnit      = "5001-LEG"
	staleIndicator   = "I-013"
)

// missingMonth is the month without a row for missingIndicator at missingUnit: 2024-07.
const missingMonth = register.Month(2024*12 + 6)

// staleLast is the last month with data for staleIndicator: 2025-05.
const staleLast = register.Month(2025*12 + 4)

// omitted reports whether the row of indicator id at unit for period p is
// left out on purpose, to model a missing month and a stale indicator.
func omitted(id, unit string, p register.Month) bool {
	switch {
	case id == missingIndicator && unit == missingUnit && p == missingMonth:
		return true
	case id == staleIndicator && p > staleLast:
		return true
	}
	return false
}

// slab hands out pointers to float64s allocated in blocks, so that millions
// of nullable numbers do not cost one allocation each.
type slab struct{ buf []float64 }

func (s *slab) ptr(v float64) *float64 {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]float64, 0, 8192)
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}

// periods lists the first months of freq's periods from the one holding
// start up to and including the one that starts at or before latest.
func periods(freq register.Frequency, start, latest register.Month) []register.Month {
	var out []register.Month
	for p := freq.PeriodStart(start); p <= latest; p = p.Add(freq.Months()) {
		out = append(out, p)
	}
	return out
}

func seed(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// plan says which sites measure which indicator over which periods: every
// site that provides one of the indicator's services inside its benefit's
// scope. In the national and huge scales the region-wide benefits are
// scoped to the national root (see nationalScope), so they are measured and
// held in every region.
type plan struct {
	specs    []indSpec
	measured [][]site           // per spec, in site id order
	periods  [][]register.Month // per spec
	holders  []register.Holder  // in generation order, not yet sorted
}

// newPlan plans the measurements of specs from start to latest.
func newPlan(o *orgs, benefits []register.Benefit, specs []indSpec, start, latest register.Month) *plan {
	scopeOf := map[string]string{}
	for _, b := range benefits {
		scopeOf[b.ID] = b.OrgUnitID
	}
	// Sites in id order give rows already in primary key order.
	sites := slices.Clone(o.sites)
	slices.SortFunc(sites, func(a, b site) int { return strings.Compare(a.id, b.id) })
	p := &plan{specs: specs, measured: make([][]site, len(specs)), periods: make([][]register.Month, len(specs))}
	seen := map[register.Holder]bool{}
	for i, s := range specs {
		scope := scopeOf[s.ind.BenefitID]
		p.periods[i] = periods(s.ind.Frequency, start, latest)
		for _, st := range sites {
			if !slices.Contains(s.services, st.svc) || !o.inScope(st.id, scope) {
				continue
			}
			p.measured[i] = append(p.measured[i], st)
			h := register.Holder{BenefitID: s.ind.BenefitID, OrgUnitID: st.id, PersonID: st.leader}
			if !seen[h] {
				seen[h] = true
				p.holders = append(p.holders, h)
			}
		}
	}
	return p
}

// count returns the number of rows that rows yields, without generating them.
func (p *plan) count() int {
	n := 0
	for i, s := range p.specs {
		for _, st := range p.measured[i] {
			for _, m := range p.periods[i] {
				if !omitted(s.ind.ID, st.id, m) {
					n++
				}
			}
		}
	}
	return n
}

// rows yields every measurement of the plan in primary key order (indicator,
// unit, period), one at a time, so a caller that writes them as they come
// never holds more than a block of them. The numbers a row points to stay
// valid after yield returns.
func (p *plan) rows(yield func(register.Measurement) bool) {
	var (
		nums slab
		buf  []register.Measurement
	)
	for i, s := range p.specs {
		for _, st := range p.measured[i] {
			buf = appendSeries(buf[:0], &nums, s, st, p.periods[i])
			for _, m := range buf {
				if !yield(m) {
					return
				}
			}
		}
	}
}

// appendSeries appends the rows of one indicator at one site.
func appendSeries(rows []register.Measurement, nums *slab, s indSpec, st site, ps []register.Month) []register.Measurement {
	ind, m := &s.ind, s.m
	rng := rand.New(rand.NewPCG(seed(ind.ID), seed(st.id)))
	realised := min(1.1, max(0.7, 0.95+0.12*rng.NormFloat64())) // how far this unit gets toward the goal
	offset := rng.NormFloat64()                                 // this unit's lasting offset from the common level
	worse := 1.0                                                // sign of a change for the worse
	if ind.Direction == register.Up {
		worse = -1
	}
	months := ind.Frequency.Months()
	scale := ind.EffectiveScale()
	for _, p := range ps {
		// Draw every period's random numbers even for omitted rows, so an
		// omission does not shift the rest of the series.
		n1, n2 := rng.NormFloat64(), rng.NormFloat64()
		if omitted(ind.ID, st.id, p) {
			continue
		}
		t := int(p) + months/2 - int(st.goLive)
		lvl := m.base
		if t >= 0 {
			frac := min(1, float64(t+1)/float64(m.ramp))
			lvl += (m.goal - m.base) * frac * realised
			if t < 3 {
				lvl += worse * m.dip * float64(3-t) / 3
			}
		}
		row := register.Measurement{IndicatorID: ind.ID, OrgUnitID: st.id, Period: p}
		switch ind.Aggregation {
		case register.Ratio:
			flow := float64(months)
			spread := 0.08
			if m.stock {
				flow, spread = 1, 0.002
			}
			den := max(1, math.Round(m.vol*st.size*flow*(1+spread*n1)))
			rate := max(0, lvl+0.5*m.noise*offset+m.noise*n2)
			if ind.Unit == "%" {
				rate = min(rate, 100)
			}
			num := min(den, math.Round(den*rate/scale))
			row.Numerator, row.Denominator = nums.ptr(num), nums.ptr(den)
			if s.storeValue {
				row.Value = nums.ptr(math.Round(num/den*scale*1e4) / 1e4)
			}
		case register.Mean:
			v := lvl*(1+0.03*offset) + m.noise*n2
			pow := math.Pow(10, float64(ind.Decimals+1))
			row.Value = nums.ptr(math.Round(v*pow) / pow)
		case register.Sum:
			expected := lvl * st.size * float64(months)
			var v float64
			if ind.Unit == "kr" {
				v = math.Round(expected*(1+m.noise*n2)/100) * 100
			} else {
				v = math.Round(expected + math.Sqrt(expected)*n2)
			}
			row.Value = nums.ptr(max(0, v))
		}
		rows = append(rows, row)
	}
	return rows
}
