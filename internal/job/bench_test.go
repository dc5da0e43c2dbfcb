package job

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gevinstrapport/internal/config"
	"gevinstrapport/internal/demo"
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
