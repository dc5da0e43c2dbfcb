package report

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

var sep2025 = register.MonthOf(2025, time.September)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// testRegister is a small hand-made register:
//
//	hf1 (HF) with units u1 and u2 (a Sámi name);
//	p1 owns B1 (I1 ratio %, I2 suppressed) and the closed B3;
//	p2 (nn) holds B1 for u1 and owns B4 (I4 down/mean green, I5 invalid thresholds);
//	p3 (en) holds B1 for u2 and owns B2 (I3 sum in kroner, green);
//	p2 also holds B2 for u1, a part of that sum.
func testRegister() *register.Register {
	reg := &register.Register{
		Units: []register.OrgUnit{
			{ID: "hf1", Name: "Helse Test HF", Kind: register.KindHF},
			{ID: "u1", Name: "Avdeling Øst", Kind: register.KindUnit, ParentID: "hf1"},
			{ID: "u2", Name: "Kárášjohka – Karasjok", Kind: register.KindUnit, ParentID: "hf1"},
		},
		People: []register.Person{
			{ID: "p1", Name: "Kari Nordmann", Email: "kari@example.no"},
			{ID: "p2", Name: "Ola Nynorsk", Language: "nn"},
			{ID: "p3", Name: "Ann English", Language: "en"},
		},
		Benefits: []register.Benefit{
			{ID: "B1", Title: "Pasientbooking", Category: register.PatientInvolvement, OrgUnitID: "hf1", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "B2", Title: "Lavere lønnskostnader", Category: register.Savings, OrgUnitID: "hf1", OwnerID: "p3", Phase: register.PhaseRealise},
			{ID: "B3", Title: "Avsluttet gevinst", Category: register.Satisfaction, OrgUnitID: "hf1", OwnerID: "p1", Phase: register.PhaseClosed},
			{ID: "B4", Title: "Kortere ventetid", Category: register.QualitySafety, OrgUnitID: "u1", OwnerID: "p2", Phase: register.PhaseRealise},
		},
		Holders: []register.Holder{
			{BenefitID: "B1", OrgUnitID: "u2", PersonID: "p3"},
			{BenefitID: "B1", OrgUnitID: "u1", PersonID: "p2"},
			{BenefitID: "B2", OrgUnitID: "u1", PersonID: "p2"},
		},
		Indicators: []register.Indicator{
			{ID: "I1", BenefitID: "B1", Name: "Andel selvbooking", Unit: "%", Direction: register.Up, Aggregation: register.Ratio,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: register.F(10), TargetValue: register.F(30), TargetDate: day(2026, 12, 31)},
			{ID: "I2", BenefitID: "B1", Name: "Andel digitale skjema", Unit: "%", Direction: register.Up, Aggregation: register.Ratio,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: register.F(0), TargetValue: register.F(50), TargetDate: day(2026, 12, 31),
				MinDenominator: register.F(10)},
			{ID: "I3", BenefitID: "B2", Name: "Sparte lønnskostnader", Unit: "kr", Direction: register.Up, Aggregation: register.Sum,
				Frequency: register.Monthly, Decimals: 0, BaselineValue: register.F(0), TargetValue: register.F(2000000), TargetDate: day(2026, 12, 31)},
			{ID: "I4", BenefitID: "B4", Name: "Ventetid", Unit: "dager", Direction: register.Down, Aggregation: register.Mean,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: register.F(40), TargetValue: register.F(15), TargetDate: day(2026, 12, 31)},
			{ID: "I5", BenefitID: "B4", Name: "Andel timer", Unit: "%", Direction: register.Up, Aggregation: register.Ratio,
				Frequency: register.Monthly, Decimals: 1, BaselineValue: register.F(10), TargetValue: register.F(30)},
		},
		Ambitions: []register.Ambition{
			{IndicatorID: "I1", Year: 2024, Target: 15},
			{IndicatorID: "I1", Year: 2025, Target: 25},
			{IndicatorID: "I2", Year: 2025, Target: 20},
			{IndicatorID: "I3", Year: 2025, Target: 1200000},
			{IndicatorID: "I4", Year: 2025, Target: 20, RedLimit: register.F(30), GreenLimit: register.F(20)},
			{IndicatorID: "I5", Year: 2025, Target: 20, RedLimit: register.F(25), GreenLimit: register.F(20)},
		},
		Actions: []register.ChangeAction{
			{ID: "A1", BenefitID: "B1", Title: "Opplæring", Responsible: "Klinikksjef", DueDate: day(2025, 9, 15), Status: register.ActionInProgress},
			{ID: "A2", BenefitID: "B1", Title: "Innføre SMS", Responsible: "IKT", DueDate: day(2025, 6, 1), Status: register.ActionImplemented, CompletedOn: day(2025, 5, 28)},
			{ID: "A3", BenefitID: "B1", Title: "Ny rutine", DueDate: day(2025, 10, 15), Status: register.ActionPlanned},
			{ID: "A4", BenefitID: "B1", Title: "Plakater", DueDate: day(2025, 9, 30), Status: register.ActionPlanned},
			{ID: "A5", BenefitID: "B1", Title: "Droppet tiltak", DueDate: day(2025, 3, 1), Status: register.ActionCancelled},
		},
	}
	for m := time.January; m <= time.September; m++ {
		p := register.MonthOf(2025, m)
		reg.Measurements = append(reg.Measurements,
			register.Measurement{IndicatorID: "I1", OrgUnitID: "u1", Period: p, Numerator: register.F(30), Denominator: register.F(100)},
			register.Measurement{IndicatorID: "I1", OrgUnitID: "u2", Period: p, Numerator: register.F(5), Denominator: register.F(100)},
			register.Measurement{IndicatorID: "I3", OrgUnitID: "hf1", Period: p, Value: register.F(100000)},
			register.Measurement{IndicatorID: "I3", OrgUnitID: "u1", Period: p, Value: register.F(20000)},
			register.Measurement{IndicatorID: "I4", OrgUnitID: "u1", Period: p, Value: register.F(15)},
			register.Measurement{IndicatorID: "I5", OrgUnitID: "u1", Period: p, Numerator: register.F(22), Denominator: register.F(100)},
		)
	}
	reg.Measurements = append(reg.Measurements,
		register.Measurement{IndicatorID: "I2", OrgUnitID: "u2", Period: sep2025, Numerator: register.F(2), Denominator: register.F(5)},
		// u1 measured I2 once, long ago: a holder there has no data now.
		register.Measurement{IndicatorID: "I2", OrgUnitID: "u1", Period: register.MonthOf(2024, 6), Numerator: register.F(30), Denominator: register.F(100)})
	return reg
}

