package job

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/output"
	"gevinstrapport/internal/register"
)

// scaledFixture is a fixture on a scaledRegister whose recipients
// outnumber a run's window, with an SMTP server that calls onRcpt before
// each report RCPT.
func scaledFixture(t *testing.T, onRcpt func(n int, to string)) (*fixture, *Worker, []register.Person) {
	t.Helper()
	reg := scaledRegister(window(runtime.GOMAXPROCS(0))/9+2, 8)
	f := &fixture{t: t, cfg: testConfig(t, writeRegister(t, reg), ""), clock: &testClock{t: time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC)},
		smtp: newSMTPBackend(), state: stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")}}
	f.now = f.clock.Now
	hb := &hookBackend{smtpBackend: f.smtp, onRcpt: onRcpt}
	return f, f.worker("stream", serveSMTP(t, hb)), reg.People
}

// checkEachGotItsPDF fails unless every person got exactly one mail, with
// the PDF that manifest.json lists for them.
func checkEachGotItsPDF(t *testing.T, f *fixture, people []register.Person) {
	t.Helper()
	sha := f.manifestSHA()
	for _, p := range people {
		msgs := f.smtp.to(p.Email)
		if len(msgs) != 1 {
			t.Errorf("%s received %d mails, want 1", p.ID, len(msgs))
			continue
		}
		m := parseMail(t, msgs[0].Data)
		for _, pdf := range m.attachments {
			if got := output.SHA256(pdf); got != sha[p.ID] {
				t.Errorf("the PDF mailed to %s has sha256 %s, manifest.json lists %s", p.ID, got, sha[p.ID])
			}
		}
	}
}

// stagedPDFs counts the PDFs in the staging folders of the owner folder of
// 2025-09, and says whether the owner folder itself exists.
func stagedPDFs(t *testing.T, out string) (staged int, committed bool) {
	t.Helper()
	period := filepath.Join(out, "2025-09")
	pdfs, err := filepath.Glob(filepath.Join(period, ".owner.staging-*", "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = os.Stat(filepath.Join(period, "owner"))
	return len(pdfs), err == nil
}

// The first mail goes out while later reports are still to be rendered:
// when the server sees the first RCPT, the run's set is not committed and
// holds at most a window's worth of the reports. (The pipeline before this
// one rendered, wrote and committed all of them first.)
func TestSendingStartsBeforeTheLastReportIsWritten(t *testing.T) {
	var (
		mu        sync.Mutex
		staged    = -1
		committed bool
		out       string
	)
	f, w, people := scaledFixture(t, func(i int, _ string) {
		mu.Lock()
		defer mu.Unlock()
		if i == 1 {
			staged, committed = stagedPDFs(t, out)
		}
	})
	out = f.cfg.Output.Dir
	n := len(people)
	res, err := w.Run(context.Background(), ownerRequest(false))
	if err != nil || res.Sent != n || !res.Complete() {
		t.Fatalf("run: %v; %s", err, res.Summary())
	}
	mu.Lock()
	defer mu.Unlock()
	if committed || staged < 1 || staged > window(runtime.GOMAXPROCS(0)) || staged >= n {
		t.Errorf("at the first RCPT: set committed %v, %d of %d reports staged; want not committed and at most a window of them", committed, staged, n)
	}
	checkEachGotItsPDF(t, f, people)
}

// A run stopped (SIGTERM) before every report is written: the mail in
// hand is finished and recorded, every other delivery is pending, the
// ledger says interrupted, and the folder keeps the set of the run before
// (the stopped run's set is aborted, nothing of it left behind). A rerun
// writes the whole set and sends exactly the rest; the PDF mailed by the
// stopped run is the one the rerun's manifest lists, byte for byte (same
// data, same clock reading).
func TestStoppedBeforeWrittenKeepsTheOldSet(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, w, people := scaledFixture(t, func(i int, _ string) {
		if i == 1 {
			cancel()
		}
	})
	n := len(people)
	earlier := ownerRequest(false)
	earlier.Send = false
	if _, err := w.Run(context.Background(), earlier); err != nil {
		t.Fatalf("earlier run: %v", err)
	}
	before := readOwnerManifest(t, f)
	f.clock.Advance(time.Hour)

	res, err := w.Run(ctx, ownerRequest(false))
	if !errors.Is(err, ErrInterrupted) || !res.Interrupted || res.Sent != 1 || res.Pending != n-1 {
		t.Fatalf("stopped run: %v; %+v; want interrupted, 1 sent, %d pending", err, res, n-1)
	}
	if got := outcomes(f.runsOf()); len(got) != 1 || got[0] != ledger.RunInterrupted {
		t.Errorf("ledger runs %v, want [interrupted]", got)
	}
	if after := readOwnerManifest(t, f); !after.GeneratedAt.Equal(before.GeneratedAt) || len(after.Reports) != n {
		t.Errorf("the folder's manifest is of %v with %d reports; want the earlier run's (%v, %d)", after.GeneratedAt, len(after.Reports), before.GeneratedAt, n)
	}
	checkNoStaging(t, filepath.Join(f.cfg.Output.Dir, "2025-09"))

	res = runAll(t, w, n)
	if res.Sent != n-1 || res.AlreadySent != 1 || !res.Complete() {
		t.Errorf("rerun: %s; want %d sent, 1 already delivered", res.Summary(), n-1)
	}
	checkEachGotItsPDF(t, f, people)
}

// run2 runs the owner report with sending over a register of n people.
func runAll(t *testing.T, w *Worker, n int) Result {
	t.Helper()
	res, err := w.Run(context.Background(), ownerRequest(false))
	if err != nil || res.Produced != n {
		t.Fatalf("run: %v; %s", err, res.Summary())
	}
	return res
}

func readOwnerManifest(t *testing.T, f *fixture) output.Manifest {
	t.Helper()
	return readManifest(t, filepath.Join(output.Dir(f.cfg.Output.Dir, "2025-09", Owner), "manifest.json"))
}

// checkNoStaging fails when a staging folder or an old set is left in the period folder.
func checkNoStaging(t *testing.T, period string) {
	t.Helper()
	entries, err := os.ReadDir(period)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".staging-") || strings.Contains(e.Name(), ".old-") {
			t.Errorf("left behind in %s: %s", period, e.Name())
		}
	}
}

