package report

import (
	"fmt"
	"testing"
	"time"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
	"gevinstrapport/templates"
)

func TestDevAnnual(t *testing.T) {
	x, _ := register.NewIndex(demo.Generate(demo.Small))
	cats, _ := LoadCatalogs(templates.FS)
	for _, y := range []int{2024, 2025} {
		rep, err := BuildAnnual(x, y, cats, "nb", "", Options{Settings: register.DefaultSettings(), Now: time.Date(2025, 10, 3, 4, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(rep.Title, "|", rep.Header, "|", rep.CountsText, rep.MetText, rep.ActionsText)
		for _, s := range rep.Summary {
			fmt.Printf("%s %s | %s | %s | %s | %s\n", s.BenefitID, s.IndicatorID, s.Value, s.Ambition, s.MetText, s.Suggested)
		}
		for _, e := range rep.Evaluation {
			fmt.Println("EVAL", e.BenefitID, e.Reason)
		}
		for _, b := range rep.Benefits {
			for _, ai := range b.Indicators {
				fmt.Println("  ", ai.StatusLine, "|", ai.Change, "|", ai.FinalState, "|", ai.SuggestedText, "|", ai.Coverage)
			}
		}
		for _, n := range rep.Notes {
			fmt.Println("NOTE", n.Text)
		}
	}
}
