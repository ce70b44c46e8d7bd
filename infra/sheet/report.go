package sheet

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"chainstore/infra/money"
)

// A Report is a document for people rather than for re-import: lines of
// text above the table (title, whose books, period and unit), a header,
// and rows whose amounts are numbers a spreadsheet can sum.
type Report struct {
	Sheet    string
	Preamble []string
	Header   []string
	Rows     [][]Cell
}

// Cell is a report cell: text, or an amount in minor units.
type Cell struct {
	text     string
	minor    int64
	isAmount bool
}

// Text is a text cell.
func Text(s string) Cell { return Cell{text: s} }

// Amount is an amount in minor units, written with two decimals (yuan).
func Amount(minor int64) Cell { return Cell{minor: minor, isAmount: true} }

// String is the cell as CSV writes it: amounts as "-1234.50", no grouping.
func (c Cell) String() string {
	if c.isAmount {
		return money.FormatYuan(c.minor)
	}
	return c.text
}

// WriteReport writes the report: its preamble lines, a blank line, the
// header and the rows (CSV records padded to the header's width). In XLSX amounts are numeric cells shown as
// #,##0.00 and the title is bold; in CSV (UTF-8 with a BOM, formulas
// defused as Write does) amounts are plain decimals.
func WriteReport(w io.Writer, f Format, r Report) error {
	if f == XLSX {
		return writeReportXLSX(w, r)
	}
	if _, err := io.WriteString(w, "\xef\xbb\xbf"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	// Every record as wide as the header: a CSV reader (and Excel's import)
	// expects one number of fields throughout.
	line := func(text string) []string {
		rec := make([]string, max(len(r.Header), 1))
		rec[0] = defuse(text)
		return rec
	}
	for _, p := range r.Preamble {
		if err := cw.Write(line(p)); err != nil {
			return err
		}
	}
	if err := cw.Write(line("")); err != nil {
		return err
	}
	if err := cw.Write(r.Header); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = defuse(c.String())
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeReportXLSX(w io.Writer, r Report) error {
	f := excelize.NewFile()
	defer f.Close()
	name := r.Sheet
	if name == "" {
		name = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	numFmt := "#,##0.00"
	amount, err := f.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// Wide enough for Chinese labels and names, then the amount columns.
	for i, w := range []float64{12, 14, 30} {
		if i < len(r.Header) {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
	}
	if len(r.Header) > 3 {
		if err := sw.SetColWidth(4, len(r.Header), 16); err != nil {
			return err
		}
	}
	line := 1
	put := func(vals []any) error {
		cell, err := excelize.CoordinatesToCellName(1, line)
		if err != nil {
			return err
		}
		line++
		return sw.SetRow(cell, vals)
	}
	for i, p := range r.Preamble {
		style := 0
		if i == 0 {
			style = title
		}
		if err := put([]any{excelize.Cell{StyleID: style, Value: p}}); err != nil {
			return err
		}
	}
	line++ // a blank line before the table
	head := make([]any, len(r.Header))
	for i, h := range r.Header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := put(head); err != nil {
		return err
	}
	for _, row := range r.Rows {
		vals := make([]any, len(row))
		for i, c := range row {
			if !c.isAmount {
				vals[i] = c.text // a text cell: excelize never evaluates it
				continue
			}
			// The spreadsheet stores a double: the shortest decimal that reads
			// back as it is the two-decimal yuan string, exact below 2^53 fen.
			v, err := strconv.ParseFloat(c.String(), 64)
			if err != nil {
				return err
			}
			vals[i] = excelize.Cell{StyleID: amount, Value: v}
		}
		if err := put(vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
