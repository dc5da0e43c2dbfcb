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

// ErrNoDataForYear is returned by BuildAnnual when the register has no
// measurement in or before the requested year's first month.
var ErrNoDataForYear = errors.New("no data for the year")

// annualChartYears is how many calendar years an annual chart shows at most,
// the report year included.
const annualChartYears = 5

// AnnualChartFirstYear is the first year an annual chart for year can show.
func AnnualChartFirstYear(year int) int { return year - annualChartYears + 1 }

// AnnualReport is the model of the annual evaluation report for one year:
// the whole portfolio for the steering group, or one benefit owner's copy.
type AnnualReport struct {
	Lang        string
	Year        int
	Owner       *register.Person // nil for the whole portfolio
	Title       string           // "Årsrapport gevinstrealisering 2024"
	Subtitle    string           // "Hele porteføljen" or "Gevinstansvarlig: <name>"
	Covers      string           // "Hele porteføljen" or the owner's name
	Header      string           // running header: year (partial marked) and data per date
	Intro       string
	GeneratedAt time.Time
	DataPer     string // generation date in the configured timezone, worded
	YearText    string // "2024", or "2025 hittil i år (til og med september 2025)"
	// ValueHeading labels the annual figure: "Årstall 2024", or "Hittil i 2025" when partial.
	ValueHeading string

	// Partial is true when the register's data end before the year's last
	// month: figures are then year to date and suggestions preliminary.
	Partial         bool
	DataThrough     register.Month // the last month of the year the data reach
	DataThroughText string
	PartialText     string // the warning shown when Partial, else ""

	Summary    []AnnualRow
	Counts     []StatusCount // non-zero counts of the annual statuses, in status order
	CountsText string
	MetText    string // "7 av 12 måleindikatorer nådde årsambisjonen.", or how many are on track when Partial
	MetColumn  string // the summary's verdict column: "Nådd? · status", or "På sporet? · status" when Partial
	Benefits   []AnnualBenefit
	Completed  int // change actions completed in the year, over all benefits
	// CompletedLate counts those completed after their deadline.
	CompletedLate int
	Open          int // change actions still open, over all benefits
	Overdue       int // open change actions past their due date
	ActionsText   string
	Evaluation    []EvaluationItem // benefits listed for the evaluation phase
	EvalIntro     string
	EvalNone      string   // shown when Evaluation is empty
	EvalQuestion  []string // the evaluation phase's questions
	Notes         []NoteLine
	// Savings is the year's realised savings, each saving counted once.
	Savings AnnualSavings
	// Results holds every annual evaluation in the report, in summary order,
	// as the report judges it (see BuildAnnual for partial years).
	Results []register.AnnualResult
	wording
	// Organisation is the organisation the report comes from (the PDF's author).
	Organisation string
}

// AnnualRow is one indicator line of the annual summary table.
type AnnualRow struct {
	BenefitID     string
	BenefitTitle  string
	IndicatorID   string
	IndicatorName string
	Value         string // the annual figure worded, "–" or "prikket"
	Ambition      string // the yearly ambition worded, or "–"
	Status        register.Status
	MetText       string // "Ja · Grønn", "Nei · Rød", "Ingen ambisjon", …
	Suggested     string // suggested ambition for year+1, or "–"
	NextAmbition  string // the ambition registered for year+1, or "–"
	// Registered is the short line under the suggestion naming the
	// registered next-year ambition: "registrert: 2,50" (the unit is in the
	// suggestion above), "lik registrert", or with its unit when there is
	// no suggestion; "" when none is registered.
	Registered string
}

// AnnualBenefit is the annual report's section on one benefit.
type AnnualBenefit struct {
	Benefit     register.Benefit
	Title       string
	Meta        string // category, phase, owner and scope in one line
	OwnerName   string
	ScopeName   string
	Description string
	Indicators  []AnnualIndicator
	// FinalReached is true when every indicator reached its final ambition.
	FinalReached bool
	FinalText    string          // sentence when FinalReached, else ""
	Completed    []ActionRow     // change actions completed in the year
	Open         []ActionRow     // change actions still open at the end of the year (of its data)
	Overdue      int             // open actions past their due date
	OverdueText  string          // sentence when Overdue > 0
	Evaluation   *EvaluationItem // set when the benefit is listed for the evaluation phase
	Comment      *Comment        // the owner's words on the whole benefit: December's, or the year's latest
	// ActionsText counts the benefit's change actions completed in the year
	// and still open, verb and adjective agreeing with the counts.
	ActionsText string
}

// AnnualIndicator is one indicator of an annual benefit section.
type AnnualIndicator struct {
	Indicator  register.Indicator
	Result     register.AnnualResult
	Name       string
	StatusText string
	StatusLine string // "Årstall 2024: 12,3 % – Grønn. Årsambisjonen på 10,0 % er nådd."
	Value      string
	Ambition   string
	// SummaryAmbition is the ambition the summary judges against: the
	// yearly ambition, or its pro-rated part for a sum in a partial year.
	SummaryAmbition string
	MetText         string
	Baseline        string
	Change          string // "+12,2 prosentpoeng (+12 200 %)" or "–"
	Final           string // final ambition worded with its date
	FinalState      string // "Nådd", "Ikke nådd – frist 31. desember 2026", …
	Suggested       string
	// SuggestedText explains the suggested ambition in a sentence, with the
	// ambition registered for year+1 beside it.
	SuggestedText string
	NextAmbition  string // the ambition registered for year+1, or "–"
	// Warning is set when the suggestion asks for a larger yearly step than
	// the indicator has shown in the years before.
	Warning  string
	Coverage string // "12 av 12 måneder med data"
	Figures  []Figure
	Chart    AnnualChart
	Comment  *Comment // the owner's words on the indicator: December's, or the year's latest
}

