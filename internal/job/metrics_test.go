package job

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsPushToPushgateway(t *testing.T) {
	var got struct {
		method, path, body string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got.method, got.path, got.body = r.Method, r.URL.Path, string(b)
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	m := NewMetrics()
	m.observe("monthly-owner", Result{Report: Owner, Produced: 3, Sent: 2, NoAddress: 1, Duration: time.Second}, nil, time.Unix(1700000000, 0))
	if err := m.Push(context.Background(), srv.URL, "run-owner"); err != nil {
		t.Fatalf("push: %v", err)
	}
	if got.method != http.MethodPut || !strings.Contains(got.path, "/metrics/job/gevinstrapport") || !strings.Contains(got.path, "run/run-owner") {
		t.Errorf("push went to %s %s", got.method, got.path)
	}
	// The body is protobuf-delimited; metric and label names appear as text in it.
	for _, want := range []string{"gevinstrapport_reports_total", "gevinstrapport_deliveries_total", "gevinstrapport_last_success_timestamp_seconds", "monthly-owner"} {
		if !strings.Contains(got.body, want) {
			t.Errorf("pushed metrics lack %q", want)
		}
	}
}
