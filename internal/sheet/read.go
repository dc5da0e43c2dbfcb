package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"gevinstrapport/templates"
)

// rawSheet is one sheet of a workbook, or one CSV file, as read: trimmed
// cell texts, the header first.
type rawSheet struct {
	name  string     // the table it claims to be: the sheet name, or the file name without .csv
	label string     // how findings name it: "measurement", or "measurement.csv"
	rows  [][]string // rows[0] is row 1, the header
}

// readBook reads a workbook (.xlsx) or a folder of <table>.csv files.
// Sheets of instructions (the template's first sheet, in any language) are
// left out.
func readBook(path string) ([]*rawSheet, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return readCSVDir(path)
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return nil, fmt.Errorf("%s: want a workbook (.xlsx) or a folder of <table>.csv files", path)
	}
	return readWorkbook(path)
}

// readWorkbook reads every sheet of an .xlsx file with raw cell values:
// numbers and dates as the numbers stored, not as formatted for display.
func readWorkbook(path string) ([]*rawSheet, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook %s: %w", path, err)
	}
	defer f.Close()
	skip, err := instructionSheets()
	if err != nil {
		return nil, err
	}
	var out []*rawSheet
	for _, name := range f.GetSheetList() {
		if slices.Contains(skip, name) {
			continue
		}
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("read sheet %s of %s: %w", name, path, err)
		}
		out = append(out, &rawSheet{name: strings.TrimSpace(name), label: name, rows: trimRows(rows)})
	}
	return out, nil
}

// instructionSheets are the names of the template's instruction sheet in
// every language.
func instructionSheets() ([]string, error) {
	var names []string
	for _, lang := range []string{"nb", "nn", "en"} {
		in, err := loadInstructions(templates.FS, lang)
		if err != nil {
			return nil, err
		}
		names = append(names, in.Sheet)
	}
	return names, nil
}

// readCSVDir reads every .csv file of dir, in name order.
func readCSVDir(dir string) ([]*rawSheet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*rawSheet
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		rows, err := readCSV(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		out = append(out, &rawSheet{name: name, label: e.Name(), rows: trimRows(rows)})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no .csv files", dir)
	}
	return out, nil
}

// readCSV reads one CSV file, comma- or semicolon-separated (as Excel
// writes it where the decimal separator is a comma), with or without a
// byte order mark.
func readCSV(path string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	rows, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %w", path, pe.Line, pe.Err)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return rows, nil
}

// trimRows trims the spaces around every cell.
func trimRows(rows [][]string) [][]string {
	for _, r := range rows {
		for i, c := range r {
			r[i] = strings.TrimSpace(c)
		}
	}
	return rows
}
