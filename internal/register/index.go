package register

import (
	"cmp"
	"errors"
	"slices"
	"sync"
	"time"
)

// Index is a read-only, concurrency-safe view of a Register with the org
// tree and per-indicator roll-ups; build it once per run with NewIndex.
type Index struct {
	reg *Register

	units    []OrgUnit      // dense, first occurrence of each id
	unitIdx  map[string]int // id → dense index
	parent   []int          // dense index of the parent, -1 at a root or a dangling parent
	children [][]int        // dense indexes of the children, ordered by name then id
	post     []int          // every unit, children before their parent
	tin      []int          // pre-order number of each unit
	tout     []int          // one past the pre-order number of its last descendant

	people       map[string]Person
	benefits     map[string]Benefit
	indicators   map[string]Indicator
	indicatorsOf map[string][]Indicator
	actionsOf    map[string][]ChangeAction
	holdersOf    map[string][]Holder
	ambitions    map[ambitionKey]Ambition
	comments     map[commentKey][]Comment

	cycles [][]string // org_unit ids of each parent cycle, detached from the tree

	measByInd map[string][]int32 // indicator id → indexes into reg.Measurements
	rollups   map[string]*rollupOnce
	latest    Month
	hasLatest bool
}

type ambitionKey struct {
	indicatorID string
	year        int
}

type rollupOnce struct {
	once sync.Once
	r    *rollup
}

// cell holds the decomposable aggregates of one subtree (or one unit's own
// rows) for one indicator period.
type cell struct {
	num, den float64 // ratio: Σnumerator, Σdenominator over rows with both set
	val      float64 // sum: Σvalue; mean: Σ of the rows' values
	n        int32   // rows that contribute to the aggregation
	rows     int32   // all rows, usable or not
}

func (c *cell) add(o cell) {
	c.num += o.num
	c.den += o.den
	c.val += o.val
	c.n += o.n
	c.rows += o.rows
}

// rollup is one indicator's aggregates for every subtree and period, built
// in one bottom-up pass over the org tree.
type rollup struct {
	first Month    // first period with rows
	step  int      // months per period
	n     int      // number of periods from first
	sub   [][]cell // per dense unit: the subtree's cells; nil when it has no rows
	own   [][]cell // per dense unit: its own rows' cells; nil when it has none
}

// subOf returns the cells of unit u's subtree, nil when it has no rows.
func (r *rollup) subOf(u int) []cell {
	if r.sub == nil {
		return nil
	}
	return r.sub[u]
}

// ownOf returns the cells of unit u's own rows, nil when it has none.
func (r *rollup) ownOf(u int) []cell {
	if r.own == nil {
		return nil
	}
	return r.own[u]
}

// cellAt returns cells[period], empty outside the rolled-up range.
func (r *rollup) cellAt(cells []cell, p Month) cell {
	if cells == nil {
		return cell{}
	}
	i := int(p-r.first) / r.step
	if p < r.first || i >= r.n {
		return cell{}
	}
	return cells[i]
}

// NewIndex builds the Index of reg. A cycle in parent_id detaches the units
// on it (Check reports it); dangling references are left to Check too.
func NewIndex(reg *Register) (*Index, error) {
	if reg == nil {
		return nil, errors.New("build index: nil register")
	}
	x := &Index{
		reg:          reg,
		unitIdx:      make(map[string]int, len(reg.Units)),
		people:       make(map[string]Person, len(reg.People)),
		benefits:     make(map[string]Benefit, len(reg.Benefits)),
		indicators:   make(map[string]Indicator, len(reg.Indicators)),
		indicatorsOf: make(map[string][]Indicator),
		actionsOf:    make(map[string][]ChangeAction),
		holdersOf:    make(map[string][]Holder),
		ambitions:    make(map[ambitionKey]Ambition, len(reg.Ambitions)),
		measByInd:    make(map[string][]int32),
		rollups:      make(map[string]*rollupOnce, len(reg.Indicators)),
	}
	for _, u := range reg.Units {
		if _, dup := x.unitIdx[u.ID]; dup {
			continue
		}
		x.unitIdx[u.ID] = len(x.units)
		x.units = append(x.units, u)
	}
	x.buildTree()
	for _, p := range reg.People {
		if _, dup := x.people[p.ID]; !dup {
			x.people[p.ID] = p
		}
	}
	for _, b := range reg.Benefits {
		if _, dup := x.benefits[b.ID]; !dup {
			x.benefits[b.ID] = b
		}
	}
	for _, ind := range reg.Indicators {
		if _, dup := x.indicators[ind.ID]; dup {
			continue
		}
		x.indicators[ind.ID] = ind
		x.indicatorsOf[ind.BenefitID] = append(x.indicatorsOf[ind.BenefitID], ind)
		x.rollups[ind.ID] = &rollupOnce{}
	}
	for _, list := range x.indicatorsOf {
		slices.SortFunc(list, func(a, b Indicator) int { return cmp.Compare(a.ID, b.ID) })
	}
	for _, a := range reg.Actions {
		x.actionsOf[a.BenefitID] = append(x.actionsOf[a.BenefitID], a)
	}
	for _, list := range x.actionsOf {
		slices.SortStableFunc(list, compareActions)
	}
	for _, h := range reg.Holders {
		x.holdersOf[h.BenefitID] = append(x.holdersOf[h.BenefitID], h)
	}
	for _, list := range x.holdersOf {
		slices.SortStableFunc(list, func(a, b Holder) int {
			return cmp.Or(cmp.Compare(a.OrgUnitID, b.OrgUnitID), cmp.Compare(a.PersonID, b.PersonID))
		})
	}
	for _, a := range reg.Ambitions {
		k := ambitionKey{a.IndicatorID, a.Year}
		if _, dup := x.ambitions[k]; !dup {
			x.ambitions[k] = a
		}
	}
	x.comments = indexComments(reg.Comments)
	if reg.Unread.Rows > 0 {
		x.latest, x.hasLatest = reg.Unread.Latest, true
	}
	for i, m := range reg.Measurements {
		x.measByInd[m.IndicatorID] = append(x.measByInd[m.IndicatorID], int32(i))
		if !x.hasLatest || m.Period > x.latest {
			x.latest, x.hasLatest = m.Period, true
		}
	}
	return x, nil
}

