package job

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// check judges readiness with each job's own readiness.min_coverage: one
// line per job with an override besides the global one, or with --job only
// that job's. September has data for one of two monthly indicators: ready
// at the global 0.5, not ready for the steering job's 1.
func TestCheckJudgesReadinessWithAJobsOwnMinCoverage(t *testing.T) {
	reg := testRegister()
	i2 := reg.Indicators[0]
	i2.ID, i2.Name = "I-2", "Andel timer avbestilt digitalt"
	reg.Indicators = append(reg.Indicators, i2)
	for _, m := range slices.Clone(reg.Measurements) {
		if m.Period < register.MonthOf(2025, time.September) {
			m.IndicatorID = "I-2"
			reg.Measurements = append(reg.Measurements, m)
		}
	}
	cfg := testConfig(t, writeRegister(t, reg), `readiness:
  min_coverage: 0.5
smtp:
  host: 127.0.0.1
  port: 25
  tls: none
  from: gevinst@example.no
jobs:
  - name: monthly-owner
    report: owner
    schedule: "0 6 3 * *"
    period: previous_month
  - name: steering
    report: steering
    schedule: "0 7 3 * *"
    period: previous_month
    readiness:
      min_coverage: 1
`)
	const (
		global   = "readiness 2025-09: ready: "
		owner    = "readiness 2025-09 (job monthly-owner): ready: "
		steering = "warning: readiness 2025-09 (job steering): not ready: "
	)
	cases := []struct {
		job         string
		want, never []string
	}{
		{"", []string{global, steering}, []string{owner}},
		{"steering", []string{steering}, []string{global, owner}},
		{"monthly-owner", []string{owner}, []string{global, steering}},
	}
	now := func() time.Time { return time.Date(2025, 10, 3, 6, 0, 0, 0, time.UTC) }
	for _, c := range cases {
		t.Run("job "+c.job, func(t *testing.T) {
			var out bytes.Buffer
			if _, err := Check(context.Background(), cfg, Options{Now: now}, "2025-09", c.job, &out); err != nil {
				t.Fatalf("check: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("no line %q in:\n%s", w, out.String())
				}
			}
			for _, n := range c.never {
				if strings.Contains(out.String(), n) {
					t.Errorf("line %q in:\n%s", n, out.String())
				}
			}
		})
	}
	var out bytes.Buffer
	if _, err := Check(context.Background(), cfg, Options{Now: now}, "2025-09", "nosuch", &out); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("check --job nosuch: %v, want an error naming it", err)
	}
}