func testIndex(t *testing.T) *register.Index {
	t.Helper()
	x, err := register.NewIndex(testRegister())
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	return x
}

func testOptions(t *testing.T) Options {
	t.Helper()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatalf("load Europe/Oslo: %v", err)
	}
	return Options{
		Settings:    register.DefaultSettings(),
		DefaultLang: "nb",
		Now:         time.Date(2025, time.October, 2, 23, 30, 0, 0, time.UTC), // 3 October in Oslo
		Location:    oslo,
	}
}

func TestRecipients(t *testing.T) {
	x := testIndex(t)
	got := Recipients(x)
	want := []struct {
		id    string
		parts []Part
	}{
		{"p1", []Part{{BenefitID: "B1", Scope: "hf1", Role: RoleOwner}}},
		{"p2", []Part{{BenefitID: "B1", Scope: "u1", Role: RoleHolder}, {BenefitID: "B2", Scope: "u1", Role: RoleHolder}, {BenefitID: "B4", Scope: "u1", Role: RoleOwner}}},
		{"p3", []Part{{BenefitID: "B1", Scope: "u2", Role: RoleHolder}, {BenefitID: "B2", Scope: "hf1", Role: RoleOwner}}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d recipients, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		t.Run(w.id, func(t *testing.T) {
			if got[i].Person.ID != w.id {
				t.Fatalf("recipient %d is %q, want %q", i, got[i].Person.ID, w.id)
			}
			if !slices.Equal(got[i].Parts, w.parts) {
				t.Errorf("parts = %+v, want %+v", got[i].Parts, w.parts)
			}
		})
	}
}

func TestSortPartsMergesPartsAnotherPartCovers(t *testing.T) {
	got := sortParts(testIndex(t), []Part{
		{BenefitID: "B2", Scope: "u1", Role: RoleHolder},
		{BenefitID: "B1", Scope: "hf1", Role: RoleHolder},
		{BenefitID: "B1", Scope: "u1", Role: RoleHolder}, // within the owner's hf1
		{BenefitID: "B1", Scope: "hf1", Role: RoleOwner},
		{BenefitID: "B1", Scope: "a", Role: RoleHolder}, // not under hf1: its own part
	})
	want := []Part{
		{BenefitID: "B1", Scope: "hf1", Role: RoleOwner},
		{BenefitID: "B1", Scope: "a", Role: RoleHolder},
		{BenefitID: "B2", Scope: "u1", Role: RoleHolder},
	}
	if !slices.Equal(got, want) {
		t.Errorf("sortParts = %+v, want %+v", got, want)
	}
}

func buildFor(t *testing.T, personID string) OwnerReport {
	t.Helper()
	x := testIndex(t)
	cats := loadCatalogs(t)
	for _, r := range Recipients(x) {
		if r.Person.ID == personID {
			rep, err := BuildOwner(x, r, sep2025, cats, testOptions(t))
			if err != nil {
				t.Fatalf("BuildOwner(%s): %v", personID, err)
			}
			return rep
		}
	}
	t.Fatalf("no recipient %s", personID)
	return OwnerReport{}
}

func summaryOf(rep OwnerReport, indicatorID string) (SummaryRow, bool) {
	for _, s := range rep.Summary {
		if s.IndicatorID == indicatorID {
			return s, true
		}
	}
	return SummaryRow{}, false
}

func indicatorOf(rep OwnerReport, benefitID, indicatorID string) (IndicatorSection, bool) {
	for _, b := range rep.Benefits {
		if b.Benefit.ID != benefitID {
			continue
		}
		for _, is := range b.Indicators {
			if is.Indicator.ID == indicatorID {
				return is, true
			}
		}
	}
	return IndicatorSection{}, false
}

func TestBuildOwnerSummary(t *testing.T) {
	tests := []struct {
		name       string
		person     string
		lang       string
		indicator  string
		scope      string
		status     register.Status
		value      string
		statusText string
	}{
		{"owner sees the whole trust, yellow at the red limit", "p1", "nb", "I1", "hf1", register.Yellow, "17,5\u00a0%", "Gul"},
		{"owner sees suppressed as prikket", "p1", "nb", "I2", "hf1", register.Suppressed, "prikket", "Prikket"},
		{"holder of u1 sees u1 only: green", "p2", "nn", "I1", "u1", register.Green, "30,0\u00a0%", "Grøn"},
		{"holder of u1 has no data for I2: its latest measured value with its period", "p2", "nn", "I2", "u1", register.NoData, "30,0\u00a0% (juni 2024)", "Manglar data"},
		{"down indicator is green below the green limit", "p2", "nn", "I4", "u1", register.Green, "15,0\u00a0dagar", "Grøn"},
		{"contradicting thresholds are invalid", "p2", "nn", "I5", "u1", register.Invalid, "22,0\u00a0%", "Ugyldig"},
		{"holder of u2 is red, in English", "p3", "en", "I1", "u2", register.Red, "5.0\u00a0%", "Red"},
		{"sum indicator judged year to date", "p3", "en", "I3", "hf1", register.Green, "1,080,000\u00a0kr", "Green"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := buildFor(t, tt.person)
			if rep.Lang != tt.lang {
				t.Errorf("Lang = %q, want %q", rep.Lang, tt.lang)
			}
			row, ok := summaryOf(rep, tt.indicator)
			if !ok {
				t.Fatalf("no summary row for %s in %+v", tt.indicator, rep.Summary)
			}
			if row.Scope != tt.scope || row.Status != tt.status || row.Value != tt.value || row.StatusText != tt.statusText {
				t.Errorf("row = scope %q status %q value %q word %q; want %q %q %q %q",
					row.Scope, row.Status, row.Value, row.StatusText, tt.scope, tt.status, tt.value, tt.statusText)
			}
		})
	}
}

