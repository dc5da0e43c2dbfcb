package job

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// The coordinator's address, the ledger's job name and the claim lease of
// the delivery tests.
const (
	coordinatorEmail = "koordinator@example.no"
	testJob          = "monthly-owner"
	testLease        = time.Minute
)

type person struct{ id, name, email string }

// testPeople are the people of the test register: an owner and three
// holders, one of them without an email address.
func testPeople() []person {
	return []person{
		{"P-1", "Åse Ødegård", "ase.odegard@example.no"},
		{"P-2", "Bjørn Æsøy", "bjorn.aesoy@example.no"},
		{"P-3", "Kari Nordmann", "kari.nordmann@example.no"},
		{"P-4", "Per Uten Adresse", ""},
	}
}

// withEmail returns the test people who have an address.
func withEmail() []person {
	var out []person
	for _, p := range testPeople() {
		if p.email != "" {
			out = append(out, p)
		}
	}
	return out
}

// testRegister is a small register: one benefit over a region of three
// municipalities, each with a holder, measured monthly through 2025-09.
func testRegister() *register.Register {
	reg := &register.Register{
		Units: []register.OrgUnit{
			{ID: "R", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF},
			{ID: "K1", Name: "Trondheim", Kind: register.KindKommune, ParentID: "R"},
			{ID: "K2", Name: "Snåase – Snåsa", Kind: register.KindKommune, ParentID: "R"},
			{ID: "K3", Name: "Røros", Kind: register.KindKommune, ParentID: "R"},
		},
		Benefits: []register.Benefit{{
			ID: "G-1", Title: "Digital timebestilling", Category: register.PatientInvolvement,
			OrgUnitID: "R", OwnerID: "P-1", Phase: register.PhaseRealise,
		}},
		Indicators: []register.Indicator{{
			ID: "I-1", BenefitID: "G-1", Name: "Andel timer bestilt digitalt", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: register.F(5), TargetValue: register.F(30), TargetDate: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		}},
		Ambitions: []register.Ambition{{IndicatorID: "I-1", Year: 2025, Target: 20}},
	}
	for _, p := range testPeople() {
		reg.People = append(reg.People, register.Person{ID: p.id, Name: p.name, Email: p.email, Language: "nb"})
	}
	for i, u := range []string{"K1", "K2", "K3"} {
		reg.Holders = append(reg.Holders, register.Holder{BenefitID: "G-1", OrgUnitID: u, PersonID: testPeople()[i+1].id})
		for m := register.MonthOf(2025, time.January); m <= register.MonthOf(2025, time.September); m++ {
			reg.Measurements = append(reg.Measurements, register.Measurement{
				IndicatorID: "I-1", OrgUnitID: u, Period: m,
				Numerator: register.F(float64(40 + 10*i + 5*int(m.Month()))), Denominator: register.F(400),
			})
		}
	}
	return reg
}

// testClock is a settable clock shared by the workers and ledgers of a test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// stateStore is where the ledger of a test lives.
type stateStore struct{ driver, dsn string }

// forEachStore runs fn with the ledger on a fresh SQLite file and, when
// GEVINST_TEST_MYSQL_DSN or GEVINST_TEST_POSTGRES_DSN is set, on a fresh
// MySQL database or PostgreSQL schema.
func forEachStore(t *testing.T, fn func(t *testing.T, st stateStore)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")})
	})
	t.Run("mysql", func(t *testing.T) { fn(t, freshMySQLState(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, freshPostgresState(t)) })
}

// freshPostgresState creates a schema with a random name in the database of
// GEVINST_TEST_POSTGRES_DSN and drops it when the test ends. Without the
// variable the test is skipped; with it set, failing to connect fails.
func freshPostgresState(t *testing.T) stateStore {
	t.Helper()
	return stateStore{driver: "postgres", dsn: testpostgres.Fresh(t, "gevinst_job_test_")}
}

// freshMySQLState creates a database with a random name on the server of
// GEVINST_TEST_MYSQL_DSN and drops it when the test ends. Without the
// variable the test is skipped; with it set, failing to connect fails.
func freshMySQLState(t *testing.T) stateStore {
	t.Helper()
	target := testmysql.Fresh(t, "gevinst_job_test_", "utf8mb4_bin")
	return stateStore{driver: "mysql", dsn: target.FormatDSN()}
}

