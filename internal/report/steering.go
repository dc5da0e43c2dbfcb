package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// SteeringOptions are the settings BuildSteering needs from the configuration and clock.
type SteeringOptions struct {
	Options
	Title string // config steering_group.title; "" uses the catalogue's generic title
	// CompareMonths is how many months back the "previous period" of the
	// changes section lies: 1 for a monthly pack, 3 for a quarterly one; 0 means 1.
	CompareMonths int
}

// SteeringReport is the model of the steering-group pack: what every page
// says, already worded, plus the raw values the manifest needs.
type SteeringReport struct {
	Lang         string
	Title        string // the steering group's title
	Subtitle     string // "Styringsgruppepakke – gevinstrealisering, september 2025"
	Header       string // running header: period and data per date
	Intro        string
	Period       register.Month
	PeriodText   string
	Previous     register.Month // the period the changes are measured from
	PreviousText string
	GeneratedAt  time.Time
	DataPer      string
	Latest       *register.Month // latest measured period over the pack's indicators
	LatestText   string

	// Results holds every indicator of every non-closed benefit, evaluated at
	// the benefit's own scope for Period, in benefit then indicator id order.
	Results   []register.Result
	Portfolio Portfolio
	Changes   []StatusChange // worsened first, then improved, then other changes
	// ChangesText summarises Changes, e.g. "2 forverret, 1 forbedret, 1 annen endring".
	ChangesText string
	Attention   []AttentionItem // everything that needs a decision, most severe first
	Savings     Savings
	Benefits    []SteeringBenefit
	Notes       []NoteLine // the data-quality appendix, from register.Check
	NoteErrors  int
	NotesIntro  string // "8 merknader fra kontrollen av registeret; 1 er en feil. …"
	wording
	// Organisation is the organisation the pack comes from (the PDF's author).
	Organisation string
}

// Portfolio is the portfolio at a glance: indicator statuses counted in
// total, per category and per organisation.
type Portfolio struct {
	Statuses    []register.Status // every status, in the order columns are shown
	StatusTexts []string          // Statuses worded
	// Counts has every status as a key, zeros included.
	Counts map[register.Status]int
	Total  int // number of indicators
	// ByCategory has all five categories, each with every status as a key.
	ByCategory    map[register.Category]map[register.Status]int
	Categories    []GroupCount // the five categories in report order
	Organisations []GroupCount // per organisation, ordered by name
	Benefits      int          // number of benefits in the pack
	CountsText    string       // "Statusfordeling: 12 Grønn, 3 Gul, 2 Rød."
}

// GroupCount is one row of a portfolio table: a category or an organisation
// with its indicators counted per status (in Portfolio.Statuses order).
type GroupCount struct {
	ID       string
	Name     string
	Counts   []int
	Total    int
	Benefits int
}

// ChangeKind says how an indicator's status moved since the previous period.
type ChangeKind string

// Kinds of status change. Improved and worsened compare the traffic-light
// statuses (green > yellow > red); any change to or from another status
// (no data, suppressed, no ambition, invalid) is "changed", listed apart
// because it says something about the data rather than about the benefit.
const (
	ChangeWorsened ChangeKind = "worsened"
	ChangeImproved ChangeKind = "improved"
	ChangeOther    ChangeKind = "changed"
)

// StatusChange is one indicator whose status differs from the previous period.
type StatusChange struct {
	Kind          ChangeKind
	KindText      string
	BenefitID     string
	BenefitTitle  string
	IndicatorID   string
	IndicatorName string
	From          register.Status
	To            register.Status
	FromText      string
	ToText        string
	FromValue     string // the judged value at the previous period, worded
	ToValue       string // the judged value at the report period, worded
}

// Savings is realised savings in kroner against the yearly savings
// ambition. It counts indicators with unit "kr", aggregation sum and
// direction up of non-closed benefits in category savings; kroner
// indicators of other categories are not savings and are left out.
// Benefits whose counted_in_benefit_id is set are excluded: their savings
// are already counted by that benefit.
type Savings struct {
	Year               int
	Realised           float64 // Σ year-to-date judged values at the report period; missing values count 0
	Ambition           float64 // Σ full yearly ambitions (target_value); missing ambitions count 0
	Prorated           float64 // Σ yearly ambitions pro-rated to the report period
	ExcludedBenefitIDs []string
	Items              []SavingsItem
	Excluded           []SavingsExclusion
	RealisedText       string
	AmbitionText       string
	ProratedText       string
	Text               string // summary sentence
	Method             string // how the figure is counted, for the reader
}

