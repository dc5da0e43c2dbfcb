package output

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

// TestAddReportWritesTheSameManifest writes one manifest twice, once with
// its reports in the Manifest given to Commit and once with each added by
// AddReport (kept on disk until Commit): the files are the same byte for
// byte, non-finite figures and their findings included, and the spool of
// entries is not left in the folder.
func TestAddReportWritesTheSameManifest(t *testing.T) {
	nan, inf, ok, yes := math.NaN(), math.Inf(-1), 12.5, true
	m := Manifest{
		Report: "annual", Period: "2025",
		DataQuality: []Finding{{Severity: "warning", IndicatorID: "I-1", Message: "<stale> & late"}},
		Reports: []Report{
			{File: "P-1.pdf", SHA256: "ab", Pages: 3, Recipient: Recipient{ID: "P-1", Name: "Åse"}, Indicators: []Indicator{
				{IndicatorID: "I-1", Scope: "R", Value: &nan, Baseline: &ok, Notes: []string{"merk"}},
				{IndicatorID: "I-2", Scope: "R", Annual: &Annual{Year: 2025, AnnualValue: &inf, AmbitionMet: &yes}},
			}},
			{File: "P-2.pdf", Recipient: Recipient{ID: "P-2"}},
			{File: "P-3.pdf", Indicators: []Indicator{{IndicatorID: "I-3", Progress: &inf}}},
		},
		Savings:  &Savings{Realised: nan, Ambition: 10},
		Failures: []FailedEntry{{RecipientID: "P-4", Error: "no"}},
	}
	for _, n := range []int{0, 1, 3} {
		t.Run(fmt.Sprint(n, " reports"), func(t *testing.T) {
			whole := m
			whole.Reports = m.Reports[:n]
			a := filepath.Join(t.TempDir(), "owner")
			commitManifest(t, a, whole, nil)
			b := filepath.Join(t.TempDir(), "owner")
			head := m
			head.Reports = nil
			commitManifest(t, b, head, m.Reports[:n])
			want, _ := os.ReadFile(filepath.Join(a, "manifest.json"))
			got, err := os.ReadFile(filepath.Join(b, "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("manifest with added entries:\n%s\nwant:\n%s", got, want)
			}
			if entries, _ := os.ReadDir(b); len(entries) != 1 {
				t.Errorf("the folder holds %d entries, want only manifest.json", len(entries))
			}
		})
	}
}

// commitManifest commits a set of no files with manifest m and the entries added.
func commitManifest(t *testing.T, dir string, m Manifest, added []Report) {
	t.Helper()
	set, err := OpenSet(context.Background(), dir, SetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range added {
		if err := set.AddReport(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := set.Commit(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}
