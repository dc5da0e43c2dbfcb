package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/register"
	"gevinstrapport/internal/testmysql"
	"gevinstrapport/internal/testpostgres"
)

// These tests run the program as real child processes (the test binary
// re-executed as main) against an in-process SMTP server that is slow to
// answer RCPT, and stop them mid-send with SIGTERM or SIGKILL. The server
// holds each RCPT before answering, so a signal lands while a message is in
// hand and before the server accepted it.

const (
	resumeJob    = "monthly-owner"
	resumeLease  = 4 * time.Second // delivery.lease: short, so the tests wait little for it
	relayDelay   = 150 * time.Millisecond
	coordinator  = "koordinator@example.no"
	resumePeople = 5
)

// slowRelay is an SMTP server that waits relayDelay before answering each
// RCPT for a report and counts the messages it accepted per recipient.
type slowRelay struct {
	mu       sync.Mutex
	rcpts    int                    // RCPTs for reports so far
	onRcpt   func(n int, to string) // called before the wait, in the server's goroutine; may block
	accepted map[string]int
	port     int
}

func startSlowRelay(t *testing.T) *slowRelay {
	t.Helper()
	r := &slowRelay{accepted: map[string]int{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen for SMTP: %v", err)
	}
	s := smtp.NewServer(r)
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(l)
	}()
	t.Cleanup(func() {
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	r.port = l.Addr().(*net.TCPAddr).Port
	return r
}

// setHook installs fn as the RCPT hook.
func (r *slowRelay) setHook(fn func(n int, to string)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.onRcpt = fn
}

// counts returns how many messages each address got.
func (r *slowRelay) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.accepted {
		out[k] = v
	}
	return out
}

func (r *slowRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct {
	r  *slowRelay
	to []string
}

func (s *relaySession) Mail(string, *smtp.MailOptions) error { s.to = nil; return nil }

func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to != coordinator {
		s.r.mu.Lock()
		s.r.rcpts++
		n, hook := s.r.rcpts, s.r.onRcpt
		s.r.mu.Unlock()
		if hook != nil {
			hook(n, to)
		}
		time.Sleep(relayDelay)
	}
	s.to = append(s.to, to)
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	if _, err := io.ReadAll(r); err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, to := range s.to {
		s.r.accepted[to]++
	}
	return nil
}

func (s *relaySession) Reset()        { s.to = nil }
func (s *relaySession) Logout() error { return nil }

// resumeRegister is a small register measured through period: one benefit
// over a region of municipalities, an owner and a holder per municipality,
// every one with an address.
func resumeRegister(period register.Month) *register.Register {
	reg := &register.Register{
		Units:  []register.OrgUnit{{ID: "R", Name: "Helse Midt-Norge RHF", Kind: register.KindRHF}},
		People: []register.Person{{ID: "P-0", Name: "Åse Ødegård", Email: "p-0@example.no", Language: "nb"}},
		Benefits: []register.Benefit{{
			ID: "G-1", Title: "Digital timebestilling", Category: register.PatientInvolvement,
			OrgUnitID: "R", OwnerID: "P-0", Phase: register.PhaseRealise,
		}},
		Indicators: []register.Indicator{{
			ID: "I-1", BenefitID: "G-1", Name: "Andel timer bestilt digitalt", Unit: "%",
			Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: register.F(5), TargetValue: register.F(30),
			TargetDate: time.Date(period.Year()+2, 12, 31, 0, 0, 0, 0, time.UTC),
		}},
	}
	for y := period.Add(-8).Year(); y <= period.Year(); y++ {
		reg.Ambitions = append(reg.Ambitions, register.Ambition{IndicatorID: "I-1", Year: y, Target: 20})
	}
	for i := 1; i < resumePeople; i++ {
		unit, id := fmt.Sprintf("K%d", i), fmt.Sprintf("P-%d", i)
		reg.Units = append(reg.Units, register.OrgUnit{ID: unit, Name: "Kommune " + unit, Kind: register.KindKommune, ParentID: "R"})
		reg.People = append(reg.People, register.Person{ID: id, Name: "Person " + id, Email: strings.ToLower(id) + "@example.no", Language: "nb"})
		reg.Holders = append(reg.Holders, register.Holder{BenefitID: "G-1", OrgUnitID: unit, PersonID: id})
		for m := period.Add(-8); m <= period; m++ {
			reg.Measurements = append(reg.Measurements, register.Measurement{
				IndicatorID: "I-1", OrgUnitID: unit, Period: m,
				Numerator: register.F(float64(40 + 10*i + 5*int(m.Month()))), Denominator: register.F(400),
			})
		}
	}
	return reg
}

// resumeFixture is a register, a state store, a slow relay and a config
// for child processes.
type resumeFixture struct {
	t      *testing.T
	relay  *slowRelay
	cfg    string
	state  [2]string // ledger driver and DSN
	period string    // the month the daemon's catch-up runs: the last complete one
}

func newResumeFixture(t *testing.T, stateDriver string) *resumeFixture {
	t.Helper()
	f := &resumeFixture{t: t, relay: startSlowRelay(t)}
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	month := register.MonthFromTime(time.Now().In(oslo)).Add(-1)
	f.period = month.String()
	db := freshSQLite(t)
	db.load(t, resumeRegister(month))

	switch stateDriver {
	case "sqlite":
		f.state = [2]string{"sqlite", filepath.Join(t.TempDir(), "state.db")}
	case "mysql":
		f.state = [2]string{"mysql", testmysql.Fresh(t, "gevinst_resume_", "utf8mb4_bin").FormatDSN()}
	case "postgres":
		f.state = [2]string{"postgres", testpostgres.Fresh(t, "gevinst_resume_")}
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	yaml := fmt.Sprintf(`timezone: Europe/Oslo
database: {driver: sqlite, dsn: %s}
output: {dir: %s}
state: {driver: %s, dsn: %s}
smtp: {host: 127.0.0.1, port: %d, tls: none, from: "Gevinstrapport <gevinst@example.no>", timeout: 5s, retries: 1, backoff: 10ms}
coordinator: {email: %s}
delivery: {lease: %s}
daemon: {listen: "127.0.0.1:0"}
jobs:
  - {name: %s, report: owner, schedule: "0 0 * * *", period: previous_month}
`, q(db.dsn), q(filepath.Join(t.TempDir(), "out")), f.state[0], q(f.state[1]), f.relay.port, coordinator, resumeLease, resumeJob)
	f.cfg = filepath.Join(t.TempDir(), "gevinstrapport.yaml")
	if err := os.WriteFile(f.cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// child is a running gevinstrapport process.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
	code           int
}

// start runs the program with args as a child process.
func (f *resumeFixture) start(args ...string) *child {
	f.t.Helper()
	c := &child{done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], args...)
	c.cmd.Env = append(os.Environ(), asMainEnv+"=1")
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		f.t.Fatalf("start %v: %v", args, err)
	}
	go func() {
		defer close(c.done)
		err := c.cmd.Wait()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			c.code = ee.ExitCode() // -1 when killed by a signal
		case err != nil:
			c.code = -2
		}
	}()
	f.t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// wait waits for the child to end and returns its exit status.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-c.done:
		return c.code
	case <-time.After(60 * time.Second):
		t.Fatalf("child %v did not end\nstderr:\n%s", c.cmd.Args[1:], lastLines(c.stderr.String(), 20))
		return 0
	}
}