func TestBuildOwnerPageOne(t *testing.T) {
	rep := buildFor(t, "p1")
	checks := []struct{ name, got, want string }{
		{"title", rep.Title, "Månedsrapport – gevinstrealisering"},
		{"period", rep.PeriodText, "september 2025"},
		{"data per in Oslo time", rep.DataPer, "3. oktober 2025"},
		{"header", rep.Header, "september 2025 · laget 3. oktober 2025"},
		{"subtitle", rep.Subtitle, "Kari Nordmann – gevinstansvarlig"},
		{"latest", rep.LatestText, "september 2025"},
		{"counts", rep.CountsText, "Statusfordeling: 1 gul, 1 prikket."},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	if len(rep.Benefits) != 1 || rep.Benefits[0].Benefit.ID != "B1" {
		t.Fatalf("benefits = %+v, want only B1 (B3 is closed)", rep.Benefits)
	}
	if got := len(rep.Results); got != 2 {
		t.Errorf("Results has %d entries, want 2", got)
	}
}

func TestBuildOwnerMergesRoles(t *testing.T) {
	rep := buildFor(t, "p3")
	if got, want := rep.Subtitle, "Ann English – benefit holder, benefit owner"; got != want {
		t.Errorf("Subtitle = %q, want %q", got, want)
	}
	var roles []string
	for _, b := range rep.Benefits {
		roles = append(roles, b.Role)
	}
	want := []string{"Benefit holder for Kárášjohka – Karasjok", "Benefit owner for Helse Test HF"}
	if !slices.Equal(roles, want) {
		t.Errorf("section roles = %q, want %q", roles, want)
	}
}

func TestBuildOwnerAmbitionsAndFigures(t *testing.T) {
	rep := buildFor(t, "p1")
	is, ok := indicatorOf(rep, "B1", "I1")
	if !ok {
		t.Fatal("no I1 section")
	}
	checks := []struct{ name, got, want string }{
		{"final", is.FinalText, "Endelig ambisjon: 30,0\u00a0% innen 31. desember 2026."},
		{"yearly", is.YearText, "Årlig ambisjon 2025: 25,0\u00a0% (grønn ved ≥ 25,0\u00a0%, rød under 17,5\u00a0%)."},
		{"status line", is.StatusLine, "Status september 2025: Gul."},
		{"progress", is.ProgressText, "38\u00a0% av veien fra nullpunkt til endelig ambisjon."},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	figs := map[string]string{}
	for _, f := range is.Figures {
		figs[f.Label] = f.Value
	}
	wantFigs := map[string]string{
		"Nullpunkt":                      "10,0\u00a0%",
		"Siste verdi":                    "17,5\u00a0%",
		"Årlig ambisjon 2025":            "25,0\u00a0%",
		"Endelig ambisjon":               "30,0\u00a0%",
		"Fremdrift mot endelig ambisjon": "38\u00a0%",
		"Trend":                          "Stabil",
	}
	for label, want := range wantFigs {
		if figs[label] != want {
			t.Errorf("figure %q = %q, want %q (all: %v)", label, figs[label], want, figs)
		}
	}
	if len(is.Figures) != 7 {
		t.Errorf("got %d key figures, want 7", len(is.Figures))
	}

	sup, ok := indicatorOf(rep, "B1", "I2")
	if !ok {
		t.Fatal("no I2 section")
	}
	for _, f := range sup.Figures {
		if f.Label == "Siste verdi" && f.Value != "prikket" {
			t.Errorf("suppressed latest value = %q, want prikket", f.Value)
		}
		if f.Label == "Fremdrift mot endelig ambisjon" && f.Value != "prikket" {
			t.Errorf("suppressed progress = %q, want prikket", f.Value)
		}
	}
}

func TestBuildOwnerSumIndicator(t *testing.T) {
	rep := buildFor(t, "p3")
	is, ok := indicatorOf(rep, "B2", "I3")
	if !ok {
		t.Fatal("no I3 section")
	}
	if want := "Yearly ambition 2025: 1,200,000\u00a0kr for the whole year. Required to date: 900,000\u00a0kr (green at ≥ 900,000\u00a0kr, red below 450,000\u00a0kr)."; is.YearText != want {
		t.Errorf("YearText = %q, want %q", is.YearText, want)
	}
	if row, _ := summaryOf(rep, "I3"); row.Ambition != "900,000\u00a0kr to date" {
		t.Errorf("summary ambition for a sum = %q, want the year-to-date share", row.Ambition)
	}
	if !is.Chart.PerPeriodShare {
		t.Error("sum chart should be per period")
	}
	if len(is.Chart.Steps) != 1 || is.Chart.Steps[0].Value != 100000 {
		t.Errorf("steps = %+v, want one step at 100000 per month", is.Chart.Steps)
	}
	green := bandOf(is.Chart.Bands, register.Green)
	if green == nil || green.Low != 100000 {
		t.Errorf("green band = %+v, want from 100000 per month", green)
	}
}

func bandOf(bs []ChartBand, s register.Status) *ChartBand {
	for i := range bs {
		if bs[i].Status == s {
			return &bs[i]
		}
	}
	return nil
}

func TestChartBandsFollowDirection(t *testing.T) {
	up := buildFor(t, "p1")
	i1, _ := indicatorOf(up, "B1", "I1")
	down := buildFor(t, "p2")
	i4, _ := indicatorOf(down, "B4", "I4")
	i5, _ := indicatorOf(down, "B4", "I5")
	inf := math.Inf(1)
	tests := []struct {
		name   string
		bands  []ChartBand
		status register.Status
		low    float64
		high   float64
	}{
		{"up red below red limit", i1.Chart.Bands, register.Red, -inf, 17.5},
		{"up yellow between", i1.Chart.Bands, register.Yellow, 17.5, 25},
		{"up green above", i1.Chart.Bands, register.Green, 25, inf},
		{"down green below", i4.Chart.Bands, register.Green, -inf, 20},
		{"down yellow between", i4.Chart.Bands, register.Yellow, 20, 30},
		{"down red above", i4.Chart.Bands, register.Red, 30, inf},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bandOf(tt.bands, tt.status)
			if b == nil {
				t.Fatalf("no %s band in %+v", tt.status, tt.bands)
			}
			if b.Low != tt.low || b.High != tt.high {
				t.Errorf("band %s = [%v, %v], want [%v, %v]", tt.status, b.Low, b.High, tt.low, tt.high)
			}
			if b.From != register.MonthOf(2025, time.January) || b.To != register.MonthOf(2025, time.December) {
				t.Errorf("band spans %v–%v, want the report year", b.From, b.To)
			}
		})
	}
	if len(i5.Chart.Bands) != 0 {
		t.Errorf("invalid thresholds should draw no bands, got %+v", i5.Chart.Bands)
	}
	if len(i1.Chart.Steps) != 2 || i1.Chart.Steps[0].Year != 2024 || i1.Chart.Steps[1].Value != 25 {
		t.Errorf("I1 steps = %+v, want 2024 and 2025 (25)", i1.Chart.Steps)
	}
	if i1.Chart.Final == nil || i1.Chart.Final.Value != 30 {
		t.Errorf("I1 final = %+v, want 30", i1.Chart.Final)
	}
	if len(i1.Chart.Points) != 9 {
		t.Errorf("I1 chart has %d points, want 9 (January–September 2025)", len(i1.Chart.Points))
	}
}

