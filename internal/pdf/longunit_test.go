package pdf

import (
	"strings"
	"testing"
)

// TestOwnerChartsNameALongUnitOnce pins the owner report's charts of an
// indicator with a long unit ("per 1000 innleggelser"): ticks and bar labels
// carry the number alone, so they do not run into each other, and the
// chart's title or heading names the unit once.
func TestOwnerChartsNameALongUnitOnce(t *testing.T) {
	found := false
	for _, rep := range demoOwnerReports(t) {
		for _, b := range rep.Benefits {
			for _, is := range b.Indicators {
				if !chartLongUnit(is.Chart.Unit) || len(is.Chart.Points) == 0 {
					continue
				}
				found = true
				unit := is.Chart.Unit
				if got := timeSeries(rep, is.Chart).FormatValue(2.4); strings.Contains(got, unit) {
					t.Errorf("%s: tick %q carries the unit", is.Indicator.ID, got)
				}
				if bars, ok := breakdownBars(rep, is); ok {
					for _, bar := range bars.Items {
						if strings.Contains(bar.ValueText, unit) {
							t.Errorf("%s: bar label %q carries the unit", is.Indicator.ID, bar.ValueText)
						}
					}
				}
				title := unitTitle(rep.Catalog(), "Fordeling per enhet", unit)
				if title != "Fordeling per enhet ("+unit+")" {
					t.Errorf("%s: title %q does not name the unit", is.Indicator.ID, title)
				}
				if again := unitTitle(rep.Catalog(), title, unit); again != title {
					t.Errorf("%s: title %q names the unit twice", is.Indicator.ID, again)
				}
			}
		}
	}
	if !found {
		t.Fatal("the demo's owner reports have no indicator with a long unit; the test checks nothing")
	}
}
