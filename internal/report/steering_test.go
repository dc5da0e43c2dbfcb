package report

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/register"
)

// steeringRegister is a small hand-made portfolio for September 2025:
//
//	R (RHF) ⊃ hf1 (HF) ⊃ u1 (unit); k1 (kommune) on its own.
//	S1 savings at hf1: 100 000 kr a month, ambition 1 200 000 → YTD 900 000, green.
//	S2 savings at u1, counted in S1: 50 000 kr a month (left out of the total).
//	S3 savings at k1: 30 000 kr a month, ambition 480 000 → YTD 270 000, yellow;
//	   also a % indicator, which is no saving.
//	Q1 quality at hf1: 10 % in August (red) → 17 % in September (yellow): improved.
//	Q2 quality at u1: 25 % (green) → 5 % (red): worsened, red.
//	Q3 satisfaction at k1: falling from 4.8 to 4.0 but green both months:
//	   unchanged, worsening trend.
//	Q4 data security at hf1: green in August, no data in September: changed.
//	C1 closed: left out everywhere.
func steeringRegister() *register.Register {
	f := register.F
	reg := &register.Register{
		Units: []register.OrgUnit{
			{ID: "R", Name: "Helse Region RHF", Kind: register.KindRHF},
			{ID: "hf1", Name: "Helse Test HF", Kind: register.KindHF, ParentID: "R"},
			{ID: "u1", Name: "Medisinsk klinikk", Kind: register.KindUnit, ParentID: "hf1"},
			{ID: "k1", Name: "Snåase – Snåsa kommune", Kind: register.KindKommune},
		},
		People: []register.Person{
			{ID: "p1", Name: "Anne Eier"},
			{ID: "p2", Name: "Bjørn Åsheim"},
		},
		Benefits: []register.Benefit{
			{ID: "S1", Title: "Sparte lønnskostnader", Category: register.Savings, OrgUnitID: "hf1", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "S2", Title: "Redusert overtid", Category: register.Savings, OrgUnitID: "u1", OwnerID: "p2", Phase: register.PhaseRealise, CountedInBenefitID: "S1"},
			{ID: "S3", Title: "Mindre porto", Category: register.Savings, OrgUnitID: "k1", OwnerID: "p2", Phase: register.PhaseRealise},
			{ID: "Q1", Title: "Bedre samstemming", Category: register.QualitySafety, OrgUnitID: "hf1", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "Q2", Title: "Raskere epikriser", Category: register.QualitySafety, OrgUnitID: "u1", OwnerID: "p2", Phase: register.PhaseRealise},
			{ID: "Q3", Title: "Fornøyde brukere", Category: register.Satisfaction, OrgUnitID: "k1", OwnerID: "p2", Phase: register.PhaseEvaluate},
			{ID: "Q4", Title: "Færre oppslag", Category: register.DataSecurity, OrgUnitID: "hf1", OwnerID: "p1", Phase: register.PhaseRealise},
			{ID: "C1", Title: "Avsluttet", Category: register.Savings, OrgUnitID: "hf1", OwnerID: "p1", Phase: register.PhaseClosed},
		},
		Indicators: []register.Indicator{
			{ID: "K1", BenefitID: "S1", Name: "Sparte lønnskostnader", Unit: "kr", Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly, BaselineValue: f(0), TargetValue: f(3000000), TargetDate: day(2027, 12, 31)},
			{ID: "K2", BenefitID: "S2", Name: "Sparte overtidskostnader", Unit: "kr", Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly, BaselineValue: f(0), TargetValue: f(1000000), TargetDate: day(2027, 12, 31)},
			{ID: "K3", BenefitID: "S3", Name: "Sparte portokostnader", Unit: "kr", Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly, BaselineValue: f(0), TargetValue: f(900000), TargetDate: day(2027, 12, 31)},
			{ID: "K4", BenefitID: "S3", Name: "Andel digital post", Unit: "%", Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(10), TargetValue: f(90), TargetDate: day(2027, 12, 31)},
			{ID: "R1", BenefitID: "Q1", Name: "Andel samstemt", Unit: "%", Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(5), TargetValue: f(40), TargetDate: day(2026, 12, 31)},
			{ID: "R2", BenefitID: "Q2", Name: "Andel epikriser i tide", Unit: "%", Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(5), TargetValue: f(40), TargetDate: day(2026, 12, 31)},
			{ID: "R3", BenefitID: "Q3", Name: "Brukertilfredshet", Unit: "poeng", Direction: register.Up, Aggregation: register.Mean, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(2), TargetValue: f(4.5), TargetDate: day(2026, 12, 31)},
			{ID: "R4", BenefitID: "Q4", Name: "Andel loggkontroll", Unit: "%", Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Monthly, Decimals: 1, BaselineValue: f(5), TargetValue: f(40), TargetDate: day(2026, 12, 31)},
			{ID: "X1", BenefitID: "C1", Name: "Gammel besparelse", Unit: "kr", Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly, BaselineValue: f(0)},
		},
		Ambitions: []register.Ambition{
			{IndicatorID: "K1", Year: 2025, Target: 1200000},
			{IndicatorID: "K2", Year: 2025, Target: 600000},
			{IndicatorID: "K3", Year: 2025, Target: 480000},
			{IndicatorID: "K4", Year: 2025, Target: 50},
			{IndicatorID: "R1", Year: 2025, Target: 20, RedLimit: f(15), GreenLimit: f(20)},
			{IndicatorID: "R2", Year: 2025, Target: 20, RedLimit: f(15), GreenLimit: f(20)},
			{IndicatorID: "R3", Year: 2025, Target: 3, RedLimit: f(2.5), GreenLimit: f(3)},
			{IndicatorID: "R4", Year: 2025, Target: 20, RedLimit: f(15), GreenLimit: f(20)},
			{IndicatorID: "X1", Year: 2025, Target: 100000},
		},
		Actions: []register.ChangeAction{
			{ID: "A1", BenefitID: "Q1", Title: "Opplæring", Responsible: "Klinikksjef", DueDate: day(2025, 8, 15), Status: register.ActionInProgress},
			{ID: "A2", BenefitID: "Q2", Title: "Ny rutine", DueDate: day(2025, 9, 30), Status: register.ActionPlanned},
			{ID: "A3", BenefitID: "Q2", Title: "Neste steg", DueDate: day(2025, 10, 1), Status: register.ActionPlanned},
			{ID: "A4", BenefitID: "Q1", Title: "Ferdig tiltak", DueDate: day(2025, 1, 1), Status: register.ActionImplemented, CompletedOn: day(2025, 1, 2)},
			{ID: "A5", BenefitID: "Q1", Title: "Droppet", DueDate: day(2025, 2, 1), Status: register.ActionCancelled},
			{ID: "A6", BenefitID: "C1", Title: "Gammelt tiltak", DueDate: day(2024, 2, 1), Status: register.ActionPlanned},
		},
	}
	ratio := func(id, unit string, p register.Month, pct float64) register.Measurement {
		return register.Measurement{IndicatorID: id, OrgUnitID: unit, Period: p, Numerator: f(pct), Denominator: f(100)}
	}
	for m := time.January; m <= time.September; m++ {
		p := register.MonthOf(2025, m)
		reg.Measurements = append(reg.Measurements,
			register.Measurement{IndicatorID: "K1", OrgUnitID: "hf1", Period: p, Value: f(100000)},
			register.Measurement{IndicatorID: "K2", OrgUnitID: "u1", Period: p, Value: f(50000)},
			register.Measurement{IndicatorID: "K3", OrgUnitID: "k1", Period: p, Value: f(30000)},
			register.Measurement{IndicatorID: "X1", OrgUnitID: "hf1", Period: p, Value: f(99999)},
			ratio("K4", "k1", p, 60),
			register.Measurement{IndicatorID: "R3", OrgUnitID: "k1", Period: p, Value: f(4.8 - 0.1*float64(m-1))},
		)
		r1, r2 := 10.0, 25.0
		if m == time.September {
			r1, r2 = 17, 5
		}
		reg.Measurements = append(reg.Measurements, ratio("R1", "u1", p, r1), ratio("R2", "u1", p, r2))
		if m < time.September {
			reg.Measurements = append(reg.Measurements, ratio("R4", "hf1", p, 30))
		}
	}
	return reg
}