// compareActions orders change actions by due date (none last), then id.
func compareActions(a, b ChangeAction) int {
	switch {
	case a.DueDate.IsZero() && !b.DueDate.IsZero():
		return 1
	case !a.DueDate.IsZero() && b.DueDate.IsZero():
		return -1
	}
	return cmp.Or(a.DueDate.Compare(b.DueDate), cmp.Compare(a.ID, b.ID))
}

// buildTree links parents and children, detaches cycles and numbers the
// tree for O(1) scope tests.
func (x *Index) buildTree() {
	n := len(x.units)
	x.parent = make([]int, n)
	x.children = make([][]int, n)
	for i, u := range x.units {
		x.parent[i] = -1
		if u.ParentID == "" {
			continue
		}
		if p, ok := x.unitIdx[u.ParentID]; ok {
			x.parent[i] = p
		}
	}
	x.detachCycles()
	var roots []int
	for i := range n {
		if p := x.parent[i]; p >= 0 {
			x.children[p] = append(x.children[p], i)
		} else {
			roots = append(roots, i)
		}
	}
	byName := func(a, b int) int {
		return cmp.Or(cmp.Compare(x.units[a].Name, x.units[b].Name), cmp.Compare(x.units[a].ID, x.units[b].ID))
	}
	for _, c := range x.children {
		slices.SortFunc(c, byName)
	}
	slices.SortFunc(roots, byName)
	x.tin = make([]int, n)
	x.tout = make([]int, n)
	x.post = make([]int, 0, n)
	counter := 0
	type frame struct{ u, next int }
	var stack []frame
	for _, r := range roots {
		stack = append(stack[:0], frame{r, 0})
		x.tin[r] = counter
		counter++
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(x.children[top.u]) {
				c := x.children[top.u][top.next]
				top.next++
				x.tin[c] = counter
				counter++
				stack = append(stack, frame{c, 0})
				continue
			}
			x.tout[top.u] = counter
			x.post = append(x.post, top.u)
			stack = stack[:len(stack)-1]
		}
	}
}

// detachCycles finds every cycle of parent links (a self-parent included)
// with a colour walk up each parent chain, and makes each unit on a cycle a
// root, so one bad branch never stops the tree; units below a cycle stay
// below their own parent.
func (x *Index) detachCycles() {
	// 0 unseen, 1 on the current path, 2 done.
	state := make([]byte, len(x.units))
	var path []int
	for i := range x.units {
		path = path[:0]
		u := i
		for u >= 0 && state[u] == 0 {
			state[u] = 1
			path = append(path, u)
			u = x.parent[u]
		}
		if u >= 0 && state[u] == 1 {
			start := slices.Index(path, u)
			var ids []string
			for _, v := range path[start:] {
				ids = append(ids, x.units[v].ID)
			}
			for _, v := range path[start:] {
				x.parent[v] = -1
			}
			x.cycles = append(x.cycles, ids)
		}
		for _, v := range path {
			state[v] = 2
		}
	}
}

// Register returns the register the index was built from.
func (x *Index) Register() *Register { return x.reg }

// Unit returns the org unit with id.
func (x *Index) Unit(id string) (OrgUnit, bool) {
	i, ok := x.unitIdx[id]
	if !ok {
		return OrgUnit{}, false
	}
	return x.units[i], true
}

// Person returns the person with id.
func (x *Index) Person(id string) (Person, bool) {
	p, ok := x.people[id]
	return p, ok
}

// Benefit returns the benefit with id.
func (x *Index) Benefit(id string) (Benefit, bool) {
	b, ok := x.benefits[id]
	return b, ok
}

