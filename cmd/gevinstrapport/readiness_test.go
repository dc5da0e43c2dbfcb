package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"

	"github.com/emersion/go-smtp"
)

// lateRegister is a small register whose five monthly indicators (two
// benefits, one owner, two holders, all with addresses) are loaded through
// 2025-08: September, the month a run on 3 October reports, is not loaded.
func lateRegister() *register.Register {
	reg := &register.Register{
		Units: []register.OrgUnit{
			{ID: "R", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF},
			{ID: "K1", Name: "Trondheim", Kind: register.KindKommune, ParentID: "R"},
			{ID: "K2", Name: "Snåase – Snåsa", Kind: register.KindKommune, ParentID: "R"},
		},
		People: []register.Person{
			{ID: "P-1", Name: "Åse Ødegård", Email: "ase@example.no"},
			{ID: "P-2", Name: "Bjørn Æsøy", Email: "bjorn@example.no"},
			{ID: "P-3", Name: "Kari Nordmann", Email: "kari@example.no"},
		},
		Benefits: []register.Benefit{
			{ID: "G-1", Title: "Digital timebestilling", Category: register.PatientInvolvement, OrgUnitID: "R", OwnerID: "P-1", Phase: register.PhaseRealise},
			{ID: "G-2", Title: "Mindre dobbeltregistrering", Category: register.QualitySafety, OrgUnitID: "R", OwnerID: "P-1", Phase: register.PhaseRealise},
		},
		Holders: []register.Holder{{BenefitID: "G-1", OrgUnitID: "K1", PersonID: "P-2"}, {BenefitID: "G-2", OrgUnitID: "K2", PersonID: "P-3"}},
	}
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("I-%d", i)
		benefit := "G-1"
		if i > 3 {
			benefit = "G-2"
		}
		reg.Indicators = append(reg.Indicators, register.Indicator{
			ID: id, BenefitID: benefit, Name: "Andel " + id, Unit: "%", Direction: register.Up,
			Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: register.F(5), TargetValue: register.F(30), TargetDate: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		})
		reg.Ambitions = append(reg.Ambitions, register.Ambition{IndicatorID: id, Year: 2025, Target: 20})
		for m := register.MonthOf(2025, time.January); m <= register.MonthOf(2025, time.August); m++ {
			reg.Measurements = append(reg.Measurements, septemberRows(id, m)...)
		}
	}
	return reg
}

// septemberRows are the two municipalities' rows of an indicator for month m.
func septemberRows(id string, m register.Month) []register.Measurement {
	return []register.Measurement{
		{IndicatorID: id, OrgUnitID: "K1", Period: m, Numerator: register.F(float64(40 + int(m.Month()))), Denominator: register.F(400)},
		{IndicatorID: id, OrgUnitID: "K2", Period: m, Numerator: register.F(float64(60 + int(m.Month()))), Denominator: register.F(400)},
	}
}

// loadSeptember adds September's rows of the given indicators to db.
func loadSeptember(t *testing.T, db database, ids ...string) {
	t.Helper()
	var add register.Register
	for _, id := range ids {
		add.Measurements = append(add.Measurements, septemberRows(id, register.MonthOf(2025, time.September))...)
	}
	if err := store.WriteRegister(context.Background(), db.open(t), db.dialect, &add); err != nil {
		t.Fatalf("load September of %v: %v", ids, err)
	}
}

// sendingConfig is writeConfig with SMTP pointing at an in-process server on port.
func sendingConfig(t *testing.T, db database, out string, port int) string {
	t.Helper()
	path := writeConfig(t, db, out)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "smtp:\n  host: 127.0.0.1\n  port: %d\n  tls: none\n  from: \"Gevinstrapport <gevinst@example.no>\"\n"+
		"  timeout: 5s\n  retries: 1\n  backoff: 1ms\n", port)
	return path
}