// SavingsItem is one counted kroner indicator.
type SavingsItem struct {
	BenefitID     string
	BenefitTitle  string
	IndicatorID   string
	IndicatorName string
	Realised      *float64 // year-to-date judged value; nil when not shown
	Ambition      *float64 // full yearly ambition; nil when none
	Prorated      *float64 // pro-rated yearly ambition; nil when none
	Status        register.Status
	StatusText    string
	RealisedText  string
	AmbitionText  string
	ProratedText  string
}

// SavingsExclusion is a benefit left out of the savings total, and why.
type SavingsExclusion struct {
	BenefitID    string
	BenefitTitle string
	CountedIn    string   // the benefit that already counts these savings
	Realised     *float64 // what the benefit reports year to date, for reference; nil when none
	Reason       string   // "telt i G-008 Frigjort sykepleiertid …"
}

// SteeringBenefit is one benefit's compact page.
type SteeringBenefit struct {
	Section      BenefitSection // as the owner report builds it, at the benefit's own scope
	Owner        string
	Organisation string
	Line         string        // "Gevinstansvarlig: … · Organisasjon: … · Hovedområde: … · Fase: …"
	Counts       []StatusCount // non-zero counts in status order
	CountedIn    string        // sentence when the benefit's savings are counted elsewhere, else ""
	// Figures holds, per indicator of Section, the compact key figures:
	// latest value (with its status), yearly ambition, final ambition,
	// progress and trend.
	Figures [][]Figure
}

