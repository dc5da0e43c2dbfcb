package demo

import (
	"testing"

	"gevinstrapport/internal/register"
)

// TestEvaluatedStatuses checks that the small demo, evaluated at Latest
// with the default settings, shows every status a report must be able to draw.
func TestEvaluatedStatuses(t *testing.T) {
	reg := Generate(Small)
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatalf("index the demo register: %v", err)
	}
	p, s := Latest(Small), register.DefaultSettings()
	scopes := map[string]string{}
	for _, b := range reg.Benefits {
		scopes[b.ID] = b.OrgUnitID
	}
	got := map[register.Status][]string{}
	trends := map[string]register.Trend{}
	for _, ind := range reg.Indicators {
		r := x.Evaluate(ind, scopes[ind.BenefitID], p, s)
		got[r.Status] = append(got[r.Status], ind.ID)
		trends[ind.ID] = r.Trend
	}
	for _, want := range []register.Status{register.Green, register.Yellow, register.Red, register.Invalid, register.NoAmbition, register.NoData} {
		if len(got[want]) == 0 {
			t.Errorf("no indicator is %s at %s; statuses: %v", want, p, got)
		}
	}
	if got, want := x.Evaluate(indicatorByID(reg, "I-012"), "5041-HJT", p, s).Status, register.Suppressed; got != want {
		t.Errorf("I-012 for Snåsa home care: %s, want %s", got, want)
	}
	if trends["I-007"] != register.Worsening {
		t.Errorf("I-007 trend %s at %s, want %s", trends["I-007"], p, register.Worsening)
	}
	if len(got[register.Green]) < len(reg.Indicators)/3 {
		t.Errorf("only %d green indicators: a demo after three years should show progress", len(got[register.Green]))
	}
}

func indicatorByID(reg *register.Register, id string) register.Indicator {
	for _, ind := range reg.Indicators {
		if ind.ID == id {
			return ind
		}
	}
	return register.Indicator{}
}