// A register that lacks the period: run --send sends nothing and exits 3,
// first with no September data at all, then with two of five indicators
// loaded; a preview without --send is written with a warning;
// --allow-incomplete sends each recipient exactly one report, and a run
// after the rest of the data arrives sends nothing again.
func TestRunWaitsForTheData(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			db := b.fresh(t)
			db.load(t, lateRegister())
			box, port := startMailbox(t)
			out := filepath.Join(t.TempDir(), "out")
			cfg := sendingConfig(t, db, out, port)
			send := []string{"run", "--config", cfg, "--period", "2025-09", "--send"}
			noMail := func(when string) {
				t.Helper()
				if msgs, rcpts := box.total(); msgs+rcpts > 0 {
					t.Fatalf("%s: the SMTP server got %d message(s) and %d RCPT(s), want none", when, msgs, rcpts)
				}
			}

			r := mustRun(t, exitNotReady, send...)
			if want := "the register has no data for 2025-09 yet (its latest data is for 2025-08)"; !strings.Contains(r.stderr, want) {
				t.Errorf("run --send on an unloaded month does not say %q:\n%s", want, lastLines(r.stderr, 5))
			}
			noMail("nothing loaded")
			r = mustRun(t, exitNotReady, "run", "--config", cfg, "--period", "2025-09")
			noMail("preview of nothing")
			if _, err := os.Stat(filepath.Join(out, "2025-09")); !os.IsNotExist(err) {
				t.Errorf("a run for a month without data wrote reports anyway (%v)", err)
			}
			r = mustRun(t, exitFailed, "check", "--config", cfg, "--period", "2025-09")
			if want := "error: readiness 2025-09: the register has no data for 2025-09 yet"; !strings.Contains(r.stdout, want) {
				t.Errorf("check on an unloaded month does not say %q:\n%s", want, r.stdout)
			}

			loadSeptember(t, db, "I-1", "I-3")
			r = mustRun(t, exitNotReady, send...)
			for _, want := range []string{"not ready for 2025-09", "2 of 5 active monthly indicators have data for 2025-09 (40 %; readiness.min_coverage is 80 %",
				`without data: "I-2", "I-4", "I-5"`, "--allow-incomplete"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("run --send at 2 of 5 does not say %q:\n%s", want, lastLines(r.stderr, 5))
				}
			}
			noMail("two of five loaded")
			r = mustRun(t, exitOK, "run", "--config", cfg, "--period", "2025-09")
			if !strings.Contains(r.stdout, "3 report(s) written") || !strings.Contains(r.stdout, "warning: the data is incomplete: 2 of 5") {
				t.Errorf("a preview at 2 of 5 is not written with a warning:\n%s", r.stdout)
			}
			noMail("preview")
			r = mustRun(t, exitOK, "check", "--config", cfg, "--period", "2025-09")
			if want := "warning: readiness 2025-09: not ready: 2 of 5"; !strings.Contains(r.stdout, want) {
				t.Errorf("check at 2 of 5 does not say %q:\n%s", want, r.stdout)
			}

			mustRun(t, exitOK, append(send, "--allow-incomplete")...)
			mustRun(t, exitOK, append(send, "--allow-incomplete")...) // the ledger has them: nothing again
			// The rest arrives: the period is ready, and what was sent
			// incomplete is not sent again (that takes --resend).
			loadSeptember(t, db, "I-2", "I-4", "I-5")
			r = mustRun(t, exitOK, send...)
			if !strings.Contains(r.stdout, "0 sent, 3 already delivered") {
				t.Errorf("run --send once the data is in:\n%s", r.stdout)
			}
			for _, addr := range []string{"ase@example.no", "bjorn@example.no", "kari@example.no"} {
				if n := box.count(addr); n != 1 {
					t.Errorf("%s got %d report(s), want exactly 1", addr, n)
				}
			}
			if msgs, _ := box.total(); msgs != 3 {
				t.Errorf("the SMTP server got %d message(s) in all, want 3 (one per recipient)", msgs)
			}
		})
	}
}

// An empty register (a wrong view, missing grants) is an error in check and
// in run, worded apart from a month that is not loaded yet.
func TestEmptyRegisterIsAnError(t *testing.T) {
	noRows := lateRegister()
	noRows.Measurements = nil
	allClosed := lateRegister()
	for i := range allClosed.Benefits {
		allClosed.Benefits[i].Phase = register.PhaseClosed
	}
	tests := []struct {
		name string
		reg  *register.Register
		want string
	}{
		{"no tables filled", &register.Register{}, "the register is empty: it holds no measurements at all"},
		{"no measurements", noRows, "the register is empty: it holds no measurements at all"},
		{"no active indicator", allClosed, "the register is empty: no benefit that is not closed has an indicator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := freshSQLite(t)
			db.load(t, tt.reg)
			out := filepath.Join(t.TempDir(), "out")
			cfg := writeConfig(t, db, out)
			r := mustRun(t, exitFailed, "check", "--config", cfg, "--period", "2025-09")
			if !strings.Contains(r.stdout, "error: "+tt.want) {
				t.Errorf("check does not say %q:\n%s", tt.want, r.stdout)
			}
			r = mustRun(t, exitFailed, "run", "--config", cfg, "--period", "2025-09")
			if !strings.Contains(r.stderr, "gevinstrapport: "+tt.want) {
				t.Errorf("run does not say %q:\n%s", tt.want, lastLines(r.stderr, 5))
			}
			if _, err := os.Stat(filepath.Join(out, "2025-09")); !os.IsNotExist(err) {
				t.Errorf("a run on an empty register wrote reports (%v)", err)
			}
		})
	}
}

// twoOfFiveSending loads the late register with September data for two of
// its five indicators (I-1 and I-3), starts a mailbox and writes a sending
// configuration with extra appended; it returns the mailbox and the
// configuration's path.
func twoOfFiveSending(t *testing.T, extra string) (*mailbox, string) {
	t.Helper()
	db := freshSQLite(t)
	db.load(t, lateRegister())
	loadSeptember(t, db, "I-1", "I-3")
	box, port := startMailbox(t)
	cfg := sendingConfig(t, db, filepath.Join(t.TempDir(), "out"), port)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, extra)
	f.Close()
	return box, cfg
}