// Indicator returns the indicator with id.
func (x *Index) Indicator(id string) (Indicator, bool) {
	ind, ok := x.indicators[id]
	return ind, ok
}

// IndicatorsOf returns a benefit's indicators ordered by id.
func (x *Index) IndicatorsOf(benefitID string) []Indicator {
	return slices.Clone(x.indicatorsOf[benefitID])
}

// ActionsOf returns a benefit's change actions ordered by due date (none last), then id.
func (x *Index) ActionsOf(benefitID string) []ChangeAction {
	return slices.Clone(x.actionsOf[benefitID])
}

// HoldersOf returns a benefit's holders ordered by org unit id, then person id.
func (x *Index) HoldersOf(benefitID string) []Holder {
	return slices.Clone(x.holdersOf[benefitID])
}

// Ambition returns an indicator's yearly ambition for year.
func (x *Index) Ambition(indicatorID string, year int) (Ambition, bool) {
	a, ok := x.ambitions[ambitionKey{indicatorID, year}]
	return a, ok
}

// Children returns the direct children of a unit ordered by name, then id.
func (x *Index) Children(unitID string) []OrgUnit {
	i, ok := x.unitIdx[unitID]
	if !ok {
		return nil
	}
	out := make([]OrgUnit, 0, len(x.children[i]))
	for _, c := range x.children[i] {
		out = append(out, x.units[c])
	}
	return out
}

// InScope reports whether unitID is scope or a unit below it.
func (x *Index) InScope(scope, unitID string) bool {
	s, ok1 := x.unitIdx[scope]
	u, ok2 := x.unitIdx[unitID]
	if !ok1 || !ok2 {
		return false
	}
	return x.tin[s] <= x.tin[u] && x.tin[u] < x.tout[s]
}

// LatestPeriod returns the latest measurement period in the whole register.
func (x *Index) LatestPeriod() (Month, bool) { return x.latest, x.hasLatest }

// rollupOf returns the indicator's roll-up, building it on first use; nil
// for an indicator the register does not hold.
func (x *Index) rollupOf(id string) *rollup {
	ro, ok := x.rollups[id]
	if !ok {
		return nil
	}
	ro.once.Do(func() { ro.r = x.buildRollup(x.indicators[id]) })
	return ro.r
}

// buildRollup aggregates the indicator's rows per unit and period, then adds
// every subtree up in one post-order pass. A unit whose subtree has rows in
// only one place shares that slice instead of copying it. Rows whose period
// is not the first month of its quarter/year count in the period containing
// it (Check reports them); rows of unknown units are left out.
func (x *Index) buildRollup(ind Indicator) *rollup {
	step := ind.Frequency.Months()
	r := &rollup{step: step}
	rows := x.measByInd[ind.ID]
	lo, hi, found := Month(0), Month(0), false
	for _, mi := range rows {
		m := &x.reg.Measurements[mi]
		if _, ok := x.unitIdx[m.OrgUnitID]; !ok {
			continue
		}
		p := ind.Frequency.PeriodStart(m.Period)
		if !found || p < lo {
			lo = p
		}
		if !found || p > hi {
			hi = p
		}
		found = true
	}
	if !found {
		return r
	}
	r.first = lo
	r.n = int(hi-lo)/step + 1
	r.own = make([][]cell, len(x.units))
	scale := ind.EffectiveScale()
	for _, mi := range rows {
		m := &x.reg.Measurements[mi]
		u, ok := x.unitIdx[m.OrgUnitID]
		if !ok {
			continue
		}
		if r.own[u] == nil {
			r.own[u] = make([]cell, r.n)
		}
		c := &r.own[u][int(ind.Frequency.PeriodStart(m.Period)-lo)/step]
		c.rows++
		switch ind.Aggregation {
		case Ratio:
			if m.Numerator != nil && m.Denominator != nil {
				c.num += *m.Numerator
				c.den += *m.Denominator
				c.n++
			}
		case Sum:
			if m.Value != nil {
				c.val += *m.Value
				c.n++
			}
		case Mean:
			switch {
			case m.Value != nil:
				c.val += *m.Value
				c.n++
			case m.Numerator != nil && m.Denominator != nil && *m.Denominator > 0:
				c.val += *m.Numerator / *m.Denominator * scale
				c.n++
			}
		}
	}
	r.sub = make([][]cell, len(x.units))
	for _, u := range x.post {
		acc, shared := r.own[u], true
		for _, c := range x.children[u] {
			cs := r.sub[c]
			if cs == nil {
				continue
			}
			if acc == nil {
				acc = cs
				continue
			}
			if shared {
				acc = slices.Clone(acc)
				shared = false
			}
			for i := range acc {
				acc[i].add(cs[i])
			}
		}
		r.sub[u] = acc
	}
	return r
}

// yearPeriods returns the first and last period of year under f.
func yearPeriods(f Frequency, year int) (Month, Month) {
	return f.PeriodStart(MonthOf(year, time.January)), f.PeriodStart(MonthOf(year, time.December))
}
