package demo

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/report"
)

// registerDigest is the SHA-256 of reg's JSON encoding: every table, row and
// number, independent of how a database file lays them out.
func registerDigest(t *testing.T, reg *register.Register) string {
	t.Helper()
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(reg); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestExistingScalesUnchanged pins the content of the small, regional and
// national registers as they were before the huge scale and streaming were
// added: tests, golden files and the e2e oracle depend on them. A change
// here must be deliberate.
func TestExistingScalesUnchanged(t *testing.T) {
	tests := []struct {
		scale Scale
		rows  int
		want  string
	}{
		{Small, 3955, "1903c22bbd24d63eaefb8a8bf77430de1198a7632e108334ff0d6265e7991c12"},
		{Regional, 23239, "9bb369cfc01b424e0e9f727e1d13bfe974a1920e830d515c3b7c3a7fcce5438e"},
		{National, 232941, "3c6a620356a7dc1ffcae0e07066ac452c99b729a96c7f9f8ac2c7cb7372750e3"},
	}
	for _, tt := range tests {
		t.Run(string(tt.scale), func(t *testing.T) {
			reg := Generate(tt.scale)
			if len(reg.Measurements) != tt.rows {
				t.Errorf("%d measurements, want %d", len(reg.Measurements), tt.rows)
			}
			if got := registerDigest(t, reg); got != tt.want {
				t.Errorf("register digest %s, want %s", got, tt.want)
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