// The annual report waits for December: a year with data but without
// December is not ready (exit 3, nothing sent), a year without any data is
// "no data". A job's own readiness.min_coverage is the one a run for that
// job applies.
func TestReadinessOfTheYearAndPerJob(t *testing.T) {
	box, cfg := twoOfFiveSending(t, "jobs:\n  - name: strict-owner\n    report: owner\n    schedule: \"0 6 3 * *\"\n"+
		"  - name: lenient-owner\n    report: owner\n    schedule: \"0 6 4 * *\"\n    readiness:\n      min_coverage: 0.4\n"+
		"  - name: annual\n    report: annual\n    schedule: \"0 6 15 1 *\"\n")

	r := mustRun(t, exitNotReady, "run", "--config", cfg, "--report", "annual", "--period", "2025", "--send")
	if want := "not ready for 2025: 0 of 5 active monthly indicators have data for 2025-12"; !strings.Contains(r.stderr, want) {
		t.Errorf("annual 2025 without December does not say %q:\n%s", want, lastLines(r.stderr, 3))
	}
	r = mustRun(t, exitNotReady, "run", "--config", cfg, "--report", "annual", "--period", "2026", "--send")
	if want := "no data for 2026 yet (its latest data is for 2025-09)"; !strings.Contains(r.stderr, want) {
		t.Errorf("annual 2026 does not say %q:\n%s", want, lastLines(r.stderr, 3))
	}
	// Two of five September indicators: the first owner job (0.8) waits,
	// the lenient one (0.4) sends.
	r = mustRun(t, exitNotReady, "run", "--config", cfg, "--period", "2025-09", "--send")
	if !strings.Contains(r.stderr, "readiness.min_coverage is 80 %") {
		t.Errorf("the default job does not apply 0.8:\n%s", lastLines(r.stderr, 3))
	}
	if msgs, rcpts := box.total(); msgs+rcpts > 0 {
		t.Fatalf("runs that were not ready reached the SMTP server: %d message(s), %d RCPT(s)", msgs, rcpts)
	}
	mustRun(t, exitOK, "run", "--config", cfg, "--period", "2025-09", "--send", "--job", "lenient-owner")
	if msgs, _ := box.total(); msgs != 3 {
		t.Errorf("the lenient job sent %d message(s), want 3", msgs)
	}
}

// run --report all judges each kind on its own: the owner reports are not
// ready (two of five indicators, 0.8 asked for) and the annual report has
// no data for 2024, yet the steering pack, whose job asks for 0.4, is sent;
// the exit status is the worst of the three (3, nothing failed). A failing
// kind outranks one that is not ready: with the relay refusing the steering
// group's address the exit status is 1.
func TestRunReportAllJudgesEachKindOnItsOwn(t *testing.T) {
	box, cfg := twoOfFiveSending(t, "steering_group:\n  title: Styringsgruppe\n  emails: [styring@example.no]\n"+
		"jobs:\n  - name: monthly-owner\n    report: owner\n    schedule: \"0 6 3 * *\"\n"+
		"  - name: monthly-steering\n    report: steering\n    schedule: \"0 7 3 * *\"\n    readiness:\n      min_coverage: 0.4\n"+
		"  - name: annual\n    report: annual\n    schedule: \"0 6 15 1 *\"\n")

	box.setReject("styring@example.no", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"})
	r := mustRun(t, exitFailed, "run", "--config", cfg, "--report", "all", "--period", "2025-09", "--send")
	for _, want := range []string{"owner 2025-09: ", "not ready for 2025-09", "annual 2024: ", "no data for 2024"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("run --report all does not say %q:\n%s", want, lastLines(r.stderr, 5))
		}
	}
	if box.count("styring@example.no") != 0 {
		t.Fatalf("the rejected steering address got mail")
	}

	box.setReject("styring@example.no", nil)
	r = mustRun(t, exitNotReady, "run", "--config", cfg, "--report", "all", "--period", "2025-09", "--send", "--resend")
	if n := box.count("styring@example.no"); n != 1 {
		t.Errorf("the steering group got %d mail(s), want 1 (stdout %s)", n, r.stdout)
	}
	for _, owner := range []string{"ase@example.no", "bjorn@example.no", "kari@example.no"} {
		if n := box.count(owner); n != 0 {
			t.Errorf("%s got %d owner report(s) for a period that is not ready", owner, n)
		}
	}
	if !strings.Contains(r.stderr, "owner 2025-09: ") || !strings.Contains(r.stderr, "annual 2024: ") {
		t.Errorf("the exit message does not name both kinds that were not ready:\n%s", lastLines(r.stderr, 3))
	}
}