func TestBreakdown(t *testing.T) {
	rep := buildFor(t, "p1")
	is, _ := indicatorOf(rep, "B1", "I1")
	want := []UnitRow{
		{UnitID: "u1", Name: "Avdeling Øst", Value: "30,0\u00a0%", Status: register.Green, StatusText: "Grønn"},
		{UnitID: "u2", Name: "Kárášjohka – Karasjok", Value: "5,0\u00a0%", Status: register.Red, StatusText: "Rød"},
	}
	if len(is.Breakdown) != len(want) {
		t.Fatalf("breakdown = %+v, want %d rows", is.Breakdown, len(want))
	}
	for i, w := range want {
		g := is.Breakdown[i]
		g.Raw = nil
		if g != w {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	holder := buildFor(t, "p2")
	if hi, _ := indicatorOf(holder, "B1", "I1"); len(hi.Breakdown) != 0 {
		t.Errorf("a one-unit scope should have no breakdown, got %+v", hi.Breakdown)
	}
}

func TestActionsOverdue(t *testing.T) {
	rep := buildFor(t, "p1")
	sec := rep.Benefits[0]
	want := map[string]bool{"A1": true, "A2": false, "A3": false, "A4": true, "A5": false}
	for _, a := range sec.Actions {
		w, ok := want[a.Action.ID]
		if !ok {
			t.Errorf("unexpected action %s", a.Action.ID)
			continue
		}
		if a.Overdue != w {
			t.Errorf("action %s overdue = %v, want %v", a.Action.ID, a.Overdue, w)
		}
	}
	if len(sec.Actions) != len(want) {
		t.Errorf("got %d actions, want %d", len(sec.Actions), len(want))
	}
	if sec.Overdue != 2 || sec.OverdueText != "2 tiltak har passert fristen uten å være iverksatt." {
		t.Errorf("Overdue = %d %q", sec.Overdue, sec.OverdueText)
	}
	for _, a := range sec.Actions {
		if a.Action.ID == "A2" && a.StatusText != "Iverksatt (iverksatt 28. mai 2025)" {
			t.Errorf("A2 status = %q", a.StatusText)
		}
		if a.Action.ID == "A3" && a.Responsible != "–" {
			t.Errorf("A3 responsible = %q, want –", a.Responsible)
		}
	}
}

func TestFollowUpOnlyWhenNotGreen(t *testing.T) {
	tests := []struct {
		name     string
		person   string
		benefit  string
		want     bool
		mentions string
	}{
		{"yellow and suppressed", "p1", "B1", true, "Andel selvbooking: Gul"},
		{"invalid thresholds", "p2", "B4", true, "Andel timer: Ugyldig"},
		{"holder green but a second indicator has no data", "p2", "B1", true, "Andel digitale skjema: Manglar data"},
		{"all green", "p3", "B2", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := buildFor(t, tt.person)
			var sec *BenefitSection
			for i := range rep.Benefits {
				if rep.Benefits[i].Benefit.ID == tt.benefit {
					sec = &rep.Benefits[i]
				}
			}
			if sec == nil {
				t.Fatalf("no section %s", tt.benefit)
			}
			if got := len(sec.FollowUp) > 0; got != tt.want {
				t.Fatalf("follow-up present = %v, want %v", got, tt.want)
			}
			if tt.want {
				if len(sec.FollowUp) != 3 {
					t.Errorf("got %d questions, want 3", len(sec.FollowUp))
				}
				if !strings.Contains(sec.FollowUpIntro, tt.mentions) {
					t.Errorf("intro %q does not mention %q", sec.FollowUpIntro, tt.mentions)
				}
			}
		})
	}
	nn := buildFor(t, "p2")
	asked := false
	for _, sec := range nn.Benefits {
		if len(sec.FollowUp) > 0 {
			asked = true
			if q := sec.FollowUp[0]; !strings.HasPrefix(q, "Er endringstiltaka sette i verk") {
				t.Errorf("nynorsk question = %q", q)
			}
		}
	}
	if !asked {
		t.Error("no nynorsk follow-up questions in p2's report")
	}
}

func TestNotes(t *testing.T) {
	tests := []struct {
		name   string
		person string
		code   register.NoteCode
		text   string
	}{
		{"suppressed in nb", "p1", register.NoteSuppressed, "Andel digitale skjema (Helse Test HF): Verdien er prikket fordi grunnlaget er for lite (under 10)."},
		{"no data in nn", "p2", register.NoteNoData, "Andel digitale skjema (Avdeling Øst): Ingen måledata for september 2025."},
		{"invalid thresholds in nn", "p2", register.NoteInvalidThresholds, "Andel timer (Avdeling Øst): Terskelverdiane for 2025 strid mot retninga (raud grense 25,0\u00a0%, grøn grense 20,0\u00a0%); status kan ikkje vurderast."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := buildFor(t, tt.person)
			var texts []string
			for _, n := range rep.Notes {
				if n.Note.Code == tt.code {
					texts = append(texts, n.Text)
				}
			}
			if !slices.Contains(texts, tt.text) {
				t.Errorf("notes with code %s = %q, want one %q", tt.code, texts, tt.text)
			}
		})
	}
}

