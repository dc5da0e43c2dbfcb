// Package output lays reports out on disk: OUT/<period>/<report>/<file>.pdf
// with a manifest.json beside them, with file names that are safe on any
// file system. A report folder is replaced as one set (see Set), so the
// manifest always describes the PDFs beside it.
package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Manifest is manifest.json as SPEC §6 fixes it; Portfolio and Savings are
// the steering pack's additions.
type Manifest struct {
	Report      string     `json:"report"`
	Period      string     `json:"period"`
	GeneratedAt time.Time  `json:"generated_at"`
	Reports     []Report   `json:"reports"`
	DataQuality []Finding  `json:"data_quality"`
	Portfolio   *Portfolio `json:"portfolio,omitempty"`
	Savings     *Savings   `json:"savings,omitempty"`
	// Attention is the steering pack's attention list; nil (left out) for
	// other reports, an empty list when nothing needs a decision.
	Attention *[]Attention  `json:"attention,omitempty"`
	Failures  []FailedEntry `json:"failures,omitempty"`
}

// Report is one PDF in the manifest.
type Report struct {
	File       string      `json:"file"`
	SHA256     string      `json:"sha256"`
	Pages      int         `json:"pages"`
	Recipient  Recipient   `json:"recipient"`
	Indicators []Indicator `json:"indicators"`
}

// Recipient is who a report is for. Email is "" when the register has none.
type Recipient struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Indicator is one evaluated indicator in a report. Annual reports fill
// the Annual fields too.
type Indicator struct {
	IndicatorID string   `json:"indicator_id"`
	BenefitID   string   `json:"benefit_id"`
	Scope       string   `json:"scope"`
	Value       *float64 `json:"value"`
	Status      string   `json:"status"`
	Baseline    *float64 `json:"baseline"`
	Ambition    *float64 `json:"ambition"`
	RedLimit    *float64 `json:"red_limit"`
	GreenLimit  *float64 `json:"green_limit"`
	Target      *float64 `json:"target"`
	Progress    *float64 `json:"progress"`
	Trend       string   `json:"trend"`
	Notes       []string `json:"notes"`
	*Annual
}

// Annual holds the extra fields of an annual report's indicator entry.
type Annual struct {
	Year        int      `json:"year"`
	AnnualValue *float64 `json:"annual_value"`
	AmbitionMet *bool    `json:"ambition_met"`
	// OnTrack is set instead of AmbitionMet for a year not yet complete.
	OnTrack           *bool    `json:"on_track,omitempty"`
	SuggestedAmbition *float64 `json:"suggested_ambition"`
	// NextAmbition is the ambition registered for year+1, beside the suggestion.
	NextAmbition *float64 `json:"registered_next_ambition"`
}

// Finding is a data-quality finding.
type Finding struct {
	Severity    string `json:"severity"`
	IndicatorID string `json:"indicator_id"`
	Message     string `json:"message"`
}

// Portfolio is the steering pack's status counts.
type Portfolio struct {
	Counts     map[string]int            `json:"counts"`
	ByCategory map[string]map[string]int `json:"by_category"`
}

// Savings is the steering pack's realised savings against the ambition.
type Savings struct {
	Realised           float64  `json:"realised"`
	Ambition           float64  `json:"ambition"`
	ExcludedBenefitIDs []string `json:"excluded_benefit_ids"`
}

// Attention is one item of the steering pack's attention list: an
// indicator (ActionID "") or an overdue change action (IndicatorID nil),
// with its reasons as stable codes, most severe first.
type Attention struct {
	BenefitID   string   `json:"benefit_id"`
	IndicatorID *string  `json:"indicator_id"`
	ActionID    string   `json:"action_id,omitempty"`
	Reasons     []string `json:"reasons"`
}

// FailedEntry names a recipient whose report could not be produced.
type FailedEntry struct {
	RecipientID string `json:"recipient_id"`
	Error       string `json:"error"`
}

// Dir is the folder of one report kind for one period.
func Dir(out, period, report string) string {
	return filepath.Join(out, period, report)
}

// encodeManifest encodes m as indented JSON, with empty lists as [].
func encodeManifest(m Manifest) ([]byte, error) {
	if m.DataQuality == nil {
		m.DataQuality = []Finding{}
	}
	var found []Finding
	m.Reports, found = finiteReports(m.Reports)
	m = finiteSavings(m, found)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return append(data, '\n'), nil
}

