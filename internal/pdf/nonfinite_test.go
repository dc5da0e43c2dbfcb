package pdf

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/templates"
)

// TestOwnerNonFiniteValueHasNoColour renders an owner report whose only
// indicator's latest value is NaN (a register built in memory: Load skips
// such rows). The PDF must say Ugyldig, and never show "–" under a colour.
func TestOwnerNonFiniteValueHasNoColour(t *testing.T) {
	reg := &register.Register{
		Units:    []register.OrgUnit{{ID: "R", Name: "Region", Kind: register.KindRHF}, {ID: "A", Name: "Alfa", Kind: register.KindHF, ParentID: "R"}},
		People:   []register.Person{{ID: "P1", Name: "Kari Nordmann", Email: "kari@example.no"}},
		Benefits: []register.Benefit{{ID: "G1", Title: "Kortere ventetid", Category: register.QualitySafety, OrgUnitID: "R", OwnerID: "P1", Phase: register.PhaseRealise}},
		Indicators: []register.Indicator{{ID: "I1", BenefitID: "G1", Name: "Ventetid", Unit: "dager", Direction: register.Down,
			Aggregation: register.Mean, Frequency: register.Monthly, Decimals: 1, BaselineValue: register.F(10)}},
		Ambitions: []register.Ambition{{IndicatorID: "I1", Year: 2025, Target: 5}},
	}
	for m := register.MonthOf(2025, time.May); m <= register.MonthOf(2025, time.September); m++ {
		v := 8.0
		if m == register.MonthOf(2025, time.September) {
			v = math.NaN()
		}
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "I1", OrgUnitID: "A", Period: m, Value: register.F(v)})
	}
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	cats, err := report.LoadCatalogs(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	opt := report.Options{Settings: register.DefaultSettings(), DefaultLang: "nb", Now: time.Date(2025, 10, 3, 4, 0, 0, 0, time.UTC), Location: time.UTC}
	rep, err := report.BuildOwner(x, report.Recipients(x)[0], register.MonthOf(2025, time.September), cats, opt)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := e.Render(context.Background(), &buf, Owner(rep)); err != nil {
		t.Fatalf("render: %v", err)
	}
	text := ownerPDFText(t, buf.Bytes())
	if !strings.Contains(strings.ToLower(ownerSquash(text)), "statusfordeling: 1 ugyldig.") {
		t.Errorf("the PDF does not count the NaN value as Ugyldig:\n%s", text)
	}
	// A status cell is a line of its own; the legend's lines explain colours.
	for _, line := range strings.Split(text, "\n") {
		switch strings.TrimSpace(line) {
		case "Grønn", "Gul", "Rød":
			t.Errorf("the PDF shows the status %s for a value that is not a number", strings.TrimSpace(line))
		}
	}
	if strings.Contains(strings.ToLower(text), "nan") {
		t.Errorf("the PDF prints NaN")
	}
}