// runSend is `run --send` for the fixture's period under the job's name.
func (f *resumeFixture) runSend() *child {
	return f.start("run", "--config", f.cfg, "--period", f.period, "--job", resumeJob, "--send")
}

// signalAt sends sig to the child c (set later through the pointer) when
// the relay is asked for its n-th report RCPT, while that RCPT waits.
func (f *resumeFixture) signalAt(n int, c **child, sig syscall.Signal) {
	var once sync.Once
	f.relay.setHook(func(got int, _ string) {
		if got == n {
			once.Do(func() { _ = (*c).cmd.Process.Signal(sig) })
		}
	})
}

// ledger opens the fixture's state store from the test.
func (f *resumeFixture) ledger() *ledger.Ledger {
	f.t.Helper()
	l, err := ledger.Open(context.Background(), f.state[0], f.state[1], ledger.Options{Owner: "test"})
	if err != nil {
		f.t.Fatalf("open ledger: %v", err)
	}
	f.t.Cleanup(func() { l.Close() })
	return l
}

// outcomes lists the ledger's run outcomes of the period, oldest first
// ("" for a run never finished).
func (f *resumeFixture) outcomes() []string {
	f.t.Helper()
	runs, err := f.ledger().Runs(context.Background(), resumeJob, f.period)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]string, len(runs))
	for i, r := range runs {
		out[i] = string(r.Outcome)
	}
	return out
}

