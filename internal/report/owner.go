package report

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gevinstrapport/internal/register"
)

// ErrUnknownPerson is returned by BuildOwner when the recipient is not in the register.
var ErrUnknownPerson = errors.New("unknown person")

// Role is the part a person plays for one benefit.
type Role string

// Roles of an owner report's recipient.
const (
	RoleOwner  Role = "owner"  // gevinstansvarlig: benefit.owner_id, scope the benefit's unit
	RoleHolder Role = "holder" // gevinsteier: benefit_holder, scope the holder's unit
)

// Part is one benefit a recipient reports on, with the scope and role it is reported for.
type Part struct {
	BenefitID string
	Scope     string
	Role      Role
}

// Recipient is one person who gets an owner report, with every part of it.
type Recipient struct {
	Person register.Person
	Parts  []Part
}

// Recipients lists every benefit owner and holder, one entry per person with
// all their parts, sorted by person id; parts are ordered by benefit id, the
// owner part first, then by scope. Closed benefits and people the register
// does not hold are left out (register.Check reports the dangling ids).
func Recipients(x *register.Index) []Recipient {
	parts := map[string][]Part{}
	for _, b := range ActiveBenefits(x, "") {
		if b.OwnerID != "" {
			parts[b.OwnerID] = append(parts[b.OwnerID], Part{BenefitID: b.ID, Scope: b.OrgUnitID, Role: RoleOwner})
		}
		for _, h := range x.HoldersOf(b.ID) {
			parts[h.PersonID] = append(parts[h.PersonID], Part{BenefitID: b.ID, Scope: h.OrgUnitID, Role: RoleHolder})
		}
	}
	out := make([]Recipient, 0, len(parts))
	for id, ps := range parts {
		person, ok := x.Person(id)
		if !ok {
			continue
		}
		out = append(out, Recipient{Person: person, Parts: sortParts(x, ps)})
	}
	slices.SortFunc(out, func(a, b Recipient) int { return cmp.Compare(a.Person.ID, b.Person.ID) })
	return out
}

// sortParts orders parts and drops a part that another part of the same
// benefit already covers: a holder part for a benefit the person owns (the
// owner's section shows the whole scope with its per-unit breakdown), or a
// part whose scope lies within another part's scope. So no benefit is
// reported, and no indicator counted, twice for one person.
func sortParts(x *register.Index, ps []Part) []Part {
	slices.SortFunc(ps, func(a, b Part) int {
		return cmp.Or(cmp.Compare(a.BenefitID, b.BenefitID), roleRank(a.Role)-roleRank(b.Role), cmp.Compare(a.Scope, b.Scope))
	})
	out := ps[:0]
	for _, p := range ps {
		covered := false
		for _, q := range out {
			if q.BenefitID == p.BenefitID && (q.Scope == p.Scope || x.InScope(q.Scope, p.Scope)) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, p)
		}
	}
	return out
}

func roleRank(r Role) int {
	if r == RoleOwner {
		return 0
	}
	return 1
}

// Options are the settings BuildOwner needs from the configuration and clock.
type Options struct {
	Settings    register.Settings
	DefaultLang string         // used when the person has no (supported) language
	Now         time.Time      // generation time, from the injected clock
	Location    *time.Location // configured timezone for "data per"; nil means UTC
}

// OwnerReport is the model of one recipient's monthly owner report: what
// every page says, already worded, plus the raw evaluation results.
type OwnerReport struct {
	Lang        string
	Recipient   register.Person
	Parts       []Part
	Title       string // "Månedsrapport – gevinstrealisering"
	Subtitle    string // recipient name and roles
	Header      string // running header: period and data per date
	Intro       string
	Period      register.Month
	PeriodText  string // "september 2025"
	GeneratedAt time.Time
	DataPer     string          // generation date in the configured timezone, worded ("Laget …")
	Latest      *register.Month // last month covered by the latest measured period over the report's indicators
	LatestText  string          // that period in its own frequency ("3. kvartal 2025"), or "–": "Data til og med …"

	Summary    []SummaryRow
	Counts     []StatusCount // non-zero counts in status order
	CountsText string        // "Statusfordeling: 3 Grønn, 1 Rød."
	Benefits   []BenefitSection
	Notes      []NoteLine
	Results    []register.Result // every evaluation in the report, in summary order
	// Organisation is the organisation the report comes from (the PDF's author).
	Organisation string
	wording
}

// SummaryRow is one indicator line of the summary table on page 1.
type SummaryRow struct {
	BenefitID     string
	BenefitTitle  string
	IndicatorID   string
	IndicatorName string
	Scope         string
	ScopeName     string
	Role          Role
	Value         string // latest judged value worded, "–" or "prikket"
	Ambition      string // yearly ambition worded, or "–"
	Status        register.Status
	StatusText    string
	NotJudged     bool // a holder's part of a sum: shown, not judged ("Ikke vurdert")
}

