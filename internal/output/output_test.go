package output

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	tests := []struct {
		name, id, want string
	}{
		{"plain id kept", "P-012", "P-012"},
		{"dots kept inside", "ola.nordmann", "ola.nordmann"},
		{"path traversal", "../../etc/passwd", ""},
		{"slash", "a/b", ""},
		{"windows reserved", "CON", ""},
		{"norwegian letters", "kjøkkenåsæ", ""},
		{"empty", "", ""},
		{"long", strings.Repeat("x", 200), ""},
	}
	valid := regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SafeName(tt.id)
			if tt.want != "" && got != tt.want {
				t.Errorf("SafeName(%q) = %q, want %q", tt.id, got, tt.want)
			}
			if !valid.MatchString(got) || strings.Contains(got, "..") && strings.HasPrefix(got, ".") {
				t.Errorf("SafeName(%q) = %q is not a safe file name", tt.id, got)
			}
			if tt.want == "" && got == tt.id {
				t.Errorf("SafeName(%q) kept an unsafe id unchanged", tt.id)
			}
		})
	}
	if SafeName("a/b") == SafeName("a_b") || SafeName("a/b") == SafeName("a:b") {
		t.Error("different ids map to the same file name")
	}
}

func TestManifestFieldsAndNulls(t *testing.T) {
	dir := t.TempDir()
	m := Manifest{Report: "owner", Period: "2025-09", Reports: []Report{{
		File: "p1.pdf", Pages: 3, Recipient: Recipient{ID: "p1", Name: "Kari"},
		Indicators: []Indicator{{IndicatorID: "I1", BenefitID: "G1", Scope: "u", Status: "no_data", Trend: "unknown"}},
	}}}
	set, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Commit(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	ind := raw["reports"].([]any)[0].(map[string]any)["indicators"].([]any)[0].(map[string]any)
	for _, k := range []string{"indicator_id", "benefit_id", "scope", "value", "status", "baseline", "ambition", "red_limit", "green_limit", "target", "progress", "trend", "notes"} {
		if _, ok := ind[k]; !ok {
			t.Errorf("indicator entry lacks %q", k)
		}
	}
	if ind["value"] != nil || ind["progress"] != nil {
		t.Errorf("missing numbers must be null: %v", ind)
	}
	if _, ok := ind["year"]; ok {
		t.Error("owner entries must not carry annual fields")
	}
	if dq, ok := raw["data_quality"].([]any); !ok || len(dq) != 0 {
		t.Errorf("data_quality = %v, want []", raw["data_quality"])
	}
}

// TestManifestNonFinite writes a manifest holding NaN and ±Inf, which JSON
// cannot carry: it still encodes, with nulls and one finding per value.
func TestManifestNonFinite(t *testing.T) {
	nan, inf, ok := math.NaN(), math.Inf(1), 12.5
	m := Manifest{
		Report: "owner", Period: "2025-09",
		Reports: []Report{{File: "P-1.pdf", Indicators: []Indicator{
			{IndicatorID: "I-1", Scope: "R", Value: &nan, Baseline: &ok, Progress: &inf},
			{IndicatorID: "I-2", Scope: "R", Annual: &Annual{Year: 2025, AnnualValue: &inf}},
		}}},
		Savings: &Savings{Realised: math.Inf(-1), Ambition: 10},
	}
	dir := t.TempDir()
	set, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Commit(context.Background(), m); err != nil {
		t.Fatalf("commit a manifest with NaN and Inf: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got Manifest
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("manifest does not decode: %v", err)
	}
	ind := got.Reports[0].Indicators
	if ind[0].Value != nil || ind[0].Progress != nil || ind[0].Baseline == nil || *ind[0].Baseline != ok ||
		ind[1].AnnualValue != nil || got.Savings.Realised != 0 || got.Savings.Ambition != 10 {
		t.Errorf("non-finite values not replaced, or finite ones lost: %s", data)
	}
	var msgs []string
	for _, f := range got.DataQuality {
		if f.Severity == "error" && strings.Contains(f.Message, "not a finite number") {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 4 {
		t.Errorf("findings %q, want 4 (value, progress, annual_value, savings)", msgs)
	}
	if !math.IsNaN(*m.Reports[0].Indicators[0].Value) {
		t.Error("the caller's manifest was changed")
	}
}
