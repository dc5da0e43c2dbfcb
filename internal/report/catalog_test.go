package report

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gevinstrapport/internal/register"
)

func TestCatalogsHaveSameKeysAndPlaceholders(t *testing.T) {
	cats := loadCatalogs(t)
	nb := cats.For("nb")
	for _, lang := range Languages {
		c := cats.For(lang)
		if c.Lang() != lang {
			t.Fatalf("For(%q) gave %q", lang, c.Lang())
		}
		for _, other := range Languages {
			o := cats.For(other)
			for _, k := range c.Keys() {
				if !o.Has(k) {
					t.Errorf("key %q is in %s but not in %s", k, lang, other)
					continue
				}
				if a, b := c.Placeholders(k), o.Placeholders(k); !slices.Equal(a, b) {
					t.Errorf("key %q: %s has placeholders %v, %s has %v", k, lang, a, other, b)
				}
			}
		}
		for _, k := range c.Keys() {
			// A unit may be worded as nothing: a count ("antall") needs no unit.
			if strings.TrimSpace(c.T(k)) == "" && !strings.HasPrefix(k, "unit.") {
				t.Errorf("%s: key %q is empty", lang, k)
			}
		}
	}
	if len(nb.Keys()) < 100 {
		t.Errorf("nb catalogue has only %d keys", len(nb.Keys()))
	}
}

// keyPattern finds catalogue keys written as string literals in the code:
// c.T("key"...), r.T("key"...) and the like.
var keyPattern = regexp.MustCompile(`\.T\("([a-z0-9_.]+)"`)

// countPattern finds the keys of counted texts, c.Count("key", n...), whose
// catalogue keys are key.one and key.other.
var countPattern = regexp.MustCompile(`\.Count\("([a-z0-9_.]+)"`)

func TestEveryKeyTheCodeUsesExists(t *testing.T) {
	cats := loadCatalogs(t)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join("..", "pdf", "owner.go"))
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyPattern.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
		for _, m := range countPattern.FindAllStringSubmatch(string(data), -1) {
			used[m[1]+".one"], used[m[1]+".other"] = true, true
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d literal keys in the code; the scan is broken", len(used))
	}
	// Keys built at run time from enumerations.
	for _, s := range statusOrder {
		used["status."+string(s)] = true
	}
	for _, tr := range []register.Trend{register.Improving, register.Stable, register.Worsening, register.TrendUnknown} {
		used["trend."+string(tr)] = true
	}
	for _, cat := range register.Categories {
		used["category."+string(cat)] = true
	}
	for _, ph := range []register.Phase{register.PhaseIdentify, register.PhasePlan, register.PhaseRealise, register.PhaseEvaluate, register.PhaseClosed} {
		used["phase."+string(ph)] = true
	}
	for _, a := range []register.ActionStatus{register.ActionPlanned, register.ActionInProgress, register.ActionImplemented, register.ActionCancelled} {
		used["action."+string(a)] = true
	}
	for _, r := range []Role{RoleOwner, RoleHolder} {
		used["role."+string(r)] = true
	}
	for _, code := range []register.NoteCode{register.NoteNoData, register.NoteStale, register.NoteSuppressed,
		register.NoteComplementarySuppression, register.NoteNoAmbition, register.NoteInvalidThresholds,
		register.NoteNoBaseline, register.NoteBaselineSuppressed, register.NoteNoTarget, register.NoteNoTargetDate,
		register.NoteTargetEqualsBaseline, register.NoteRedFromGreen, register.NoteMissingPeriods} {
		used["note."+string(code)] = true
	}
	for _, form := range []string{"one", "other"} {
		for _, s := range append(slices.Clone(statusOrder), "part_of_whole") {
			used["count."+string(s)+"."+form] = true
		}
	}
	for _, form := range []string{"zero", "one", "other"} {
		used["annual.open."+form] = true
	}
	for _, form := range []string{"zero", "one", "other"} {
		used["annual.actions_summary."+form] = true
	}
	for _, v := range []string{"yes", "no"} {
		used["annual.met_count_one."+v], used["annual.on_track_count_one."+v] = true, true
	}
	used["steering.benefit.no_open_actions.one"], used["steering.benefit.no_open_actions.other"] = true, true
	for _, form := range []string{"one", "other", "all_one", "all"} {
		used["annual.completed_late."+form] = true
	}
	for _, k := range []string{"all_done", "open", "overdue"} {
		used["followup.register."+k+".one"] = true
		used["followup.register."+k+".other"] = true
	}
	for _, r := range attentionReasons {
		used["steering.attention.reason."+string(r)] = true
	}
	for m := 1; m <= 12; m++ {
		used["month."+strconv.Itoa(m)] = true
		used["month_short."+strconv.Itoa(m)] = true
	}
	// A literal ending in "." is the prefix of a key built at run time; the
	// enumerations above must cover it.
	for k := range used {
		if !strings.HasSuffix(k, ".") {
			continue
		}
		delete(used, k)
		covered := false
		for other := range used {
			if strings.HasPrefix(other, k) {
				covered = true
			}
		}
		if !covered {
			t.Errorf("keys built from prefix %q are not enumerated by this test", k)
		}
	}
	for _, lang := range Languages {
		c := cats.For(lang)
		for k := range used {
			if !c.Has(k) {
				t.Errorf("%s: key %q used by the code is missing", lang, k)
			}
		}
	}
}

func TestCatalogTFillsPlaceholders(t *testing.T) {
	c, err := ParseCatalog("nb", []byte(`
plain: "Ingen plassholdere"
two: "{a} og {b}, igjen {a}"
unknown: "{a} men {ukjent} står"
brace: "Åpen { uten slutt"
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, key string
		kv        []string
		want      string
	}{
		{"no placeholders", "plain", []string{"a", "x"}, "Ingen plassholdere"},
		{"each occurrence replaced", "two", []string{"a", "æ", "b", "{a}"}, "æ og {a}, igjen æ"},
		{"unknown names stay", "unknown", []string{"a", "1"}, "1 men {ukjent} står"},
		{"an unclosed brace stays", "brace", []string{"a", "1"}, "Åpen { uten slutt"},
		{"missing key shows the key", "nope", nil, "[nope]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.T(tt.key, tt.kv...); got != tt.want {
				t.Errorf("T(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}