// StatusCount is how many of the report's indicators have one status.
type StatusCount struct {
	Status register.Status
	N      int
}

// BenefitSection is the part of the report about one benefit in one scope.
type BenefitSection struct {
	Benefit     register.Benefit
	Part        Part
	Title       string
	Category    string // worded category
	Meta        string // "Hovedområde: …. Fase: …."
	Role        string // "Gevinsteier for Levanger"
	ScopeName   string
	Description string
	Indicators  []IndicatorSection
	Actions     []ActionRow
	Overdue     int      // number of overdue actions
	OverdueText string   // sentence when Overdue > 0
	Comment     *Comment // the owner's words on the whole benefit, nil when none
	// FollowUp holds the handbook's follow-up questions when some indicator
	// of the section is not green or is forecast to miss its yearly
	// ambition; nil otherwise.
	FollowUp      []string
	FollowUpIntro string
	// FollowUpAnswer is what the register already answers under the
	// questions: "2 av 3 endringstiltak er ikke gjennomført; 1 har passert fristen."
	FollowUpAnswer string
	// NotMeasured names the benefit's indicators that have never had data in
	// a holder's unit (they are measured elsewhere), with its sentence.
	NotMeasured     []string
	NotMeasuredText string
}

// IndicatorSection is one indicator of a benefit section.
type IndicatorSection struct {
	Indicator    register.Indicator
	Result       register.Result
	Name         string
	StatusText   string
	StatusLine   string // "Status september 2025: Rød."
	FinalText    string // final ambition sentence
	YearText     string // yearly ambition sentence with its thresholds
	RevisedText  string // when the yearly ambition was revised, else ""
	ProgressText string // progress sentence, "" when n/a
	ForecastText string
	Figures      []Figure
	Chart        ChartModel
	Breakdown    []UnitRow // per-unit breakdown; empty when the scope has one unit
	Comment      *Comment  // the owner's words on this indicator, nil when none
}

// Figure is one labelled key figure.
type Figure struct {
	Label  string
	Value  string
	Note   string
	Status register.Status
}

// UnitRow is one unit's line in a per-unit breakdown.
type UnitRow struct {
	UnitID     string
	Name       string
	Value      string
	Raw        *float64 // the shown value; nil when missing or suppressed
	Status     register.Status
	StatusText string
}

// ActionRow is one change action of a benefit section.
type ActionRow struct {
	Action      register.ChangeAction
	Title       string
	Responsible string
	Due         string
	StatusText  string
	Overdue     bool // due before the end of the report period and neither implemented nor cancelled
	Late        bool // completed after its deadline (annual report)
}

// NoteLine is one worded data-quality note.
type NoteLine struct {
	Note register.Note
	Text string // "<indicator> (<scope>): <text>"
}

// ChartModel describes an indicator's chart independently of how it is drawn.
//
// Ratio and mean indicators chart the scope's value per period against the
// baseline, each year's ambition as a step line, the final ambition and the
// current year's red/yellow/green zones. Sum indicators are judged on the
// year-to-date total, but a cumulative curve against a diagonal pro-rated line
// reads poorly beside the other charts; they therefore chart the value per
// period with the ambition and zones divided evenly over the year's periods.
// Because pro-rating is linear, the per-period average sits in a zone exactly
// when the year-to-date total does, so the picture agrees with the status.
// The chart says so in Caption; PerPeriodShare marks this case.
type ChartModel struct {
	Title          string
	Caption        string
	Unit           string
	Decimals       int
	Points         []ChartPoint
	Baseline       *float64
	Steps          []AmbitionStep
	Final          *FinalAmbition
	Bands          []ChartBand
	PerPeriodShare bool
	ValuesLabel    string
	BaselineLabel  string
	StepLabel      string
	FinalLabel     string
}

// ChartPoint is one period's value; Value is nil for a gap. At is where
// the value is drawn: a month at its first day, where its axis label sits;
// a quarter or a year at its middle (a quarter at its middle month), so a
// point covering July–September is not read as July's.
type ChartPoint struct {
	Period     register.Month
	At         time.Time
	Value      *float64
	Suppressed bool
}

// AmbitionStep is one year's ambition, from the first to the last month of the year.
type AmbitionStep struct {
	Year  int
	From  register.Month
	To    register.Month
	Value float64
}

// FinalAmbition is the final ambition's value and date.
type FinalAmbition struct {
	Date  time.Time
	Value float64
}

