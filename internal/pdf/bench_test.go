package pdf

import (
	"bytes"
	"context"
	"testing"

	"gevinstrapport/internal/report"
)

// chartCount is the number of time-series charts the owner report draws.
func chartCount(rep report.OwnerReport) int {
	n := 0
	for _, sec := range rep.Benefits {
		for _, is := range sec.Indicators {
			if len(is.Chart.Points) > 0 {
				n++
			}
		}
	}
	return n
}

// benchOwnerReport picks the small demo's first recipient (in Recipients
// order) whose owner report draws exactly four charts, so the benchmark
// measures the report issue 2 sets its target for.
func benchOwnerReport(b *testing.B) report.OwnerReport {
	b.Helper()
	for _, rep := range demoOwnerReports(b) {
		if chartCount(rep) == 4 {
			return rep
		}
	}
	b.Fatal("no owner report of the small demo has exactly four charts")
	return report.OwnerReport{}
}

func TestBenchOwnerReportHasFourCharts(t *testing.T) {
	found := 0
	for _, rep := range demoOwnerReports(t) {
		if chartCount(rep) == 4 {
			found++
		}
	}
	if found == 0 {
		t.Fatal("no owner report of the small demo has exactly four charts; BenchmarkRenderOwnerReport needs one")
	}
}

// BenchmarkRenderOwnerReport renders a real four-chart owner report of the
// small demo; issue 2's target is well under 20 ms/op with -cpu 1.
func BenchmarkRenderOwnerReport(b *testing.B) {
	rep := benchOwnerReport(b)
	e := newEngine(b)
	doc := Owner(rep)
	var buf bytes.Buffer
	pages := 0
	for b.Loop() {
		buf.Reset()
		info, err := e.Render(context.Background(), &buf, doc)
		if err != nil {
			b.Fatal(err)
		}
		pages = info.Pages
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(4, "charts")
	b.ReportMetric(float64(buf.Len())/1024, "KiB")
}