// BuildSteering builds the steering-group pack for period p in language
// lang. Problems with single benefits or indicators become notes; it fails
// only when there is no catalogue for the language.
func BuildSteering(x *register.Index, p register.Month, cats Catalogs, lang string, opt SteeringOptions) (SteeringReport, error) {
	c := cats.Pick(lang, opt.DefaultLang)
	if c == nil {
		return SteeringReport{}, fmt.Errorf("build steering pack: no catalogue for %q", lang)
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	back := opt.CompareMonths
	if back <= 0 {
		back = 1
	}
	rep := SteeringReport{
		Lang:        c.Lang(),
		Title:       strings.TrimSpace(opt.Title),
		Intro:       c.T("steering.intro"),
		Period:      p,
		PeriodText:  c.Month(p),
		Previous:    p.Add(-back),
		GeneratedAt: opt.Now,
		DataPer:     c.Date(opt.Now.In(loc)),
		wording:     wording{c},
	}
	if rep.Title == "" {
		rep.Title = c.T("steering.title_default")
	}
	rep.PreviousText = c.Month(rep.Previous)
	rep.Subtitle = c.T("steering.subtitle", "period", rep.PeriodText)
	rep.Header = c.T("doc.header", "period", rep.PeriodText, "date", rep.DataPer)

	benefits := ActiveBenefits(x, "")
	results := map[string]register.Result{}
	through := dataThrough{until: p}
	var units []string
	for _, b := range benefits {
		sb := buildSteeringBenefit(x, c, b, p, opt.Settings)
		for _, is := range sb.Section.Indicators {
			res := is.Result
			rep.Results = append(rep.Results, res)
			results[res.IndicatorID] = res
			through.add(is.Indicator, res.Latest)
		}
		rep.Benefits = append(rep.Benefits, sb)
		units = append(units, b.OrgUnitID)
	}
	rep.Organisation = organisation(x, units)
	rep.Latest, rep.LatestText = through.month(), through.text(c)
	rep.Portfolio = buildPortfolio(x, c, rep.Benefits)
	rep.Changes = buildChanges(x, c, rep.Benefits, rep.Previous, opt.Settings)
	rep.ChangesText = changesText(c, rep.Changes)
	rep.Attention = buildAttention(x, c, rep.Benefits, p)
	rep.Savings = buildSavings(x, c, rep.Benefits, p)
	rep.Notes, rep.NoteErrors = checkNotes(x, c, p, opt.Settings, results)
	rep.NotesIntro = notesIntro(c, len(rep.Notes), rep.NoteErrors)
	return rep, nil
}

// buildSteeringBenefit builds one benefit's compact page from the owner
// report's section at the benefit's own scope.
func buildSteeringBenefit(x *register.Index, c *Catalog, b register.Benefit, p register.Month, s register.Settings) SteeringBenefit {
	sec, _ := buildSection(x, c, Part{BenefitID: b.ID, Scope: b.OrgUnitID, Role: RoleOwner}, p, s)
	sb := SteeringBenefit{
		Section:      sec,
		Owner:        personName(x, b.OwnerID),
		Organisation: unitName(x, organisationOf(x, b.OrgUnitID)),
	}
	sb.Line = c.T("steering.benefit.line", "owner", sb.Owner, "organisation", sb.Organisation,
		"category", c.Category(b.Category), "phase", c.Phase(b.Phase))
	counts := map[register.Status]int{}
	for _, is := range sec.Indicators {
		counts[is.Result.Status]++
		sb.Figures = append(sb.Figures, compactFigures(c, is))
	}
	for _, st := range statusOrder {
		if n := counts[st]; n > 0 {
			sb.Counts = append(sb.Counts, StatusCount{Status: st, N: n})
		}
	}
	if b.CountedInBenefitID != "" {
		sb.CountedIn = c.T("steering.benefit.counted_in", "benefit", benefitLabel(x, b.CountedInBenefitID))
	}
	return sb
}

// compactFigures picks the figures of a compact benefit page from the owner
// report's key figures (baseline, latest, yearly ambition, final ambition,
// progress, trend, forecast): the latest value carries its period only, as
// its status is shown as a badge.
func compactFigures(c *Catalog, is IndicatorSection) []Figure {
	f := is.Figures
	if len(f) < 6 {
		return f
	}
	latest := f[1]
	latest.Note = c.T("kf.per", "period", c.Period(is.Result.ValuePeriod, is.Indicator.Frequency))
	return []Figure{latest, f[2], f[3], f[4], f[5]}
}

// organisationOf is the organisation a unit belongs to: the unit itself or
// its nearest ancestor that is not a plain unit (an HF, a municipality or
// the RHF), so a clinic's benefit counts under its hospital trust.
func organisationOf(x *register.Index, unitID string) string {
	id := unitID
	for range 64 {
		u, ok := x.Unit(id)
		if !ok || u.Kind != register.KindUnit || u.ParentID == "" {
			return id
		}
		if _, ok := x.Unit(u.ParentID); !ok {
			return id
		}
		id = u.ParentID
	}
	return id
}

// personName is a person's name, or the id when the register lacks it.
func personName(x *register.Index, id string) string {
	if p, ok := x.Person(id); ok && p.Name != "" {
		return p.Name
	}
	return orMissing(id)
}

// benefitLabel words a benefit as "G-008 Title", or the id alone when unknown.
func benefitLabel(x *register.Index, id string) string {
	if b, ok := x.Benefit(id); ok && b.Title != "" {
		return id + " " + b.Title
	}
	return id
}

// buildPortfolio counts the indicators' statuses in total, per category and per organisation.
func buildPortfolio(x *register.Index, c *Catalog, bs []SteeringBenefit) Portfolio {
	pf := Portfolio{
		Statuses:   slices.Clone(statusOrder),
		Counts:     map[register.Status]int{},
		ByCategory: map[register.Category]map[register.Status]int{},
		Benefits:   len(bs),
	}
	for _, st := range statusOrder {
		pf.StatusTexts = append(pf.StatusTexts, c.Status(st))
		pf.Counts[st] = 0
	}
	for _, cat := range register.Categories {
		m := map[register.Status]int{}
		for _, st := range statusOrder {
			m[st] = 0
		}
		pf.ByCategory[cat] = m
	}
	catRows := map[register.Category]*GroupCount{}
	for _, cat := range register.Categories {
		catRows[cat] = &GroupCount{ID: string(cat), Name: c.Category(cat), Counts: make([]int, len(statusOrder))}
	}
	orgRows := map[string]*GroupCount{}
	for _, sb := range bs {
		b := sb.Section.Benefit
		org := organisationOf(x, b.OrgUnitID)
		or, ok := orgRows[org]
		if !ok {
			or = &GroupCount{ID: org, Name: sb.Organisation, Counts: make([]int, len(statusOrder))}
			orgRows[org] = or
		}
		or.Benefits++
		cr := catRows[b.Category]
		if cr != nil {
			cr.Benefits++
		}
		for _, is := range sb.Section.Indicators {
			st := is.Result.Status
			i := slices.Index(statusOrder, st)
			if i < 0 {
				continue
			}
			pf.Counts[st]++
			pf.Total++
			or.Counts[i]++
			or.Total++
			if cr != nil {
				cr.Counts[i]++
				cr.Total++
				pf.ByCategory[b.Category][st]++
			}
		}
	}
	for _, cat := range register.Categories {
		pf.Categories = append(pf.Categories, *catRows[cat])
	}
	for _, or := range orgRows {
		pf.Organisations = append(pf.Organisations, *or)
	}
	slices.SortFunc(pf.Organisations, func(a, b GroupCount) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	var items []string
	for _, st := range statusOrder {
		if n := pf.Counts[st]; n > 0 {
			items = append(items, c.StatusCount(n, st))
		}
	}
	if len(items) == 0 {
		pf.CountsText = c.T("steering.portfolio.none")
	} else {
		pf.CountsText = c.T("steering.portfolio.counts", "benefits", strconv.Itoa(pf.Benefits),
			"indicators", strconv.Itoa(pf.Total), "counts", strings.Join(items, ", "))
	}
	return pf
}

// trafficRank orders the traffic-light statuses (green > yellow > red); 0
// for every other status.
func trafficRank(s register.Status) int {
	switch s {
	case register.Green:
		return 3
	case register.Yellow:
		return 2
	case register.Red:
		return 1
	}
	return 0
}

// buildChanges evaluates every indicator at the previous period with the
// same engine and scope and lists those whose status differs.
func buildChanges(x *register.Index, c *Catalog, bs []SteeringBenefit, prev register.Month, s register.Settings) []StatusChange {
	var out []StatusChange
	for _, sb := range bs {
		b := sb.Section.Benefit
		for _, is := range sb.Section.Indicators {
			now := is.Result
			old := x.Evaluate(is.Indicator, b.OrgUnitID, prev, s)
			if old.Status == now.Status {
				continue
			}
			kind := ChangeOther
			if a, z := trafficRank(old.Status), trafficRank(now.Status); a > 0 && z > 0 {
				kind = ChangeImproved
				if z < a {
					kind = ChangeWorsened
				}
			}
			out = append(out, StatusChange{
				Kind:          kind,
				KindText:      changeKindText(c, kind),
				BenefitID:     b.ID,
				BenefitTitle:  b.Title,
				IndicatorID:   is.Indicator.ID,
				IndicatorName: is.Name,
				From:          old.Status,
				To:            now.Status,
				FromText:      c.Status(old.Status),
				ToText:        c.Status(now.Status),
				FromValue:     valueText(c, is.Indicator, old),
				ToValue:       valueText(c, is.Indicator, now),
			})
		}
	}
	rank := map[ChangeKind]int{ChangeWorsened: 0, ChangeImproved: 1, ChangeOther: 2}
	slices.SortStableFunc(out, func(a, b StatusChange) int { return rank[a.Kind] - rank[b.Kind] })
	return out
}

// changesText summarises the changes per kind.
func changesText(c *Catalog, cs []StatusChange) string {
	if len(cs) == 0 {
		return c.T("steering.changes.none")
	}
	n := map[ChangeKind]int{}
	for _, ch := range cs {
		n[ch.Kind]++
	}
	return c.T("steering.changes.summary", "worsened", strconv.Itoa(n[ChangeWorsened]),
		"improved", strconv.Itoa(n[ChangeImproved]), "other", strconv.Itoa(n[ChangeOther]))
}

// perPeriodText words "per month", "per quarter" or "per year" for f.
func perPeriodText(c *Catalog, f register.Frequency) string {
	switch f {
	case register.Quarterly:
		return c.T("steering.per.quarter")
	case register.Yearly:
		return c.T("steering.per.year")
	}
	return c.T("steering.per.month")
}

// changeKindText words a change kind.
func changeKindText(c *Catalog, k ChangeKind) string {
	switch k {
	case ChangeWorsened:
		return c.T("steering.change.worsened")
	case ChangeImproved:
		return c.T("steering.change.improved")
	}
	return c.T("steering.change.changed")
}

// signed formats a change with an explicit sign, e.g. "−1,2 dager"; a
// change of a % indicator is in percentage points ("+0,4 prosentpoeng").
func signed(c *Catalog, v float64, ind register.Indicator) string {
	d := slopeDecimals(v, ind.Decimals)
	s := c.Value(v, ind.Unit, d)
	if ind.Unit == "%" {
		s = c.Number(v, d) + NBSP + c.T("annual.pp")
	}
	if round(v, d) > 0 {
		return "+" + s
	}
	return s
}

// isSavingsIndicator says whether an indicator counts as realised savings:
// kroner, summed over the year, higher is better.
func isSavingsIndicator(ind register.Indicator) bool {
	return ind.Unit == "kr" && ind.Aggregation == register.Sum && ind.Direction == register.Up
}

// buildSavings sums the realised savings and the yearly ambitions of the
// savings benefits, leaving out benefits counted in another benefit.
func buildSavings(x *register.Index, c *Catalog, bs []SteeringBenefit, p register.Month) Savings {
	sv := Savings{Year: p.Year(), Method: c.T("steering.savings.method"), ExcludedBenefitIDs: []string{}}
	kr := func(v float64) string { return c.Value(v, "kr", 0) }
	for _, sb := range bs {
		b := sb.Section.Benefit
		if b.Category != register.Savings {
			continue
		}
		if b.CountedInBenefitID != "" {
			ex := SavingsExclusion{BenefitID: b.ID, BenefitTitle: b.Title, CountedIn: b.CountedInBenefitID}
			for _, is := range sb.Section.Indicators {
				if isSavingsIndicator(is.Indicator) && is.Result.Value != nil && is.Result.Status != register.Suppressed {
					v := *is.Result.Value
					if ex.Realised != nil {
						v += *ex.Realised
					}
					ex.Realised = &v
				}
			}
			realised := Missing
			if ex.Realised != nil {
				realised = kr(*ex.Realised)
			}
			ex.Reason = c.T("steering.savings.excluded_reason", "benefit", benefitLabel(x, b.CountedInBenefitID), "value", realised)
			sv.Excluded = append(sv.Excluded, ex)
			sv.ExcludedBenefitIDs = append(sv.ExcludedBenefitIDs, b.ID)
			continue
		}
		for _, is := range sb.Section.Indicators {
			if !isSavingsIndicator(is.Indicator) {
				continue
			}
			res := is.Result
			it := SavingsItem{
				BenefitID: b.ID, BenefitTitle: b.Title, IndicatorID: is.Indicator.ID, IndicatorName: is.Name,
				Status: res.Status, StatusText: is.StatusText,
				RealisedText: valueText(c, is.Indicator, res), AmbitionText: Missing, ProratedText: Missing,
			}
			if res.Value != nil && res.Status != register.Suppressed {
				v := *res.Value
				it.Realised = &v
				sv.Realised += v
			}
			if res.YearTarget != nil {
				v := *res.YearTarget
				it.Ambition = &v
				it.AmbitionText = kr(v)
				sv.Ambition += v
			}
			if res.Thresholds != nil {
				v := res.Thresholds.Ambition
				it.Prorated = &v
				it.ProratedText = kr(v)
				sv.Prorated += v
			}
			sv.Items = append(sv.Items, it)
		}
	}
	sv.RealisedText, sv.AmbitionText, sv.ProratedText = kr(sv.Realised), kr(sv.Ambition), kr(sv.Prorated)
	switch {
	case len(sv.Items) == 0:
		sv.Text = c.T("steering.savings.none")
	case sv.Ambition > 0 && sv.Prorated > 0:
		sv.Text = c.T("steering.savings.text", "realised", sv.RealisedText, "year", strconv.Itoa(sv.Year),
			"ambition", sv.AmbitionText, "share", c.Percent(sv.Realised/sv.Ambition),
			"prorated", sv.ProratedText, "share_prorated", c.Percent(sv.Realised/sv.Prorated))
	default:
		sv.Text = c.T("steering.savings.text_no_ambition", "realised", sv.RealisedText, "year", strconv.Itoa(sv.Year))
	}
	return sv
}

// notesIntro introduces the data-quality appendix: how many findings and
// how many of them are errors, each count agreeing with its noun and verb.
func notesIntro(c *Catalog, n, errs int) string {
	errors := c.T("steering.notes.errors.zero")
	if errs > 0 {
		errors = c.Count("steering.notes.errors", strconv.Itoa(errs))
	}
	return c.Count("steering.notes.intro", strconv.Itoa(n), "errors", errors)
}

// checkNotes words register.Check's findings for the appendix and counts the errors.
func checkNotes(x *register.Index, c *Catalog, p register.Month, s register.Settings, results map[string]register.Result) ([]NoteLine, int) {
	var out []NoteLine
	errs := 0
	for _, n := range register.Check(x, p, s) {
		if n.Severity == register.SeverityError {
			errs++
		}
		out = append(out, NoteLine{Note: n, Text: checkNoteText(x, c, p, s, results, n)})
	}
	return out, errs
}

// loadCheckText words the findings on rows the load skipped, the org tree
// and the plausibility of numbers, addresses and ids.
func loadCheckText(c *Catalog, n register.Note, arg func(int) string) (string, bool) {
	switch n.Code {
	case register.NoteRowSkipped:
		return c.T("steering.check.row_skipped", "table", arg(0), "key", arg(1), "reason", arg(2)), true
	case register.NoteOrgCycle:
		units := make([]string, len(n.Args))
		for i, id := range n.Args {
			units[i] = register.QuoteID(id)
		}
		return c.T("steering.check.org_cycle", "units", strings.Join(units, " → ")), true
	case register.NoteShareAbove100:
		return c.Count("steering.check.share_above_100", arg(0)), true
	case register.NoteFuturePeriod:
		return c.Count("steering.check.future_period", arg(0), "first", arg(1)), true
	case register.NoteImplausible:
		if arg(0) == "measurement" {
			return c.Count("steering.check.implausible_rows", arg(1)), true
		}
		return c.T("steering.check.implausible", "from", arg(0), "field", arg(1), "value", arg(2)), true
	case register.NoteInvalidEmail:
		return c.T("steering.check.invalid_email", "id", arg(0), "email", arg(1)), true
	case register.NoteBadID:
		return c.T("steering.check.bad_id", "table", arg(0), "id", arg(1)), true
	case register.NoteCommentMismatch:
		return c.T("steering.check.comment_mismatch", "from", arg(0), "indicator", arg(1), "benefit", arg(2)), true
	case register.NoteCommentEmpty:
		return c.T("steering.check.comment_empty", "from", arg(0)), true
	case register.NoteCommentTooLong:
		return c.T("steering.check.comment_too_long", "from", arg(0), "n", arg(1), "max", arg(2)), true
	}
	return "", false
}

// checkNoteText words one finding: evaluation notes as the owner report
// words them, register-structure findings from their code and arguments.
func checkNoteText(x *register.Index, c *Catalog, p register.Month, s register.Settings, results map[string]register.Result, n register.Note) string {
	arg := func(i int) string {
		if i < len(n.Args) {
			return n.Args[i]
		}
		return Missing
	}
	subject := func(text string) string {
		if n.IndicatorID == "" {
			return text
		}
		name := n.IndicatorID
		if ind, ok := x.Indicator(n.IndicatorID); ok {
			name = n.IndicatorID + " " + ind.Name
		}
		return c.T("steering.notes.item", "indicator", name, "text", text)
	}
	switch n.Code {
	case register.NoteDanglingReference:
		return subject(c.T("steering.check.dangling_reference", "from", arg(0), "field", arg(1), "id", arg(2)))
	case register.NoteBadEnum:
		return subject(c.T("steering.check.bad_enum", "from", arg(0), "field", arg(1), "value", arg(2)))
	case register.NoteDuplicateID:
		if arg(0) == "measurement" {
			return subject(c.Count("steering.check.duplicate_measurements", arg(1)))
		}
		return subject(c.T("steering.check.duplicate_id", "table", arg(0), "id", arg(1)))
	case register.NoteMisalignedPeriod:
		return subject(c.Count("steering.check.misaligned_period", arg(0), "first", arg(2)))
	case register.NoteMissingNumerator:
		return subject(c.Count("steering.check.missing_numerator", arg(0)))
	case register.NoteNegativeCount:
		return subject(c.Count("steering.check.negative_count", arg(0)))
	case register.NoteMissingValue:
		return subject(c.Count("steering.check.missing_value", arg(0)))
	}
	if text, ok := loadCheckText(c, n, arg); ok {
		return subject(text)
	}
	ind, ok := x.Indicator(n.IndicatorID)
	if !ok {
		return c.T("note.other", "message", n.Message)
	}
	res, ok := results[ind.ID]
	if !ok {
		scope := n.Scope
		if b, found := x.Benefit(ind.BenefitID); found && scope == "" {
			scope = b.OrgUnitID
		}
		res = x.Evaluate(ind, scope, p, s)
	}
	scope := n.Scope
	if scope == "" {
		scope = res.Scope
	}
	return c.T("notes.item", "indicator", ind.ID+" "+ind.Name, "scope", unitName(x, scope), "text", noteText(x, c, ind, res, n))
}