// ChartBand is a status zone between Low and High (±Inf for open ends) over
// the months From to To inclusive.
type ChartBand struct {
	Status register.Status
	Low    float64
	High   float64
	From   register.Month
	To     register.Month
}

// statusOrder is the order statuses are counted and listed in.
var statusOrder = []register.Status{
	register.Green, register.Yellow, register.Red, register.NoData,
	register.Suppressed, register.NoAmbition, register.Invalid,
}

// chartYears is how many calendar years a chart shows, the report year included.
const chartYears = 2

// ChartFrom is the first month an owner report's or steering pack's chart
// shows for report month p (what a windowed load must read).
func ChartFrom(p register.Month) register.Month {
	return register.MonthOf(p.Year()-chartYears+1, time.January)
}

// BuildOwner builds the owner report of recipient r for period p. Problems
// with single benefits or indicators become notes in the report; it fails
// only when the recipient is not in the register.
func BuildOwner(x *register.Index, r Recipient, p register.Month, cats Catalogs, opt Options) (OwnerReport, error) {
	person, ok := x.Person(r.Person.ID)
	if !ok {
		return OwnerReport{}, fmt.Errorf("build owner report for %q: %w", r.Person.ID, ErrUnknownPerson)
	}
	c := cats.Pick(person.Language, opt.DefaultLang)
	if c == nil {
		return OwnerReport{}, fmt.Errorf("build owner report for %q: no catalogue loaded", person.ID)
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	now := opt.Now.In(loc)
	rep := OwnerReport{
		Lang:        c.Lang(),
		Recipient:   person,
		Parts:       r.Parts,
		Title:       c.T("title.owner"),
		Intro:       c.T("intro.owner"),
		Period:      p,
		PeriodText:  c.Month(p),
		GeneratedAt: opt.Now,
		DataPer:     c.Date(now),
		wording:     wording{c},
	}
	rep.Header = c.T("doc.header", "period", rep.PeriodText, "date", rep.DataPer)

	var roles []string
	for _, part := range r.Parts {
		role := c.T("role." + string(part.Role))
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
		sec, ok := buildSection(x, c, part, p, opt.Settings)
		if !ok {
			rep.Notes = append(rep.Notes, NoteLine{
				Note: register.Note{Code: register.NoteDanglingReference, Severity: register.SeverityError,
					Args: []string{part.BenefitID}, Message: "benefit " + part.BenefitID + " not found"},
				Text: c.T("note.unknown_benefit", "benefit", part.BenefitID),
			})
			continue
		}
		rep.Benefits = append(rep.Benefits, sec)
	}
	rep.Subtitle = c.T("recipient.subtitle", "name", person.Name, "roles", strings.Join(roles, ", "))
	scopes := make([]string, 0, len(rep.Benefits))
	for _, sec := range rep.Benefits {
		scopes = append(scopes, sec.Part.Scope)
	}
	rep.Organisation = organisation(x, scopes)

	counts := map[register.Status]int{}
	notJudged := 0
	through := dataThrough{until: p}
	for _, sec := range rep.Benefits {
		for _, is := range sec.Indicators {
			res := is.Result
			rep.Results = append(rep.Results, res)
			if res.PartOfWhole {
				notJudged++
			} else {
				counts[res.Status]++
			}
			through.add(is.Indicator, res.Latest)
			rep.Summary = append(rep.Summary, SummaryRow{
				BenefitID:     sec.Benefit.ID,
				BenefitTitle:  sec.Title,
				IndicatorID:   is.Indicator.ID,
				IndicatorName: is.Name,
				Scope:         sec.Part.Scope,
				ScopeName:     sec.ScopeName,
				Role:          sec.Part.Role,
				Value:         summaryValue(c, is.Indicator, res),
				Ambition:      summaryAmbition(c, is.Indicator, res),
				Status:        res.Status,
				StatusText:    is.StatusText,
				NotJudged:     res.PartOfWhole,
			})
			for _, n := range res.Notes {
				if n.Code == register.NotePartOfWhole {
					continue // said beside the indicator; not a data-quality matter
				}
				rep.Notes = append(rep.Notes, NoteLine{Note: n, Text: c.T("notes.item",
					"indicator", is.Name, "scope", sec.ScopeName, "text", noteText(x, c, is.Indicator, res, n))})
			}
		}
	}
	rep.Latest, rep.LatestText = through.month(), through.text(c)
	var items []string
	for _, s := range statusOrder {
		if n := counts[s]; n > 0 {
			rep.Counts = append(rep.Counts, StatusCount{Status: s, N: n})
			items = append(items, c.StatusCount(n, s))
		}
	}
	if notJudged > 0 {
		items = append(items, c.StatusCount(notJudged, register.Status("part_of_whole")))
	}
	if len(items) > 0 {
		rep.CountsText = c.T("summary.counts", "counts", strings.Join(items, ", "))
	} else {
		rep.CountsText = c.T("summary.none")
	}
	return rep, nil
}

// buildSection builds one benefit part; ok is false when the benefit is unknown.
func buildSection(x *register.Index, c *Catalog, part Part, p register.Month, s register.Settings) (BenefitSection, bool) {
	b, ok := x.Benefit(part.BenefitID)
	if !ok {
		return BenefitSection{}, false
	}
	scopeName := unitName(x, part.Scope)
	roleKey := "role.owner_part"
	if part.Role == RoleHolder {
		roleKey = "role.holder_part"
	}
	sec := BenefitSection{
		Benefit:     b,
		Part:        part,
		Title:       b.Title,
		Category:    c.Category(b.Category),
		Meta:        c.T("benefit.meta", "category", c.Category(b.Category), "phase", c.Phase(b.Phase)),
		Role:        c.T(roleKey, "scope", scopeName),
		ScopeName:   scopeName,
		Description: b.Description,
		Comment:     buildComment(x, c, b.ID, "", monthWindow(p)),
	}
	var notGreen []string
	for _, ind := range x.IndicatorsOf(b.ID) {
		res := x.Evaluate(ind, part.Scope, p, s)
		if part.Role == RoleHolder && res.Latest == nil {
			// Not measured in this unit at all: not the holder's to follow up.
			sec.NotMeasured = append(sec.NotMeasured, ind.Name)
			continue
		}
		is := buildIndicator(x, c, ind, res, p)
		is.Comment = buildComment(x, c, b.ID, ind.ID, monthWindow(p))
		sec.Indicators = append(sec.Indicators, is)
		if why := followUpReason(c, is, p); why != "" {
			notGreen = append(notGreen, why)
		}
	}
	end := p.Add(1).FirstDay()
	for _, a := range x.ActionsOf(b.ID) {
		row := ActionRow{
			Action:      a,
			Title:       a.Title,
			Responsible: orMissing(a.Responsible),
			Due:         Missing,
			StatusText:  c.ActionStatus(a.Status),
		}
		if !a.DueDate.IsZero() {
			row.Due = c.Date(a.DueDate)
			open := a.Status != register.ActionImplemented && a.Status != register.ActionCancelled
			row.Overdue = open && a.DueDate.Before(end)
		}
		if !a.CompletedOn.IsZero() && a.Status == register.ActionImplemented {
			row.StatusText += " (" + c.T("action.completed_on", "date", c.Date(a.CompletedOn)) + ")"
		}
		if row.Overdue {
			sec.Overdue++
		}
		sec.Actions = append(sec.Actions, row)
	}
	if len(sec.NotMeasured) > 0 {
		sec.NotMeasuredText = c.T("benefit.not_measured", "scope", scopeName, "indicators", strings.Join(sec.NotMeasured, "; "))
	}
	if sec.Overdue > 0 {
		sec.OverdueText = overdueText(c, sec.Overdue)
	}
	if len(notGreen) > 0 {
		sec.FollowUpIntro = c.T("followup.intro", "indicators", strings.Join(notGreen, "; "))
		sec.FollowUp = []string{c.T("followup.q1"), c.T("followup.q2"), c.T("followup.q3")}
		sec.FollowUpAnswer = actionsAnswer(c, sec.Actions)
	}
	return sec, true
}

// followUpReason says why an indicator asks the follow-up questions, e.g.
// "Andel selvbooking: Gul", or "" when it does not: its status is not green,
// or it is green but forecast to miss the year's ambition. A part of a sum
// is shown, not judged: nothing to follow up on it.
func followUpReason(c *Catalog, is IndicatorSection, p register.Month) string {
	res := is.Result
	switch {
	case res.PartOfWhole:
		return ""
	case res.Status != register.Green:
		return is.Name + ": " + is.StatusText
	case res.WillReach != nil && !*res.WillReach && res.YearTarget != nil && res.Forecast != nil:
		return c.T("followup.item_forecast", "indicator", is.Name, "status", is.StatusText,
			"year", strconv.Itoa(p.Year()), "forecast", c.IndicatorValue(is.Indicator, res.Forecast),
			"ambition", c.IndicatorValue(is.Indicator, res.YearTarget))
	}
	return ""
}

// actionsAnswer words what the register already answers to the first
// question: how many of the benefit's change actions (cancelled ones left
// out) are not implemented, and how many of those are past their deadline,
// e.g. "2 av 3 endringstiltak er ikke gjennomført; 1 har passert fristen.".
func actionsAnswer(c *Catalog, rows []ActionRow) string {
	total, open, overdue := 0, 0, 0
	for _, a := range rows {
		if a.Action.Status == register.ActionCancelled {
			continue
		}
		total++
		if a.Action.Status != register.ActionImplemented {
			open++
		}
		if a.Overdue {
			overdue++
		}
	}
	form := func(n int) string {
		if n == 1 {
			return "one"
		}
		return "other"
	}
	var s string
	switch {
	case total == 0:
		return c.T("followup.register.none")
	case open == 0:
		return c.T("followup.register.all_done."+form(total), "n", strconv.Itoa(total))
	case total == 1:
		s = c.T("followup.register.only_open")
	case open == total:
		s = c.T("followup.register.none_done", "n", strconv.Itoa(total))
	default:
		s = c.T("followup.register.open."+form(open), "k", strconv.Itoa(open), "n", strconv.Itoa(total))
	}
	if overdue > 0 {
		s += c.T("followup.register.overdue."+form(overdue), "n", strconv.Itoa(overdue))
	}
	return s + "."
}

// buildIndicator words one evaluated indicator.
func buildIndicator(x *register.Index, c *Catalog, ind register.Indicator, res register.Result, p register.Month) IndicatorSection {
	year := strconv.Itoa(p.Year())
	is := IndicatorSection{
		Indicator:  ind,
		Result:     res,
		Name:       ind.Name,
		StatusText: c.Status(res.Status),
	}
	if res.PartOfWhole {
		is.StatusText = c.T("status.part_of_whole")
	}
	valuePeriod := c.Period(res.ValuePeriod, ind.Frequency)
	is.StatusLine = c.T("status.sentence", "period", valuePeriod, "status", is.StatusText)

	final := res.Target
	if final == nil && !res.PartOfWhole {
		final = ind.TargetValue
	}
	targetDate := res.TargetDate
	if targetDate.IsZero() && !res.PartOfWhole {
		targetDate = ind.TargetDate
	}
	switch {
	case res.PartOfWhole:
		whole := Missing
		if b, ok := x.Benefit(ind.BenefitID); ok {
			whole = unitName(x, b.OrgUnitID)
		}
		is.FinalText = c.T("ambition.part_of_whole", "whole", whole, "part", unitName(x, res.Scope))
	case final == nil:
		is.FinalText = c.T("ambition.final_none")
	case targetDate.IsZero():
		is.FinalText = c.T("ambition.final_nodate", "value", c.IndicatorValue(ind, final))
	default:
		is.FinalText = c.T("ambition.final", "value", c.IndicatorValue(ind, final), "date", c.Date(targetDate))
	}
	if !res.PartOfWhole {
		is.YearText = yearAmbitionText(c, ind, res, p)
	}
	if a, ok := x.Ambition(ind.ID, p.Year()); ok && !a.RevisedOn.IsZero() {
		is.RevisedText = c.T("ambition.revised", "date", c.Date(a.RevisedOn))
	}
	if res.Progress != nil && res.Status != register.Suppressed {
		if *res.Progress < 0 {
			// Moved away from the ambition: say so rather than "−77 % of the way".
			is.ProgressText = c.T("progress.backwards", "value", c.Percent(-*res.Progress))
		} else {
			is.ProgressText = c.T("progress.text", "value", c.Percent(*res.Progress))
		}
	}
	switch {
	case res.Status == register.Suppressed:
		is.ForecastText = ""
	case res.Forecast == nil && (res.Trend == register.TrendUnknown || res.Trend == ""):
		is.ForecastText = c.T("forecast.none")
	case res.Forecast == nil:
		// The trend is known, but the period the forecast starts from is not measured.
		is.ForecastText = c.T("forecast.no_value", "period", c.Period(res.ValuePeriod, ind.Frequency))
	case yearMeasured(ind, res):
		// The year's last period is measured: there is nothing to forecast.
		key := "forecast.measured"
		if res.WillReach != nil {
			key = map[bool]string{true: "forecast.measured_reach", false: "forecast.measured_miss"}[*res.WillReach]
		}
		is.ForecastText = c.T(key, "value", c.IndicatorValue(ind, res.Forecast), "period", c.Period(res.ValuePeriod, ind.Frequency))
	case res.WillReach == nil:
		is.ForecastText = c.T("forecast.value", "value", c.IndicatorValue(ind, res.Forecast), "year", year)
	case *res.WillReach:
		is.ForecastText = c.T("forecast.reach", "value", c.IndicatorValue(ind, res.Forecast), "year", year)
	default:
		is.ForecastText = c.T("forecast.miss", "value", c.IndicatorValue(ind, res.Forecast), "year", year)
	}
	is.Figures = keyFigures(c, ind, res, p, final, targetDate, is.StatusText)
	is.Chart = chartModel(x, c, ind, res, p, final, targetDate)
	if len(res.Units) > 1 {
		for _, u := range res.Units {
			row := UnitRow{UnitID: u.UnitID, Name: unitName(x, u.UnitID), Status: u.Status, StatusText: c.Status(u.Status)}
			if ind.Aggregation == register.Sum && u.Status == register.NoAmbition {
				// A unit's share of a total has no ambition of its own: no badge.
				row.Status, row.StatusText = "", Missing
			}
			switch {
			case u.Status == register.Suppressed:
				row.Value = c.T("value.suppressed")
			case u.Value == nil:
				row.Value = Missing
			default:
				v := *u.Value
				row.Raw = &v
				row.Value = c.IndicatorValue(ind, u.Value)
			}
			is.Breakdown = append(is.Breakdown, row)
		}
	}
	return is
}

// keyFigures lists baseline, latest value, yearly ambition, final ambition,
// progress, trend and forecast; statusText is the status as the section
// words it ("Ikke vurdert" for a holder's part of a sum).
func keyFigures(c *Catalog, ind register.Indicator, res register.Result, p register.Month, final *float64, targetDate time.Time, statusText string) []Figure {
	year := strconv.Itoa(p.Year())
	suppressed := res.Status == register.Suppressed
	figs := []Figure{
		{Label: c.T("kf.baseline"), Value: c.IndicatorValue(ind, res.Baseline)},
		latestFigure(c, ind, res, statusText),
		{Label: c.T("kf.year_ambition", "year", year), Value: yearAmbitionValue(c, ind, res)},
		{Label: c.T("kf.final_ambition"), Value: c.IndicatorValue(ind, final)},
	}
	if ind.Aggregation == register.Sum && res.Thresholds != nil {
		figs[2].Note = c.T("kf.ytd_required", "value", c.Value(res.Thresholds.Ambition, ind.Unit, ind.Decimals))
	}
	if final != nil && !targetDate.IsZero() {
		figs[3].Note = c.T("kf.by", "date", c.Date(targetDate))
		if ind.Aggregation == register.Sum {
			// A sum's final ambition is a whole year's total, not a year-to-date figure.
			figs[3].Note = c.T("kf.by_full_year", "date", c.Date(targetDate))
		}
	}
	progress := Figure{Label: c.T("kf.progress"), Value: Missing}
	trend := Figure{Label: c.T("kf.trend"), Value: c.Trend(res.Trend)}
	forecast := Figure{Label: c.T("kf.forecast", "year", year), Value: Missing}
	switch {
	case suppressed:
		progress.Value = c.T("value.suppressed")
		trend.Value = c.T("value.suppressed")
		forecast.Value = c.T("value.suppressed")
	default:
		if res.Progress != nil {
			progress.Value = c.Percent(*res.Progress)
		}
		if res.Forecast != nil {
			forecast.Value = c.IndicatorValue(ind, res.Forecast)
			reach, miss := "kf.reach", "kf.miss"
			if yearMeasured(ind, res) {
				// The year's figure is measured: the card says so, not "Prognose".
				forecast.Label = c.T("kf.measured_year", "year", year)
				reach, miss = "kf.met", "kf.not_met"
			}
			if res.WillReach != nil {
				if *res.WillReach {
					forecast.Note = c.T(reach)
				} else {
					forecast.Note = c.T(miss)
				}
			}
		}
	}
	return append(figs, progress, trend, forecast)
}

// latestFigure is the key figure of the judged value. When the report
// period has no data but earlier periods do, it shows the latest measured
// value with its period instead of a bare "–".
func latestFigure(c *Catalog, ind register.Indicator, res register.Result, statusText string) Figure {
	label := c.T("kf.latest")
	if ind.Aggregation == register.Sum {
		label = c.T("kf.latest_ytd")
	}
	f := Figure{Label: label, Value: valueText(c, ind, res), Status: res.Status,
		Note: c.T("kf.per", "period", c.Period(res.ValuePeriod, ind.Frequency)) + " · " + statusText}
	if v, at, ok := lastMeasured(res); ok && res.Value == nil && res.Status == register.NoData {
		f.Label = c.T("kf.latest_measured")
		f.Value = c.IndicatorValue(ind, &v)
		f.Note = c.T("kf.per", "period", c.Period(at, ind.Frequency)) + " · " +
			c.T("kf.no_data_for", "period", c.Period(res.ValuePeriod, ind.Frequency))
	}
	return f
}

// lastMeasured is the latest shown value of the scope's series and its
// period; ok is false when no period before the report period has one.
func lastMeasured(res register.Result) (v float64, at register.Month, ok bool) {
	for i := len(res.Series) - 1; i >= 0; i-- {
		pt := res.Series[i]
		if pt.Value != nil && !pt.Suppressed && pt.Period <= res.Period {
			return *pt.Value, pt.Period, true
		}
	}
	return 0, 0, false
}

// valueText words the judged value: the number, "prikket" or "–".
func valueText(c *Catalog, ind register.Indicator, res register.Result) string {
	if res.Status == register.Suppressed {
		return c.T("value.suppressed")
	}
	return c.IndicatorValue(ind, res.Value)
}

// summaryValue words the judged value for a summary line; when the report
// period has no data it gives the latest measured value with its period
// ("350 dager (mai 2025)"), so a reader sees that earlier data exist.
func summaryValue(c *Catalog, ind register.Indicator, res register.Result) string {
	if v, at, ok := lastMeasured(res); ok && res.Value == nil && res.Status == register.NoData {
		return c.T("value.earlier", "value", c.IndicatorValue(ind, &v), "period", c.Period(at, ind.Frequency))
	}
	return valueText(c, ind, res)
}

// summaryAmbition words the ambition the summary's value is judged
// against: the yearly ambition, or for sum indicators its year-to-date share.
func summaryAmbition(c *Catalog, ind register.Indicator, res register.Result) string {
	if ind.Aggregation == register.Sum && res.Thresholds != nil {
		return c.T("summary.ytd_ambition", "value", c.Value(res.Thresholds.Ambition, ind.Unit, ind.Decimals))
	}
	return yearAmbitionValue(c, ind, res)
}

// yearAmbitionValue words the full yearly ambition, or "–".
func yearAmbitionValue(c *Catalog, ind register.Indicator, res register.Result) string {
	if res.YearTarget != nil {
		return c.IndicatorValue(ind, res.YearTarget)
	}
	if res.Thresholds != nil && ind.Aggregation != register.Sum {
		return c.Value(res.Thresholds.Ambition, ind.Unit, ind.Decimals)
	}
	return Missing
}

// yearAmbitionText words the yearly ambition with the limits applied.
func yearAmbitionText(c *Catalog, ind register.Indicator, res register.Result, p register.Month) string {
	year := strconv.Itoa(p.Year())
	th := res.Thresholds
	if th == nil {
		return c.T("ambition.year_none", "year", year)
	}
	v := func(f float64) string { return c.Value(f, ind.Unit, ind.Decimals) }
	full := yearAmbitionValue(c, ind, res)
	key := "ambition.year_up"
	if ind.Direction == register.Down {
		key = "ambition.year_down"
	}
	if ind.Aggregation == register.Sum {
		key = "ambition.year_sum_up"
		if ind.Direction == register.Down {
			key = "ambition.year_sum_down"
		}
		return c.T(key, "year", year, "value", full,
			"prorated", v(th.Ambition), "green", v(th.GreenLimit), "red", v(th.RedLimit))
	}
	return c.T(key, "year", year, "value", full, "green", v(th.GreenLimit), "red", v(th.RedLimit))
}

// chartModel builds the chart of one indicator: the scope's values from the
// first month of the previous year through P, the yearly ambitions of those
// years as steps, the final ambition and the current year's zones.
func chartModel(x *register.Index, c *Catalog, ind register.Indicator, res register.Result, p register.Month, final *float64, targetDate time.Time) ChartModel {
	sum := ind.Aggregation == register.Sum
	firstYear := p.Year() - chartYears + 1
	from := register.MonthOf(firstYear, time.January)
	yearEnd := register.MonthOf(p.Year(), time.December)
	periodsPerYear := 12 / ind.Frequency.Months()
	cm := ChartModel{
		Title:          c.T("chart.title", "name", ind.Name),
		Unit:           c.Unit(ind.Unit),
		Decimals:       ind.Decimals,
		Baseline:       res.Baseline,
		PerPeriodShare: sum,
		ValuesLabel:    c.T("chart.values"),
		BaselineLabel:  c.T("chart.baseline"),
		StepLabel:      c.T("chart.year_ambition"),
		FinalLabel:     c.T("chart.final_ambition"),
		Caption:        c.T("chart.caption", "year", strconv.Itoa(p.Year())),
	}
	if sum {
		cm.ValuesLabel = c.T("chart.values_period")
		cm.StepLabel = c.T("chart.year_ambition_share")
		cm.Caption = c.T("chart.caption_sum")
		cm.Baseline = nil // a sum's baseline is a yearly figure and has no per-period meaning
	}
	for _, pt := range res.Series {
		if pt.Period < from || pt.Period > p {
			continue
		}
		cp := ChartPoint{Period: pt.Period, At: periodAt(pt.Period, ind.Frequency), Suppressed: pt.Suppressed}
		if pt.Value != nil && !pt.Suppressed {
			v := *pt.Value
			cp.Value = &v
		}
		cm.Points = append(cm.Points, cp)
	}
	for y := firstYear; y <= p.Year() && !res.PartOfWhole; y++ {
		a, ok := x.Ambition(ind.ID, y)
		if !ok {
			continue
		}
		v := a.Target
		if sum {
			v /= float64(periodsPerYear)
		}
		cm.Steps = append(cm.Steps, AmbitionStep{Year: y, From: register.MonthOf(y, time.January), To: register.MonthOf(y, time.December), Value: v})
	}
	if final != nil && !sum {
		cm.Final = &FinalAmbition{Date: targetDate, Value: *final}
	}
	if th := res.Thresholds; th != nil && res.Status != register.Invalid {
		red, green := th.RedLimit, th.GreenLimit
		if sum {
			elapsed := float64(int(res.ValuePeriod.Month()-1)/ind.Frequency.Months() + 1)
			red, green = red/elapsed, green/elapsed
		}
		cm.Bands = bands(ind.Direction, red, green, register.MonthOf(p.Year(), time.January), yearEnd)
	}
	return cm
}

// bands returns the red, yellow and green zones for a direction.
func bands(d register.Direction, red, green float64, from, to register.Month) []ChartBand {
	inf := math.Inf(1)
	if d == register.Down {
		return []ChartBand{
			{Status: register.Green, Low: -inf, High: green, From: from, To: to},
			{Status: register.Yellow, Low: green, High: red, From: from, To: to},
			{Status: register.Red, Low: red, High: inf, From: from, To: to},
		}
	}
	return []ChartBand{
		{Status: register.Red, Low: -inf, High: red, From: from, To: to},
		{Status: register.Yellow, Low: red, High: green, From: from, To: to},
		{Status: register.Green, Low: green, High: inf, From: from, To: to},
	}
}

// noteText words a note in the catalogue's language from its code and the
// indicator's context; unknown codes fall back to the note's English message.
func noteText(x *register.Index, c *Catalog, ind register.Indicator, res register.Result, n register.Note) string {
	year := strconv.Itoa(res.Period.Year())
	switch n.Code {
	case register.NoteNoData:
		return c.T("note.no_data", "period", c.Period(res.ValuePeriod, ind.Frequency))
	case register.NoteStale:
		latest := Missing
		if res.Latest != nil {
			latest = c.Period(*res.Latest, ind.Frequency)
		}
		return c.T("note.stale", "latest", latest)
	case register.NoteSuppressed:
		min := Missing
		if ind.MinDenominator != nil {
			min = c.Number(*ind.MinDenominator, 0)
		}
		if res.Status == register.Suppressed || len(n.Args) == 0 || isPeriod(n.Args[0]) {
			return c.T("note.suppressed", "min", min)
		}
		names := make([]string, len(n.Args))
		for i, id := range n.Args {
			names[i] = unitName(x, id)
		}
		return c.T("note.suppressed_units", "units", strings.Join(names, ", "), "min", min)
	case register.NoteComplementarySuppression:
		if len(n.Args) < 2 {
			break
		}
		return c.T("note.complementary_suppression", "unit", unitName(x, n.Args[0]), "other", unitName(x, n.Args[1]))
	case register.NoteNoAmbition:
		return c.T("note.no_ambition", "year", year)
	case register.NoteInvalidThresholds:
		red, green := Missing, Missing
		if a, ok := x.Ambition(ind.ID, res.Period.Year()); ok {
			if a.RedLimit != nil {
				red = c.Value(*a.RedLimit, ind.Unit, ind.Decimals)
			}
			if a.GreenLimit != nil {
				green = c.Value(*a.GreenLimit, ind.Unit, ind.Decimals)
			}
		}
		return c.T("note.invalid_thresholds", "year", year, "red", red, "green", green)
	case register.NoteNoBaseline, register.NoteBaselineSuppressed, register.NoteNoTarget,
		register.NoteNoTargetDate, register.NoteTargetEqualsBaseline, register.NoteRedFromGreen,
		register.NoteMissingPeriods, register.NotePartOfWhole, register.NoteNotFinite:
		return c.T("note." + string(n.Code))
	}
	return c.T("note.other", "message", n.Message)
}

// isPeriod reports whether s is a "YYYY-MM" period rather than an id.
func isPeriod(s string) bool {
	_, err := register.ParseMonth(s)
	return err == nil
}

// unitName is a unit's name, or its id when the register lacks it.
func unitName(x *register.Index, id string) string {
	if u, ok := x.Unit(id); ok && u.Name != "" {
		return u.Name
	}
	return id
}

func orMissing(s string) string {
	if strings.TrimSpace(s) == "" {
		return Missing
	}
	return s
}