// waitSucceeded polls the ledger until the period is recorded as done.
func (f *resumeFixture) waitSucceeded(c *child) {
	f.t.Helper()
	l := f.ledger()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := l.Succeeded(context.Background(), resumeJob, f.period)
		if err != nil {
			f.t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("the period never succeeded; runs %v\nstderr:\n%s", f.outcomes(), lastLines(c.stderr.String(), 20))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sent is how many report mails the relay accepted in all.
func (f *resumeFixture) sent() int {
	n := 0
	for to, c := range f.relay.counts() {
		if to != coordinator {
			n += c
		}
	}
	return n
}

// checkExactlyOnce fails unless every recipient got exactly one report.
func (f *resumeFixture) checkExactlyOnce() {
	f.t.Helper()
	counts := f.relay.counts()
	var got []string
	for i := range resumePeople {
		addr := fmt.Sprintf("p-%d@example.no", i)
		got = append(got, fmt.Sprintf("%s=%d", addr, counts[addr]))
		if counts[addr] != 1 {
			f.t.Errorf("%s got %d report mail(s), want exactly 1", addr, counts[addr])
		}
	}
	f.t.Logf("mails per recipient: %s; coordinator %d", strings.Join(got, " "), counts[coordinator])
}

func wantOutcomes(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ledger runs of the period: %q, want %q", got, want)
	}
}

func forEachLedger(t *testing.T, fn func(t *testing.T, driver string)) {
	for _, driver := range []string{"sqlite", "mysql", "postgres"} {
		t.Run(driver, func(t *testing.T) {
			t.Parallel()
			fn(t, driver)
		})
	}
}

// SIGTERM to the daemon while the third report is in hand: that report is
// finished and recorded, the daemon exits 0, the ledger says interrupted;
// the restarted daemon delivers exactly the rest.
func TestDaemonSIGTERMMidSendResumes(t *testing.T) {
	t.Parallel()
	forEachLedger(t, func(t *testing.T, driver string) {
		f := newResumeFixture(t, driver)
		var d *child
		f.signalAt(3, &d, syscall.SIGTERM)
		d = f.start("daemon", "--config", f.cfg)
		if code := d.wait(t); code != 0 {
			t.Fatalf("daemon exit %d after SIGTERM, want 0\nstderr:\n%s", code, lastLines(d.stderr.String(), 20))
		}
		first := f.sent()
		if first < 3 || first >= resumePeople {
			t.Errorf("the stopped daemon sent %d reports, want the 3 up to the one in hand (of %d)", first, resumePeople)
		}
		wantOutcomes(t, f.outcomes(), "interrupted")

		f.relay.setHook(nil)
		d = f.start("daemon", "--config", f.cfg)
		f.waitSucceeded(d)
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		if code := d.wait(t); code != 0 {
			t.Errorf("restarted daemon exit %d after SIGTERM, want 0", code)
		}
		wantOutcomes(t, f.outcomes(), "interrupted", "succeeded")
		t.Logf("first daemon sent %d, restarted daemon %d", first, f.sent()-first)
		f.checkExactlyOnce()
	})
}

// SIGTERM to `run --send` while the third report is in hand: exit 1, the
// run is recorded as interrupted, and an ordinary rerun sends the rest.
func TestRunSIGTERMMidSendResumes(t *testing.T) {
	t.Parallel()
	forEachLedger(t, func(t *testing.T, driver string) {
		f := newResumeFixture(t, driver)
		var r *child
		f.signalAt(3, &r, syscall.SIGTERM)
		r = f.runSend()
		if code := r.wait(t); code != 1 {
			t.Fatalf("run --send exit %d after SIGTERM, want 1\nstderr:\n%s", code, lastLines(r.stderr.String(), 20))
		}
		if !strings.Contains(r.stdout.String(), "interrupted") {
			t.Errorf("run does not say it was interrupted:\n%s", r.stdout.String())
		}
		first := f.sent()
		if first < 3 || first >= resumePeople {
			t.Errorf("the stopped run sent %d reports, want the 3 up to the one in hand (of %d)", first, resumePeople)
		}
		wantOutcomes(t, f.outcomes(), "interrupted")

		f.relay.setHook(nil)
		r = f.runSend()
		if code := r.wait(t); code != 0 {
			t.Fatalf("rerun exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, r.stdout.String(), lastLines(r.stderr.String(), 20))
		}
		wantOutcomes(t, f.outcomes(), "interrupted", "succeeded")
		t.Logf("first run sent %d, rerun %d", first, f.sent()-first)
		f.checkExactlyOnce()
	})
}

// SIGKILL to `run --send` while the second report waits for the relay:
// that message is never accepted and its claim stays leased. A rerun
// within the lease records the killed run as interrupted (its process is
// gone), sends the others but is incomplete (exit 1, partial);
// so is the daemon's first run, and the daemon tries again when the lease
// ends and delivers the one left.
func TestRunSIGKILLMidSendResumesAfterLease(t *testing.T) {
	t.Parallel()
	forEachLedger(t, func(t *testing.T, driver string) {
		f := newResumeFixture(t, driver)
		var r *child
		killed := make(chan struct{})
		f.relay.setHook(func(n int, _ string) {
			if n == 2 {
				_ = r.cmd.Process.Kill()
				<-r.done // answer only after the process is gone
				close(killed)
			}
		})
		r = f.runSend()
		<-killed
		if code := r.wait(t); code != -1 {
			t.Fatalf("killed run exit %d, want -1 (killed)", code)
		}
		if got := f.sent(); got != 1 {
			t.Errorf("the killed run got %d reports accepted, want 1 (the second was in hand)", got)
		}
		wantOutcomes(t, f.outcomes(), "") // never finished
		leaseEnd := f.heldLease()

		f.relay.setHook(nil)
		r = f.runSend()
		code := r.wait(t)
		if time.Now().After(leaseEnd) {
			t.Fatalf("the rerun ended after the lease (%v): the machine is too slow for a %v lease", leaseEnd, resumeLease)
		}
		if code != 1 || !strings.Contains(r.stdout.String(), "incomplete: 1 still claimed by another process") {
			t.Fatalf("rerun within the lease: exit %d, want 1 and \"incomplete\"\nstdout:\n%s\nstderr:\n%s",
				code, r.stdout.String(), lastLines(r.stderr.String(), 20))
		}
		if got := f.sent(); got != resumePeople-1 {
			t.Errorf("after the rerun %d reports accepted, want %d", got, resumePeople-1)
		}
		wantOutcomes(t, f.outcomes(), "interrupted", "partial") // the rerun saw the killed process gone

		// The daemon, started while the lease still holds, finds the claim
		// held too, records an incomplete run and tries again when the
		// lease ends.
		d := f.start("daemon", "--config", f.cfg)
		f.waitSucceeded(d)
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		if code := d.wait(t); code != 0 {
			t.Errorf("daemon exit %d after SIGTERM, want 0", code)
		}
		runs, err := f.ledger().Runs(context.Background(), resumeJob, f.period)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 3 && runs[2].StartedAt.After(leaseEnd) {
			t.Fatalf("the daemon's first run started after the lease (%v): the machine is too slow for a %v lease", leaseEnd, resumeLease)
		}
		wantOutcomes(t, f.outcomes(), "interrupted", "partial", "partial", "succeeded")
		if len(runs) == 4 && runs[3].StartedAt.Before(leaseEnd) {
			t.Errorf("the daemon tried again at %v, before the lease ended at %v", runs[3].StartedAt, leaseEnd)
		}
		t.Logf("killed run: 1 accepted, the one in hand never accepted; rerun within the lease: %d sent; the daemon's retry after the lease: the one left",
			resumePeople-2)
		f.checkExactlyOnce()
	})
}

// heldLease returns when the lease of the one claimed delivery ends.
func (f *resumeFixture) heldLease() time.Time {
	f.t.Helper()
	ds, err := f.ledger().Deliveries(context.Background(), resumeJob, f.period)
	if err != nil {
		f.t.Fatal(err)
	}
	var end time.Time
	for _, d := range ds {
		if d.Status == ledger.StatusClaimed {
			if !end.IsZero() {
				f.t.Fatalf("more than one claimed delivery: %+v", ds)
			}
			end = d.LeaseUntil
		}
	}
	if end.IsZero() {
		f.t.Fatalf("no claimed delivery left by the killed run: %+v", ds)
	}
	return end
}

// mark-done at go-live: the job's periods up to and including --through
// count as done in the ledger, later ones do not; wrong calls are usage
// errors that mark nothing.
func TestMarkDone(t *testing.T) {
	f := newResumeFixture(t, "sqlite")
	latest := register.MonthFromTime(testNow()).Add(-1).String() // the job's latest due period at runCmd's clock
	month, err := register.ParseMonth(latest)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"unknown job", []string{"--job", "weekly", "--through", latest}, exitUsage},
		{"not a month", []string{"--job", resumeJob, "--through", "2025"}, exitUsage},
		{"after the latest due period", []string{"--job", resumeJob, "--through", month.Add(1).String()}, exitUsage},
		{"missing --through", []string{"--job", resumeJob}, exitUsage},
		{"the month before the latest", []string{"--job", resumeJob, "--through", month.Add(-1).String()}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustRun(t, tt.want, append([]string{"mark-done", "--config", f.cfg}, tt.args...)...)
		})
	}
	l := f.ledger()
	for _, tc := range []struct {
		period string
		want   bool
	}{
		{month.Add(-3).String(), true},
		{month.Add(-1).String(), true},
		{latest, false},
	} {
		if ok, err := l.Succeeded(context.Background(), resumeJob, tc.period); err != nil || ok != tc.want {
			t.Errorf("after mark-done through %s: %s done = %v, %v; want %v", month.Add(-1), tc.period, ok, err, tc.want)
		}
	}
	runs, err := l.Runs(context.Background(), resumeJob, month.Add(-1).String())
	if err != nil || len(runs) != 1 || runs[0].Outcome != ledger.RunMarkedDone {
		t.Errorf("ledger rows for %s: %+v, %v; want one marked_done", month.Add(-1), runs, err)
	}
}
