package register

import (
	"strings"
	"testing"
)

func TestCommentFor(t *testing.T) {
	reg := cleanRegister()
	reg.Comments = []Comment{
		{BenefitID: "G1", Period: mo("2025-06"), Text: "Juni om gevinsten"},
		{BenefitID: "G1", Period: mo("2025-09"), Text: "September om gevinsten"},
		{BenefitID: "G1", Period: mo("2025-10"), Text: "Oktober, etter rapportperioden"},
		{BenefitID: "G1", IndicatorID: "I1", Period: mo("2025-07"), Text: "Juli om I1"},
		{BenefitID: "G1", IndicatorID: "I1", Period: mo("2025-08"), Text: "  \n "},
	}
	x, err := NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		indicator string
		from, to  string
		want      string // "" when none
	}{
		{"the report month's own comment", "", "2025-06", "2025-09", "September om gevinsten"},
		{"a comment after the report month is never shown", "", "2025-09", "2025-09", "September om gevinsten"},
		{"the later month has its own", "", "2025-10", "2025-10", "Oktober, etter rapportperioden"},
		{"the newest within the window", "", "2025-05", "2025-08", "Juni om gevinsten"},
		{"nothing within the window", "", "2025-07", "2025-08", ""},
		{"an empty comment does not hide an older one", "I1", "2025-06", "2025-09", "Juli om I1"},
		{"an indicator comment is not the benefit's", "I9", "2025-01", "2025-12", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := x.CommentFor("G1", tt.indicator, mo(tt.from), mo(tt.to))
			if ok != (tt.want != "") || c.Text != tt.want {
				t.Errorf("CommentFor = %q, %v; want %q", c.Text, ok, tt.want)
			}
		})
	}
}

func TestCheckComments(t *testing.T) {
	reg := cleanRegister()
	reg.Benefits = append(reg.Benefits, Benefit{ID: "G2", Title: "Annen", Category: Savings, OrgUnitID: "R", OwnerID: "P1", Phase: PhaseRealise})
	reg.Comments = []Comment{
		{BenefitID: "G1", Period: mo("2025-09"), AuthorID: "P1", Text: "Fin"},
		{BenefitID: "G1", Period: mo("2025-09"), AuthorID: "P1", Text: "Igjen"},
		{BenefitID: "G9", Period: mo("2025-09"), Text: "Ingen gevinst"},
		{BenefitID: "G1", IndicatorID: "I9", Period: mo("2025-09"), Text: "Ingen indikator"},
		{BenefitID: "G2", IndicatorID: "I1", Period: mo("2025-09"), Text: "Feil gevinst"},
		{BenefitID: "G1", Period: mo("2025-08"), AuthorID: "NOBODY", Text: "Ukjent forfatter"},
		{BenefitID: "G1", Period: mo("2025-07"), Text: " \n\t"},
		{BenefitID: "G1", Period: mo("2025-06"), Text: strings.Repeat("á", MaxCommentRunes+1)},
		{BenefitID: "G1", Period: mo("2025-05"), Text: strings.Repeat("á", MaxCommentRunes)},
	}
	x, err := NewIndex(reg)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		code NoteCode
		sev  Severity
		arg  string
	}
	wants := []want{
		{NoteDuplicateID, SeverityError, `("G1", "", 2025-09)`},
		{NoteDanglingReference, SeverityError, "G9"},
		{NoteDanglingReference, SeverityError, "I9"},
		{NoteCommentMismatch, SeverityError, "G1"},
		{NoteDanglingReference, SeverityWarning, "NOBODY"},
		{NoteCommentEmpty, SeverityWarning, `commentary ("G1", "", 2025-07)`},
		{NoteCommentTooLong, SeverityWarning, "1501"},
	}
	var got []Note
	for _, n := range Check(x, mo("2025-09"), Settings{}) {
		if strings.HasPrefix(n.Message, "commentary") {
			got = append(got, n)
		}
	}
	if len(got) != len(wants) {
		for _, n := range got {
			t.Log(n.Code, n.Severity, n.Message)
		}
		t.Fatalf("got %d commentary findings, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		n := got[i]
		if n.Code != w.code || n.Severity != w.sev || !contains(n.Args, w.arg) {
			t.Errorf("finding %d = %s %s %q %v; want %s %s with arg %q", i, n.Code, n.Severity, n.Message, n.Args, w.code, w.sev, w.arg)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
