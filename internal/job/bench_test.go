package job

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/ledger"
	"gevinstrapport/internal/mail"
)

// benchWorker writes the demo register of scale to an SQLite file and
// returns a Worker reading it and writing reports to a temporary folder.
func benchWorker(b *testing.B, scale demo.Scale) *Worker {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	db := filepath.Join(dir, "register.db")
	if err := demo.Write(ctx, db, scale); err != nil {
		b.Fatalf("write %s demo: %v", scale, err)
	}
	cfg := config.Default()
	cfg.Database = config.Database{Driver: "sqlite", DSN: db}
	cfg.Output.Dir = filepath.Join(dir, "out")
	now := time.Date(2025, time.October, 3, 4, 0, 0, 0, time.UTC)
	w, err := NewWorker(ctx, cfg, Options{Now: func() time.Time { return now }})
	if err != nil {
		b.Fatalf("new worker: %v", err)
	}
	b.Cleanup(func() { w.Close() })
	return w
}

// benchRun runs the owner report of the demo's latest month without sending
// (load, evaluate, build, render on GOMAXPROCS workers, write) and reports
// reports per second.
func benchRun(b *testing.B, scale demo.Scale, shard Shard) {
	w := benchWorker(b, scale)
	req := Request{Report: Owner, Period: Period{Month: demo.Latest(scale)}, Shard: shard}
	produced := 0
	for b.Loop() {
		res, err := w.Run(context.Background(), req)
		if err != nil {
			b.Fatalf("run: %v", err)
		}
		if res.Failed() || res.Produced == 0 {
			b.Fatalf("run: %s", res.Summary())
		}
		produced = res.Produced
	}
	b.ReportMetric(float64(produced), "reports/op")
	b.ReportMetric(float64(produced*b.N)/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkRunOwnerSmall is the whole owner pipeline on the small demo.
func BenchmarkRunOwnerSmall(b *testing.B) { benchRun(b, demo.Small, Shard{}) }

// BenchmarkRunOwnerRegional is the whole owner pipeline on the regional demo.
func BenchmarkRunOwnerRegional(b *testing.B) { benchRun(b, demo.Regional, Shard{}) }

// BenchmarkRunOwnerNationalShard is one worker of a national run split in
// nationalShards (SPEC §9): it loads the whole national register and
// renders its share of the recipients.
func BenchmarkRunOwnerNationalShard(b *testing.B) {
	b.Run(fmt.Sprintf("shard=0of%d", nationalShards), func(b *testing.B) {
		benchRun(b, demo.National, Shard{I: 0, N: nationalShards})
	})
}

// nationalShards is how many workers the national benchmark's run is split over.
const nationalShards = 16

// firstSink is an SMTP server that takes every message, keeps none, and
// notes when it took the first.
type firstSink struct {
	sinkBackend
	first time.Time
}

func (b *firstSink) NewSession(*smtp.Conn) (smtp.Session, error) {
	return firstSession{sinkSession{&b.sinkBackend}, b}, nil
}

type firstSession struct {
	sinkSession
	b *firstSink
}

func (s firstSession) Data(r io.Reader) error {
	if err := s.sinkSession.Data(r); err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.b.first.IsZero() {
		s.b.first = time.Now()
	}
	return nil
}

// benchSend runs the owner report of the demo of scale with sending, to an
// in-process SMTP server that keeps nothing and a fresh SQLite ledger each
// time, and reports how long the first mail took from the start of the run
// (first-mail-ms) and reports per second.
func benchSend(b *testing.B, scale demo.Scale) {
	w := benchWorker(b, scale)
	req := Request{Report: Owner, Period: Period{Month: demo.Latest(scale)}, Send: true, Job: testJob}
	var first time.Duration
	sent := 0
	for b.Loop() {
		b.StopTimer()
		sink := &firstSink{}
		port := serveSMTP(b, sink)
		s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: "Gevinstrapport <gevinst@example.no>", Timeout: 10 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		l, err := ledger.Open(context.Background(), "sqlite", filepath.Join(b.TempDir(), "state.db"), ledger.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w.sender, w.ledger = s, l
		b.StartTimer()
		start := time.Now()
		res, err := w.Run(context.Background(), req)
		if err != nil || res.Sent == 0 {
			b.Fatalf("run: %v; %s", err, res.Summary())
		}
		b.StopTimer()
		first += sink.first.Sub(start)
		sent += res.Sent
		l.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "first-mail-ms")
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "mails/s")
}

// BenchmarkFirstMail is the owner run with sending: how soon the first
// owner has their mail (the target: 3 s on the national demo).
func BenchmarkFirstMail(b *testing.B) {
	for _, scale := range []demo.Scale{demo.Regional, demo.National} {
		b.Run(string(scale), func(b *testing.B) { benchSend(b, scale) })
	}
}
