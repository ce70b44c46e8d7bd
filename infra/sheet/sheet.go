// Package sheet reads and writes the spreadsheets chains exchange with us:
// CSV (UTF-8, or GB18030 as Excel in Chinese locales saves it) and XLSX.
// Import flows in the modules validate the rows; this package only turns a
// file into a header and rows of trimmed strings, and back.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits keep one upload from taking the server's memory.
const (
	MaxRows      = 500_000
	MaxColumns   = 100
	MaxCellBytes = 4096
)

// ErrFormat is a file that is neither a readable CSV nor an XLSX workbook,
// or exceeds the limits; its message is fit to show the user.
var ErrFormat = errors.New("sheet: unreadable file")

// Table is a file's first sheet: the header row and the data rows. Row i of
// Rows is line i+2 of the file (the header is line 1), which is the number
// error reports give the user.
type Table struct {
	Header []string
	Rows   [][]string
}

// Line is the file's line number of data row i.
func Line(i int) int { return i + 2 }

// Column is the index of a header (case-insensitive, trimmed), or -1.
func (t *Table) Column(name string) int {
	for i, h := range t.Header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

// Cell is row i's value in column col, "" when the row is short or col < 0.
func (t *Table) Cell(i, col int) string {
	if col < 0 || col >= len(t.Rows[i]) {
		return ""
	}
	return t.Rows[i][col]
}

// Read parses data as XLSX when it is a zip archive, otherwise as CSV.
// Blank rows are dropped; cells are trimmed.
func Read(data []byte) (*Table, error) {
	var rows [][]string
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err = readXLSX(data)
	} else {
		rows, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: the file has no header row", ErrFormat)
	}
	t := &Table{Header: rows[0], Rows: rows[1:]}
	if len(t.Header) > MaxColumns {
		return nil, fmt.Errorf("%w: more than %d columns", ErrFormat, MaxColumns)
	}
	return t, nil
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) {
			return nil, fmt.Errorf("%w: the CSV is neither UTF-8 nor GB18030 text", ErrFormat)
		}
		data = decoded
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		if rows, err = appendRow(rows, rec); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable XLSX workbook", ErrFormat)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w: the workbook has no sheet", ErrFormat)
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		rec, err := it.Columns()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		if rows, err = appendRow(rows, rec); err != nil {
			return nil, err
		}
	}
	return rows, it.Error()
}

func appendRow(rows [][]string, rec []string) ([][]string, error) {
	blank := true
	for i, c := range rec {
		if len(c) > MaxCellBytes {
			return nil, fmt.Errorf("%w: line %d has a cell longer than %d bytes", ErrFormat, len(rows)+1, MaxCellBytes)
		}
		rec[i] = undefuse(strings.TrimSpace(c))
		if rec[i] != "" {
			blank = false
		}
	}
	if blank {
		return rows, nil
	}
	if len(rows) > MaxRows {
		return nil, fmt.Errorf("%w: more than %d rows", ErrFormat, MaxRows)
	}
	if len(rec) > MaxColumns {
		return nil, fmt.Errorf("%w: line %d has more than %d columns", ErrFormat, len(rows)+1, MaxColumns)
	}
	return append(rows, rec), nil
}

// Format is an export format.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat accepts "csv" and "xlsx" ("" is csv).
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(s) {
	case "", "csv":
		return CSV, true
	case "xlsx":
		return XLSX, true
	}
	return "", false
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Write writes header and rows in the format. CSV gets a UTF-8 BOM so Excel
// opens Chinese text correctly; cells starting with = + - @ are prefixed
// with ' so a spreadsheet never runs them as formulas.
func Write(w io.Writer, f Format, sheetName string, header []string, rows [][]string) error {
	if f == XLSX {
		return writeXLSX(w, sheetName, header, rows)
	}
	if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, c := range r {
			safe[i] = defuse(c)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a spreadsheet from running a CSV cell as a formula: a cell
// starting with = + - @ (or a tab or CR) gets a leading apostrophe, unless
// the whole cell is a plain number ("-5", "+8613912345678", "-12.50"),
// which stays a number. "-2+3+cmd|..." starts like a number and is not one.
func defuse(c string) string {
	if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) || plainNumber.MatchString(c) {
		return c
	}
	return "'" + c
}

var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// undefuse reverses defuse on reading, so an exported file re-imports as it
// was written: "'=x" reads as "=x" (the importer validates it as data).
func undefuse(c string) string {
	if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@", rune(c[1])) {
		return c[1:]
	}
	return c
}

func writeXLSX(w io.Writer, sheetName string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if sheetName == "" {
		sheetName = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	write := func(line int, cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c // text cells: excelize never evaluates them
		}
		cell, err := excelize.CoordinatesToCellName(1, line)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, vals)
	}
	if err := write(1, header); err != nil {
		return err
	}
	for i, r := range rows {
		if err := write(i+2, r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
