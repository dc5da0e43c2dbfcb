package job

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gevinstrapport/internal/schedule"
)

// pushgateway is an httptest server that records every push it gets.
type pushgateway struct {
	*httptest.Server
	mu     sync.Mutex
	pushes []pushed
}

// pushed is one request a pushgateway got.
type pushed struct{ method, path, body string }

func newPushgateway(t *testing.T) *pushgateway {
	g := &pushgateway{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.pushes = append(g.pushes, pushed{r.Method, r.URL.Path, string(b)})
		g.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(g.Close)
	return g
}

func TestMetricsPushToPushgateway(t *testing.T) {
	cases := []struct {
		name  string
		shard Shard
		group string
	}{
		{"unsharded", Shard{}, "job=gevinstrapport run=run-owner"},
		{"one shard of one", Shard{I: 0, N: 1}, "job=gevinstrapport run=run-owner"},
		{"shard 0 of 8", Shard{I: 0, N: 8}, "job=gevinstrapport run=run-owner shard=0-of-8"},
		{"shard 2 of 8", Shard{I: 2, N: 8}, "job=gevinstrapport run=run-owner shard=2-of-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newPushgateway(t)
			m := NewMetrics("1.2.3")
			m.observe("monthly-owner", Result{Report: Owner, Produced: 3, Sent: 2, NoAddress: 1, Duration: time.Second}, nil, time.Unix(1700000000, 0))
			if err := m.Push(context.Background(), g.URL, "run-owner", c.shard); err != nil {
				t.Fatalf("push: %v", err)
			}
			if len(g.pushes) != 1 {
				t.Fatalf("%d pushes, want 1", len(g.pushes))
			}
			got := g.pushes[0]
			if group := groupOf(t, got.path); got.method != http.MethodPut || group != c.group {
				t.Errorf("push went to %s %s (group %q), want PUT to group %q", got.method, got.path, group, c.group)
			}
			// The body is protobuf-delimited; metric and label names appear as text in it.
			for _, want := range []string{"gevinstrapport_reports_total", "gevinstrapport_deliveries_total",
				"gevinstrapport_last_success_timestamp_seconds", "monthly-owner", "gevinstrapport_build_info", "1.2.3"} {
				if !strings.Contains(got.body, want) {
					t.Errorf("pushed metrics lack %q", want)
				}
			}
			// A finished process's runtime is no use in a Pushgateway group.
			for _, unwanted := range []string{"go_goroutines", "process_start_time_seconds"} {
				if strings.Contains(got.body, unwanted) {
					t.Errorf("pushed metrics hold %q", unwanted)
				}
			}
		})
	}
}

// groupOf turns a push path, /metrics/job/<job>/<label>/<value>..., into
// its grouping labels sorted by name: "job=gevinstrapport run=run-owner".
func groupOf(t *testing.T, path string) string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(path, "/metrics/"), "/")
	if len(parts)%2 != 0 {
		t.Fatalf("push path %q is not /metrics/ and label/value pairs", path)
	}
	var pairs []string
	for i := 0; i < len(parts); i += 2 {
		pairs = append(pairs, parts[i]+"="+parts[i+1])
	}
	slices.Sort(pairs)
	return strings.Join(pairs, " ")
}

// The shards of one run push to groups of their own, so the gateway keeps
// every shard's counts instead of the last pusher's.
func TestMetricsShardsPushToTheirOwnGroups(t *testing.T) {
	g := newPushgateway(t)
	for i := range 3 {
		m := NewMetrics("1.2.3")
		if err := m.Push(context.Background(), g.URL, "run-owner", Shard{I: i, N: 3}); err != nil {
			t.Fatalf("push shard %d: %v", i, err)
		}
	}
	seen := map[string]bool{}
	for _, p := range g.pushes {
		seen[groupOf(t, p.path)] = true
	}
	if len(seen) != 3 {
		t.Errorf("3 shards pushed to %d distinct groups: %v", len(seen), seen)
	}
}

// The daemon's /metrics serves the Go and process collectors and the build
// info beside the job's own metrics.
func TestMetricsServesRuntimeAndBuildInfo(t *testing.T) {
	clk := schedule.NewFakeClock(time.Date(2025, 10, 3, 7, 0, 0, 0, time.UTC))
	sched := schedule.New(nil, nil, nil, clk, schedule.Options{})
	srv := httptest.NewServer(Handler(NewHealth(sched, nil, HealthOptions{}), NewMetrics("9.9.9")))
	defer srv.Close()
	body, _ := get(t, srv, "/metrics")
	for _, want := range []string{
		"\ngo_goroutines ",
		"\ngo_memstats_heap_alloc_bytes ",
		"\nprocess_start_time_seconds ",
		"\nprocess_resident_memory_bytes ",
		`gevinstrapport_build_info{goversion="` + runtime.Version() + `",version="9.9.9"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", strings.TrimSpace(want))
		}
	}
}
