package register

import (
	"testing"
	"time"
)

func TestAnnual(t *testing.T) {
	dec := func(y int) time.Time { return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		ind   Indicator
		ambs  []Ambition
		rows  []Measurement
		year  int
		check func(t *testing.T, r AnnualResult)
	}{
		{
			name: "ratio is the year's numerators over its denominators",
			ind:  with(ratioInd(), func(i *Indicator) { i.BaselineValue = F(10); i.TargetValue = F(50); i.TargetDate = dec(2027) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10), rr("I1", "B", "2025-06", 50, 90), rr("I1", "A", "2024-12", 100, 100), rr("I1", "A", "2026-01", 100, 100)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 51) // 51/100, not the mean of 10 % and 55.6 %
				if r.Status != Green {
					t.Errorf("Status = %s, want green", r.Status)
				}
				wantBool(t, "AmbitionMet", r.AmbitionMet, true)
				wantPtr(t, "Change", r.Change, 41)
				wantBool(t, "FinalReached", r.FinalReached, true)
				wantPtr(t, "SuggestedAmbition", r.SuggestedAmbition, 51) // past the final 50: hold 51, never a path back down
			},
		},
		{
			// 575 561 kr a month is 6 906 732 kr in 2025; half the way to
			// 12 000 000 kr by 2027 is 9 453 366 kr, suggested as 9 500 000 kr.
			name: "a kroner suggestion is rounded to two significant digits",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(12000000); i.TargetDate = dec(2027) }),
			ambs: []Ambition{amb(2025, 6000000)},
			rows: monthly("I1", "A", "2025-01", 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561, 575561),
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 6906732)
				wantPtr(t, "SuggestedAmbition", r.SuggestedAmbition, 9500000)
			},
		},
		{
			name: "sum is the year's total judged against the full year",
			ind:  with(sumInd(), func(i *Indicator) { i.BaselineValue = F(0); i.TargetValue = F(300); i.TargetDate = dec(2028) }),
			ambs: []Ambition{amb(2025, 150)},
			rows: monthly("I1", "A", "2025-01", 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 120)
				if r.Status != Yellow || r.Thresholds == nil || r.Thresholds.GreenLimit != 150 || r.Thresholds.RedLimit != 75 {
					t.Errorf("Status = %s, Thresholds = %+v, want yellow against green 150, red 75", r.Status, r.Thresholds)
				}
				wantBool(t, "AmbitionMet", r.AmbitionMet, false)
				wantBool(t, "FinalReached", r.FinalReached, false)
				wantPtr(t, "SuggestedAmbition", r.SuggestedAmbition, 180) // 120 + 180/3
			},
		},
		{
			name: "mean is the mean of the periods' scope values",
			ind:  with(meanInd(), func(i *Indicator) { i.BaselineValue = F(40); i.TargetValue = F(20); i.TargetDate = dec(2026) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{vr("I1", "A", "2025-01", 10), vr("I1", "B", "2025-01", 30), vr("I1", "A", "2025-02", 40)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 30) // (20 + 40)/2, not (10+30+40)/3
				if r.Status != Green {
					t.Errorf("Status = %s, want green (down, 30 ≤ 30)", r.Status)
				}
				wantPtr(t, "Change", r.Change, -10)
				wantBool(t, "FinalReached", r.FinalReached, false)
				wantPtr(t, "SuggestedAmbition", r.SuggestedAmbition, 20) // target year is year+1
			},
		},
		{
			name: "suggested ambition is the target once the target date has passed",
			ind:  with(ratioInd(), func(i *Indicator) { i.TargetValue = F(80); i.TargetDate = dec(2024) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "SuggestedAmbition", r.SuggestedAmbition, 80)
			},
		},
		{
			name: "no target date gives no suggestion",
			ind:  with(ratioInd(), func(i *Indicator) { i.TargetValue = F(80) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantNil(t, "SuggestedAmbition", r.SuggestedAmbition)
				wantNote(t, r.Notes, NoteNoTargetDate)
				wantBool(t, "FinalReached", r.FinalReached, false)
			},
		},
		{
			name: "ratio annual cell below min_denominator is suppressed",
			ind:  with(ratioInd(), func(i *Indicator) { i.MinDenominator = F(20); i.TargetValue = F(80); i.TargetDate = dec(2027) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10), rr("I1", "A", "2025-02", 1, 9)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				if r.Status != Suppressed {
					t.Errorf("Status = %s, want suppressed", r.Status)
				}
				wantNil(t, "Value", r.Value)
				wantNil(t, "SuggestedAmbition", r.SuggestedAmbition)
			},
		},
		{
			name: "ratio annual cell at min_denominator is shown although its months are not",
			ind:  with(ratioInd(), func(i *Indicator) { i.MinDenominator = F(20) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10), rr("I1", "A", "2025-02", 1, 10)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 10)
			},
		},
		{
			name: "sum with a suppressed month is suppressed",
			ind:  with(sumInd(), func(i *Indicator) { i.MinDenominator = F(2) }),
			ambs: []Ambition{amb(2025, 30)},
			rows: append(monthly("I1", "A", "2025-01", 1, 1), monthly("I1", "B", "2025-01", 1)...),
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				if r.Status != Suppressed {
					t.Errorf("Status = %s, want suppressed", r.Status)
				}
			},
		},
		{
			name: "no data for the year",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2024-01", 1, 10)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				if r.Status != NoData || r.Value != nil {
					t.Errorf("Status = %s, Value = %v, want no_data and nil", r.Status, r.Value)
				}
				wantNote(t, r.Notes, NoteNoData)
			},
		},
		{
			name: "no ambition for the year",
			ind:  ratioInd(),
			ambs: []Ambition{amb(2024, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				if r.Status != NoAmbition || r.AmbitionMet != nil {
					t.Errorf("Status = %s, AmbitionMet = %v, want no_ambition and nil", r.Status, r.AmbitionMet)
				}
				wantPtr(t, "Value", r.Value, 10)
			},
		},
		{
			name: "quarterly ratio covers the year's quarters",
			ind:  with(ratioInd(), func(i *Indicator) { i.Frequency = Quarterly }),
			ambs: []Ambition{amb(2025, 30)},
			rows: []Measurement{rr("I1", "A", "2025-01", 1, 10), rr("I1", "A", "2025-10", 3, 10), rr("I1", "A", "2026-01", 10, 10)},
			year: 2025,
			check: func(t *testing.T, r AnnualResult) {
				wantPtr(t, "Value", r.Value, 20)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := mustIndex(t, &Register{Units: testUnits(), Indicators: []Indicator{tc.ind}, Ambitions: tc.ambs, Measurements: tc.rows})
			tc.check(t, x.Annual(tc.ind, "R", tc.year, DefaultSettings()))
		})
	}
}

