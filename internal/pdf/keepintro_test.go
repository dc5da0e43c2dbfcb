package pdf

import "testing"

// TestBenefitHeadingStaysWithFirstIndicator pins that an owner report's
// benefit section opens with one KeepTogether holding the benefit's heading
// and its first indicator's heading, so that the heading never ends a page alone.
func TestBenefitHeadingStaysWithFirstIndicator(t *testing.T) {
	checked := 0
	for _, rep := range demoOwnerReports(t) {
		for _, sec := range rep.Benefits {
			if len(sec.Indicators) == 0 {
				continue
			}
			b := ownerSection(rep, sec)
			k, ok := b[0].(KeepTogether)
			if !ok {
				t.Fatalf("%s %s: section starts with %T, want KeepTogether", rep.Recipient.ID, sec.Benefit.ID, b[0])
			}
			var benefit, indicator bool
			for _, blk := range k.Blocks {
				h, ok := blk.(Heading)
				benefit = benefit || ok && h.Level == 1 && h.Text == sec.Title
				indicator = indicator || ok && h.Level == 2 && h.Text == sec.Indicators[0].Name
			}
			if !benefit || !indicator {
				t.Errorf("%s %s: kept together: benefit heading %v, first indicator heading %v", rep.Recipient.ID, sec.Benefit.ID, benefit, indicator)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no benefit section with indicators in the demo")
	}
}
