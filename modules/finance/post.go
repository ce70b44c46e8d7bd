package finance

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
)

type acctInfo struct {
	ID         uuid.UUID
	Code       string
	Type       string
	IsCash     bool
	IsInternal bool
}

var sourceTypeRE = regexp.MustCompile(`^[a-z_]{1,40}$`)

const dateLayout = "2006-01-02"

func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Post posts one balanced entry into its entity's books, inside the
// caller's transaction when ctx carries one (so a sale and its journal
// commit or roll back together). The entry lands in the period of its
// business date, or — when that period is locked (or closed, unless
// AllowClosed) — on the first day of the next open period, keeping the
// business date. Posting the same (entity, source type, source id, rule)
// again returns the first entry with Duplicate set. Errors: ErrUnbalanced,
// ErrInvalidEntry (with fields), ErrEntityNotFound, ErrAlreadyReversed.
func (s *Service) Post(ctx context.Context, tenantID uuid.UUID, e Entry) (Posted, error) {
	var out Posted
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.post(ctx, tenantID, e)
		return err
	})
	return out, err
}

// PostAll posts several entries in one transaction (the entries one
// business event makes in several entities' books).
func (s *Service) PostAll(ctx context.Context, tenantID uuid.UUID, es []Entry) ([]Posted, error) {
	out := make([]Posted, 0, len(es))
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		for _, e := range es {
			p, err := s.post(ctx, tenantID, e)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func invalid(field, msg string) error {
	return ErrInvalidEntry.WithFields(problem.FieldError{Field: field, Message: msg})
}

// validateEntry checks what Go can check before the database does.
func validateEntry(e Entry) error {
	if e.EntityID == uuid.Nil {
		return invalid("entity_id", "is required")
	}
	if !sourceTypeRE.MatchString(e.SourceType) {
		return invalid("source_type", "must be 1-40 lowercase letters or underscores")
	}
	if e.SourceID == uuid.Nil {
		return invalid("source_id", "is required")
	}
	if e.Rule == "" || len(e.Rule) > 60 {
		return invalid("rule", "must be 1-60 characters")
	}
	if len(e.Memo) > 500 {
		return invalid("memo", "must be at most 500 characters")
	}
	if e.BusinessDate.IsZero() || e.BusinessDate.Year() < 2000 || e.BusinessDate.Year() > 2199 {
		return invalid("business_date", "must be a date from 2000 to 2199")
	}
	if len(e.Lines) < 2 {
		return invalid("lines", "an entry needs at least two lines")
	}
	if len(e.Lines) > 10000 {
		return invalid("lines", "an entry has at most 10000 lines")
	}
	var d, c int64
	var bad []problem.FieldError
	for i, l := range e.Lines {
		f := fmt.Sprintf("lines[%d]", i)
		switch {
		case l.Debit < 0 || l.Credit < 0:
			bad = append(bad, problem.FieldError{Field: f, Message: "amounts must not be negative"})
		case (l.Debit == 0) == (l.Credit == 0):
			bad = append(bad, problem.FieldError{Field: f, Message: "exactly one of debit and credit must be positive"})
		case l.Debit > maxAmount || l.Credit > maxAmount:
			bad = append(bad, problem.FieldError{Field: f, Message: "amount exceeds 10^14"})
		}
		if l.AccountCode == "" {
			bad = append(bad, problem.FieldError{Field: f + ".account_code", Message: "is required"})
		}
		if l.CashFlow != "" && !validCashFlow(l.CashFlow) {
			bad = append(bad, problem.FieldError{Field: f + ".cash_flow", Message: "is not a cash-flow category"})
		}
		if l.CounterEntityID != nil && *l.CounterEntityID == e.EntityID {
			bad = append(bad, problem.FieldError{Field: f + ".counter_entity_id", Message: "must be another entity"})
		}
		if len(l.Memo) > 200 {
			bad = append(bad, problem.FieldError{Field: f + ".memo", Message: "must be at most 200 characters"})
		}
		d += l.Debit
		c += l.Credit
	}
	if len(bad) > 0 {
		return ErrInvalidEntry.WithFields(bad...)
	}
	if d != c {
		return ErrUnbalanced.WithDetail("debits %d, credits %d", d, c)
	}
	return nil
}

func (s *Service) post(ctx context.Context, tenantID uuid.UUID, e Entry) (Posted, error) {
	ps, err := s.postEntries(ctx, tenantID, []Entry{e})
	if err != nil {
		return Posted{}, err
	}
	return ps[0], nil
}

// postEntries posts entries in one statement (writeEntries): whatever
// their number of lines and entities, a posting whose periods are open
// costs one round trip. An entry whose period is missing from the
// statement's snapshot, closed or locked is posted again after
// accountingDate has found (and share-locked) the period it lands in.
func (s *Service) postEntries(ctx context.Context, tenantID uuid.UUID, es []Entry) ([]Posted, error) {
	if len(es) == 0 {
		return nil, nil
	}
	var codes []string
	for _, e := range es {
		if err := validateEntry(e); err != nil {
			return nil, err
		}
		for _, l := range e.Lines {
			codes = append(codes, l.AccountCode)
		}
	}
	accts, err := s.accountsWith(ctx, tenantID, codes)
	if err != nil {
		return nil, err
	}
	rows := make([]entryRow, len(es))
	for i, e := range es {
		r := entryRow{Entry: e, id: uuid.Must(uuid.NewV7()), bdate: dateOnly(e.BusinessDate)}
		r.adate = r.bdate
		r.accounts = make([]uuid.UUID, len(e.Lines))
		r.Lines = make([]Line, len(e.Lines))
		for j, l := range e.Lines {
			a, ok := accts[l.AccountCode]
			if !ok {
				return nil, invalid(fmt.Sprintf("lines[%d].account_code", j), fmt.Sprintf("%q is not an account of this chain", l.AccountCode))
			}
			if a.IsCash && l.CashFlow == "" {
				l.CashFlow = CFOtherOperating
			}
			if !a.IsCash {
				l.CashFlow = ""
			}
			r.Lines[j], r.accounts[j] = l, a.ID
		}
		rows[i] = r
	}
	db := tenant.DB(ctx)
	out := make([]Posted, len(es))
	pending := make([]int, len(es))
	for i := range pending {
		pending[i] = i
	}
	for round := 0; len(pending) > 0; round++ {
		if round == 3 {
			return nil, fmt.Errorf("finance: entry %s/%s/%s could not be posted", rows[pending[0]].SourceType, rows[pending[0]].SourceID, rows[pending[0]].Rule)
		}
		if round > 0 {
			for _, i := range pending {
				if rows[i].adate, err = s.accountingDate(db, tenantID, rows[i].EntityID, rows[i].bdate, rows[i].AllowClosed); err != nil {
					return nil, err
				}
			}
		}
		batch := make([]entryRow, len(pending))
		for k, i := range pending {
			batch[k] = rows[i]
		}
		res, err := writeEntries(db, tenantID, batch)
		if err != nil {
			return nil, err
		}
		var again []int
		for k, i := range pending {
			switch r := res[batch[k].id]; {
			case r.Posted:
				out[i] = Posted{EntryID: rows[i].id, EntityID: rows[i].EntityID, AccountingDate: rows[i].adate}
			case r.PrevID != nil:
				out[i] = Posted{EntryID: *r.PrevID, EntityID: rows[i].EntityID, AccountingDate: *r.PrevDate, Duplicate: true}
			default:
				again = append(again, i)
			}
		}
		pending = again
	}
	return out, nil
}

// entryRow is an entry being posted: its id, its dates (the accounting
// date tried) and the ids of its lines' accounts.
type entryRow struct {
	Entry
	id           uuid.UUID
	bdate, adate time.Time
	accounts     []uuid.UUID
}

// written says what writeEntries did with one entry: posted it, or found
// the entry posted before under its (entity, source type, source id,
// rule); neither when its period was closed, locked or not yet visible.
type written struct {
	ID       uuid.UUID
	Posted   bool
	PrevID   *uuid.UUID
	PrevDate *time.Time
}

// writeEntriesSQL posts entries in one statement: the entries' periods
// (created open when missing, share-locked when they exist, so closing or
// locking one waits for this transaction), the entries whose period takes
// them (open, or closed for an approved adjustment), skipping any already
// posted under the same (entity, source type, source id, rule), their
// lines, and the daily and monthly roll-ups of those lines, written in key
// order so concurrent postings lock the same rows in the same order. The
// result names, for every entry, whether it was posted or the earlier
// entry that makes it a duplicate. Arrays are passed as literals: GORM
// expands a Go slice into a list.
const writeEntriesSQL = `WITH v AS (
	SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::date[], ?::date[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::uuid[], ?::uuid[], ?::boolean[])
		AS v(id, entity_id, business_date, accounting_date, source_type, source_id, rule, memo, reverses_entry_id, created_by, approved_by, allow_closed)
), ym AS (
	SELECT DISTINCT entity_id, extract(year FROM accounting_date)::int AS year, extract(month FROM accounting_date)::int AS month FROM v
), newp AS (
	INSERT INTO fin_periods (tenant_id, entity_id, year, month) SELECT ?::uuid, entity_id, year, month FROM ym
	ON CONFLICT DO NOTHING RETURNING entity_id, year, month, status
), oldp AS (
	SELECT p.entity_id, p.year, p.month, p.status FROM fin_periods p
	WHERE p.tenant_id = ? AND (p.entity_id, p.year, p.month) IN (SELECT entity_id, year, month FROM ym) FOR SHARE
), p AS (
	SELECT * FROM newp UNION ALL SELECT * FROM oldp
), e AS (
	INSERT INTO fin_entries (tenant_id, id, entity_id, business_date, accounting_date, period_year, period_month,
		source_type, source_id, rule, memo, reverses_entry_id, created_by, approved_by)
	SELECT ?::uuid, v.id, v.entity_id, v.business_date, v.accounting_date, p.year, p.month,
		v.source_type, v.source_id, v.rule, v.memo, v.reverses_entry_id, v.created_by, v.approved_by
	FROM v JOIN p ON p.entity_id = v.entity_id AND p.year = extract(year FROM v.accounting_date) AND p.month = extract(month FROM v.accounting_date)
	WHERE p.status = 'open' OR (p.status = 'closed' AND v.allow_closed)
	ON CONFLICT ON CONSTRAINT fin_entries_source_key DO NOTHING
	RETURNING id
), x AS (
	SELECT x.*, v.entity_id, v.accounting_date
	FROM unnest(?::uuid[], ?::int[], ?::uuid[], ?::uuid[], ?::bigint[], ?::bigint[], ?::smallint[], ?::uuid[], ?::text[], ?::text[])
		AS x(entry_id, line_no, account_id, store_id, debit, credit, kind, counter_entity_id, cash_flow, memo)
	JOIN e ON e.id = x.entry_id JOIN v ON v.id = x.entry_id
), l AS (
	INSERT INTO fin_lines (tenant_id, entry_id, line_no, entity_id, accounting_date, account_id, store_id, debit, credit, kind, counter_entity_id, cash_flow, memo)
	SELECT ?::uuid, entry_id, line_no, entity_id, accounting_date, account_id, store_id, debit, credit, kind, counter_entity_id, cash_flow, memo FROM x
), d AS (
	INSERT INTO fin_balances_daily (tenant_id, entity_id, store_id, account_id, day, kind, cash_flow, debit, credit)
	SELECT ?::uuid, entity_id, coalesce(store_id, '00000000-0000-0000-0000-000000000000'), account_id, accounting_date, kind, cash_flow,
		sum(debit)::bigint, sum(credit)::bigint
	FROM x GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7
	ON CONFLICT (tenant_id, entity_id, store_id, account_id, day, kind, cash_flow)
	DO UPDATE SET debit = fin_balances_daily.debit + EXCLUDED.debit, credit = fin_balances_daily.credit + EXCLUDED.credit
), m AS (
	INSERT INTO fin_balances_monthly (tenant_id, entity_id, store_id, account_id, month, kind, cash_flow, debit, credit)
	SELECT ?::uuid, entity_id, coalesce(store_id, '00000000-0000-0000-0000-000000000000'), account_id, date_trunc('month', accounting_date)::date, kind, cash_flow,
		sum(debit)::bigint, sum(credit)::bigint
	FROM x GROUP BY 2, 3, 4, 5, 6, 7 ORDER BY 2, 3, 4, 5, 6, 7
	ON CONFLICT (tenant_id, entity_id, store_id, account_id, month, kind, cash_flow)
	DO UPDATE SET debit = fin_balances_monthly.debit + EXCLUDED.debit, credit = fin_balances_monthly.credit + EXCLUDED.credit
)
SELECT v.id, e.id IS NOT NULL AS posted, f.id AS prev_id, f.accounting_date AS prev_date
FROM v LEFT JOIN e ON e.id = v.id
	LEFT JOIN fin_entries f ON f.tenant_id = ? AND f.entity_id = v.entity_id AND f.source_type = v.source_type
		AND f.source_id = v.source_id AND f.rule = v.rule`

// writeEntries runs writeEntriesSQL for rows, each at its accounting date.
func writeEntries(db *gorm.DB, tenantID uuid.UUID, rows []entryRow) (map[uuid.UUID]written, error) {
	var ev, lv columns
	for _, r := range rows {
		ev.add(r.id.String(), r.EntityID.String(), r.bdate.Format(dateLayout), r.adate.Format(dateLayout), quoted(r.SourceType),
			r.SourceID.String(), quoted(r.Rule), quoted(r.Memo), optUUID(r.ReversesEntryID), optUUID(r.CreatedBy), optUUID(r.ApprovedBy),
			strconv.FormatBool(r.AllowClosed))
		for i, l := range r.Lines {
			kind := "0"
			if l.CounterEntityID != nil {
				kind = "1"
			}
			if r.closing {
				kind = "2"
			}
			lv.add(r.id.String(), strconv.Itoa(i+1), r.accounts[i].String(), optUUID(l.StoreID), strconv.FormatInt(l.Debit, 10),
				strconv.FormatInt(l.Credit, 10), kind, optUUID(l.CounterEntityID), quoted(l.CashFlow), quoted(l.Memo))
		}
	}
	args := append(ev.arrays(12), tenantID, tenantID, tenantID)
	args = append(append(args, lv.arrays(10)...), tenantID, tenantID, tenantID, tenantID)
	var res []written
	if err := db.Raw(writeEntriesSQL, args...).Scan(&res).Error; err != nil {
		return nil, mapDBError(err)
	}
	out := make(map[uuid.UUID]written, len(res))
	for _, r := range res {
		out[r.ID] = r
	}
	return out, nil
}

// columns holds rows column by column, each value written as an element
// of a PostgreSQL array literal.
type columns [][]string

// add appends one row.
func (c *columns) add(row ...string) {
	if *c == nil {
		*c = make(columns, len(row))
	}
	for i, v := range row {
		(*c)[i] = append((*c)[i], v)
	}
}

// arrays returns the n columns as array literals ('{}' when empty).
func (c columns) arrays(n int) []any {
	out := make([]any, n)
	for i := range out {
		var col []string
		if i < len(c) {
			col = c[i]
		}
		out[i] = "{" + strings.Join(col, ",") + "}"
	}
	return out
}

// quoted is s as a quoted element of an array literal.
func quoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// optUUID is id as an array element, or NULL.
func optUUID(id *uuid.UUID) string {
	if id == nil {
		return "NULL"
	}
	return id.String()
}

// accountingDate finds the period an entry lands in: the business date's
// when open, else the first day of the next open one. It holds a share
// lock on that period's row, so closing or locking it waits for this
// transaction.
func (s *Service) accountingDate(db *gorm.DB, tenantID, entity uuid.UUID, bdate time.Time, allowClosed bool) (time.Time, error) {
	y, m := bdate.Year(), int(bdate.Month())
	for i := 0; i < 600; i++ {
		status, err := periodStatus(db, tenantID, entity, y, m, true)
		if err != nil {
			return time.Time{}, err
		}
		if status == "open" || (status == "closed" && allowClosed) {
			if i == 0 {
				return bdate, nil
			}
			return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), nil
		}
		if m++; m > 12 {
			m, y = 1, y+1
		}
	}
	return time.Time{}, ErrPeriodLocked.WithDetail("no open period within 50 years of %s", bdate.Format(dateLayout))
}

// periodStatus returns a period's status, creating it open when missing.
func periodStatus(db *gorm.DB, tenantID, entity uuid.UUID, y, m int, share bool) (string, error) {
	q := `SELECT status FROM fin_periods WHERE tenant_id = ? AND entity_id = ? AND year = ? AND month = ?`
	if share {
		q += ` FOR SHARE`
	}
	var st []string
	if err := db.Raw(q, tenantID, entity, y, m).Scan(&st).Error; err != nil {
		return "", fmt.Errorf("finance: read period: %w", err)
	}
	if len(st) > 0 {
		return st[0], nil
	}
	err := db.Exec(`INSERT INTO fin_periods (tenant_id, entity_id, year, month) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, tenantID, entity, y, m).Error
	if _, ok := postgres.IsForeignKeyViolation(err); ok {
		return "", ErrEntityNotFound
	}
	if err != nil {
		return "", fmt.Errorf("finance: open period: %w", err)
	}
	if err := db.Raw(q, tenantID, entity, y, m).Scan(&st).Error; err != nil {
		return "", fmt.Errorf("finance: read period: %w", err)
	}
	if len(st) == 0 {
		return "", ErrEntityNotFound
	}
	return st[0], nil
}

// mapDBError turns the database's refusals into 4xx problems.
func mapDBError(err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return fmt.Errorf("finance: %w", err)
	}
	switch {
	case pg.ConstraintName == "fin_entries_reverses_key":
		return ErrAlreadyReversed
	case pg.ConstraintName == "fin_entry_balanced":
		return ErrUnbalanced.WithDetail("%s", pg.Message)
	case pg.ConstraintName == "fin_period_locked":
		return ErrPeriodLocked.WithDetail("%s", pg.Message)
	case pg.Code == "23503":
		switch pg.ConstraintName {
		case "fin_entries_entity_fkey", "fin_entries_period_fkey", "fin_lines_counter_fkey", "fin_periods_entity_fkey":
			return ErrEntityNotFound
		case "fin_lines_store_fkey":
			return invalid("lines.store_id", "is not a store of this chain")
		}
		return ErrInvalidEntry.WithDetail("%s", pg.Message)
	case pg.Code == "23514":
		return ErrInvalidEntry.WithDetail("%s", pg.Message)
	}
	return fmt.Errorf("finance: %w", err)
}