// progressLog records what a run tells its Progress.
type progressLog struct {
	mu      sync.Mutex
	starts  []int
	updates [][3]int
	ends    int
}

func (p *progressLog) Start(_, _ string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starts = append(p.starts, total)
}

func (p *progressLog) Update(done, total, failed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.updates = append(p.updates, [3]int{done, total, failed})
}

func (p *progressLog) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ends++
}

// A run tells its Progress the number of recipients, then each one done,
// with the failures so far (here one address the server rejects), and
// ends it.
func TestProgressFollowsTheRecipients(t *testing.T) {
	f := newFixture(t, stateStore{driver: "sqlite", dsn: filepath.Join(t.TempDir(), "state.db")})
	f.smtp.rejectAlways(testPeople()[2].email, 550)
	p := &progressLog{}
	w := f.worker("a", f.port)
	w.opt.Progress = p
	res := run(t, w, false)
	if res.SendFailed != 1 {
		t.Fatalf("run: %s; want 1 failed", res.Summary())
	}
	total := len(testPeople())
	if len(p.starts) != 1 || p.starts[0] != total || p.ends != 1 {
		t.Errorf("Start %v, End called %d times; want Start(%d) and one End", p.starts, p.ends, total)
	}
	if len(p.updates) != total {
		t.Fatalf("updates %v, want one per recipient", p.updates)
	}
	for i, u := range p.updates {
		if u[0] != i+1 || u[1] != total {
			t.Errorf("update %d is %v, want %d of %d done", i, u, i+1, total)
		}
	}
	if last := p.updates[total-1]; last[2] != 1 {
		t.Errorf("the last update counts %d failures, want 1", last[2])
	}
}

// built is every report of a run built but not rendered, for the tests
// that compare report models.
type built struct {
	artifacts []*artifact
	failures  []output.FailedEntry
	manifest  output.Manifest // the reports' own manifest fields (portfolio, savings)
}

// build builds every recipient of req's plan in turn, as the run's pool
// does before it renders.
func (w *Worker) build(x *register.Index, req Request) (built, error) {
	plan, err := w.plan(x, req)
	if err != nil {
		return built{}, err
	}
	var b built
	for _, r := range plan {
		var a *artifact
		err := guard("build "+r.kind+" for "+r.key, func() error {
			var err error
			a, err = r.build()
			return err
		})
		if err != nil {
			b.failures = append(b.failures, output.FailedEntry{RecipientID: r.key, Error: firstLine(err.Error())})
			continue
		}
		if a.manifest != nil {
			a.manifest(&b.manifest)
		}
		b.artifacts = append(b.artifacts, a)
	}
	return b, nil
}