func buildSteeringFor(t *testing.T, reg *register.Register, p register.Month, lang string) SteeringReport {
	t.Helper()
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatalf("build index: %v", err)
	}
	rep, err := BuildSteering(x, p, loadCatalogs(t), lang, SteeringOptions{Options: testOptions(t), Title: "Styringsgruppe test"})
	if err != nil {
		t.Fatalf("BuildSteering: %v", err)
	}
	return rep
}

func TestSteeringPortfolioCounts(t *testing.T) {
	rep := buildSteeringFor(t, steeringRegister(), sep2025, "nb")
	p := rep.Portfolio
	wantCounts := map[register.Status]int{
		register.Green: 4, register.Yellow: 2, register.Red: 1, register.NoData: 1,
		register.Suppressed: 0, register.NoAmbition: 0, register.Invalid: 0,
	}
	if len(p.Counts) != 7 {
		t.Errorf("Counts has %d statuses, want all 7: %v", len(p.Counts), p.Counts)
	}
	for st, n := range wantCounts {
		if got, ok := p.Counts[st]; !ok || got != n {
			t.Errorf("Counts[%s] = %d (present %v), want %d", st, got, ok, n)
		}
	}
	if p.Total != 8 || len(rep.Results) != 8 || p.Benefits != 7 {
		t.Errorf("Total %d, results %d, benefits %d; want 8 indicators of 7 non-closed benefits", p.Total, len(rep.Results), p.Benefits)
	}
	tests := []struct {
		name string
		cat  register.Category
		want map[register.Status]int
	}{
		{"satisfaction", register.Satisfaction, map[register.Status]int{register.Green: 1}},
		{"quality and safety", register.QualitySafety, map[register.Status]int{register.Yellow: 1, register.Red: 1}},
		{"data security", register.DataSecurity, map[register.Status]int{register.NoData: 1}},
		{"patient involvement", register.PatientInvolvement, map[register.Status]int{}},
		{"savings", register.Savings, map[register.Status]int{register.Green: 3, register.Yellow: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := p.ByCategory[tt.cat]
			if !ok {
				t.Fatalf("ByCategory lacks %s", tt.cat)
			}
			if len(got) != 7 {
				t.Errorf("ByCategory[%s] has %d statuses, want 7", tt.cat, len(got))
			}
			for _, st := range statusOrder {
				if got[st] != tt.want[st] {
					t.Errorf("ByCategory[%s][%s] = %d, want %d", tt.cat, st, got[st], tt.want[st])
				}
			}
		})
	}
	var cats []register.Category
	for _, g := range p.Categories {
		cats = append(cats, register.Category(g.ID))
	}
	if !slices.Equal(cats, register.Categories) {
		t.Errorf("category rows %v, want all five in order %v", cats, register.Categories)
	}
	orgs := map[string][2]int{}
	for _, g := range p.Organisations {
		orgs[g.ID] = [2]int{g.Benefits, g.Total}
	}
	// u1's benefits count under its HF; the kommune stands alone.
	wantOrgs := map[string][2]int{"hf1": {5, 5}, "k1": {2, 3}}
	if len(orgs) != len(wantOrgs) {
		t.Errorf("organisations %v, want %v", orgs, wantOrgs)
	}
	for id, w := range wantOrgs {
		if orgs[id] != w {
			t.Errorf("organisation %s: (benefits, indicators) = %v, want %v", id, orgs[id], w)
		}
	}
}