func TestBuildOwnerUnknownPerson(t *testing.T) {
	x := testIndex(t)
	_, err := BuildOwner(x, Recipient{Person: register.Person{ID: "nobody"}}, sep2025, loadCatalogs(t), testOptions(t))
	if !errors.Is(err, ErrUnknownPerson) {
		t.Errorf("err = %v, want ErrUnknownPerson", err)
	}
}

func TestBuildOwnerUnknownBenefitBecomesNote(t *testing.T) {
	x := testIndex(t)
	r := Recipient{Person: register.Person{ID: "p1"}, Parts: []Part{
		{BenefitID: "GONE", Scope: "hf1", Role: RoleOwner},
		{BenefitID: "B1", Scope: "nowhere", Role: RoleHolder},
	}}
	rep, err := BuildOwner(x, r, sep2025, loadCatalogs(t), testOptions(t))
	if err != nil {
		t.Fatalf("BuildOwner: %v", err)
	}
	if len(rep.Benefits) != 1 {
		t.Fatalf("got %d sections, want the one for B1", len(rep.Benefits))
	}
	var codes []register.NoteCode
	for _, n := range rep.Notes {
		codes = append(codes, n.Note.Code)
	}
	if !slices.Contains(codes, register.NoteDanglingReference) {
		t.Errorf("notes %v lack a dangling reference", codes)
	}
}