// A sum missing some of the year's periods undercounts the year: it is
// judged only when it already meets the green limit of an "up" indicator.
func TestAnnualSumMissingPeriods(t *testing.T) {
	tenMonths := monthly("I1", "A", "2024-01", 10, 10, 10, 10, 10, 10, 10, 10, 10, 10) // Nov and Dec missing
	tests := []struct {
		name       string
		dir        Direction
		target     float64
		wantStatus Status
		wantMet    *bool
	}{
		{"down: an undercount cannot be judged", Down, 120, NoData, nil},
		{"up, already past green: more data only adds", Up, 90, Green, boolPtr(true)},
		{"up, short of green: the missing months may make it", Up, 120, NoData, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := 0.0
			if tt.dir == Down {
				base = 200 // red default 160 above green 120, as a down indicator needs
			}
			ind := with(sumInd(), func(i *Indicator) { i.Direction = tt.dir; i.BaselineValue = F(base) })
			reg := &Register{Units: testUnits(), Indicators: []Indicator{ind},
				Ambitions: []Ambition{amb(2024, tt.target)}, Measurements: tenMonths}
			r := mustIndex(t, reg).Annual(ind, "R", 2024, DefaultSettings())
			wantPtr(t, "Value", r.Value, 100) // the partial total is still shown
			if r.Status != tt.wantStatus {
				t.Errorf("Status = %s, want %s", r.Status, tt.wantStatus)
			}
			if (r.AmbitionMet == nil) != (tt.wantMet == nil) || (r.AmbitionMet != nil && *r.AmbitionMet != *tt.wantMet) {
				t.Errorf("AmbitionMet = %v, want %v", r.AmbitionMet, tt.wantMet)
			}
			if len(r.MissingPeriods) != 2 {
				t.Errorf("MissingPeriods = %v, want Nov and Dec", r.MissingPeriods)
			}
			wantNote(t, r.Notes, NoteMissingPeriods)
		})
	}
}

func boolPtr(b bool) *bool { return &b }