func TestSteeringChanges(t *testing.T) {
	rep := buildSteeringFor(t, steeringRegister(), sep2025, "nb")
	if rep.Previous != register.MonthOf(2025, time.August) {
		t.Fatalf("previous period %s, want 2025-08", rep.Previous)
	}
	got := map[string]StatusChange{}
	for _, ch := range rep.Changes {
		got[ch.IndicatorID] = ch
	}
	tests := []struct {
		name      string
		indicator string
		kind      ChangeKind // "" when not listed
		from, to  register.Status
		fromValue string
		toValue   string
	}{
		{"red to yellow improves", "R1", ChangeImproved, register.Red, register.Yellow, "10,0\u00a0%", "17,0\u00a0%"},
		{"green to red worsens", "R2", ChangeWorsened, register.Green, register.Red, "25,0\u00a0%", "5,0\u00a0%"},
		{"green to no data is another change", "R4", ChangeOther, register.Green, register.NoData, "30,0\u00a0%", Missing},
		{"green both months is not listed", "R3", "", "", "", "", ""},
		{"savings green both months is not listed", "K1", "", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, ok := got[tt.indicator]
			if tt.kind == "" {
				if ok {
					t.Errorf("%s listed as %+v; its status did not change", tt.indicator, ch)
				}
				return
			}
			if !ok {
				t.Fatalf("%s not listed among changes %+v", tt.indicator, rep.Changes)
			}
			if ch.Kind != tt.kind || ch.From != tt.from || ch.To != tt.to {
				t.Errorf("%s: %s %s→%s, want %s %s→%s", tt.indicator, ch.Kind, ch.From, ch.To, tt.kind, tt.from, tt.to)
			}
			if ch.FromValue != tt.fromValue || ch.ToValue != tt.toValue {
				t.Errorf("%s: values %q→%q, want %q→%q", tt.indicator, ch.FromValue, ch.ToValue, tt.fromValue, tt.toValue)
			}
			if ch.FromText == "" || ch.ToText == "" || strings.HasPrefix(ch.KindText, "[") {
				t.Errorf("%s: unworded change %+v", tt.indicator, ch)
			}
		})
	}
	if len(rep.Changes) != 3 || rep.Changes[0].Kind != ChangeWorsened || rep.Changes[2].Kind != ChangeOther {
		t.Errorf("changes %+v, want worsened, improved, changed in that order", rep.Changes)
	}
	if want := "Forverret: 1. Forbedret: 1. Annen endring (for eksempel mangler data): 1."; rep.ChangesText != want {
		t.Errorf("ChangesText = %q, want %q", rep.ChangesText, want)
	}
}

