package mail

import (
	"strings"
	"testing"
)

func reportData(kind string) ReportMailData {
	return ReportMailData{
		RecipientName:    "Kari Nordmann",
		ReportKind:       kind,
		PeriodText:       "september 2025",
		OwnerName:        "Kari Nordmann",
		SteeringTitle:    "Styringsgruppe digitalisering og standardisering",
		CoordinatorName:  "Åse Gevinstkoordinator",
		CoordinatorEmail: "gevinstkoordinator@example.no",
	}
}

func TestRenderReportMail(t *testing.T) {
	tests := []struct {
		name        string
		lang        string
		kind        string
		wantSubject string   // exact
		wantText    []string // each must appear in the body
	}{
		{name: "nb owner", lang: "nb", kind: KindOwner,
			wantSubject: "Gevinstrapport september 2025 – Kari Nordmann",
			wantText:    []string{"Hei Kari Nordmann,", "Vedlagt finner du gevinstrapporten for september 2025 (PDF) for gevinstene dine.", "Er endringstiltakene gjennomført?", "Åse Gevinstkoordinator (gevinstkoordinator@example.no)", "Med vennlig hilsen"}},
		{name: "nn owner", lang: "nn", kind: KindOwner,
			wantSubject: "Gevinstrapport september 2025 – Kari Nordmann",
			wantText:    []string{"Hei Kari Nordmann,", "Vedlagt finn du gevinstrapporten for september 2025 (PDF) for gevinstane dine.", "Venleg helsing", "gevinstkoordinator@example.no"}},
		{name: "en owner", lang: "en", kind: KindOwner,
			wantSubject: "Benefits report september 2025 – Kari Nordmann",
			wantText:    []string{"Dear Kari Nordmann,", "benefits report for september 2025 (PDF) on your benefits.", "Kind regards", "gevinstkoordinator@example.no"}},
		{name: "nb steering", lang: "nb", kind: KindSteering,
			wantSubject: "Styringsgruppepakke gevinstrealisering september 2025 – Styringsgruppe digitalisering og standardisering",
			wantText:    []string{"styringsgruppepakken for september 2025", "realiserte kostnadsbesparelser"}},
		{name: "nn steering", lang: "nn", kind: KindSteering,
			wantSubject: "Styringsgruppepakke gevinstrealisering september 2025 – Styringsgruppe digitalisering og standardisering",
			wantText:    []string{"styringsgruppepakken for september 2025", "kostnadsinnsparingar"}},
		{name: "en steering", lang: "en", kind: KindSteering,
			wantSubject: "Steering group pack, benefits realisation september 2025 – Styringsgruppe digitalisering og standardisering",
			wantText:    []string{"steering group pack for september 2025"}},
		{name: "nb annual", lang: "nb", kind: KindAnnual,
			wantSubject: "Årsrapport gevinstrealisering september 2025 – Kari Nordmann",
			wantText:    []string{"årsrapporten for gevinstrealisering", "foreslår ambisjon for neste år"}},
		{name: "nn annual", lang: "nn", kind: KindAnnual,
			wantSubject: "Årsrapport gevinstrealisering september 2025 – Kari Nordmann",
			wantText:    []string{"årsrapporten for gevinstrealisering", "neste år"}},
		{name: "en annual", lang: "en", kind: KindAnnual,
			wantSubject: "Annual benefits realisation report september 2025 – Kari Nordmann",
			wantText:    []string{"annual benefits realisation report", "suggests an ambition for next year"}},
		{name: "unknown language falls back to nb", lang: "de", kind: KindOwner,
			wantSubject: "Gevinstrapport september 2025 – Kari Nordmann",
			wantText:    []string{"Vedlagt finner du gevinstrapporten"}},
		{name: "empty language falls back to nb", lang: "", kind: KindOwner,
			wantSubject: "Gevinstrapport september 2025 – Kari Nordmann",
			wantText:    []string{"Med vennlig hilsen"}},
		{name: "region subtag", lang: "nn-NO", kind: KindOwner,
			wantSubject: "Gevinstrapport september 2025 – Kari Nordmann",
			wantText:    []string{"Venleg helsing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := RenderReportMail(tt.lang, reportData(tt.kind))
			if err != nil {
				t.Fatalf("RenderReportMail: %v", err)
			}
			checkBody(t, b, tt.wantSubject, tt.wantText, nil)
		})
	}
}

