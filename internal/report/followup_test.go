package report

import (
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
)

// followUpRegister has two benefits owned by p, measured monthly in 2025 up
// to September:
//
//	F1 green today (3,0 points against 3,0) but falling 0,3 a month since
//	   April, forecast 2,1 by December: the questions are asked. Its
//	   actions: one implemented, one in progress past its deadline, one
//	   planned for next year, one cancelled (left out of the count).
//	F2 green and steady at 4,0 against 3,0: no questions.
func followUpRegister(lang string) *register.Register {
	f := register.F
	reg := &register.Register{
		Units:  []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People: []register.Person{{ID: "p", Name: "Eva Eier", Language: lang}},
		Benefits: []register.Benefit{
			{ID: "F1", Title: "Fallende", Category: register.Satisfaction, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise},
			{ID: "F2", Title: "Stødig", Category: register.Satisfaction, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise},
		},
		Actions: []register.ChangeAction{
			{ID: "A1", BenefitID: "F1", Title: "Ferdig", DueDate: day(2025, 3, 31), Status: register.ActionImplemented, CompletedOn: day(2025, 3, 1)},
			{ID: "A2", BenefitID: "F1", Title: "Forsinket", DueDate: day(2025, 6, 30), Status: register.ActionInProgress},
			{ID: "A3", BenefitID: "F1", Title: "Neste år", DueDate: day(2026, 6, 30), Status: register.ActionPlanned},
			{ID: "A4", BenefitID: "F1", Title: "Avlyst", DueDate: day(2025, 1, 31), Status: register.ActionCancelled},
		},
	}
	for _, id := range []string{"F1", "F2"} {
		reg.Indicators = append(reg.Indicators, register.Indicator{ID: "I" + id, BenefitID: id, Name: "Tilfredshet " + id,
			Unit: "poeng", Direction: register.Up, Aggregation: register.Mean, Frequency: register.Monthly, Decimals: 1,
			BaselineValue: f(2), TargetValue: f(4.5), TargetDate: day(2026, 12, 31)})
		reg.Ambitions = append(reg.Ambitions, register.Ambition{IndicatorID: "I" + id, Year: 2025, Target: 3})
	}
	for m := time.January; m <= time.September; m++ {
		p := register.MonthOf(2025, m)
		reg.Measurements = append(reg.Measurements,
			register.Measurement{IndicatorID: "IF1", OrgUnitID: "hf", Period: p, Value: f(min(4.5, 4.5-0.3*float64(m-4)))},
			register.Measurement{IndicatorID: "IF2", OrgUnitID: "hf", Period: p, Value: f(4)})
	}
	return reg
}

// TestFollowUpWhenForecastMisses pins the forecast trigger of the
// follow-up questions and the register's own answer under them.
func TestFollowUpWhenForecastMisses(t *testing.T) {
	tests := []struct {
		lang, intro, answer string
	}{
		{"nb", "Tilfredshet F1: Grønn, men prognosen for 2025 er 2,1\u00a0poeng mot årsambisjonen 3,0\u00a0poeng", "2 av 3 endringstiltak er ikke gjennomført; 1 har passert fristen."},
		{"nn", "Tilfredshet F1: Grøn, men prognosen for 2025 er 2,1\u00a0poeng mot årsambisjonen 3,0\u00a0poeng", "2 av 3 endringstiltak er ikkje gjennomførte; 1 har passert fristen."},
		{"en", "Tilfredshet F1: Green, but the forecast for 2025 is 2.1\u00a0", "2 of 3 change actions are not yet implemented; 1 is past its deadline."},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			x, err := register.NewIndex(followUpRegister(tt.lang))
			if err != nil {
				t.Fatal(err)
			}
			rs := Recipients(x)
			if len(rs) != 1 {
				t.Fatalf("%d recipients, want p alone", len(rs))
			}
			rep, err := BuildOwner(x, rs[0], sep2025, loadCatalogs(t), testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			asked := map[string]BenefitSection{}
			for _, sec := range rep.Benefits {
				if len(sec.FollowUp) > 0 {
					asked[sec.Benefit.ID] = sec
				}
			}
			if _, ok := asked["F2"]; ok {
				t.Error("F2 (green, forecast above the ambition) asks the follow-up questions")
			}
			sec, ok := asked["F1"]
			if !ok {
				t.Fatal("F1 (green, forecast below the ambition) asks no follow-up questions")
			}
			if !strings.Contains(sec.FollowUpIntro, tt.intro) {
				t.Errorf("intro %q lacks %q", sec.FollowUpIntro, tt.intro)
			}
			if sec.FollowUpAnswer != tt.answer {
				t.Errorf("answer %q, want %q", sec.FollowUpAnswer, tt.answer)
			}
		})
	}
}

