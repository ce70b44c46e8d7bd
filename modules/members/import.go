package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/pii"
	"chainstore/infra/problem"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// ImportError is one problem of one row (line as in the file).
type ImportError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportReport is the outcome of validating or committing an import.
type ImportReport struct {
	Committed  bool          `json:"committed"`
	Total      int           `json:"total"`
	Valid      int           `json:"valid"`
	Existing   int           `json:"existing"`
	Created    int           `json:"created"`
	Errors     []ImportError `json:"errors"`
	ExistingAt []int         `json:"existing_lines"`
}

// ImportRow is one valid row of an import file.
type ImportRow struct {
	Line  int
	Phone string
	In    CreateInput
}

// MaxImportRows bounds one import (larger files are split by the chain).
const MaxImportRows = 20_000

var importColumns = map[string][]string{
	"phone": {"phone", "手机号", "手机"}, "name": {"name", "姓名"}, "gender": {"gender", "性别"}, "birthday": {"birthday", "生日"},
	"address": {"address", "地址"}, "tags": {"tags", "标签"}, "marketing_consent": {"marketing_consent", "营销同意"},
	"card_number": {"card_number", "卡号"},
}

// ParseImport reads a CSV/XLSX member file into valid rows and per-row
// errors (duplicate phones within the file are errors on the later rows;
// a birthday must be before now). It touches no database; it is fuzzed.
func ParseImport(data []byte, now time.Time) ([]ImportRow, []ImportError, error) {
	t, err := sheet.Read(data)
	if err != nil {
		return nil, nil, err
	}
	col := map[string]int{}
	for k, names := range importColumns {
		col[k] = -1
		for _, n := range names {
			if i := t.Column(n); i >= 0 {
				col[k] = i
				break
			}
		}
	}
	if col["phone"] < 0 {
		return nil, nil, ErrImportInvalid.WithFields(problem.FieldError{Field: "file", Message: "needs a phone (手机号) column"})
	}
	if len(t.Rows) > MaxImportRows {
		return nil, nil, ErrImportInvalid.WithFields(problem.FieldError{Field: "file", Message: fmt.Sprintf("has more than %d rows", MaxImportRows)})
	}
	var rows []ImportRow
	errs := []ImportError{}
	seen, seenCard := map[string]int{}, map[string]int{}
	v := web.Validator()
	for i := range t.Rows {
		line := sheet.Line(i)
		cell := func(k string) string { return t.Cell(i, col[k]) }
		bad := func(f, m string) { errs = append(errs, ImportError{Line: line, Field: f, Message: m}) }
		n := len(errs)
		phone, ok := pii.NormalizePhone(cell("phone"))
		if !ok {
			bad("phone", "is not a phone number")
		} else if first, dup := seen[phone]; dup {
			bad("phone", fmt.Sprintf("repeats line %d", first))
		} else {
			seen[phone] = line
		}
		if card := cell("card_number"); card != "" {
			if first, dup := seenCard[card]; dup {
				bad("card_number", fmt.Sprintf("repeats line %d", first))
			} else {
				seenCard[card] = line
			}
		}
		in := CreateInput{Phone: phone, Name: cell("name"), Birthday: cell("birthday"), Address: cell("address"), CardNumber: cell("card_number"), Channel: "import"}
		switch strings.ToLower(cell("gender")) {
		case "", "unknown", "未知":
			in.Gender = "unknown"
		case "male", "m", "男":
			in.Gender = "male"
		case "female", "f", "女":
			in.Gender = "female"
		default:
			bad("gender", "must be 男/女 or male/female")
		}
		switch strings.ToLower(cell("marketing_consent")) {
		case "", "0", "false", "no", "否", "n":
		case "1", "true", "yes", "是", "y":
			in.MarketingConsent = true
		default:
			bad("marketing_consent", "must be 是/否 or true/false")
		}
		if tags := cell("tags"); tags != "" {
			for _, tg := range strings.FieldsFunc(tags, func(r rune) bool { return r == ';' || r == '|' || r == '；' || r == '，' || r == ',' }) {
				if tg = strings.TrimSpace(tg); tg != "" {
					in.Tags = append(in.Tags, tg)
				}
			}
		}
		if err := v.Struct(in); err != nil {
			for _, fe := range splitValidation(err) {
				if fe != "phone" { // reported above
					bad(fe, "is invalid")
				}
			}
		}
		if in.Birthday != "" {
			if d, err := time.Parse("2006-01-02", in.Birthday); err == nil && (d.After(now) || d.Year() < 1900) {
				bad("birthday", "must be a past date")
			}
		}
		if len(errs) == n {
			rows = append(rows, ImportRow{Line: line, Phone: phone, In: in})
		}
	}
	return rows, errs, nil
}

func splitValidation(err error) []string {
	out := validationFields(err)
	if len(out) == 0 {
		out = []string{"row"}
	}
	return out
}

// Import validates a member file and, when commit is set, creates the
// valid new members in one transaction. Phones already registered are
// skipped (reported as existing); rows with errors refuse the whole commit
// unless acceptErrors, when only the valid rows are created. Audited.
func (s *Service) Import(ctx context.Context, tenantID uuid.UUID, data []byte, commit, acceptErrors bool) (ImportReport, error) {
	rep := ImportReport{Errors: []ImportError{}, ExistingAt: []int{}}
	rows, errs, err := ParseImport(data, s.clock.Now())
	if errors.Is(err, sheet.ErrFormat) {
		return rep, ErrImportInvalid.WithFields(problem.FieldError{Field: "file", Message: err.Error()})
	}
	if err != nil {
		return rep, err
	}
	rep.Errors = errs
	rep.Total = len(rows) + countLines(errs)
	err = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		taken, err := s.phonesTaken(ctx, tenantID, rows)
		if err != nil {
			return err
		}
		var fresh []ImportRow
		for _, r := range rows {
			if taken[r.Phone] {
				rep.Existing++
				rep.ExistingAt = append(rep.ExistingAt, r.Line)
				continue
			}
			fresh = append(fresh, r)
		}
		rep.Valid = len(fresh)
		if !commit {
			return nil
		}
		if len(rep.Errors) > 0 && !acceptErrors {
			return ErrImportInvalid.WithDetail("%d rows have errors; fix them or commit with accept_errors=true", countLines(rep.Errors))
		}
		for _, r := range fresh {
			// A refused row (its card number taken) aborts the statement;
			// the savepoint keeps the transaction usable for the next rows.
			if err := db.SavePoint("import_row").Error; err != nil {
				return err
			}
			if _, err := s.insert(ctx, tenantID, r.Phone, r.In); err != nil {
				var pe *problem.Error
				if errors.As(err, &pe) {
					if err := db.RollbackTo("import_row").Error; err != nil {
						return err
					}
					rep.Errors = append(rep.Errors, ImportError{Line: r.Line, Field: "card_number", Message: pe.Title})
					if !acceptErrors {
						return ErrImportInvalid.WithDetail("line %d: %s", r.Line, pe.Title)
					}
					continue
				}
				return err
			}
			rep.Created++
		}
		if err := s.guard(ctx, tenantID); err != nil {
			return err
		}
		rep.Committed = true
		return audit.Record(ctx, audit.Entry{Action: "member.import", ObjectType: "member", ObjectID: "import",
			Detail: map[string]any{"created": rep.Created, "existing": rep.Existing, "errors": len(rep.Errors)}})
	})
	return rep, err
}

func countLines(errs []ImportError) int {
	lines := map[int]bool{}
	for _, e := range errs {
		lines[e.Line] = true
	}
	return len(lines)
}
