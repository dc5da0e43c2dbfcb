package job

import (
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/pdf"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
)

// reportOptions are the report builders' settings from config and clock.
func (w *Worker) reportOptions() report.Options {
	return report.Options{
		Settings: w.settings(), DefaultLang: w.cfg.Language,
		Now: w.now(), Location: w.cfg.Location,
	}
}

// settings are the evaluation settings of the config with the run's date,
// against which Check judges measurement periods.
func (w *Worker) settings() register.Settings {
	s := w.cfg.Settings()
	s.Today = w.now()
	if w.cfg.Location != nil {
		s.Today = s.Today.In(w.cfg.Location)
	}
	return s
}

// planOwner lists one owner report per benefit owner and holder.
func (w *Worker) planOwner(x *register.Index, req Request) []recipient {
	var plan []recipient
	opt := w.reportOptions()
	for _, r := range report.Recipients(x) {
		id := r.Person.ID
		if !req.selected(id) {
			continue
		}
		plan = append(plan, recipient{key: id, kind: "owner report", addresses: addressCount(r.Person.Email),
			build: func() (*artifact, error) { return w.ownerArtifact(x, r, req, opt) }})
	}
	return plan
}

// ownerArtifact builds one owner report.
func (w *Worker) ownerArtifact(x *register.Index, r report.Recipient, req Request, opt report.Options) (*artifact, error) {
	rep, err := report.BuildOwner(x, r, req.Period.Month, w.catalogs, opt)
	if err != nil {
		return nil, err
	}
	id := r.Person.ID
	a := &artifact{
		key:       id,
		file:      output.SafeName(id) + ".pdf",
		recipient: output.Recipient{ID: id, Name: r.Person.Name, Email: r.Person.Email},
		lang:      rep.Lang,
		doc:       pdf.Owner(rep),
		mail: mail.ReportMailData{
			RecipientName: r.Person.Name, ReportKind: mail.KindOwner, PeriodText: rep.PeriodText,
			OwnerName: r.Person.Name,
		},
	}
	if r.Person.Email != "" {
		a.to = []mail.Address{{Name: r.Person.Name, Email: r.Person.Email}}
	}
	for _, res := range rep.Results {
		a.indicators = append(a.indicators, indicatorEntry(res))
	}
	return a, nil
}

// addressCount is how many deliveries a person's report makes: one with an
// address, none without.
func addressCount(email string) int {
	if email == "" {
		return 0
	}
	return 1
}
