package sheet

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gevinstrapport/internal/demo"
	"gevinstrapport/internal/store"
	"gevinstrapport/templates"
)

// openTemplate writes the template in lang (filled with reg when given)
// and opens it again.
func openTemplate(t *testing.T, lang string, example bool) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	reg := demo.Generate(demo.Small)
	if !example {
		reg = nil
	}
	if err := WriteTemplate(&buf, lang, reg); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestTemplateSheetsFollowTheContract(t *testing.T) {
	for _, lang := range []string{"nb", "nn", "en"} {
		t.Run(lang, func(t *testing.T) {
			f := openTemplate(t, lang, false)
			in, err := loadInstructions(templates.FS, lang)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{in.Sheet}
			for _, tb := range store.Contract() {
				want = append(want, tb.Name)
			}
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Fatalf("sheets = %v, want %v", got, want)
			}
			if f.GetActiveSheetIndex() != 0 {
				t.Errorf("active sheet %d, want the instructions", f.GetActiveSheetIndex())
			}
			for _, tb := range store.Contract() {
				checkTableSheet(t, f, tb)
			}
		})
	}
}

// checkTableSheet verifies one table's sheet: header, frozen row 1, a
// drop-down per enum column and a format per column kind.
func checkTableSheet(t *testing.T, f *excelize.File, tb store.TableSpec) {
	t.Helper()
	rows, err := f.GetRows(tb.Name)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range tb.Columns {
		names = append(names, c.Name)
	}
	if len(rows) != 1 || !slices.Equal(rows[0], names) {
		t.Errorf("%s: rows %q, want only the header %q", tb.Name, rows, names)
	}
	panes, err := f.GetPanes(tb.Name)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("%s: panes %+v (%v), want row 1 frozen", tb.Name, panes, err)
	}
	dvs, err := f.GetDataValidations(tb.Name)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[dv.Sqref] = dv.Formula1
	}
	for i, c := range tb.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if len(c.Enum) > 0 {
			want := `"` + strings.Join(c.Enum, ",") + `"`
			if got := lists[col+"2:"+col+"1048576"]; got != want {
				t.Errorf("%s.%s: drop-down %q, want %q", tb.Name, c.Name, got, want)
			}
		}
		checkColumnFormat(t, f, tb.Name, col, c)
	}
	if len(dvs) != countEnums(tb) {
		t.Errorf("%s: %d validations, want %d", tb.Name, len(dvs), countEnums(tb))
	}
}

func checkColumnFormat(t *testing.T, f *excelize.File, sheet, col string, c store.ColumnSpec) {
	t.Helper()
	id, err := f.GetColStyle(sheet, col)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	format := ""
	if st.CustomNumFmt != nil {
		format = *st.CustomNumFmt
	}
	want := map[store.ColumnKind]string{store.KindDate: "yyyy-mm-dd", store.KindText: "@", store.KindCode: "@"}[c.Kind]
	wantNum := map[store.ColumnKind]int{store.KindInteger: 1}[c.Kind]
	if format != want || st.NumFmt != wantNum {
		t.Errorf("%s.%s: format %q/%d, want %q/%d", sheet, c.Name, format, st.NumFmt, want, wantNum)
	}
}

func countEnums(tb store.TableSpec) int {
	n := 0
	for _, c := range tb.Columns {
		if len(c.Enum) > 0 {
			n++
		}
	}
	return n
}

func TestTemplateInstructionsListEveryColumn(t *testing.T) {
	f := openTemplate(t, "en", false)
	rows, err := f.GetRows("Instructions")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string][]string{}
	for _, r := range rows {
		if len(r) >= 4 {
			listed[r[0]+"."+r[1]] = r
		}
	}
	for _, tb := range store.Contract() {
		for _, c := range tb.Columns {
			r, ok := listed[tb.Name+"."+c.Name]
			if !ok {
				t.Errorf("instructions do not list %s.%s", tb.Name, c.Name)
				continue
			}
			if wantReq := map[bool]string{true: "yes", false: "no"}[c.Required]; r[2] != wantReq {
				t.Errorf("%s.%s: required %q, want %q", tb.Name, c.Name, r[2], wantReq)
			}
		}
	}
}

func TestTemplateExampleHoldsTheDemoRegister(t *testing.T) {
	f := openTemplate(t, "nb", true)
	reg := demo.Generate(demo.Small)
	for _, tr := range store.RegisterRows(reg) {
		rows, err := f.GetRows(tr.Table)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != len(tr.Rows) {
			t.Errorf("%s: %d data rows, want %d", tr.Table, len(rows)-1, len(tr.Rows))
		}
	}
	// A period is a real date shown as ISO text, not text.
	typ, err := f.GetCellType("measurement", "C2")
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := f.GetCellValue("measurement", "C2")
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || shown != reg.Measurements[0].Period.FirstDay().Format("2006-01-02") {
		t.Errorf("measurement!C2: type %v shown %q, want a date shown as %s", typ, shown, reg.Measurements[0].Period.FirstDay().Format("2006-01-02"))
	}
}
