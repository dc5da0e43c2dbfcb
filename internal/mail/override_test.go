package mail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gevinstrapport/templates"
)

// TestWordingWithOverride renders the coordinator's summary through a
// templates.dir that replaces the English summary_subject: the override
// words the subject, the body and the other languages stay embedded.
func TestWordingWithOverride(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "mail", "en.tmpl")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	override := `{{define "summary_subject"}}[Helse Nord] {{.Job}} {{.PeriodText}}: {{.Sent}} ok, {{.Failed}} failed, {{.Skipped}} skipped{{end}}`
	if err := os.WriteFile(p, []byte(override), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := templates.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWording(fsys)
	data := SummaryData{Job: "monthly-owner", ReportKind: KindOwner, Period: "2025-09", PeriodText: "September 2025", Sent: 44}

	en, err := w.RenderSummaryMail("en", data)
	if err != nil {
		t.Fatal(err)
	}
	if en.Subject != "[Helse Nord] monthly-owner September 2025: 44 ok, 0 failed, 0 skipped" {
		t.Errorf("subject %q, want the override's", en.Subject)
	}
	plain, err := RenderSummaryMail("en", data)
	if err != nil {
		t.Fatal(err)
	}
	if en.Text != plain.Text || strings.HasPrefix(plain.Subject, "[Helse Nord]") {
		t.Errorf("the override must change the subject only:\n%q\n%q", en, plain)
	}
	nb, err := w.RenderSummaryMail("nb", data)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := RenderSummaryMail("nb", data); nb != want {
		t.Errorf("nb has no override but changed: %q", nb.Subject)
	}
}
