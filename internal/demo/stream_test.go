package demo

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
	"gevinstrapport/internal/store"
)

// contractColumns returns the demo's tables in the data contract (SPEC §3),
// with their columns, ordered by primary key.
func contractColumns() []struct{ table, cols, key string } {
	return []struct{ table, cols, key string }{
		{"org_unit", "id, name, kind, parent_id", "id"},
		{"person", "id, name, email, language", "id"},
		{"benefit", "id, title, description, category, org_unit_id, owner_id, phase, counted_in_benefit_id", "id"},
		{"benefit_holder", "benefit_id, org_unit_id, person_id", "benefit_id, org_unit_id, person_id"},
		{"indicator", "id, benefit_id, name, unit, direction, aggregation, frequency, decimals, scale, baseline_value, " +
			"baseline_period, target_value, target_date, min_denominator, data_source", "id"},
		{"indicator_ambition", "indicator_id, year, target_value, red_limit, green_limit, revised_on, note", "indicator_id, year"},
		{"measurement", "indicator_id, org_unit_id, period, value, numerator, denominator", "indicator_id, org_unit_id, period"},
		{"change_action", "id, benefit_id, title, responsible, due_date, status, completed_on, note", "id"},
	}
}

// fileDigest writes the demo of scale as an SQLite file and returns the
// SHA-256 of every row of its contract tables, read back in key order and
// printed value by value: the register as a reader of the file sees it,
// independent of the file's layout and of the Go types' fields.
func fileDigest(t *testing.T, scale Scale) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := Write(ctx, path, scale); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.SQLite, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	for _, c := range contractColumns() {
		rows, err := db.QueryContext(ctx, "SELECT "+c.cols+" FROM "+c.table+" ORDER BY "+c.key)
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(c.cols, ",") + 1
		vals, ptrs := make([]any, n), make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s%#v\n", c.table, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestExistingScalesUnchanged pins the rows of the small and regional
// registers as they were before the huge scale and streaming were added:
// tests, golden files and the e2e oracle depend on them. A change here
// must be deliberate.
func TestExistingScalesUnchanged(t *testing.T) {
	tests := []struct {
		scale Scale
		want  string
	}{
		{Small, "3d6f72ddee0a40f16e9727a1d5e8017c38d629abb9d423dad30b4e9b538310f5"},
		{Regional, "619127cdba4bad1b414c37ed6a84c3e64e4bbdddadd350ed1a02bf5b192fa7f6"},
	}
	for _, tt := range tests {
		t.Run(string(tt.scale), func(t *testing.T) {
			if got := fileDigest(t, tt.scale); got != tt.want {
				t.Errorf("digest of the written rows %s, want %s", got, tt.want)
			}
		})
	}
}

// measurementKey compares rows by the measurement table's primary key.
func measurementKey(a, b register.Measurement) int {
	return cmp.Or(strings.Compare(a.IndicatorID, b.IndicatorID), strings.Compare(a.OrgUnitID, b.OrgUnitID), cmp.Compare(a.Period, b.Period))
}

// checkStream walks p's rows and checks that they come in strictly
// increasing key order (the order the SQLite bytes depend on) and that
// count predicts their number; it returns the number of rows.
func checkStream(t *testing.T, p *plan) int {
	t.Helper()
	n := 0
	var prev register.Measurement
	for m := range p.rows {
		if n > 0 && measurementKey(prev, m) >= 0 {
			t.Fatalf("row %d %s/%s/%s does not follow %s/%s/%s in key order", n+1, m.IndicatorID, m.OrgUnitID, m.Period, prev.IndicatorID, prev.OrgUnitID, prev.Period)
		}
		prev = m
		n++
	}
	if c := p.count(); c != n {
		t.Errorf("count says %d rows, the stream yields %d", c, n)
	}
	return n
}

func TestStreamOrderAndCount(t *testing.T) {
	for _, s := range []Scale{Small, Regional} {
		t.Run(string(s), func(t *testing.T) {
			_, p := build(s)
			checkStream(t, p)
		})
	}
}

// TestStreamStopsEarly checks that the stream honours a consumer that stops.
func TestStreamStopsEarly(t *testing.T) {
	_, p := build(Small)
	n := 0
	for range p.rows {
		n++
		if n == 10 {
			break
		}
	}
	if n != 10 {
		t.Errorf("took %d rows, want 10", n)
	}
}

// TestHugeShape checks the huge scale's size from the generator, without
// writing it: about 10 000 recipients, over 2 million rows from 2020-01,
// the national tree, and every holder inside its benefit's scope.
func TestHugeShape(t *testing.T) {
	reg, p := build(Huge)
	sum := summarize(Huge, reg, p.count(), 0)
	if sum.Recipients < 9500 || sum.Recipients > 10500 {
		t.Errorf("%d recipients, want about 10 000", sum.Recipients)
	}
	if sum.Measurements < 2_000_000 {
		t.Errorf("%d measurement rows, want at least 2 000 000", sum.Measurements)
	}
	national, _ := build(National)
	if !reflect.DeepEqual(reg.Benefits, national.Benefits) || !reflect.DeepEqual(reg.Indicators, national.Indicators) ||
		!reflect.DeepEqual(reg.Ambitions, national.Ambitions) || !reflect.DeepEqual(reg.Actions, national.Actions) {
		t.Error("benefits, indicators, ambitions or actions differ from the national demo")
	}
	kinds := map[register.OrgKind]int{}
	for _, u := range reg.Units {
		kinds[u.Kind]++
	}
	if kinds[register.KindRHF] != 5 || kinds[register.KindHF] != 19 || kinds[register.KindKommune] != 356 {
		t.Errorf("org kinds %v, want the national tree's 5 rhf, 19 hf, 356 kommune", kinds)
	}
	ix := indexOf(reg)
	scopes := map[string]string{}
	for _, b := range reg.Benefits {
		scopes[b.ID] = b.OrgUnitID
	}
	for _, h := range reg.Holders {
		if _, ok := ix.people[h.PersonID]; !ok {
			t.Fatalf("holder %+v: person does not exist", h)
		}
		if !ix.inScope(h.OrgUnitID, scopes[h.BenefitID]) {
			t.Fatalf("holder %+v: unit outside the benefit's scope %s", h, scopes[h.BenefitID])
		}
	}
	if first := p.periods[0][0]; first != register.MonthOf(2020, 1) {
		t.Errorf("%s data starts %s, want 2020-01", p.specs[0].ind.ID, first)
	}
	if testing.Short() {
		return
	}
	checkStream(t, p)
}

// TestSummary checks the counts WriteTo reports against the register and
// against report.Recipients, who really gets an owner report.
func TestSummary(t *testing.T) {
	reg := Generate(Regional)
	sum := summarize(Regional, reg, len(reg.Measurements), time.Second)
	x, err := register.NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{Scale: Regional, Units: len(reg.Units), People: len(reg.People), Recipients: len(report.Recipients(x)),
		Benefits: len(reg.Benefits), Indicators: len(reg.Indicators), Measurements: len(reg.Measurements), Elapsed: time.Second}
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
}