// AnnualChart is the yearly figures of an indicator over the years with data.
type AnnualChart struct {
	Title       string
	Caption     string
	Unit        string
	Decimals    int
	Years       []YearBar
	ValueLabel  string // legend label of the bars
	TargetLabel string // legend label of the ambition markers
	// Dots draws the yearly figures as dots on an axis cut to their range
	// (levels: ratio and mean indicators); false draws bars from zero (sums).
	Dots bool
}

// YearBar is one year's annual figure with that year's ambition and status.
type YearBar struct {
	Year      int
	Label     string // "2024", or "2025 (jan.–sep.)" for a partial year
	Value     *float64
	ValueText string
	Ambition  *float64
	Status    register.Status
}

// EvaluationItem is a benefit listed for the evaluation phase.
type EvaluationItem struct {
	BenefitID string
	Title     string
	OwnerName string
	Reason    string // why it is listed: final ambition reached, or already in the evaluation phase
}

// BuildAnnual builds the annual evaluation report for year: the whole
// portfolio when ownerID is "", otherwise only the benefits ownerID owns.
// Closed benefits are left out. Each indicator is judged at its benefit's
// scope with register.Index.Annual (rule 11).
//
// When the register's data end before December of year the report is
// partial: ratio and mean figures are the year to date and are judged as
// such, while a sum indicator's year-to-date total is judged against the
// ambition and limits pro-rated by the share of the year's periods up to
// the register's last month (rule 5), has no
// suggestion for year+1 (a part-year total is no starting point), and
// counts as having reached its final ambition only when the total already
// passes it upwards. No figure of such a year is said to meet the year's
// ambition: AmbitionMet stays nil and OnTrack carries the year-to-date
// verdict. Results carry these adjusted judgements.
func BuildAnnual(x *register.Index, year int, cats Catalogs, lang string, ownerID string, opt Options) (AnnualReport, error) {
	c := cats.Pick(lang, opt.DefaultLang)
	if c == nil {
		return AnnualReport{}, fmt.Errorf("build annual report %d: no catalogue for %q", year, lang)
	}
	latest, ok := x.LatestPeriod()
	if !ok || latest < register.MonthOf(year, time.January) {
		return AnnualReport{}, fmt.Errorf("build annual report %d: %w", year, ErrNoDataForYear)
	}
	var owner *register.Person
	if ownerID != "" {
		p, ok := x.Person(ownerID)
		if !ok {
			return AnnualReport{}, fmt.Errorf("build annual report %d for %q: %w", year, ownerID, ErrUnknownPerson)
		}
		owner = &p
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	ys := strconv.Itoa(year)
	dec := register.MonthOf(year, time.December)
	rep := AnnualReport{
		Lang:        c.Lang(),
		Year:        year,
		Owner:       owner,
		Title:       c.T("annual.title", "year", ys),
		Intro:       c.T("annual.intro", "year", ys, "next", strconv.Itoa(year+1)),
		GeneratedAt: opt.Now,
		DataPer:     c.Date(opt.Now.In(loc)),
		DataThrough: min(latest, dec),
		YearText:    ys,
		wording:     wording{c},
	}
	rep.DataThroughText = c.Month(rep.DataThrough)
	rep.ValueHeading = c.T("annual.kf.value", "year", ys)
	if latest < dec {
		rep.Partial = true
		rep.YearText = c.T("annual.year_partial", "year", ys, "month", rep.DataThroughText)
		rep.PartialText = c.T("annual.partial_warning", "year", ys, "month", rep.DataThroughText)
		rep.ValueHeading = c.T("annual.kf.value_partial", "year", ys)
	}
	rep.Header = c.T("annual.header", "year", rep.YearText, "date", rep.DataPer)
	rep.MetColumn = c.T("annual.col.met")
	if rep.Partial {
		rep.MetColumn = c.T("annual.col.on_track")
	}
	if owner != nil {
		rep.Subtitle = c.T("annual.subtitle_owner", "name", owner.Name)
		rep.Covers = owner.Name
	} else {
		rep.Subtitle = c.T("annual.subtitle_portfolio")
		rep.Covers = rep.Subtitle
	}

	// Change actions are judged as they stood at the end of the report's
	// year (of its data, for a partial year), not on the day of printing: a
	// 2024 report made in 2026 does not call a 2026 deadline overdue.
	today := opt.Now.In(loc)
	asOf := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	end := register.MonthOf(year, time.December)
	if rep.Partial {
		end = rep.DataThrough
	}
	if e := end.Add(1).FirstDay(); e.Before(asOf) {
		asOf = e
	}
	var units []string
	for _, b := range ActiveBenefits(x, ownerID) {
		sec := buildAnnualBenefit(x, c, b, year, rep.Partial, rep.DataThrough, asOf, opt.Settings)
		rep.Benefits = append(rep.Benefits, sec)
		units = append(units, b.OrgUnitID)
		if sec.Evaluation != nil {
			rep.Evaluation = append(rep.Evaluation, *sec.Evaluation)
		}
		rep.Completed += len(sec.Completed)
		for _, a := range sec.Completed {
			if a.Late {
				rep.CompletedLate++
			}
		}
		rep.Open += len(sec.Open)
		rep.Overdue += sec.Overdue
	}
	rep.Organisation = organisation(x, units)

	summariseAnnual(x, c, &rep)
	rep.ActionsText = annualActionsText(c, rep)
	rep.Savings = buildAnnualSavings(x, c, &rep)
	rep.EvalIntro = c.T("annual.eval.intro")
	rep.EvalNone = c.T("annual.eval.none", "year", ys)
	if rep.Partial {
		rep.EvalNone = c.T("annual.eval.none_partial", "year", ys, "month", rep.DataThroughText)
	}
	rep.EvalQuestion = []string{c.T("annual.eval.q1"), c.T("annual.eval.q2"), c.T("annual.eval.q3"), c.T("annual.eval.q4")}
	return rep, nil
}

// summariseAnnual fills the report's summary from its benefits: the
// results and table rows in order, the notes, the status counts and how
// many indicators met (or, in a year not yet complete, are on track for)
// their yearly ambition.
func summariseAnnual(x *register.Index, c *Catalog, rep *AnnualReport) {
	ys := strconv.Itoa(rep.Year)
	counts := map[register.Status]int{}
	met, judged := 0, 0
	for _, sec := range rep.Benefits {
		for _, ai := range sec.Indicators {
			res := ai.Result
			rep.Results = append(rep.Results, res)
			counts[res.Status]++
			if v := verdict(res); v != nil {
				judged++
				if *v {
					met++
				}
			}
			rep.Summary = append(rep.Summary, AnnualRow{
				BenefitID:     sec.Benefit.ID,
				BenefitTitle:  sec.Title,
				IndicatorID:   ai.Indicator.ID,
				IndicatorName: ai.Name,
				Value:         ai.Value,
				Ambition:      ai.SummaryAmbition,
				Status:        res.Status,
				MetText:       ai.MetText,
				Suggested:     ai.Suggested,
				NextAmbition:  ai.NextAmbition,
				Registered:    registeredLine(c, ai.Indicator, res),
			})
			for _, n := range res.Notes {
				rep.Notes = append(rep.Notes, NoteLine{Note: n, Text: c.T("notes.item",
					"indicator", ai.Name, "scope", sec.ScopeName, "text", annualNoteText(x, c, ai.Indicator, res, n))})
			}
		}
	}
	var items []string
	for _, s := range statusOrder {
		if n := counts[s]; n > 0 {
			rep.Counts = append(rep.Counts, StatusCount{Status: s, N: n})
			items = append(items, c.StatusCount(n, s))
		}
	}
	if len(items) > 0 {
		rep.CountsText = c.T("summary.counts", "counts", strings.Join(items, ", "))
		rep.MetText = metCountText(c, met, judged, ys, rep.Partial, rep.DataThroughText)
	} else {
		rep.CountsText = c.T("annual.none")
	}
}

// registeredLine words the registered next-year ambition for the summary
// table, kept short under the suggestion: the number alone when the
// suggestion above already carries the unit, "lik registrert" when the two agree.
func registeredLine(c *Catalog, ind register.Indicator, res register.AnnualResult) string {
	switch {
	case res.NextAmbition == nil:
		return ""
	case res.SuggestedAmbition == nil:
		return c.T("annual.kf.registered", "value", c.IndicatorValue(ind, res.NextAmbition))
	case register.Round(*res.SuggestedAmbition, ind.Decimals) == register.Round(*res.NextAmbition, ind.Decimals):
		return c.T("annual.kf.registered_same")
	}
	return c.T("annual.kf.registered", "value", c.Number(*res.NextAmbition, ind.Decimals))
}

// metCountText words how many judged indicators met (or, in a year not
// yet complete, are on track for) their yearly ambition; a single judged
// indicator is "Den ene måleindikatoren …", never "1 av 1 måleindikatorer".
func metCountText(c *Catalog, met, judged int, year string, partial bool, month string) string {
	key := "annual.met_count"
	if partial {
		key = "annual.on_track_count"
	}
	if judged == 1 {
		key += "_one." + map[bool]string{true: "yes", false: "no"}[met == 1]
	}
	return c.T(key, "met", strconv.Itoa(met), "judged", strconv.Itoa(judged), "year", year, "month", month)
}

// annualActionsText summarises the year's change actions: completed, still
// open (overdue ones counted) and completed after their deadline.
func annualActionsText(c *Catalog, rep AnnualReport) string {
	ys := strconv.Itoa(rep.Year)
	form := "other"
	switch rep.Completed {
	case 0:
		form = "zero"
	case 1:
		form = "one"
	}
	text := c.T("annual.actions_summary."+form, "year", ys, "completed", strconv.Itoa(rep.Completed),
		"open", openActionsText(c, rep.Open, rep.Overdue))
	if rep.CompletedLate > 0 {
		text += " " + completedLateText(c, rep.CompletedLate, rep.Completed)
	}
	return text
}

// completedLateText words how many of the completed change actions came
// after their deadline: "Alle 3 …" when all of them did, never "3 av dem".
func completedLateText(c *Catalog, late, completed int) string {
	form := "other"
	switch {
	case late == completed && late == 1:
		form = "all_one"
	case late == completed:
		form = "all"
	case late == 1:
		form = "one"
	}
	return c.T("annual.completed_late."+form, "n", strconv.Itoa(late))
}

// openActionsText words how many change actions are still open, the verb
// and adjective agreeing with the count ("1 er fortsatt åpent", "3 er
// fortsatt åpne (1 har passert fristen)").
func openActionsText(c *Catalog, open, overdue int) string {
	form := "other"
	switch open {
	case 0:
		form = "zero"
	case 1:
		form = "one"
	}
	s := c.T("annual.open."+form, "n", strconv.Itoa(open))
	if overdue > 0 {
		s += " " + c.T("annual.open_overdue", "n", strconv.Itoa(overdue))
	}
	return s
}

// ActiveBenefits lists the benefits that are not closed, each once (the
// register's first row for an id), sorted by id; with ownerID set, only
// that owner's.
func ActiveBenefits(x *register.Index, ownerID string) []register.Benefit {
	seen := map[string]bool{}
	var out []register.Benefit
	for _, b := range x.Register().Benefits {
		if seen[b.ID] {
			continue
		}
		seen[b.ID] = true
		if !b.Active() || (ownerID != "" && b.OwnerID != ownerID) {
			continue
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b register.Benefit) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// buildAnnualBenefit evaluates and words one benefit for the year.
func buildAnnualBenefit(x *register.Index, c *Catalog, b register.Benefit, year int, partial bool, through register.Month, asOf time.Time, s register.Settings) AnnualBenefit {
	ownerName := Missing
	if p, ok := x.Person(b.OwnerID); ok && p.Name != "" {
		ownerName = p.Name
	}
	sec := AnnualBenefit{
		Benefit:     b,
		Title:       b.Title,
		OwnerName:   ownerName,
		ScopeName:   unitName(x, b.OrgUnitID),
		Description: b.Description,
	}
	sec.Meta = c.T("annual.benefit_meta", "category", c.Category(b.Category), "phase", c.Phase(b.Phase),
		"owner", ownerName, "scope", sec.ScopeName)
	cw := yearWindow(year, partial, through)
	sec.Comment = buildComment(x, c, b.ID, "", cw)
	reached := 0
	for _, ind := range x.IndicatorsOf(b.ID) {
		res := annualResult(x, ind, b.OrgUnitID, year, partial, through, s)
		ai := buildAnnualIndicator(x, c, ind, res, year, partial, through, s)
		ai.Comment = buildComment(x, c, b.ID, ind.ID, cw)
		sec.Indicators = append(sec.Indicators, ai)
		if res.FinalReached != nil && *res.FinalReached {
			reached++
		}
	}
	ys := strconv.Itoa(year)
	sec.FinalReached = len(sec.Indicators) > 0 && reached == len(sec.Indicators)
	switch {
	case sec.FinalReached && partial:
		// The year is not over: the final ambition is reached so far.
		month := c.Month(through)
		sec.FinalText = c.T("annual.final_reached_all_partial", "year", ys, "month", month)
		sec.Evaluation = &EvaluationItem{BenefitID: b.ID, Title: b.Title, OwnerName: ownerName,
			Reason: c.T("annual.eval.reason_reached_partial", "year", ys, "month", month)}
	case sec.FinalReached:
		sec.FinalText = c.T("annual.final_reached_all", "year", ys)
		sec.Evaluation = &EvaluationItem{BenefitID: b.ID, Title: b.Title, OwnerName: ownerName,
			Reason: c.T("annual.eval.reason_reached", "year", ys)}
	case b.Phase == register.PhaseEvaluate:
		sec.Evaluation = &EvaluationItem{BenefitID: b.ID, Title: b.Title, OwnerName: ownerName,
			Reason: c.T("annual.eval.reason_phase")}
	case reached > 0:
		sec.FinalText = c.T("annual.final_reached_some", "n", strconv.Itoa(reached), "total", strconv.Itoa(len(sec.Indicators)))
	}
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
		}
		completedLater := a.Status == register.ActionImplemented && !a.CompletedOn.IsZero() && !a.CompletedOn.Before(asOf)
		switch {
		case a.Status == register.ActionCancelled:
		case a.Status == register.ActionImplemented && !completedLater:
			if !a.CompletedOn.IsZero() && a.CompletedOn.Year() == year {
				row.StatusText = c.T("action.completed_on", "date", c.Date(a.CompletedOn))
				if row.Late = completedLate(a); row.Late {
					row.StatusText = c.T("annual.action.completed_late", "date", c.Date(a.CompletedOn), "due", row.Due)
				}
				sec.Completed = append(sec.Completed, row)
			}
		default:
			if completedLater {
				row.StatusText = c.T("action.completed_on", "date", c.Date(a.CompletedOn))
			}
			row.Overdue = !a.DueDate.IsZero() && a.DueDate.Before(asOf)
			if row.Overdue {
				sec.Overdue++
			}
			sec.Open = append(sec.Open, row)
		}
	}
	if sec.Overdue > 0 {
		sec.OverdueText = overdueText(c, sec.Overdue)
	}
	sec.ActionsText = c.T("annual.benefit_actions", "year", ys, "completed", strconv.Itoa(len(sec.Completed)),
		"open", openActionsText(c, len(sec.Open), sec.Overdue))
	return sec
}

// yearWindow is the comment window of an annual report: the year's latest
// comment, current when it is December's (or, for a year not yet complete,
// that of the last month with data or later).
func yearWindow(year int, partial bool, through register.Month) commentWindow {
	dec := register.MonthOf(year, time.December)
	w := commentWindow{From: register.MonthOf(year, time.January), To: dec, Current: dec}
	if partial {
		w.Current = min(through, dec)
	}
	return w
}

// annualResult is register.Index.Annual with the partial-year adjustments
// that BuildAnnual documents.
func annualResult(x *register.Index, ind register.Indicator, scope string, year int, partial bool, through register.Month, s register.Settings) register.AnnualResult {
	res := x.Annual(ind, scope, year, s)
	if !partial {
		return res
	}
	if ind.Aggregation == register.Sum && res.Value != nil {
		res = partialSum(ind, res, year, through)
	}
	// The year is not over: the year-to-date verdict says whether the
	// indicator is on track, not that the year's ambition is met.
	res.OnTrack, res.AmbitionMet = res.AmbitionMet, nil
	return res
}

// partialSum judges a sum's year-to-date total in a year not yet complete
// (rule 5), as BuildAnnual documents.
func partialSum(ind register.Indicator, res register.AnnualResult, year int, through register.Month) register.AnnualResult {
	res.SuggestedAmbition = nil
	if res.FinalReached != nil && !(ind.Direction == register.Up && *res.FinalReached) {
		res.FinalReached = nil
	}
	missing := 0 // periods up to through without data: the total undercounts
	for _, m := range res.MissingPeriods {
		if m <= through {
			missing++
		}
	}
	// The register counted the whole year as missing data; in a partial
	// year the report's own coverage note counts up to through instead.
	res.Notes = slices.DeleteFunc(slices.Clone(res.Notes), func(n register.Note) bool { return n.Code == register.NoteMissingPeriods })
	share := yearShare(ind, year, through)
	partialChange(ind, &res, share, missing)
	switch {
	case res.Status == register.Invalid:
		return res
	case res.Thresholds == nil:
		res.Status = register.NoAmbition
		return res
	}
	// Rule 5: the year-to-date total is judged against the ambition and
	// limits pro-rated by the share of the year's periods up to through.
	full := *res.Thresholds
	th := register.Thresholds{Ambition: full.Ambition * share, RedLimit: full.RedLimit * share, GreenLimit: full.GreenLimit * share}
	res.Thresholds = &th
	v := *res.Value
	switch {
	case annualMeets(v, th.GreenLimit, ind.Direction):
		res.Status = register.Green
	case annualMeets(v, th.RedLimit, ind.Direction):
		res.Status = register.Yellow
	default:
		res.Status = register.Red
	}
	if res.YearTarget != nil {
		met := annualMeets(v, th.Ambition, ind.Direction)
		res.AmbitionMet = &met
	}
	register.UndercountedSum(&ind, &res, missing)
	return res
}

// yearShare is the share of the indicator's periods in year that lie at
// or before through (3/12 for a monthly sum with data to March).
func yearShare(ind register.Indicator, year int, through register.Month) float64 {
	f := annualFrequency(ind)
	elapsed := int(f.PeriodStart(through)-register.MonthOf(year, time.January))/f.Months() + 1
	return float64(elapsed) / float64(12/f.Months())
}

// partialChange measures a year-to-date total's change from the baseline
// pro-rated by share, since the baseline of a sum is a whole year's total;
// with periods missing up to the data's end the total undercounts, and no
// change is given.
func partialChange(ind register.Indicator, res *register.AnnualResult, share float64, missing int) {
	res.Change = nil
	res.ChangeFrom = nil
	if res.Baseline == nil || res.Value == nil {
		return
	}
	from := register.Round(*res.Baseline*share, ind.Decimals)
	res.ChangeFrom = &from
	if missing > 0 {
		return
	}
	c := register.Round(*res.Value-from, ind.Decimals)
	res.Change = &c
}

// annualMeets reports whether v is at or beyond limit in the good direction.
func annualMeets(v, limit float64, d register.Direction) bool {
	if d == register.Down {
		return v <= limit
	}
	return v >= limit
}

// buildAnnualIndicator words one indicator's annual result, its key figures
// and its chart of the yearly figures.
func buildAnnualIndicator(x *register.Index, c *Catalog, ind register.Indicator, res register.AnnualResult, year int, partial bool, through register.Month, s register.Settings) AnnualIndicator {
	ys := strconv.Itoa(year)
	sumPartial := partial && ind.Aggregation == register.Sum
	ai := AnnualIndicator{
		Indicator:  ind,
		Result:     res,
		Name:       ind.Name,
		StatusText: c.Status(res.Status),
		Value:      annualValueText(c, ind, res),
		Ambition:   c.IndicatorValue(ind, res.YearTarget),
		Baseline:   c.IndicatorValue(ind, res.Baseline),
		Change:     annualChangeText(c, ind, res),
		Suggested:  c.IndicatorValue(ind, res.SuggestedAmbition),
	}
	ai.MetText = annualMetText(c, res)
	ai.SummaryAmbition = ai.Ambition
	if sumPartial && res.Thresholds != nil && res.YearTarget != nil {
		ai.SummaryAmbition = c.T("summary.ytd_ambition", "value", c.Value(res.Thresholds.Ambition, ind.Unit, ind.Decimals))
	}
	switch {
	case res.Target == nil:
		ai.Final = Missing
	case res.TargetDate.IsZero():
		ai.Final = c.IndicatorValue(ind, res.Target)
	default:
		ai.Final = c.T("annual.final_by", "value", c.IndicatorValue(ind, res.Target), "date", c.Date(res.TargetDate))
	}
	ai.FinalState = annualFinalState(c, res, year, partial, through)

	valueLabel := c.T("annual.kf.value", "year", ys)
	if partial {
		valueLabel = c.T("annual.kf.value_partial", "year", ys)
	}
	switch res.Status {
	case register.Suppressed, register.NoData:
		ai.StatusLine = c.T("annual.status_line_none", "label", valueLabel, "status", ai.StatusText)
	default:
		met := c.T("annual.ambition_none", "year", ys)
		if v := verdict(res); v != nil {
			key := "annual.ambition_missed"
			switch {
			case res.OnTrack != nil && *v:
				key = "annual.on_track"
			case res.OnTrack != nil:
				key = "annual.off_track"
			case *v:
				key = "annual.ambition_met"
			}
			amb := ai.Ambition
			if sumPartial && res.Thresholds != nil {
				amb = c.T("annual.prorated", "value", c.Value(res.Thresholds.Ambition, ind.Unit, ind.Decimals), "full", ai.Ambition)
			}
			met = c.T(key, "year", ys, "value", amb, "month", c.Month(through))
		}
		ai.StatusLine = c.T("annual.status_line", "label", valueLabel, "value", ai.Value, "status", ai.StatusText, "met", met)
	}

	ai.NextAmbition = c.IndicatorValue(ind, res.NextAmbition)
	ai.SuggestedText = annualSuggestedText(c, ind, res, ai, year, partial, through)
	ai.Warning = suggestionWarning(x, c, ind, res, s)

	coverage, expected := annualCoverage(x, ind, res.Scope, year, through, s)
	if coverage < expected && res.Value != nil {
		ai.Result.Notes = append(ai.Result.Notes, register.Note{
			Code: register.NoteMissingPeriods, Severity: register.SeverityWarning,
			IndicatorID: ind.ID, Scope: res.Scope, Args: []string{strconv.Itoa(coverage), strconv.Itoa(expected)},
			Message: fmt.Sprintf("indicator %s: the annual figure for %d rests on %d of %d periods", ind.ID, year, coverage, expected),
		})
	}
	ai.Coverage = c.T("annual.coverage", "n", strconv.Itoa(coverage), "total", strconv.Itoa(expected),
		"unit", c.T(annualPeriodsKey(ind)))
	if expected == 1 && coverage == 1 {
		ai.Coverage = c.T("annual.coverage_year") // not "1 av 1 år"
	}

	ai.Figures = annualFigures(c, ind, res, ai, valueLabel, year, partial)
	ai.Chart = annualChart(x, c, ind, res.Scope, year, partial, through, s)
	return ai
}

// annualSuggestedText explains the suggested ambition for year+1 in a
// sentence, with the ambition registered for that year beside it.
func annualSuggestedText(c *Catalog, ind register.Indicator, res register.AnnualResult, ai AnnualIndicator, year int, partial bool, through register.Month) string {
	next := strconv.Itoa(year + 1)
	sumPartial := partial && ind.Aggregation == register.Sum
	var text string
	switch {
	case res.SuggestedAmbition == nil && sumPartial:
		text = c.T("annual.suggest.partial_sum", "next", next)
	case res.SuggestedAmbition == nil:
		text = c.T("annual.suggest.none", "next", next)
	case res.FinalReached != nil && *res.FinalReached:
		// The year's figure already meets the final ambition: the suggestion
		// holds that figure, which is not the final ambition itself.
		text = c.T("annual.suggest.hold", "next", next, "value", ai.Suggested,
			"final", c.IndicatorValue(ind, res.Target))
	case res.TargetDate.Year() <= year+1:
		text = c.T("annual.suggest.final", "next", next, "value", ai.Suggested, "date", c.Date(res.TargetDate))
	default:
		text = c.T("annual.suggest.path", "next", next, "value", ai.Suggested,
			"figure", ai.Value, "final", c.IndicatorValue(ind, res.Target), "date", c.Date(res.TargetDate))
	}
	if partial && res.SuggestedAmbition != nil {
		text += " " + c.T("annual.suggest.preliminary", "month", c.Month(through))
	}
	if t := nextAmbitionText(c, ind, res, next); t != "" {
		text += " " + t
	}
	return text
}

// annualFigures are the indicator's key figures: the annual figure, the
// yearly ambition with its verdict, the change from the baseline, the
// final ambition and the suggestion with the registered next ambition.
func annualFigures(c *Catalog, ind register.Indicator, res register.AnnualResult, ai AnnualIndicator, valueLabel string, year int, partial bool) []Figure {
	ys, next := strconv.Itoa(year), strconv.Itoa(year+1)
	sumPartial := partial && ind.Aggregation == register.Sum
	valueFig := Figure{Label: valueLabel, Value: ai.Value, Status: res.Status, Note: ai.StatusText}
	ambFig := Figure{Label: c.T("annual.kf.ambition", "year", ys), Value: ai.Ambition}
	var ambNotes []string
	if sumPartial && res.Thresholds != nil {
		ambNotes = append(ambNotes, c.T("annual.kf.prorated", "value", c.Value(res.Thresholds.Ambition, ind.Unit, ind.Decimals)))
	}
	switch v := verdict(res); {
	case v == nil:
	case res.OnTrack != nil && *v:
		ambNotes = append(ambNotes, c.T("annual.kf.on_track_yes"))
	case res.OnTrack != nil:
		ambNotes = append(ambNotes, c.T("annual.kf.on_track_no"))
	case *v:
		ambNotes = append(ambNotes, c.T("annual.kf.met_yes"))
	default:
		ambNotes = append(ambNotes, c.T("annual.kf.met_no"))
	}
	ambFig.Note = strings.Join(ambNotes, " · ")
	abs, rel := annualChange(c, ind, res)
	changeFig := Figure{Label: c.T("annual.kf.change"), Value: abs,
		Note: c.T("annual.kf.baseline", "value", ai.Baseline)}
	if sumPartial && res.ChangeFrom != nil {
		// The baseline is a whole year's total: the year to date is
		// measured from its pro-rated part, or not at all while months are missing.
		changeFig.Note = c.T("annual.kf.baseline_prorated", "value", c.IndicatorValue(ind, res.ChangeFrom), "full", ai.Baseline)
		if res.Change == nil {
			changeFig.Note = c.T("annual.kf.change_incomplete", "full", ai.Baseline)
		}
	}
	if rel != "" {
		changeFig.Note += " · " + rel
	}
	finalFig := Figure{Label: c.T("annual.kf.final"), Value: c.IndicatorValue(ind, res.Target)}
	if res.Target != nil {
		finalFig.Note = ai.FinalState
	}
	suggFig := Figure{Label: c.T("annual.kf.suggested", "next", next), Value: ai.Suggested}
	var suggNotes []string
	if partial && res.SuggestedAmbition != nil {
		suggNotes = append(suggNotes, c.T("annual.kf.preliminary"))
	}
	if res.NextAmbition != nil {
		suggNotes = append(suggNotes, c.T("annual.kf.registered", "value", ai.NextAmbition))
	}
	suggFig.Note = strings.Join(suggNotes, " · ")
	return []Figure{valueFig, ambFig, changeFig, finalFig, suggFig}
}

// annualFrequency is the indicator's frequency, monthly when unset.
func annualFrequency(ind register.Indicator) register.Frequency {
	switch ind.Frequency {
	case register.Quarterly, register.Yearly:
		return ind.Frequency
	}
	return register.Monthly
}

// annualValueText words the annual figure: the number, "prikket" or "–".
func annualValueText(c *Catalog, ind register.Indicator, res register.AnnualResult) string {
	if res.Status == register.Suppressed {
		return c.T("value.suppressed")
	}
	return c.IndicatorValue(ind, res.Value)
}

// annualMetText words whether the yearly ambition was met together with the status word.
func annualMetText(c *Catalog, res register.AnnualResult) string {
	switch {
	case res.Status == register.Suppressed || res.Status == register.NoData || res.Status == register.Invalid:
		return c.Status(res.Status)
	case verdict(res) == nil:
		return c.Status(register.NoAmbition)
	case *verdict(res):
		return c.T("annual.met_yes", "status", c.Status(res.Status))
	}
	return c.T("annual.met_no", "status", c.Status(res.Status))
}

// verdict is the annual figure's verdict on the yearly ambition: whether
// it is met, or, in a year not yet complete, whether it is on track; nil
// when it cannot be judged.
func verdict(res register.AnnualResult) *bool {
	if res.OnTrack != nil {
		return res.OnTrack
	}
	return res.AmbitionMet
}

// annualChangeText words the change from the baseline, absolute and, in
// brackets, relative to the baseline.
func annualChangeText(c *Catalog, ind register.Indicator, res register.AnnualResult) string {
	abs, rel := annualChange(c, ind, res)
	if rel == "" {
		return abs
	}
	return abs + " (" + rel + ")"
}

// annualChange words the change from the baseline: absolute (percentage
// points for % indicators) and relative to the baseline. The relative part
// is "" when the baseline is zero or the change is more than tenfold, where
// a percentage says nothing a reader can use.
func annualChange(c *Catalog, ind register.Indicator, res register.AnnualResult) (abs, rel string) {
	if res.Change == nil || res.ChangeFrom == nil {
		return Missing, ""
	}
	ch := *res.Change
	abs = annualSigned(c, ch, ind.Decimals)
	if ind.Unit == "%" {
		abs += NBSP + c.T("annual.pp")
	} else if u := c.Unit(ind.Unit); u != "" {
		abs += NBSP + u
	}
	if *res.ChangeFrom == 0 {
		return abs, ""
	}
	r := ch / math.Abs(*res.ChangeFrom) * 100
	if math.Abs(r) > 1000 {
		return abs, ""
	}
	return abs, annualSigned(c, r, 0) + NBSP + "%"
}

// annualSigned formats v with an explicit sign ("+" or the minus sign); zero has none.
func annualSigned(c *Catalog, v float64, decimals int) string {
	n := c.Number(v, decimals)
	if round(v, decimals) > 0 {
		return "+" + n
	}
	return n
}

// annualFinalState words whether the final ambition is reached and by when it is due.
// The deadline counts as passed when the target date lies before the end of
// the data the figure rests on (the year's end, or through when partial).
func annualFinalState(c *Catalog, res register.AnnualResult, year int, partial bool, through register.Month) string {
	due := ""
	if !res.TargetDate.IsZero() {
		due = c.Date(res.TargetDate)
	}
	switch {
	case res.Target == nil:
		return Missing
	case res.FinalReached == nil && partial && res.Value != nil:
		return c.T("annual.final.open")
	case res.FinalReached == nil:
		return Missing
	case *res.FinalReached:
		return c.T("annual.final.reached")
	case due == "":
		return c.T("annual.final.not_reached")
	case res.TargetDate.Before(through.Add(1).FirstDay()):
		return c.T("annual.final.missed", "date", due)
	}
	return c.T("annual.final.due", "date", due)
}

// annualCoverage counts the indicator's periods in year with data (shown or
// suppressed) at scope, and the periods expected up to through.
func annualCoverage(x *register.Index, ind register.Indicator, scope string, year int, through register.Month, s register.Settings) (n, expected int) {
	f := annualFrequency(ind)
	first := register.MonthOf(year, time.January)
	last := f.PeriodStart(through)
	expected = int(last-first)/f.Months() + 1
	ev := x.Evaluate(ind, scope, through, s)
	for _, p := range ev.Series {
		if p.Period >= first && p.Period <= last && (p.Value != nil || p.Suppressed) {
			n++
		}
	}
	return n, expected
}

// annualChart builds the bars of the indicator's yearly figures from the
// first year with data (at most annualChartYears back) through year.
func annualChart(x *register.Index, c *Catalog, ind register.Indicator, scope string, year int, partial bool, through register.Month, s register.Settings) AnnualChart {
	ch := AnnualChart{
		Title:       c.T("annual.chart.title", "name", ind.Name),
		Caption:     c.T("annual.chart.caption"),
		Unit:        c.Unit(ind.Unit),
		Decimals:    ind.Decimals,
		ValueLabel:  c.T("annual.chart.values"),
		TargetLabel: c.T("annual.chart.ambition"),
	}
	first := year - annualChartYears + 1
	ev := x.Evaluate(ind, scope, through, s)
	if len(ev.Series) > 0 {
		first = max(first, ev.Series[0].Period.Year())
	}
	// The months each year has data for, so that a part year is labelled.
	type span struct{ from, to register.Month }
	spans := map[int]span{}
	f := annualFrequency(ind)
	for _, p := range ev.Series {
		if p.Value == nil && !p.Suppressed {
			continue
		}
		end := p.Period.Add(f.Months() - 1)
		sp, ok := spans[p.Period.Year()]
		if !ok {
			sp.from = p.Period
		}
		sp.to = end
		spans[p.Period.Year()] = sp
	}
	anyPart := false
	for y := first; y <= year; y++ {
		r := x.Annual(ind, scope, y, s)
		if y == year {
			r = annualResult(x, ind, scope, y, partial, through, s)
		}
		label := strconv.Itoa(y)
		if sp, ok := spans[y]; ok && (sp.from.Month() != time.January || sp.to.Month() != time.December) {
			anyPart = true
			label = c.T("annual.chart.partial_label", "year", label,
				"from", c.T("month_short."+strconv.Itoa(int(sp.from.Month()))), "to", c.T("month_short."+strconv.Itoa(int(sp.to.Month()))))
		}
		bar := YearBar{Year: y, Label: label, Value: r.Value, ValueText: annualValueText(c, ind, r), Status: r.Status}
		switch {
		case ind.Aggregation == register.Sum && y == year && partial && r.Thresholds != nil:
			a := r.Thresholds.Ambition
			bar.Ambition = &a
		case r.YearTarget != nil:
			a := *r.YearTarget
			bar.Ambition = &a
		}
		ch.Years = append(ch.Years, bar)
	}
	if partial && ind.Aggregation == register.Sum {
		ch.Caption = c.T("annual.chart.caption_partial_sum")
	}
	if ind.Aggregation != register.Sum {
		// A level (a share, a score, a mean) is drawn as dots on a cut axis:
		// bars from zero would hide the small differences that matter.
		ch.Dots = true
		ch.Caption = c.T("annual.chart.caption_dots")
	}
	if anyPart {
		ch.Caption += " " + c.T("annual.chart.caption_part_year")
	}
	return ch
}

// annualNoteText words an annual evaluation note: the year-specific codes
// here, the rest as the owner report words them.
func annualNoteText(x *register.Index, c *Catalog, ind register.Indicator, res register.AnnualResult, n register.Note) string {
	year := strconv.Itoa(res.Year)
	switch n.Code {
	case register.NoteNoData:
		return c.T("annual.note.no_data", "year", year)
	case register.NoteSuppressed:
		min := Missing
		if ind.MinDenominator != nil {
			min = c.Number(*ind.MinDenominator, 0)
		}
		return c.T("annual.note.suppressed", "year", year, "min", min)
	case register.NoteMissingPeriods:
		if len(n.Args) == 2 {
			return c.T("annual.note.coverage", "year", year, "n", n.Args[0], "total", n.Args[1],
				"unit", c.T(annualPeriodsKey(ind)))
		}
	}
	dec := register.MonthOf(res.Year, time.December)
	return noteText(x, c, ind, register.Result{Period: dec, ValuePeriod: annualFrequency(ind).PeriodStart(dec), Status: res.Status}, n)
}

// annualPeriodsKey is the catalogue key of the plural period word of the
// indicator's frequency ("måneder", "kvartaler", "år").
func annualPeriodsKey(ind register.Indicator) string {
	return "annual.periods." + string(annualFrequency(ind))
}