// checkBody checks b's subject, the texts its body must and must not
// contain, and that the body is tidy.
func checkBody(t *testing.T, b Body, wantSubject string, wantText, notText []string) {
	t.Helper()
	if b.Subject != wantSubject {
		t.Errorf("subject = %q, want %q", b.Subject, wantSubject)
	}
	for _, want := range wantText {
		if !strings.Contains(b.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, b.Text)
		}
	}
	for _, not := range notText {
		if strings.Contains(b.Text, not) {
			t.Errorf("body has %q:\n%s", not, b.Text)
		}
	}
	checkTidyText(t, b.Text)
}

// checkTidyText checks what a template mistake would leave in the text.
func checkTidyText(t *testing.T, text string) {
	t.Helper()
	for _, bad := range []string{"<no value>", "{{", "}}", "\n\n\n", "  ,", "()"} {
		if strings.Contains(text, bad) {
			t.Errorf("body contains %q:\n%s", bad, text)
		}
	}
	if strings.HasPrefix(text, "\n") || !strings.HasSuffix(text, ".\n") {
		t.Errorf("body is not trimmed to one final newline: %q", text)
	}
}

func TestRenderReportMailVariants(t *testing.T) {
	noName := reportData(KindOwner)
	noName.RecipientName, noName.CoordinatorEmail = "", ""
	b, err := RenderReportMail("nb", noName)
	if err != nil {
		t.Fatalf("RenderReportMail: %v", err)
	}
	if !strings.HasPrefix(b.Text, "Hei,\n") || strings.Contains(b.Text, "()") {
		t.Errorf("body without names:\n%s", b.Text)
	}
	holder := reportData(KindOwner)
	holder.RecipientName = "Ola Nordmann"
	for lang, want := range map[string]string{"nb": "for gevinstene til Kari Nordmann.", "nn": "for gevinstane til Kari Nordmann.", "en": "on the benefits owned by Kari Nordmann."} {
		b, err := RenderReportMail(lang, holder)
		if err != nil {
			t.Fatalf("RenderReportMail(%s): %v", lang, err)
		}
		if !strings.Contains(b.Text, want) || !strings.Contains(b.Subject, "Kari Nordmann") {
			t.Errorf("%s mail to a holder about Kari's benefits lacks %q:\n%s", lang, want, b.Text)
		}
	}
	annualSteering := reportData(KindAnnual)
	annualSteering.OwnerName = ""
	b, err = RenderReportMail("nb", annualSteering)
	if err != nil {
		t.Fatalf("RenderReportMail: %v", err)
	}
	if want := "Årsrapport gevinstrealisering september 2025 – Styringsgruppe digitalisering og standardisering"; b.Subject != want {
		t.Errorf("subject = %q, want %q", b.Subject, want)
	}

	bad := []struct {
		name   string
		change func(*ReportMailData)
	}{
		{name: "unknown kind", change: func(d *ReportMailData) { d.ReportKind = "weekly" }},
		{name: "owner report without owner", change: func(d *ReportMailData) { d.OwnerName = "" }},
		{name: "no period", change: func(d *ReportMailData) { d.PeriodText = "" }},
		{name: "steering without title", change: func(d *ReportMailData) { d.ReportKind, d.SteeringTitle = KindSteering, "" }},
		{name: "annual without owner or title", change: func(d *ReportMailData) { d.ReportKind, d.OwnerName, d.SteeringTitle = KindAnnual, "", "" }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			d := reportData(KindOwner)
			tt.change(&d)
			if _, err := RenderReportMail("nb", d); err == nil {
				t.Error("RenderReportMail accepted incomplete data")
			}
		})
	}
}

// rerunCmd is a rerun command as the job package words it.
const rerunCmd = "gevinstrapport run --config /etc/gevinstrapport/config.yaml --job monthly-owner --period 2025-09 --send"