// encodeReport encodes one entry of the manifest's reports as it stands in
// the manifest (indented for its depth, without the leading indent), with
// the findings that finiteReport made.
func encodeReport(r Report) ([]byte, []Finding, error) {
	r, found := finiteReport(r)
	data, err := json.MarshalIndent(r, "    ", "  ")
	if err != nil {
		return nil, nil, fmt.Errorf("encode manifest entry %s: %w", r.File, err)
	}
	return data, found, nil
}

// finiteReports is finiteReport over a copy of rs, with the findings in
// the order of the reports.
func finiteReports(rs []Report) ([]Report, []Finding) {
	out := make([]Report, len(rs))
	var found []Finding
	for i, r := range rs {
		var f []Finding
		out[i], f = finiteReport(r)
		found = append(found, f...)
	}
	return out, found
}

// finiteReport returns r with empty notes as [] and every NaN or ±Inf
// replaced by null and named in an error finding: JSON cannot carry them,
// and one bad figure must never cost the whole manifest. The caller's
// indicators are not changed.
func finiteReport(r Report) (Report, []Finding) {
	var found []Finding
	fix := func(p **float64, where, field, indicatorID string) {
		if *p != nil && notFinite(**p) {
			found = append(found, Finding{Severity: "error", IndicatorID: indicatorID,
				Message: fmt.Sprintf("%s: %s is not a finite number (%g); written as null", where, field, **p)})
			*p = nil
		}
	}
	r.Indicators = slices.Clone(r.Indicators)
	for j := range r.Indicators {
		e := &r.Indicators[j]
		if e.Notes == nil {
			e.Notes = []string{}
		}
		where := fmt.Sprintf("report %q, indicator %q, scope %q", r.File, e.IndicatorID, e.Scope)
		for _, f := range []struct {
			name string
			p    **float64
		}{{"value", &e.Value}, {"baseline", &e.Baseline}, {"ambition", &e.Ambition}, {"red_limit", &e.RedLimit},
			{"green_limit", &e.GreenLimit}, {"target", &e.Target}, {"progress", &e.Progress}} {
			fix(f.p, where, f.name, e.IndicatorID)
		}
		if e.Annual != nil {
			a := *e.Annual
			fix(&a.AnnualValue, where, "annual_value", e.IndicatorID)
			fix(&a.SuggestedAmbition, where, "suggested_ambition", e.IndicatorID)
			e.Annual = &a
		}
	}
	return r, found
}

// finiteSavings returns m with a NaN or ±Inf savings total written as 0,
// and the findings of its reports (found) and of the savings after its
// own data-quality findings.
func finiteSavings(m Manifest, found []Finding) Manifest {
	if sv := m.Savings; sv != nil && (notFinite(sv.Realised) || notFinite(sv.Ambition)) {
		c := *sv
		found = append(found, Finding{Severity: "error",
			Message: fmt.Sprintf("savings: realised %g or ambition %g is not a finite number; written as 0", c.Realised, c.Ambition)})
		if notFinite(c.Realised) {
			c.Realised = 0
		}
		if notFinite(c.Ambition) {
			c.Ambition = 0
		}
		m.Savings = &c
	}
	if len(found) > 0 {
		m.DataQuality = append(slices.Clone(m.DataQuality), found...)
	}
	return m
}

func notFinite(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// SHA256 is the hex SHA-256 of data.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// reserved are names Windows refuses whatever the extension.
var reserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true}

// SafeName turns an id into a file name stem that is safe on any file system:
// ASCII letters, digits, '-', '_' and '.' (not leading), at most 80 bytes.
// Whenever the id had to be changed, a short hash of the original is
// appended, so two different ids never share a file.
func SafeName(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)), r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ø' || r == 'Ø':
			b.WriteString("o")
		case r == 'å' || r == 'Å':
			b.WriteString("a")
		default:
			b.WriteRune('_')
		}
	}
	s := strings.TrimRight(b.String(), ".")
	if len(s) > 80 {
		s = s[:80]
	}
	if s == id && s != "" && !reserved[strings.ToLower(strings.SplitN(s, ".", 2)[0])] {
		return s
	}
	sum := sha256.Sum256([]byte(id))
	if s == "" {
		s = "id"
	}
	return s + "-" + hex.EncodeToString(sum[:4])
}
