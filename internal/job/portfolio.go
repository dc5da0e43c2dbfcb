package job

import (
	"fmt"
	"sort"
	"strings"

	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/pdf"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/internal/schedule"
)

// compareMonths is how many months back the steering pack of req compares
// its statuses with.
func (w *Worker) compareMonths(req Request) int {
	if j, ok := w.cfg.Job(w.jobName(req)); ok && j.Rule == schedule.PreviousQuarter {
		return 3 // a quarterly pack compares with the previous quarter
	}
	return 1
}

// steeringKey is the steering group's recipient id in file names and the ledger.
const steeringKey = "steering-group"

// steeringArtifact is an artifact addressed to the steering group's list.
func (w *Worker) steeringArtifact(doc pdf.Document, periodText string, kind string) *artifact {
	sg := w.cfg.SteeringGroup
	a := &artifact{
		key:       steeringKey,
		file:      steeringKey + ".pdf",
		recipient: output.Recipient{ID: steeringKey, Name: sg.Title, Email: strings.Join(sg.Emails, ", ")},
		lang:      w.cfg.Language,
		doc:       doc,
		mail: mail.ReportMailData{
			RecipientName: sg.Title, ReportKind: kind, PeriodText: periodText, SteeringTitle: sg.Title,
		},
	}
	for _, e := range sg.Emails {
		a.to = append(a.to, mail.Address{Name: sg.Title, Email: e})
	}
	return a
}

// planSteering lists the steering group's pack for the period.
func (w *Worker) planSteering(x *register.Index, req Request) []recipient {
	if !req.selected(steeringKey) {
		return nil
	}
	opt := report.SteeringOptions{Options: w.reportOptions(), Title: w.cfg.SteeringGroup.Title, CompareMonths: w.compareMonths(req)}
	return []recipient{{key: steeringKey, kind: "steering pack", addresses: len(w.cfg.SteeringGroup.Emails),
		build: func() (*artifact, error) { return w.steeringPack(x, req, opt) }}}
}

// steeringPack builds the steering group's pack, with its portfolio,
// savings and attention list for the manifest.
func (w *Worker) steeringPack(x *register.Index, req Request, opt report.SteeringOptions) (*artifact, error) {
	rep, err := report.BuildSteering(x, req.Period.Month, w.catalogs, w.cfg.Language, opt)
	if err != nil {
		return nil, err
	}
	a := w.steeringArtifact(pdf.Steering(rep), rep.PeriodText, mail.KindSteering)
	for _, res := range rep.Results {
		a.indicators = append(a.indicators, indicatorEntry(res))
	}
	portfolio := portfolioEntry(rep.Portfolio)
	savings := &output.Savings{Realised: rep.Savings.Realised, Ambition: rep.Savings.Ambition,
		ExcludedBenefitIDs: append([]string{}, rep.Savings.ExcludedBenefitIDs...)}
	attention := attentionEntries(rep.Attention)
	a.manifest = func(m *output.Manifest) {
		m.Portfolio, m.Savings, m.Attention = portfolio, savings, &attention
	}
	return a, nil
}

func portfolioEntry(p report.Portfolio) *output.Portfolio {
	out := &output.Portfolio{Counts: map[string]int{}, ByCategory: map[string]map[string]int{}}
	for s, n := range p.Counts {
		out.Counts[string(s)] = n
	}
	for c, m := range p.ByCategory {
		mm := map[string]int{}
		for s, n := range m {
			mm[string(s)] = n
		}
		out.ByCategory[string(c)] = mm
	}
	return out
}

// planAnnual lists the annual evaluation report for the whole portfolio
// (to the steering group) and one copy per benefit owner with their benefits.
func (w *Worker) planAnnual(x *register.Index, req Request) ([]recipient, error) {
	year := req.Period.Month.Year()
	if latest, ok := x.LatestPeriod(); !ok || latest.Year() < year {
		return nil, fmt.Errorf("annual report %d: %w (the register's data end before that year)", year, report.ErrNoDataForYear)
	}
	opt := w.reportOptions()
	var plan []recipient
	if req.selected(steeringKey) {
		plan = append(plan, recipient{key: steeringKey, kind: "annual report", addresses: len(w.cfg.SteeringGroup.Emails),
			build: func() (*artifact, error) { return w.annualSteering(x, year, opt) }})
	}
	for _, id := range owners(x) {
		if !req.selected(id) {
			continue
		}
		person, _ := x.Person(id)
		plan = append(plan, recipient{key: id, kind: "annual report", addresses: addressCount(person.Email),
			build: func() (*artifact, error) { return w.annualOwner(x, year, person, opt) }})
	}
	return plan, nil
}