func TestRenderSummaryMail(t *testing.T) {
	withProblems := SummaryData{
		Job: "monthly-owner", ReportKind: KindOwner, Period: "2025-09", PeriodText: "september 2025",
		Sent: 41, Failed: 2, Skipped: 3,
		Failures: []Failure{
			{Recipient: "Ola Nordmann <ola@example.no>", Reason: "550 5.1.1 mailbox unavailable", ID: "P-007",
				Resend: rerunCmd + " --resend --only P-007"},
			{Recipient: "Siri Sørensen <siri@example.no>", Reason: "421 try again later"},
		},
		WithoutEmail: []MissingAddress{{ID: "P-077", Name: "Per Ås"}},
		Rerun:        rerunCmd,
	}
	clean := SummaryData{Job: "monthly-owner", ReportKind: KindOwner, Period: "2025-09", PeriodText: "september 2025", Sent: 44}
	stopped := SummaryData{Job: "monthly-owner", ReportKind: KindOwner, Period: "2025-09", PeriodText: "september 2025",
		Sent: 1, Failed: 3, Pending: 40, Stopped: "breaker",
		Failures: []Failure{{Recipient: "Ola Nordmann <ola@example.no>", Reason: "535 authentication failed"}}, Rerun: rerunCmd}
	late := stopped
	late.Stopped = "send_deadline"
	tests := []struct {
		name        string
		lang        string
		data        SummaryData
		wantSubject string
		wantText    []string
		notText     []string
	}{
		{name: "nb with failures", lang: "nb", data: withProblems,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 41 sendt, 2 feilet, 3 hoppet over",
			wantText: []string{"Sendt: 41", "Feilet: 2", "Hoppet over: 3",
				"- Ola Nordmann <ola@example.no>: 550 5.1.1 mailbox unavailable\n",
				"- Siri Sørensen <siri@example.no>: 421 try again later\n",
				"Mottakere uten e-postadresse", "- Per Ås (P-077)\n",
				"Rett adressen i registeret, og send så rapporten på nytt med:\n    " + rerunCmd + " --resend --only P-007\n",
				"sendes ikke på nytt):\n  " + rerunCmd + "\n"},
			notText: []string{"Alle rapportene er levert"}},
		{name: "nn with failures", lang: "nn", data: withProblems,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 41 sende, 2 feila, 3 hoppa over",
			wantText: []string{"Leveringar som feila:", "- Ola Nordmann <ola@example.no>: 550", "Mottakarar utan e-postadresse", "- Per Ås (P-077)",
				"Rett adressa i registeret", rerunCmd + " --resend --only P-007\n", "  " + rerunCmd + "\n"}},
		{name: "en with failures", lang: "en", data: withProblems,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 41 sent, 2 failed, 3 skipped",
			wantText: []string{"Failed deliveries:", "- Siri Sørensen <siri@example.no>: 421 try again later", "Recipients without an email address", "- Per Ås (P-077)",
				"Fix the address in the register", rerunCmd + " --resend --only P-007\n", "  " + rerunCmd + "\n"}},
		{name: "nb all delivered", lang: "nb", data: clean,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 44 sendt, 0 feilet, 0 hoppet over",
			wantText:    []string{"Alle rapportene er levert."},
			notText:     []string{"Leveringer som feilet", "uten e-postadresse", "gevinstrapport run"}},
		{name: "nb stopped by the breaker", lang: "nb", data: stopped,
			wantText: []string{"feilet for flere mottakere på rad", "40 rapport(er) er ikke forsøkt sendt", "ikke mottakernes feil",
				"  " + rerunCmd + "\n"},
			wantSubject: "Gevinstrapport monthly-owner september 2025: 1 sendt, 3 feilet, 0 hoppet over",
			notText:     []string{"Alle rapportene er levert", "--resend"}},
		{name: "nn stopped by the deadline", lang: "nn", data: late,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 1 sende, 3 feila, 0 hoppa over",
			wantText:    []string{"smtp.send_deadline", "40 rapport(ar) er ikkje freista sende"}},
		{name: "en stopped by the breaker", lang: "en", data: stopped,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 1 sent, 3 failed, 0 skipped",
			wantText:    []string{"failed for several recipients in a row", "40 report(s) were not tried"}},
		{name: "unknown language", lang: "sv", data: clean,
			wantSubject: "Gevinstrapport monthly-owner september 2025: 44 sendt, 0 feilet, 0 hoppet over",
			wantText:    []string{"Alle rapportene er levert."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := RenderSummaryMail(tt.lang, tt.data)
			if err != nil {
				t.Fatalf("RenderSummaryMail: %v", err)
			}
			checkBody(t, b, tt.wantSubject, tt.wantText, tt.notText)
		})
	}
	if _, err := RenderSummaryMail("nb", SummaryData{PeriodText: "september 2025"}); err == nil {
		t.Error("RenderSummaryMail accepted data without a job")
	}
	noRerun := withProblems
	noRerun.Rerun = ""
	if _, err := RenderSummaryMail("nb", noRerun); err == nil {
		t.Error("RenderSummaryMail accepted failures without a rerun command")
	}
}