// fixture is a register on disk, a configuration, an SMTP server and a
// clock, from which a test builds workers.
type fixture struct {
	t     *testing.T
	cfg   *config.Config
	clock *testClock
	now   func() time.Time // the clock of workers and ledgers; clock.Now unless a test replaces it
	smtp  *smtpBackend
	port  int
	stop  func()
	state stateStore
}

// writeRegister stores reg in a fresh SQLite register file and returns its path.
func writeRegister(t *testing.T, reg *register.Register) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	ctx := context.Background()
	db, err := store.Open(ctx, store.SQLite, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.CreateSchema(ctx, db, store.SQLite); err != nil {
		t.Fatal(err)
	}
	if err := store.WriteRegister(ctx, db, store.SQLite, reg); err != nil {
		t.Fatal(err)
	}
	return path
}

// testConfig parses a configuration for the register at regPath with
// output under t.TempDir and extra YAML appended.
func testConfig(t *testing.T, regPath, extra string) *config.Config {
	t.Helper()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	yaml := "timezone: Europe/Oslo\nlanguage: nb\ndatabase:\n  driver: sqlite\n  dsn: " + q(regPath) +
		"\noutput:\n  dir: " + q(filepath.Join(t.TempDir(), "out")) +
		"\ncoordinator:\n  name: Gevinstkoordinator\n  email: " + coordinatorEmail + "\n" + extra
	cfg, err := config.Parse("test.yaml", []byte(yaml), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("parse config: %v\n%s", err, yaml)
	}
	return cfg
}

func newFixture(t *testing.T, st stateStore) *fixture {
	t.Helper()
	return newFixtureConfig(t, st, "")
}

// newFixtureConfig is newFixture with extra YAML in the configuration.
func newFixtureConfig(t *testing.T, st stateStore, extra string) *fixture {
	t.Helper()
	f := &fixture{
		t:     t,
		cfg:   testConfig(t, writeRegister(t, testRegister()), extra),
		clock: &testClock{t: time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)},
		smtp:  newSMTPBackend(),
		state: st,
	}
	f.now = f.clock.Now
	f.port, f.stop = startSMTP(t, f.smtp, 0)
	return f
}

// ledger opens a ledger on the fixture's state store under the given owner.
func (f *fixture) ledger(owner string) *ledger.Ledger {
	f.t.Helper()
	l, err := ledger.Open(context.Background(), f.state.driver, f.state.dsn,
		ledger.Options{Now: f.now, Owner: owner, LeaseDuration: testLease})
	if err != nil {
		f.t.Fatalf("open ledger %s: %v", owner, err)
	}
	f.t.Cleanup(func() { l.Close() })
	return l
}

// worker builds a sending Worker with its own ledger instance, delivering
// to the SMTP server on port.
func (f *fixture) worker(owner string, port int) *Worker {
	f.t.Helper()
	s, err := mail.NewSender(mail.Config{
		Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "Gevinstrapport <gevinst@example.no>",
		Timeout: 5 * time.Second, Retries: 2, Backoff: time.Millisecond,
	}, mail.WithClock(f.now))
	if err != nil {
		f.t.Fatalf("new sender: %v", err)
	}
	return f.sendingWorker(owner, s)
}

// sendingWorker builds a sending Worker with sender s and the ledger of
// owner, closed when the test ends.
func (f *fixture) sendingWorker(owner string, s *mail.Sender) *Worker {
	f.t.Helper()
	w, err := NewWorker(context.Background(), f.cfg, Options{Now: f.now, Send: true, Sender: s, Ledger: f.ledger(owner)})
	if err != nil {
		f.t.Fatalf("new worker: %v", err)
	}
	f.t.Cleanup(func() { w.Close() })
	return w
}

func ownerRequest(resend bool) Request {
	return Request{Report: Owner, Period: Period{Month: register.MonthOf(2025, time.September)}, Send: true, Resend: resend, Job: testJob}
}

// run runs the owner report for 2025-09 with sending and fails on an error.
func run(t *testing.T, w *Worker, resend bool) Result {
	t.Helper()
	res, err := w.Run(context.Background(), ownerRequest(resend))
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if res.Produced != len(testPeople()) || res.BuildFailed != 0 {
		t.Fatalf("run produced %d, failed %d; want %d produced", res.Produced, res.BuildFailed, len(testPeople()))
	}
	return res
}

