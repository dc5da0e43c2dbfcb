// Package sheet keeps the register in a spreadsheet: it writes the
// template workbook (one sheet per contract table, generated from the
// store's contract definition) and imports a filled workbook, or a folder
// of CSV files, into the register database after checking it.
package sheet

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"gevinstrapport/internal/register"
	"gevinstrapport/internal/store"
	"gevinstrapport/templates"
)

// maxRow is the last row of a worksheet; validation and formats reach it.
const maxRow = 1048576

// instructions is the wording of the first sheet, from templates/sheet.
type instructions struct {
	Sheet   string            `yaml:"sheet"`
	Title   string            `yaml:"title"`
	Lines   []string          `yaml:"lines"`
	Headers []string          `yaml:"headers"`
	Kinds   map[string]string `yaml:"kinds"`
	Yes     string            `yaml:"yes"`
	No      string            `yaml:"no"`
}

// loadInstructions reads the instructions in lang.
func loadInstructions(files fs.FS, lang string) (*instructions, error) {
	data, err := fs.ReadFile(files, "sheet/"+lang+".yaml")
	if err != nil {
		return nil, fmt.Errorf("instructions in %q: %w", lang, err)
	}
	var in instructions
	if err := yaml.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("instructions in %q: %w", lang, err)
	}
	return &in, nil
}

// kindName is the key of a column kind in the instructions' kinds.
func kindName(k store.ColumnKind) string {
	return [...]string{"text", "code", "date", "number", "integer"}[k]
}

// WriteTemplate writes the register workbook to w: a first sheet of
// instructions in lang (nb, nn or en), then one sheet per contract table
// named as the table, with the contract's column names in a frozen row 1,
// drop-down lists for enum columns and date, number and text formats.
// When reg is not nil its rows fill the sheets.
func WriteTemplate(w io.Writer, lang string, reg *register.Register) error {
	in, err := loadInstructions(templates.FS, lang)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := writeInstructions(f, in, st); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	rows := map[string][][]any{}
	if reg != nil {
		for _, t := range store.RegisterRows(reg) {
			rows[t.Table] = t.Rows
		}
	}
	for _, t := range store.Contract() {
		if err := writeTableSheet(f, t, rows[t.Name], st); err != nil {
			return fmt.Errorf("template: sheet %s: %w", t.Name, err)
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("template: write workbook: %w", err)
	}
	return nil
}

// styles are the cell styles of the template.
type styles struct {
	header, title, text, date, number, integer int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	textFmt := "@"
	dateFmt := "yyyy-mm-dd"
	defs := []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.header, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}},
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.text, &excelize.Style{CustomNumFmt: &textFmt}},
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.number, &excelize.Style{NumFmt: 0}},
		{&s.integer, &excelize.Style{NumFmt: 1}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.style)
		if err != nil {
			return s, fmt.Errorf("style: %w", err)
		}
		*d.id = id
	}
	return s, nil
}

// writeInstructions fills the first sheet: the instructions, then one row
// per contract column saying whether it is required, its kind and its
// allowed values.
func writeInstructions(f *excelize.File, in *instructions, st styles) error {
	name := in.Sheet
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	if err := f.SetCellValue(name, "A1", in.Title); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, "A1", "A1", st.title); err != nil {
		return err
	}
	row := 3
	for _, line := range in.Lines {
		if err := f.SetCellValue(name, fmt.Sprintf("A%d", row), line); err != nil {
			return err
		}
		row++
	}
	row++
	header := fmt.Sprintf("A%d", row)
	if err := f.SetSheetRow(name, header, &in.Headers); err != nil {
		return err
	}
	if err := f.SetCellStyle(name, header, fmt.Sprintf("E%d", row), st.header); err != nil {
		return err
	}
	for _, t := range store.Contract() {
		for _, c := range t.Columns {
			row++
			required := in.No
			if c.Required {
				required = in.Yes
			}
			values := []any{t.Name, c.Name, required, in.Kinds[kindName(c.Kind)], strings.Join(c.Enum, ", ")}
			if err := f.SetSheetRow(name, fmt.Sprintf("A%d", row), &values); err != nil {
				return err
			}
		}
	}
	return f.SetColWidth(name, "B", "E", 22)
}

// writeTableSheet adds the sheet of one contract table: header row, column
// formats, drop-down lists, frozen header, and rows when given.
func writeTableSheet(f *excelize.File, t store.TableSpec, rows [][]any, st styles) error {
	if _, err := f.NewSheet(t.Name); err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Name
	}
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColStyle(t.Name, col, columnStyle(c, st)); err != nil {
			return err
		}
		if err := f.SetColWidth(t.Name, col, col, columnWidth(c)); err != nil {
			return err
		}
		if len(c.Enum) > 0 {
			if err := addDropList(f, t.Name, col, c); err != nil {
				return err
			}
		}
	}
	if err := f.SetSheetRow(t.Name, "A1", &header); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(t.Columns))
	if err := f.SetCellStyle(t.Name, "A1", last+"1", st.header); err != nil {
		return err
	}
	if err := f.SetPanes(t.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, r := range rows {
		values := cellValues(t, r)
		if err := f.SetSheetRow(t.Name, fmt.Sprintf("A%d", i+2), &values); err != nil {
			return err
		}
	}
	return nil
}

func columnStyle(c store.ColumnSpec, st styles) int {
	switch c.Kind {
	case store.KindDate:
		return st.date
	case store.KindNumber:
		return st.number
	case store.KindInteger:
		return st.integer
	}
	return st.text
}

func columnWidth(c store.ColumnSpec) float64 {
	switch {
	case c.Kind == store.KindText && !c.ID:
		return 30
	case c.Kind == store.KindDate:
		return 12
	}
	return max(12, float64(len(c.Name))+2)
}

// addDropList restricts an enum column below the header to its values.
func addDropList(f *excelize.File, sheet, col string, c store.ColumnSpec) error {
	dv := excelize.NewDataValidation(!c.NotNull)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, maxRow))
	if err := dv.SetDropList(c.Enum); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, c.Name, strings.Join(c.Enum, ", "))
	return f.AddDataValidation(sheet, dv)
}

// cellValues turns one contract row into cell values: dates become
// spreadsheet dates, NULL an empty cell.
func cellValues(t store.TableSpec, row []any) []any {
	out := make([]any, len(row))
	for i, v := range row {
		s, isText := v.(string)
		if isText && t.Columns[i].Kind == store.KindDate {
			if d, err := time.Parse(time.DateOnly, s); err == nil {
				out[i] = excelSerial(d)
				continue
			}
		}
		out[i] = v
	}
	return out
}

// excelBase is day 0 of spreadsheet date serial numbers (1900 system, with
// Lotus' leap-year bug folded in, as every program counts from 1900-03-01).
var excelBase = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is d as a spreadsheet date serial number.
func excelSerial(d time.Time) float64 {
	return float64(d.Sub(excelBase) / (24 * time.Hour))
}
