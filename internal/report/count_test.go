package report

import (
	"regexp"
	"strings"
	"testing"
)

// hedgedPlural finds a noun that hedges its number: "måling(er)",
// "målingar(ar)", "measurement(s)".
var hedgedPlural = regexp.MustCompile(`\p{L}\((er|ar|e|s|r)\)`)

// TestCountedTextsAgreeInNumber pins number agreement: no catalogue text
// hedges a plural, and each counted text has a singular form for 1 that
// differs from its plural.
func TestCountedTextsAgreeInNumber(t *testing.T) {
	cats := loadCatalogs(t)
	for _, lang := range Languages {
		c := cats.For(lang)
		for _, k := range c.Keys() {
			if text := c.T(k); hedgedPlural.MatchString(text) {
				t.Errorf("%s %s hedges its number: %q", lang, k, text)
			}
			base, ok := strings.CutSuffix(k, ".other")
			if !ok || !strings.HasPrefix(k, "steering.check.") {
				continue
			}
			one, three := c.Count(base, "1", "first", "2025-10"), c.Count(base, "3", "first", "2025-10")
			if !strings.HasPrefix(one, "1 ") || !strings.HasPrefix(three, "3 ") || strings.TrimPrefix(one, "1") == strings.TrimPrefix(three, "3") {
				t.Errorf("%s %s: one %q and other %q do not agree with their counts", lang, base, one, three)
			}
		}
	}
	want := map[string]string{
		"nb": "1 måling mangler verdi og holdes utenfor.",
		"nn": "1 måling manglar verdi og blir halden utanfor.",
		"en": "1 measurement lacks a value and is left out.",
	}
	for lang, w := range want {
		if got := cats.For(lang).Count("steering.check.missing_value", "1"); got != w {
			t.Errorf("%s: %q, want %q", lang, got, w)
		}
	}
}

// TestAnnualBenefitActionsAgree pins the benefit's line on its change
// actions: the verb and adjective agree with the number still open.
func TestAnnualBenefitActionsAgree(t *testing.T) {
	rep := buildAnnual(t, 2024, "nb", "")
	want := map[string]string{
		"B1": "Fullførte endringstiltak i 2024: 1; 2 er fortsatt åpne (1 har passert fristen). Se oversikten over endringstiltak.",
		"B2": "Fullførte endringstiltak i 2024: 0; ingen er åpne. Se oversikten over endringstiltak.",
	}
	for _, sec := range rep.Benefits {
		if w, ok := want[sec.Benefit.ID]; ok && sec.ActionsText != w {
			t.Errorf("%s: %q, want %q", sec.Benefit.ID, sec.ActionsText, w)
		}
	}
	if got := openActionsText(loadCatalogs(t).For("nb"), 1, 1); got != "1 er fortsatt åpent (1 har passert fristen)" {
		t.Errorf("one open: %q", got)
	}
}

// TestNotesIntroAgrees pins the appendix's introduction in every number.
func TestNotesIntroAgrees(t *testing.T) {
	cats := loadCatalogs(t)
	tests := []struct {
		lang    string
		n, errs int
		want    string
	}{
		{"nb", 8, 1, "8 merknader fra kontrollen av registeret; 1 er en feil."},
		{"nb", 1, 0, "1 merknad fra kontrollen av registeret; ingen er feil."},
		{"nn", 3, 2, "3 merknader frå kontrollen av registeret; 2 er feil."},
		{"en", 1, 1, "1 finding from checking the register; 1 is an error."},
	}
	for _, tt := range tests {
		if got := notesIntro(cats.For(tt.lang), tt.n, tt.errs); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s %d/%d: %q, want it to start %q", tt.lang, tt.n, tt.errs, got, tt.want)
		}
	}
}