// annualSteering builds the steering group's annual report, with the
// year's savings for the manifest.
func (w *Worker) annualSteering(x *register.Index, year int, opt report.Options) (*artifact, error) {
	rep, err := report.BuildAnnual(x, year, w.catalogs, w.cfg.Language, "", opt)
	if err != nil {
		return nil, err
	}
	a := w.steeringArtifact(pdf.Annual(rep), rep.YearText, mail.KindAnnual)
	a.indicators = annualEntries(rep.Results)
	savings := &output.Savings{Realised: rep.Savings.Realised, Ambition: rep.Savings.Ambition,
		ExcludedBenefitIDs: append([]string{}, rep.Savings.ExcludedBenefitIDs...)}
	a.manifest = func(m *output.Manifest) { m.Savings = savings }
	return a, nil
}

// annualOwner builds one owner's copy of the annual report, with their benefits.
func (w *Worker) annualOwner(x *register.Index, year int, person register.Person, opt report.Options) (*artifact, error) {
	lang := person.Language
	if lang == "" {
		lang = w.cfg.Language
	}
	rep, err := report.BuildAnnual(x, year, w.catalogs, lang, person.ID, opt)
	if err != nil {
		return nil, err
	}
	a := &artifact{
		key:       person.ID,
		file:      output.SafeName(person.ID) + ".pdf",
		recipient: output.Recipient{ID: person.ID, Name: person.Name, Email: person.Email},
		lang:      rep.Lang,
		doc:       pdf.Annual(rep),
		mail: mail.ReportMailData{
			RecipientName: person.Name, ReportKind: mail.KindAnnual, PeriodText: rep.YearText, OwnerName: person.Name,
		},
		indicators: annualEntries(rep.Results),
	}
	if person.Email != "" {
		a.to = []mail.Address{{Name: person.Name, Email: person.Email}}
	}
	return a, nil
}

// owners lists, sorted, the owners of benefits that are not closed whom
// the register knows.
func owners(x *register.Index) []string {
	seen := map[string]bool{}
	var ids []string
	for _, bn := range report.ActiveBenefits(x, "") {
		if bn.OwnerID == "" || seen[bn.OwnerID] {
			continue
		}
		if _, ok := x.Person(bn.OwnerID); !ok {
			continue
		}
		seen[bn.OwnerID] = true
		ids = append(ids, bn.OwnerID)
	}
	sort.Strings(ids)
	return ids
}

// annualEntries are the manifest entries of an annual report: the standard
// fields with the annual figure as value, plus the annual ones.
func annualEntries(results []register.AnnualResult) []output.Indicator {
	out := make([]output.Indicator, 0, len(results))
	for _, r := range results {
		e := output.Indicator{
			IndicatorID: r.IndicatorID, BenefitID: r.BenefitID, Scope: r.Scope,
			Value: r.Value, Status: string(r.Status), Baseline: r.Baseline, Target: r.Target,
			Trend: string(register.TrendUnknown), Notes: []string{},
			Annual: &output.Annual{Year: r.Year, AnnualValue: r.Value, AmbitionMet: r.AmbitionMet, OnTrack: r.OnTrack, SuggestedAmbition: r.SuggestedAmbition, NextAmbition: r.NextAmbition},
		}
		if t := r.Thresholds; t != nil {
			e.Ambition, e.RedLimit, e.GreenLimit = register.F(t.Ambition), register.F(t.RedLimit), register.F(t.GreenLimit)
		}
		if r.Value != nil && r.Baseline != nil && r.Target != nil && *r.Target != *r.Baseline {
			e.Progress = register.F((*r.Value - *r.Baseline) / (*r.Target - *r.Baseline))
		}
		for _, n := range r.Notes {
			e.Notes = append(e.Notes, n.Message)
		}
		out = append(out, e)
	}
	return out
}

// attentionEntries turns the attention list into manifest entries.
func attentionEntries(items []report.AttentionItem) []output.Attention {
	out := []output.Attention{}
	for _, it := range items {
		e := output.Attention{BenefitID: it.BenefitID, ActionID: it.ActionID}
		if it.IndicatorID != "" {
			id := it.IndicatorID
			e.IndicatorID = &id
		}
		for _, r := range it.Reasons {
			e.Reasons = append(e.Reasons, string(r))
		}
		out = append(out, e)
	}
	return out
}