func TestSteeringSavingsCountsEachSavingOnce(t *testing.T) {
	rep := buildSteeringFor(t, steeringRegister(), sep2025, "nb")
	sv := rep.Savings
	if sv.Realised != 1170000 || sv.Ambition != 1680000 || sv.Prorated != 1260000 {
		t.Errorf("realised %v, ambition %v, pro-rated %v; want 1170000, 1680000, 1260000", sv.Realised, sv.Ambition, sv.Prorated)
	}
	if !slices.Equal(sv.ExcludedBenefitIDs, []string{"S2"}) {
		t.Errorf("excluded %v, want [S2]", sv.ExcludedBenefitIDs)
	}
	var items []string
	for _, it := range sv.Items {
		items = append(items, it.IndicatorID)
	}
	if !slices.Equal(items, []string{"K1", "K3"}) {
		t.Errorf("counted indicators %v, want [K1 K3] (no %% indicator, no excluded or closed benefit)", items)
	}
	tests := []struct {
		name, got, want string
	}{
		{"realised", sv.RealisedText, "1\u00a0170\u00a0000\u00a0kr"},
		{"ambition", sv.AmbitionText, "1\u00a0680\u00a0000\u00a0kr"},
		{"exclusion names the benefit counting it", sv.Excluded[0].Reason, "telt i S1 Sparte lønnskostnader; rapporterer 450\u00a0000\u00a0kr hittil i år."},
		{"summary", sv.Text, "Realiserte besparelser hittil i 2025 er 1\u00a0170\u00a0000\u00a0kr: 70\u00a0% av årlig ambisjon på 1\u00a0680\u00a0000\u00a0kr og 93\u00a0% av ambisjonen hittil i år (1\u00a0260\u00a0000\u00a0kr)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestSteeringAttention(t *testing.T) {
	rep := buildSteeringFor(t, steeringRegister(), sep2025, "nb")
	var got []string
	for _, it := range rep.Attention {
		got = append(got, fmt.Sprintf("%s %v", it.IndicatorID+it.ActionID, it.Reasons))
	}
	t.Logf("attention: %q", got)
	// R3 is worsening but green and forecast to stay above its ambition:
	// not listed. R1 (yellow, 10 % all year, then 17 %) is forecast to end
	// the year below its ambition of 20 %.
	want := []string{
		"R2 [red yearly_ambition_missed worsening]",
		"R1 [yearly_ambition_missed]",
		"K3 [yearly_ambition_missed]",
		"R4 [missing_data]",
		"A1 [overdue_action]",
		"A2 [overdue_action no_responsible]",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("attention list\n got %q\nwant %q", got, want)
	}
	at := func(id string) AttentionItem {
		for _, it := range rep.Attention {
			if it.IndicatorID+it.ActionID == id {
				return it
			}
		}
		t.Fatalf("no item %s", id)
		return AttentionItem{}
	}
	tests := []struct {
		name   string
		item   AttentionItem
		owner  string
		detail []string
	}{
		{"red indicator", at("R2"), "Bjørn Åsheim", []string{"Verdi 5,0\u00a0% (september 2025).", "Ambisjon 20,0\u00a0%, rød grense 15,0\u00a0%.", "Prognosen for 2025 er", "mot årsambisjonen 20,0\u00a0%.", "Trend: Forverring"}},
		{"missing data", at("R4"), "Anne Eier", []string{"Ingen data for september 2025; siste data er fra august 2025."}},
		{"overdue action", at("A1"), "Anne Eier", []string{"Frist 15. august 2025 (46 dager over).", "Status: Pågår.", "Ansvarlig: Klinikksjef."}},
		{"action due on the last day", at("A2"), "Bjørn Åsheim", []string{"Frist 30. september 2025 (0 dager over).", "Ansvarlig: –."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.item.Owner != tt.owner {
				t.Errorf("owner %q, want %q", tt.item.Owner, tt.owner)
			}
			if tt.item.BenefitID == "" || tt.item.BenefitTitle == "" || tt.item.Subject == "" || tt.item.StatusText == "" {
				t.Errorf("item lacks benefit, subject or status: %+v", tt.item)
			}
			for _, d := range tt.detail {
				if !strings.Contains(tt.item.Detail, d) {
					t.Errorf("detail %q lacks %q", tt.item.Detail, d)
				}
			}
		})
	}
}

func TestSteeringCompareMonths(t *testing.T) {
	x, err := register.NewIndex(steeringRegister())
	if err != nil {
		t.Fatal(err)
	}
	opt := SteeringOptions{Options: testOptions(t), CompareMonths: 3}
	rep, err := BuildSteering(x, sep2025, loadCatalogs(t), "en", opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Previous != register.MonthOf(2025, time.June) || rep.PreviousText != "June 2025" {
		t.Errorf("previous %s %q, want 2025-06 \"June 2025\"", rep.Previous, rep.PreviousText)
	}
	if rep.Title != "Benefits realisation steering group" {
		t.Errorf("title without config %q, want the catalogue's default", rep.Title)
	}
}

func TestSteeringDemo(t *testing.T) {
	x, err := register.NewIndex(demo.Generate(demo.Small))
	if err != nil {
		t.Fatal(err)
	}
	p := demo.Latest(demo.Small)
	rep, err := BuildSteering(x, p, loadCatalogs(t), "nb", SteeringOptions{Options: testOptions(t), Title: "Styringsgruppe"})
	if err != nil {
		t.Fatal(err)
	}
	indicators := 0
	for _, b := range x.Register().Benefits {
		if b.Phase != register.PhaseClosed {
			indicators += len(x.IndicatorsOf(b.ID))
		}
	}
	sum := 0
	for _, n := range rep.Portfolio.Counts {
		sum += n
	}
	catSum := 0
	for _, m := range rep.Portfolio.ByCategory {
		for _, n := range m {
			catSum += n
		}
	}
	orgSum := 0
	for _, g := range rep.Portfolio.Organisations {
		orgSum += g.Total
	}
	if sum != indicators || catSum != indicators || orgSum != indicators || len(rep.Results) != indicators {
		t.Errorf("counts sum to %d (by category %d, by organisation %d, results %d), want the %d indicators",
			sum, catSum, orgSum, len(rep.Results), indicators)
	}
	if !slices.Contains(rep.Savings.ExcludedBenefitIDs, "G-009") {
		t.Errorf("G-009 (counted in G-008) is not excluded: %v", rep.Savings.ExcludedBenefitIDs)
	}
	for _, it := range rep.Savings.Items {
		if it.BenefitID == "G-009" {
			t.Errorf("G-009 is counted in the savings total")
		}
	}
	if rep.Savings.Realised <= 0 || rep.Savings.Ambition <= 0 {
		t.Errorf("demo savings realised %v of %v; want positive figures", rep.Savings.Realised, rep.Savings.Ambition)
	}
	if len(rep.Notes) == 0 {
		t.Errorf("the demo's data-quality appendix is empty; the demo has known issues")
	}
	for _, n := range rep.Notes {
		if strings.Contains(n.Text, "[") {
			t.Errorf("unworded note %q", n.Text)
		}
	}
}

// TestSteeringPDFKeysExist checks the catalogue keys the steering pack's
// PDF composition uses, which the package-wide key scan does not read.
func TestSteeringPDFKeysExist(t *testing.T) {
	data, err := os.ReadFile("../pdf/steering.go")
	if err != nil {
		t.Fatal(err)
	}
	cats := loadCatalogs(t)
	found := keyPattern.FindAllStringSubmatch(string(data), -1)
	if len(found) < 20 {
		t.Fatalf("found only %d literal keys in ../pdf/steering.go; the scan is broken", len(found))
	}
	for _, m := range found {
		for _, lang := range Languages {
			if !cats.For(lang).Has(m[1]) {
				t.Errorf("%s: key %q used by pdf/steering.go is missing", lang, m[1])
			}
		}
	}
}

// TestSteeringWordsLoadFindings checks that the appendix words the findings
// on skipped rows, cycles and implausible data in the reader's language,
// not as the manifest's English message.
func TestSteeringWordsLoadFindings(t *testing.T) {
	reg := steeringRegister()
	reg.Skipped = []register.SkippedRow{{Table: "measurement", Key: `(indicator_id "K1", org_unit_id "u1", period "2025-09-15")`,
		IndicatorID: "K1", Reason: "period 2025-09-15 is not the first day of a month"}}
	reg.Units = append(reg.Units, register.OrgUnit{ID: "S", Name: "Selv", Kind: register.KindUnit, ParentID: "S"})
	reg.People = append(reg.People, register.Person{ID: "", Email: "ikke en adresse"})
	reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "K4", OrgUnitID: "k1",
		Period: register.MonthOf(2025, time.August), Numerator: register.F(120), Denominator: register.F(100)})
	sep := register.MonthOf(2025, time.September)
	reg.Comments = []register.Comment{
		{BenefitID: "S1", IndicatorID: "K4", Period: sep, Text: "Feil gevinst"},
		{BenefitID: "S3", Period: sep, Text: " "},
		{BenefitID: "S3", IndicatorID: "K4", Period: sep, Text: strings.Repeat("ŋ", register.MaxCommentRunes+5)},
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"nb", []string{"i measurement kunne ikke leses og er holdt utenfor (period 2025-09-15",
			`Enhetene "S" peker på hverandre`, "andel over 100\u00a0%", "«ikke en adresse», som ikke er gyldig", "person: id-en «» er tom",
			`indikatoren «K4» hører til gevinsten «S3»; kommentaren vises ikke`, `commentary ("S3", "", 2025-09) har ingen tekst og vises ikke`,
			"er 1505 tegn lang; rapportene viser de første 1500"}},
		{"nn", []string{"kunne ikkje lesast", `Einingane "S" peikar`, "ein del over 100\u00a0%", "som ikkje er gyldig", "er tom eller lengre",
			"høyrer til gevinsten", "har ingen tekst og blir ikkje vist", "er 1505 teikn lang"}},
		{"en", []string{"could not be read and is left out", `The units "S" name each other`, "a share above 100\u00a0%", "is not valid", "is empty or longer",
			"belongs to the benefit “S3”", "has no text and is not shown", "is 1505 characters long; the reports show the first 1500"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			rep := buildSteeringFor(t, reg, register.MonthOf(2025, time.September), tt.lang)
			var texts []string
			for _, n := range rep.Notes {
				texts = append(texts, n.Text)
			}
			all := strings.Join(texts, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("appendix lacks %q:\n%s", w, all)
				}
			}
		})
	}
}
