package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"text/template"

	"gevinstrapport/templates"
)

// Body is a rendered subject and plain-text body.
type Body struct {
	Subject string
	Text    string
}

// Report kinds, as ReportMailData.ReportKind and SummaryData.ReportKind name them.
const (
	KindOwner    = "owner"
	KindSteering = "steering"
	KindAnnual   = "annual"
)

// ReportMailData is what the mail that carries one report says; the texts
// are already in the recipient's language (PeriodText "september 2025").
type ReportMailData struct {
	RecipientName    string
	ReportKind       string // owner | steering | annual
	PeriodText       string
	OwnerName        string // the benefit owner the report is about (owner, annual)
	SteeringTitle    string // the steering group (steering, and annual without owner)
	CoordinatorName  string
	CoordinatorEmail string
}

// Failure is one report that could not be built or delivered.
type Failure struct {
	Recipient string // as the coordinator should read it: "Ola Nordmann <ola@example.no>" or a person id
	Reason    string // one line: "550 5.1.1 mailbox unavailable"
	// ID is the recipient's id, as --only takes it, when the failure is the
	// recipient's own: the ledger holds it back until --resend.
	ID string
	// Resend is the command that sends this report again once the address
	// is fixed, for such a failure (SummaryData.Rerun does not retry it).
	Resend string
}

// MissingAddress is a recipient who has no email address.
type MissingAddress struct {
	ID   string
	Name string
}

// SummaryData is the coordinator's summary of one run of a job.
type SummaryData struct {
	Job          string
	ReportKind   string // owner | steering | annual
	Period       string // as --period takes it: "2025-09" or "2025"
	PeriodText   string // "september 2025"
	Sent         int
	Failed       int
	Skipped      int
	Pending      int    // not tried: sending stopped early, they go with the next run
	Stopped      string // why sending stopped early: "breaker" or "send_deadline"; "" when it did not
	Failures     []Failure
	WithoutEmail []MissingAddress
	// Rerun is the command, ready to paste, that sends what is missing
	// (with --config, --job and --period); required when anything is.
	Rerun string
}

// Wording renders the mails from a template file system: the embedded
// templates.FS (the zero Wording), or templates.Open's with the overrides
// of a templates.dir.
type Wording struct {
	fsys fs.FS
}

// NewWording renders mails from fsys (templates.FS or templates.Open's).
func NewWording(fsys fs.FS) Wording { return Wording{fsys: fsys} }

// RenderReportMail words the mail that carries one report in lang with
// the embedded templates.
func RenderReportMail(lang string, data ReportMailData) (Body, error) {
	return Wording{}.RenderReportMail(lang, data)
}

// RenderSummaryMail words the coordinator's summary with the embedded templates.
func RenderSummaryMail(lang string, data SummaryData) (Body, error) {
	return Wording{}.RenderSummaryMail(lang, data)
}

// RenderNotReadyMail words the not-ready notice with the embedded templates.
func RenderNotReadyMail(lang string, data NotReadyData) (Body, error) {
	return Wording{}.RenderNotReadyMail(lang, data)
}

// RenderReportMail words the mail that carries one report in lang (nb, nn
// or en; anything else gives nb).
func (w Wording) RenderReportMail(lang string, data ReportMailData) (Body, error) {
	switch data.ReportKind {
	case KindOwner:
		if data.OwnerName == "" {
			return Body{}, errors.New("render report mail: owner report without owner name")
		}
	case KindSteering:
		if data.SteeringTitle == "" {
			return Body{}, errors.New("render report mail: steering pack without steering group title")
		}
	case KindAnnual:
		if data.OwnerName == "" && data.SteeringTitle == "" {
			return Body{}, errors.New("render report mail: annual report needs an owner name or a steering group title")
		}
	default:
		return Body{}, fmt.Errorf("render report mail: unknown report kind %q", data.ReportKind)
	}
	if data.PeriodText == "" {
		return Body{}, errors.New("render report mail: period text is empty")
	}
	b, err := w.render(lang, "report", data)
	if err != nil {
		return Body{}, fmt.Errorf("render report mail: %w", err)
	}
	return b, nil
}

// RenderSummaryMail words the coordinator's one summary mail per run in lang.
func (w Wording) RenderSummaryMail(lang string, data SummaryData) (Body, error) {
	if data.Job == "" || data.PeriodText == "" {
		return Body{}, errors.New("render summary mail: job and period text must be set")
	}
	if data.Rerun == "" && (len(data.Failures) > 0 || len(data.WithoutEmail) > 0 || data.Pending > 0) {
		return Body{}, errors.New("render summary mail: the rerun command must be set when anything is missing")
	}
	b, err := w.render(lang, "summary", data)
	if err != nil {
		return Body{}, fmt.Errorf("render summary mail: %w", err)
	}
	return b, nil
}

// NotReadyData is the coordinator's one notice that a period is still
// waiting for its data readiness.notify_after after it fell due.
type NotReadyData struct {
	Job         string
	ReportKind  string // owner | steering | annual
	Period      string // as --period takes it: "2025-09" or "2025"
	PeriodText  string // "september 2025"
	Month       string // the month whose coverage is judged, as check's --period takes it
	DueSince    string // when the period fell due, "2025-10-03 06:00"
	Covered     int    // active monthly indicators with data
	Total       int    // active monthly indicators
	MinCoverage int    // percent asked for
	NoData      bool   // not one indicator has data for the period
	Latest      string // the register's latest period with data; "" when none
	Missing     []string
	MoreMissing int // ids left out of Missing
	// Config is the absolute --config path, quoted for a shell, for the
	// commands the notice suggests; "" leaves --config out.
	Config string
}

// RenderNotReadyMail words the coordinator's notice that a period is still
// waiting for its data, in lang.
func (w Wording) RenderNotReadyMail(lang string, data NotReadyData) (Body, error) {
	if data.Job == "" || data.PeriodText == "" || data.Period == "" {
		return Body{}, errors.New("render not-ready mail: job and period must be set")
	}
	b, err := w.render(lang, "not_ready", data)
	if err != nil {
		return Body{}, fmt.Errorf("render not-ready mail: %w", err)
	}
	return b, nil
}

// Language returns the template language used for lang: nb, nn or en,
// with nb for anything unknown ("nn-NO" gives nn).
func Language(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "nb", "nn", "en":
		return l
	}
	return "nb"
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// render executes "<prefix>_subject" and "<prefix>_body" from
// templates/mail/<lang>.tmpl, with an override's blocks in their place.
func (w Wording) render(lang, prefix string, data any) (Body, error) {
	lang = Language(lang)
	fsys := w.fsys
	if fsys == nil {
		fsys = templates.FS
	}
	file := "mail/" + lang + ".tmpl"
	t, err := template.New(lang).Option("missingkey=error").ParseFS(fsys, templates.MailFiles(fsys, lang)...)
	if err != nil {
		return Body{}, fmt.Errorf("parse %s: %w", file, err)
	}
	var subject, body bytes.Buffer
	if err := t.ExecuteTemplate(&subject, prefix+"_subject", data); err != nil {
		return Body{}, fmt.Errorf("execute %s %s_subject: %w", file, prefix, err)
	}
	if err := t.ExecuteTemplate(&body, prefix+"_body", data); err != nil {
		return Body{}, fmt.Errorf("execute %s %s_body: %w", file, prefix, err)
	}
	text := strings.ReplaceAll(body.String(), "\r\n", "\n")
	text = blankLines.ReplaceAllString(strings.TrimSpace(text), "\n\n") + "\n"
	return Body{Subject: oneLine(subject.String()), Text: text}, nil
}
