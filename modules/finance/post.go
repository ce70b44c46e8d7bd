package finance

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
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
	if err := validateEntry(e); err != nil {
		return Posted{}, err
	}
	db := tenant.DB(ctx)
	codes := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		codes[i] = l.AccountCode
	}
	accts, err := s.accountsWith(ctx, tenantID, codes)
	if err != nil {
		return Posted{}, err
	}
	lines := make([]Line, len(e.Lines))
	ids := make([]acctInfo, len(e.Lines))
	for i, l := range e.Lines {
		a, ok := accts[l.AccountCode]
		if !ok {
			return Posted{}, invalid(fmt.Sprintf("lines[%d].account_code", i), fmt.Sprintf("%q is not an account of this chain", l.AccountCode))
		}
		if a.IsCash && l.CashFlow == "" {
			l.CashFlow = CFOtherOperating
		}
		if !a.IsCash {
			l.CashFlow = ""
		}
		lines[i], ids[i] = l, a
	}
	bdate := dateOnly(e.BusinessDate)
	adate, err := s.accountingDate(db, tenantID, e.EntityID, bdate, e.AllowClosed)
	if err != nil {
		return Posted{}, err
	}
	id := uuid.Must(uuid.NewV7())
	var got []struct{ ID uuid.UUID }
	err = db.Raw(`INSERT INTO fin_entries (tenant_id, id, entity_id, business_date, accounting_date, period_year, period_month,
			source_type, source_id, rule, memo, reverses_entry_id, created_by, approved_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT ON CONSTRAINT fin_entries_source_key DO NOTHING RETURNING id`,
		tenantID, id, e.EntityID, bdate, adate, adate.Year(), int(adate.Month()), e.SourceType, e.SourceID, e.Rule, e.Memo,
		e.ReversesEntryID, e.CreatedBy, e.ApprovedBy).Scan(&got).Error
	if err != nil {
		return Posted{}, mapDBError(err)
	}
	if len(got) == 0 {
		var prev struct {
			ID             uuid.UUID
			AccountingDate time.Time
		}
		if err := db.Raw(`SELECT id, accounting_date FROM fin_entries WHERE tenant_id = ? AND entity_id = ? AND source_type = ? AND source_id = ? AND rule = ?`,
			tenantID, e.EntityID, e.SourceType, e.SourceID, e.Rule).Scan(&prev).Error; err != nil {
			return Posted{}, fmt.Errorf("finance: read posted entry: %w", err)
		}
		return Posted{EntryID: prev.ID, EntityID: e.EntityID, AccountingDate: prev.AccountingDate, Duplicate: true}, nil
	}
	var sb strings.Builder
	sb.WriteString(`INSERT INTO fin_lines (tenant_id, entry_id, line_no, entity_id, accounting_date, account_id, store_id, debit, credit, kind, counter_entity_id, cash_flow, memo) VALUES `)
	args := make([]any, 0, len(lines)*13)
	type rkey struct {
		store, account uuid.UUID
		kind           int
		cf             string
	}
	roll := map[rkey][2]int64{}
	for i, l := range lines {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		kind := 0
		if l.CounterEntityID != nil {
			kind = 1
		}
		if e.closing {
			kind = 2
		}
		args = append(args, tenantID, id, i+1, e.EntityID, adate, ids[i].ID, l.StoreID, l.Debit, l.Credit, kind, l.CounterEntityID, l.CashFlow, l.Memo)
		k := rkey{account: ids[i].ID, kind: kind, cf: l.CashFlow}
		if l.StoreID != nil {
			k.store = *l.StoreID
		}
		v := roll[k]
		v[0] += l.Debit
		v[1] += l.Credit
		roll[k] = v
	}
	if err := db.Exec(sb.String(), args...).Error; err != nil {
		return Posted{}, mapDBError(err)
	}
	// Roll-ups in a fixed key order, so concurrent postings touching the
	// same rows lock them in the same order and never deadlock.
	keys := make([]rkey, 0, len(roll))
	for k := range roll {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.store != b.store {
			return strings.Compare(a.store.String(), b.store.String()) < 0
		}
		if a.account != b.account {
			return strings.Compare(a.account.String(), b.account.String()) < 0
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.cf < b.cf
	})
	month := time.Date(adate.Year(), adate.Month(), 1, 0, 0, 0, 0, time.UTC)
	for _, tbl := range []struct {
		name, col string
		at        time.Time
	}{{"fin_balances_daily", "day", adate}, {"fin_balances_monthly", "month", month}} {
		sb.Reset()
		args = args[:0]
		fmt.Fprintf(&sb, `INSERT INTO %s (tenant_id, entity_id, store_id, account_id, %s, kind, cash_flow, debit, credit) VALUES `, tbl.name, tbl.col)
		for i, k := range keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			v := roll[k]
			args = append(args, tenantID, e.EntityID, k.store, k.account, tbl.at, k.kind, k.cf, v[0], v[1])
		}
		fmt.Fprintf(&sb, ` ON CONFLICT (tenant_id, entity_id, store_id, account_id, %s, kind, cash_flow)
			DO UPDATE SET debit = %s.debit + EXCLUDED.debit, credit = %s.credit + EXCLUDED.credit`, tbl.col, tbl.name, tbl.name)
		if err := db.Exec(sb.String(), args...).Error; err != nil {
			return Posted{}, fmt.Errorf("finance: roll-up %s: %w", tbl.name, err)
		}
	}
	return Posted{EntryID: id, EntityID: e.EntityID, AccountingDate: adate}, nil
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
		case "fin_entries_entity_fkey", "fin_entries_period_fkey", "fin_lines_counter_fkey":
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