// checkCounts fails unless each person with an address has received want
// messages in total.
func (f *fixture) checkCounts(want int) {
	f.t.Helper()
	for _, p := range withEmail() {
		if got := len(f.smtp.to(p.email)); got != want {
			f.t.Errorf("%s <%s> received %d message(s), want %d", p.id, p.email, got, want)
		}
	}
}

// checkOnlyKnownRecipients fails when the server was asked to deliver to
// an address that is neither a person's nor the coordinator's (a guess).
func (f *fixture) checkOnlyKnownRecipients() {
	f.t.Helper()
	known := map[string]bool{coordinatorEmail: true}
	for _, p := range withEmail() {
		known[p.email] = true
	}
	f.smtp.mu.Lock()
	defer f.smtp.mu.Unlock()
	for addr := range f.smtp.rcpts {
		if !known[addr] {
			f.t.Errorf("mail was addressed to %q, which is nobody's address", addr)
		}
	}
}

// parsedMail is a received message taken apart.
type parsedMail struct {
	subject     string
	text        string
	attachments map[string][]byte // by file name
}

// parseMail parses data as a MIME message, failing the test if it is not one.
func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("message does not parse: %v", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", msg.Header.Get("Subject"), err)
	}
	for _, h := range []string{"From", "To", "Date", "Message-Id"} {
		if msg.Header.Get(h) == "" {
			t.Errorf("message has no %s header", h)
		}
	}
	p := parsedMail{subject: subject, attachments: map[string][]byte{}}
	walkPart(t, &p, textproto(msg.Header), msg.Body)
	return p
}

// textproto adapts a net/mail header to the getter walkPart needs.
func textproto(h netmail.Header) func(string) string { return h.Get }

// walkPart collects the text and attachments of one MIME part, recursing
// into multiparts.
func walkPart(t *testing.T, p *parsedMail, header func(string) string, body io.Reader) {
	t.Helper()
	ct := header("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("content type %q: %v", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("read MIME part: %v", err)
			}
			walkPart(t, p, part.Header.Get, part)
		}
	}
	switch strings.ToLower(header("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s part: %v", mt, err)
	}
	_, dparams, _ := mime.ParseMediaType(header("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if name != "" {
		p.attachments[name] = data
		return
	}
	if mt == "text/plain" {
		p.text += string(data)
	}
}