func TestHolderSkipsIndicatorsNeverMeasuredInTheUnit(t *testing.T) {
	reg := testRegister()
	reg.Measurements = slices.DeleteFunc(reg.Measurements, func(m register.Measurement) bool {
		return m.IndicatorID == "I2" && m.OrgUnitID == "u1"
	})
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	var rep OwnerReport
	for _, r := range Recipients(x) {
		if r.Person.ID == "p2" {
			if rep, err = BuildOwner(x, r, sep2025, loadCatalogs(t), testOptions(t)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, ok := summaryOf(rep, "I2"); ok {
		t.Error("I2 has never been measured in u1, but the holder's summary lists it")
	}
	var sec *BenefitSection
	for i := range rep.Benefits {
		if rep.Benefits[i].Benefit.ID == "B1" {
			sec = &rep.Benefits[i]
		}
	}
	if sec == nil {
		t.Fatal("no section B1")
	}
	if len(sec.NotMeasured) != 1 || !strings.Contains(sec.NotMeasuredText, sec.NotMeasured[0]) || !strings.Contains(sec.NotMeasuredText, "Avdeling Øst") {
		t.Errorf("NotMeasured = %q, text %q; want the I2 indicator named for Avdeling Øst", sec.NotMeasured, sec.NotMeasuredText)
	}
}

func TestHolderPartOfASumIsShownNotJudged(t *testing.T) {
	rep := buildFor(t, "p2")
	var is *IndicatorSection
	for i := range rep.Benefits {
		if rep.Benefits[i].Benefit.ID == "B2" {
			is = &rep.Benefits[i].Indicators[0]
		}
	}
	if is == nil {
		t.Fatal("p2's report has no B2 part")
	}
	if !is.Result.PartOfWhole || is.Result.Status != register.NoAmbition {
		t.Errorf("B2 for u1: part of whole %v, status %s", is.Result.PartOfWhole, is.Result.Status)
	}
	if is.StatusText != "Ikkje vurdert" {
		t.Errorf("status word = %q, want Ikkje vurdert", is.StatusText)
	}
	for _, sec := range rep.Benefits {
		if sec.Benefit.ID == "B2" && len(sec.FollowUp) > 0 {
			t.Error("a part that is shown, not judged, asks the follow-up questions")
		}
	}
	if !strings.Contains(rep.CountsText, "1 ikkje vurdert") {
		t.Errorf("counts %q do not name the part as not judged", rep.CountsText)
	}
	if !strings.Contains(is.FinalText, "Helse Test HF") || !strings.Contains(is.FinalText, "Avdeling Øst") || is.YearText != "" {
		t.Errorf("ambition texts = %q / %q; want the whole's and the part's names and no yearly ambition", is.FinalText, is.YearText)
	}
	if len(is.Chart.Steps) != 0 || len(is.Chart.Bands) != 0 || is.Chart.Final != nil {
		t.Errorf("the part's chart draws the whole's ambitions: steps %v, bands %v, final %v", is.Chart.Steps, is.Chart.Bands, is.Chart.Final)
	}
	for _, f := range is.Figures {
		if strings.Contains(f.Value, "1\u00a0200\u00a0000") || strings.Contains(f.Value, "2\u00a0000\u00a0000") {
			t.Errorf("key figure %q shows the whole benefit's amount %q", f.Label, f.Value)
		}
	}
	for _, n := range rep.Notes {
		if n.Note.Code == register.NotePartOfWhole {
			t.Error("part-of-whole is listed among the data-quality notes")
		}
	}
}

func TestProgressAwayFromTheAmbitionIsSaidPlainly(t *testing.T) {
	reg := testRegister()
	for i := range reg.Measurements {
		if reg.Measurements[i].IndicatorID == "I4" {
			reg.Measurements[i].Value = register.F(45) // down indicator, baseline 40: the wrong way
		}
	}
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Recipients(x) {
		if r.Person.ID != "p2" {
			continue
		}
		rep, err := BuildOwner(x, r, sep2025, loadCatalogs(t), testOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		is, ok := indicatorOf(rep, "B4", "I4")
		if !ok {
			t.Fatal("no I4 section")
		}
		// (45 − 40) / (15 − 40) = −0.2
		if want := "Verdien har gått bort frå ambisjonen: 20\u00a0%"; !strings.HasPrefix(is.ProgressText, want) {
			t.Errorf("progress text = %q, want it to start %q", is.ProgressText, want)
		}
		return
	}
	t.Fatal("no recipient p2")
}