// TestActionsAnswerAgreesInNumber words the register's answer for the
// counts where the words change form.
func TestActionsAnswerAgreesInNumber(t *testing.T) {
	cats := loadCatalogs(t)
	row := func(st register.ActionStatus, overdue bool) ActionRow {
		return ActionRow{Action: register.ChangeAction{Status: st}, Overdue: overdue}
	}
	done, open, late := row(register.ActionImplemented, false), row(register.ActionPlanned, false), row(register.ActionInProgress, true)
	tests := []struct {
		name string
		rows []ActionRow
		want map[string]string
	}{
		{"none", nil, map[string]string{"nb": "Ingen endringstiltak er registrert for gevinsten.", "en": "No change actions are registered for the benefit."}},
		{"the one, done", []ActionRow{done}, map[string]string{"nb": "Det ene endringstiltaket er gjennomført.", "nn": "Det eine endringstiltaket er gjennomført.", "en": "The one change action is implemented."}},
		{"the one, late", []ActionRow{late}, map[string]string{"nb": "Det ene endringstiltaket er ikke gjennomført; 1 har passert fristen.", "en": "The one change action is not yet implemented; 1 is past its deadline."}},
		{"all three done", []ActionRow{done, done, done}, map[string]string{"nb": "Alle 3 endringstiltak er gjennomført.", "nn": "Alle 3 endringstiltaka er gjennomførte.", "en": "All 3 change actions are implemented."}},
		{"one of three open", []ActionRow{done, done, open}, map[string]string{"nb": "1 av 3 endringstiltak er ikke gjennomført.", "nn": "1 av 3 endringstiltak er ikkje gjennomført.", "en": "1 of 3 change actions is not yet implemented."}},
		{"none of two done", []ActionRow{late, open}, map[string]string{"nb": "Ingen av de 2 endringstiltakene er gjennomført; 1 har passert fristen.", "nn": "Ingen av dei 2 endringstiltaka er gjennomførte; 1 har passert fristen.", "en": "None of the 2 change actions is implemented yet; 1 is past its deadline."}},
		{"two of three late", []ActionRow{done, late, late}, map[string]string{"nb": "2 av 3 endringstiltak er ikke gjennomført; 2 har passert fristen.", "en": "2 of 3 change actions are not yet implemented; 2 are past their deadline."}},
	}
	for _, tt := range tests {
		for lang, want := range tt.want {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				if got := actionsAnswer(cats.For(lang), tt.rows); got != want {
					t.Errorf("got %q, want %q", got, want)
				}
			})
		}
	}
}

// TestForecastSentences pins the forecast sentence of the owner report: a
// projection rounded to what it can mean, and no forecast for a year that
// is already measured.
func TestForecastSentences(t *testing.T) {
	f := register.F
	reg := &register.Register{
		Units:    []register.OrgUnit{{ID: "hf", Name: "Helse Test HF", Kind: register.KindHF}},
		People:   []register.Person{{ID: "p", Name: "Eva Eier"}},
		Benefits: []register.Benefit{{ID: "B", Title: "Gevinst", Category: register.Savings, OrgUnitID: "hf", OwnerID: "p", Phase: register.PhaseRealise}},
		Indicators: []register.Indicator{
			{ID: "KR", BenefitID: "B", Name: "Spart", Unit: "kr", Direction: register.Up, Aggregation: register.Sum, Frequency: register.Monthly,
				BaselineValue: f(0), TargetValue: f(12000000), TargetDate: day(2027, 12, 31)},
			{ID: "YR", BenefitID: "B", Name: "Andel", Unit: "%", Direction: register.Up, Aggregation: register.Ratio, Frequency: register.Yearly, Decimals: 1,
				BaselineValue: f(55), TargetValue: f(95), TargetDate: day(2025, 12, 31)},
		},
		Ambitions: []register.Ambition{{IndicatorID: "KR", Year: 2025, Target: 6950000}, {IndicatorID: "YR", Year: 2025, Target: 95}},
	}
	for m := time.January; m <= time.September; m++ {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "KR", OrgUnitID: "hf", Period: register.MonthOf(2025, m), Value: f(575561)})
	}
	for y, num := range map[int]float64{2023: 700, 2024: 800, 2025: 867} {
		reg.Measurements = append(reg.Measurements, register.Measurement{IndicatorID: "YR", OrgUnitID: "hf", Period: register.MonthOf(y, time.January), Numerator: f(num), Denominator: f(1000)})
	}
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := BuildOwner(x, Recipients(x)[0], sep2025, loadCatalogs(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"KR": "Med dagens trend ventes 6\u00a0900\u00a0000\u00a0kr ved utgangen av 2025; årlig ambisjon ventes ikke nådd.",
		"YR": "Tallet for 2025 er målt: 86,7\u00a0%; årlig ambisjon er ikke nådd.",
	}
	card := map[string]string{
		"KR": "Prognose 2025 · ambisjonen ventes ikke nådd",
		"YR": "Målt for 2025 · årlig ambisjon er ikke nådd",
	}
	for _, is := range rep.Benefits[0].Indicators {
		if w := want[is.Indicator.ID]; is.ForecastText != w {
			t.Errorf("%s forecast %q, want %q", is.Indicator.ID, is.ForecastText, w)
		}
		f := is.Figures[len(is.Figures)-1]
		if got := f.Label + " · " + f.Note; got != card[is.Indicator.ID] {
			t.Errorf("%s forecast card %q, want %q", is.Indicator.ID, got, card[is.Indicator.ID])
		}
	}
}