// manifestSHA returns the sha256 of each recipient's PDF from manifest.json.
func (f *fixture) manifestSHA() map[string]string {
	f.t.Helper()
	data, err := os.ReadFile(filepath.Join(output.Dir(f.cfg.Output.Dir, "2025-09", Owner), "manifest.json"))
	if err != nil {
		f.t.Fatalf("read manifest: %v", err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		f.t.Fatalf("decode manifest: %v", err)
	}
	out := map[string]string{}
	for _, r := range m.Reports {
		out[r.Recipient.ID] = r.SHA256
	}
	return out
}

// checkReportMails parses every report mail: one valid PDF attached, the
// latest one the PDF the ledger recorded as sent and, with inManifest, the
// one manifest.json lists; the subject names the period and the owner.
func (f *fixture) checkReportMails(inManifest bool) {
	f.t.Helper()
	api.DisableConfigDir()
	sha := f.manifestSHA()
	ds, err := f.ledger("inspect").Deliveries(context.Background(), testJob, "2025-09")
	if err != nil {
		f.t.Fatal(err)
	}
	sent := map[string]string{}
	for _, d := range ds {
		if d.Status == ledger.StatusSent {
			sent[d.Key.Recipient] = d.SHA256
		}
	}
	for _, p := range withEmail() {
		msgs := f.smtp.to(p.email)
		for i, d := range msgs {
			m := parseMail(f.t, d.Data)
			if !strings.Contains(m.subject, "september 2025") || !strings.Contains(m.subject, p.name) {
				f.t.Errorf("subject to %s is %q; want the period (september 2025) and the name %s", p.id, m.subject, p.name)
			}
			if len(m.attachments) != 1 {
				f.t.Errorf("mail to %s has %d attachments, want 1", p.id, len(m.attachments))
			}
			for name, pdf := range m.attachments {
				if !strings.HasSuffix(name, ".pdf") || strings.ContainsAny(name, `/\`) {
					f.t.Errorf("attachment name %q is not a safe .pdf name", name)
				}
				// PDF bytes differ between runs (fpdf writes its font
				// dictionary in map order), so only the latest mail carries
				// the PDF the ledger recorded, and only the latest run's
				// mail the one manifest.json describes now.
				got := output.SHA256(pdf)
				if i == len(msgs)-1 && got != sent[p.id] {
					f.t.Errorf("attachment to %s has sha256 %s, the ledger recorded %q as sent", p.id, got, sent[p.id])
				}
				if inManifest && i == len(msgs)-1 && got != sha[p.id] {
					f.t.Errorf("attachment to %s has sha256 %s, manifest says %s", p.id, got, sha[p.id])
				}
				if err := api.Validate(bytes.NewReader(pdf), model.NewDefaultConfiguration()); err != nil {
					f.t.Errorf("attachment to %s is not a valid PDF: %v", p.id, err)
				}
			}
			if strings.TrimSpace(m.text) == "" {
				f.t.Errorf("mail to %s has no text body", p.id)
			}
		}
	}
}

// summaries returns the coordinator's summary mails, parsed.
func (f *fixture) summaries() []parsedMail {
	var out []parsedMail
	for _, d := range f.smtp.to(coordinatorEmail) {
		out = append(out, parseMail(f.t, d.Data))
	}
	return out
}

func TestDeliverOnceThenResend(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		w := f.worker("a", f.port)

		res := run(t, w, false)
		if res.Sent != 3 || res.SendFailed != 0 || res.NoAddress != 1 || res.Failed() {
			t.Errorf("first run: %+v; want 3 sent, 1 without address, nothing failed", res)
		}
		f.checkCounts(1)
		f.checkReportMails(true)
		f.checkOnlyKnownRecipients()
		sums := f.summaries()
		if len(sums) != 1 {
			t.Fatalf("coordinator got %d summary mails, want 1", len(sums))
		}
		if !strings.Contains(sums[0].text, "Per Uten Adresse") && !strings.Contains(sums[0].text, "P-4") {
			t.Errorf("the summary does not name the recipient without an address:\n%s", sums[0].text)
		}

		res = run(t, w, false)
		if res.Sent != 0 || res.AlreadySent != 3 || res.Failed() {
			t.Errorf("second run: %+v; want nothing sent, 3 already delivered", res)
		}
		f.checkCounts(1)
		if n := len(f.summaries()); n != 1 {
			t.Errorf("after a rerun that delivered nothing the coordinator has %d summary mails, want still 1", n)
		}

		res = run(t, w, true)
		if res.Sent != 3 || res.Failed() {
			t.Errorf("resend: %+v; want 3 sent", res)
		}
		f.checkCounts(2)
		f.checkReportMails(true)
	})
}

func TestDeliverTransientThenSuccess(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		bjorn := testPeople()[1].email
		f.smtp.failOnce(bjorn, 421)
		res := run(t, f.worker("a", f.port), false)
		if res.Sent != 3 || res.SendFailed != 0 {
			t.Errorf("run: %+v; want 3 sent, none failed", res)
		}
		if n := f.smtp.rcptCount(bjorn); n != 2 {
			t.Errorf("the server was asked %d times for %s; want 2 (421, then the retry)", n, bjorn)
		}
		f.checkCounts(1)
		f.checkReportMails(true)
	})
}

func TestDeliverPermanentFailure(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		kari := testPeople()[2]
		f.smtp.rejectAlways(kari.email, 550)
		w := f.worker("a", f.port)

		res := run(t, w, false)
		if res.Sent != 2 || res.SendFailed != 1 || !res.Failed() {
			t.Errorf("run: %+v; want 2 sent, 1 failed", res)
		}
		if n := f.smtp.rcptCount(kari.email); n != 1 {
			t.Errorf("a 550 was tried %d times, want 1 (permanent failures are not retried)", n)
		}
		for _, p := range withEmail() {
			want := 1
			if p.id == kari.id {
				want = 0
			}
			if got := len(f.smtp.to(p.email)); got != want {
				t.Errorf("%s received %d, want %d", p.id, got, want)
			}
		}
		sums := f.summaries()
		if len(sums) != 1 {
			t.Fatalf("coordinator got %d summary mails, want 1", len(sums))
		}
		if !strings.Contains(sums[0].text, kari.name) && !strings.Contains(sums[0].text, kari.email) {
			t.Errorf("the summary does not name %s:\n%s", kari.name, sums[0].text)
		}
		ds, err := f.ledger("inspect").Deliveries(context.Background(), testJob, "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Key.Recipient == kari.id && d.Status != ledger.StatusFailedPermanent {
				t.Errorf("ledger records %s as %s, want %s", kari.id, d.Status, ledger.StatusFailedPermanent)
			}
		}

		res = run(t, w, false)
		if res.Sent != 0 || res.SendFailed != 0 || res.FailedBefore != 1 || res.Failed() {
			t.Errorf("rerun: %+v; want nothing sent, the earlier permanent failure counted apart, not a new failure", res)
		}
		if n := len(f.summaries()); n != 1 {
			t.Errorf("the rerun mailed the coordinator again: %d summaries, want still 1", n)
		}
		if n := f.smtp.rcptCount(kari.email); n != 1 {
			t.Errorf("a rerun retried the permanent failure (%d RCPTs)", n)
		}

		res = run(t, w, true)
		if n := f.smtp.rcptCount(kari.email); n != 2 {
			t.Errorf("--resend did not try %s again (%d RCPTs)", kari.email, n)
		}
		if res.Sent != 2 || res.SendFailed != 1 {
			t.Errorf("resend: %+v; want 2 sent, 1 failed", res)
		}
	})
}

func TestDeliverServerDown(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		f.stop()
		port := freePort(t)
		w := f.worker("a", port)

		res := run(t, w, false)
		if res.Sent != 0 || res.SendFailed != 3 || !res.Failed() {
			t.Errorf("run with the server down: %+v; want 3 failed", res)
		}
		ds, err := f.ledger("inspect").Deliveries(context.Background(), testJob, "2025-09")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Status == ledger.StatusSent || d.Status == ledger.StatusFailedPermanent {
				t.Errorf("ledger records %s as %s while the server was down", d.Key.Recipient, d.Status)
			}
		}
		if len(ds) != 3 {
			t.Errorf("ledger has %d deliveries, want the 3 failures recorded", len(ds))
		}

		up := newSMTPBackend()
		startSMTP(t, up, port)
		f.smtp = up
		res = run(t, w, false)
		if res.Sent != 3 || res.Failed() {
			t.Errorf("run with the server up: %+v; want 3 sent", res)
		}
		f.checkCounts(1)
		f.checkReportMails(true)
	})
}

func TestDeliverRacingWorkers(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		workers := []*Worker{f.worker("a", f.port), f.worker("b", f.port), f.worker("c", f.port)}
		results := make([]Result, len(workers))
		errs := make([]error, len(workers))
		var wg sync.WaitGroup
		for i, w := range workers {
			wg.Go(func() { results[i], errs[i] = w.Run(context.Background(), ownerRequest(false)) })
		}
		wg.Wait()
		sent := 0
		for i, err := range errs {
			if err != nil {
				t.Fatalf("worker %d: %v", i, err)
			}
			if results[i].SendFailed != 0 {
				t.Errorf("worker %d: %+v; no delivery should fail", i, results[i])
			}
			sent += results[i].Sent
			t.Logf("worker %d: %s", i, results[i].Summary())
		}
		if sent != 3 {
			t.Errorf("the workers sent %d messages together, want 3", sent)
		}
		f.checkCounts(1)
		f.checkReportMails(false)
	})
}

func TestDeliverAfterCrash(t *testing.T) {
	forEachStore(t, func(t *testing.T, st stateStore) {
		f := newFixture(t, st)
		ctx := context.Background()
		dead := f.ledger("dead")
		for _, id := range []string{"P-1", "P-2"} {
			c, err := dead.Claim(ctx, ledger.Key{Job: testJob, Period: "2025-09", Recipient: id}, false)
			if err != nil || !c.Granted {
				t.Fatalf("claim %s for the process that dies: %+v, %v", id, c, err)
			}
		}
		w := f.worker("next", f.port)

		res := run(t, w, false)
		if res.Sent != 1 || res.InProgress != 2 {
			t.Errorf("run while the dead claims are live: %+v; want 1 sent, 2 in hand elsewhere", res)
		}
		f.clock.Advance(testLease + time.Second)
		res = run(t, w, false)
		if res.Sent != 2 || res.AlreadySent != 1 || res.Failed() {
			t.Errorf("run after the lease expired: %+v; want 2 sent, 1 already delivered", res)
		}
		f.checkCounts(1)
		res = run(t, w, false)
		if res.Sent != 0 {
			t.Errorf("third run sent %d", res.Sent)
		}
		f.checkCounts(1)
		f.checkReportMails(false)
	})
}