func TestRenderNotReadyMail(t *testing.T) {
	partial := NotReadyData{
		Job: "monthly-owner", ReportKind: KindOwner, Period: "2025-09", PeriodText: "september 2025", Month: "2025-09",
		DueSince: "2025-10-03 06:00", Covered: 3, Total: 10, MinCoverage: 80,
		Missing: []string{`"I-004"`, `"I-007"`}, MoreMissing: 5, Config: "'/etc/gevinst rapport/config.yaml'",
	}
	none := NotReadyData{
		Job: "annual-evaluation", ReportKind: KindAnnual, Period: "2025", PeriodText: "2025", Month: "2025-12",
		DueSince: "2026-01-15 06:00", Total: 10, MinCoverage: 80, NoData: true, Latest: "2025-11",
	}
	tests := []struct {
		name        string
		lang        string
		data        NotReadyData
		wantSubject string
		wantText    []string
		notText     []string
	}{
		{name: "nb partial", lang: "nb", data: partial,
			wantSubject: "Gevinstrapport monthly-owner september 2025: venter fortsatt på data",
			wantText: []string{"3 av 10 aktive månedlige måleindikatorer har data for 2025-09; det kreves 80 %.",
				"- \"I-004\"\n- \"I-007\"\n- og 5 til\n", "Perioden ble aktuell 2025-10-03 06:00.", "bare én gang",
				"gevinstrapport check --config '/etc/gevinst rapport/config.yaml' --period 2025-09\n",
				"gevinstrapport run --config '/etc/gevinst rapport/config.yaml' --job monthly-owner --report owner --period 2025-09 --send --allow-incomplete\n"},
			notText: []string{"ingen målinger"}},
		{name: "nb no data", lang: "nb", data: none,
			wantSubject: "Gevinstrapport annual-evaluation 2025: venter fortsatt på data",
			wantText: []string{"Det finnes ingen målinger for perioden; siste data er for 2025-11.",
				"--period 2025-12"},
			notText: []string{"av 10", "uten data:", "--allow-incomplete"}},
		{name: "nn partial", lang: "nn", data: partial,
			wantSubject: "Gevinstrapport monthly-owner september 2025: ventar framleis på data",
			wantText:    []string{"3 av 10 aktive månadlege måleindikatorar har data", "- og 5 til", "berre send éin gong"}},
		{name: "en no data", lang: "en", data: none,
			wantSubject: "Gevinstrapport annual-evaluation 2025: still waiting for data",
			wantText:    []string{"There are no measurements for the period; the latest data is for 2025-11.", "sent only once"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := RenderNotReadyMail(tt.lang, tt.data)
			if err != nil {
				t.Fatalf("RenderNotReadyMail: %v", err)
			}
			checkBody(t, b, tt.wantSubject, tt.wantText, tt.notText)
		})
	}
	if _, err := RenderNotReadyMail("nb", NotReadyData{PeriodText: "september 2025"}); err == nil {
		t.Error("RenderNotReadyMail accepted data without a job")
	}
}
