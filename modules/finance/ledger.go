package finance

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/users"
)

// ListEntities returns the books in scope (every entity when all), HQ first.
func (s *Service) ListEntities(ctx context.Context, tenantID uuid.UUID, sc EntityScope) ([]Entity, error) {
	out := []Entity{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("fin_entities").Select("id, kind, franchisee_id, name, created_at").Where("tenant_id = ?", tenantID)
		if !sc.All {
			q = q.Where("id IN ?", append(sc.IDs, uuid.Nil))
		}
		return q.Order("kind DESC, id").Scan(&out).Error
	})
	return out, err
}

// GetEntity returns one entity, or ErrEntityNotFound.
func (s *Service) GetEntity(ctx context.Context, tenantID, id uuid.UUID) (Entity, error) {
	var out Entity
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = postgres.One[Entity](tenant.DB(ctx), ErrEntityNotFound, `SELECT id, kind, franchisee_id, name, created_at FROM fin_entities WHERE tenant_id = ? AND id = ?`, tenantID, id)
		return err
	})
	return out, err
}

const accountColumns = `id, code, name, name_en, type, normal_side, parent_id, is_cash, is_internal, system, created_at`

// ListAccounts returns the chart ordered by code.
func (s *Service) ListAccounts(ctx context.Context, tenantID uuid.UUID) ([]Account, error) {
	out := []Account{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if _, err := s.accounts(ctx, tenantID); err != nil {
			return err
		}
		return tenant.DB(ctx).Raw(`SELECT `+accountColumns+` FROM fin_accounts WHERE tenant_id = ? ORDER BY code`, tenantID).Scan(&out).Error
	})
	return out, err
}

var accountCodeRE = regexp.MustCompile(`^[0-9]{4}(\.[0-9]{2}){0,3}$`)

// CreateAccount adds an account (audited). A sub-account names its parent
// by code and shares its type.
func (s *Service) CreateAccount(ctx context.Context, actor *tenant.Principal, in CreateAccountInput) (Account, error) {
	var out Account
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		accts, err := s.accounts(ctx, actor.TenantID)
		if err != nil {
			return err
		}
		if !accountCodeRE.MatchString(in.Code) {
			return ErrInvalidEntry.WithFields(problem.FieldError{Field: "code", Message: "must look like 1001, 2221.01 or 2221.01.03"})
		}
		var parent *uuid.UUID
		if in.ParentCode != "" {
			p, ok := accts[in.ParentCode]
			if !ok {
				return ErrInvalidEntry.WithFields(problem.FieldError{Field: "parent_code", Message: "is not an account of this chain"})
			}
			if p.Type != in.Type {
				return ErrInvalidEntry.WithFields(problem.FieldError{Field: "type", Message: "must match the parent account's type " + p.Type})
			}
			if !strings.HasPrefix(in.Code, in.ParentCode+".") {
				return ErrInvalidEntry.WithFields(problem.FieldError{Field: "code", Message: "must start with the parent's code and a dot"})
			}
			parent = &p.ID
		}
		side := in.NormalSide
		if side == "" {
			side = "credit"
			if in.Type == "asset" || in.Type == "expense" {
				side = "debit"
			}
		}
		if in.IsCash && in.Type != "asset" {
			return ErrInvalidEntry.WithFields(problem.FieldError{Field: "is_cash", Message: "only an asset account can be a cash account"})
		}
		err = db.Raw(`INSERT INTO fin_accounts (tenant_id, id, code, name, name_en, type, normal_side, parent_id, is_cash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+accountColumns,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.Code, in.Name, in.NameEn, in.Type, side, parent, in.IsCash).Scan(&out).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "fin_accounts_code_key" {
			return ErrAccountCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another account"})
		}
		if err != nil {
			return fmt.Errorf("finance: create account: %w", err)
		}
		tenant.AfterCommit(ctx, func(context.Context) { s.charts.Delete(actor.TenantID) })
		return audit.Record(ctx, audit.Entry{Action: "finance.account.create", ObjectType: "fin_account", ObjectID: out.ID.String(),
			Detail: map[string]any{"code": out.Code, "name": out.Name, "type": out.Type}})
	})
	return out, err
}

// ListPeriods returns the twelve periods of an entity's year (year 0: the
// chain's current year, by its business date on the shared clock); months
// never posted to are open.
func (s *Service) ListPeriods(ctx context.Context, tenantID, entityID uuid.UUID, year int) ([]Period, error) {
	out := make([]Period, 0, 12)
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if year == 0 {
			today, err := s.today(ctx, tenantID)
			if err != nil {
				return err
			}
			year = today.Year()
		}
		var rows []Period
		if err := tenant.DB(ctx).Raw(`SELECT entity_id, year, month, status, changed_at, changed_by FROM fin_periods
			WHERE tenant_id = ? AND entity_id = ? AND year = ? ORDER BY month`, tenantID, entityID, year).Scan(&rows).Error; err != nil {
			return err
		}
		byMonth := map[int]Period{}
		for _, r := range rows {
			byMonth[r.Month] = r
		}
		for m := 1; m <= 12; m++ {
			p, ok := byMonth[m]
			if !ok {
				p = Period{EntityID: entityID, Year: year, Month: m, Status: "open"}
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// SetPeriodStatus closes, locks or reopens a period (audited). open→closed,
// open→locked, closed→locked and closed→open are allowed; a locked period
// stays locked (ErrPeriodState otherwise). Postings in flight finish first:
// the period row is locked for update.
func (s *Service) SetPeriodStatus(ctx context.Context, actor *tenant.Principal, in PeriodInput, status string) (Period, error) {
	var out Period
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cur, err := periodStatus(db, actor.TenantID, in.EntityID, in.Year, in.Month, false)
		if err != nil {
			return err
		}
		if err := db.Raw(`SELECT status FROM fin_periods WHERE tenant_id = ? AND entity_id = ? AND year = ? AND month = ? FOR UPDATE`,
			actor.TenantID, in.EntityID, in.Year, in.Month).Scan(&cur).Error; err != nil {
			return err
		}
		ok := (cur == "open" && (status == "closed" || status == "locked")) || (cur == "closed" && (status == "locked" || status == "open"))
		if !ok {
			return ErrPeriodState.WithDetail("the period is %s; it cannot become %s", cur, status)
		}
		if err := db.Raw(`UPDATE fin_periods SET status = ?, changed_at = now(), changed_by = ?
			WHERE tenant_id = ? AND entity_id = ? AND year = ? AND month = ? RETURNING entity_id, year, month, status, changed_at, changed_by`,
			status, actor.UserID, actor.TenantID, in.EntityID, in.Year, in.Month).Scan(&out).Error; err != nil {
			return fmt.Errorf("finance: set period: %w", err)
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.period." + status, ObjectType: "fin_period",
			ObjectID: fmt.Sprintf("%s/%04d-%02d", in.EntityID, in.Year, in.Month), Detail: map[string]any{"from": cur, "to": status}})
	})
	return out, err
}

// YearEndResult is what a year-end close did.
type YearEndResult struct {
	EntityID uuid.UUID  `json:"entity_id"`
	Year     int        `json:"year"`
	EntryID  *uuid.UUID `json:"entry_id"`
	Profit   int64      `json:"profit"`
}

// YearEndClose closes an entity's year: every revenue and expense balance
// (per store) moves to 本年利润 and that to 利润分配—未分配利润 in one
// closing entry dated 31 December, then the year's twelve periods lock.
// ErrYearClosed when December is already locked.
func (s *Service) YearEndClose(ctx context.Context, actor *tenant.Principal, in YearEndInput) (YearEndResult, error) {
	out := YearEndResult{EntityID: in.EntityID, Year: in.Year}
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		for m := 1; m <= 12; m++ {
			st, err := periodStatus(db, actor.TenantID, in.EntityID, in.Year, m, false)
			if err != nil {
				return err
			}
			if m == 12 && st == "locked" {
				return ErrYearClosed
			}
		}
		// Lock December's row first: postings into it wait or finish.
		if err := db.Exec(`SELECT 1 FROM fin_periods WHERE tenant_id = ? AND entity_id = ? AND year = ? AND month = 12 FOR UPDATE`,
			actor.TenantID, in.EntityID, in.Year).Error; err != nil {
			return err
		}
		var rows []struct {
			AccountID uuid.UUID
			Code      string
			Type      string
			StoreID   uuid.UUID
			Net       int64 // debit − credit
		}
		end := time.Date(in.Year, 12, 1, 0, 0, 0, 0, time.UTC)
		if err := db.Raw(`SELECT b.account_id, a.code, a.type, b.store_id, sum(b.debit - b.credit) AS net
			FROM fin_balances_monthly b JOIN fin_accounts a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
			WHERE b.tenant_id = ? AND b.entity_id = ? AND b.month <= ? AND a.type IN ('revenue', 'expense')
			GROUP BY 1, 2, 3, 4 HAVING sum(b.debit - b.credit) <> 0 ORDER BY 4, 2`, actor.TenantID, in.EntityID, end).Scan(&rows).Error; err != nil {
			return fmt.Errorf("finance: year-end balances: %w", err)
		}
		var lines []Line
		profit := map[uuid.UUID]int64{}
		var stores []uuid.UUID
		for _, r := range rows {
			var st *uuid.UUID
			if r.StoreID != uuid.Nil {
				id := r.StoreID
				st = &id
			}
			if _, ok := profit[r.StoreID]; !ok {
				stores = append(stores, r.StoreID)
			}
			profit[r.StoreID] -= r.Net
			l := Line{AccountCode: r.Code, StoreID: st, Memo: "结转损益 close to current-year profit"}
			if r.Net > 0 {
				l.Credit = r.Net
			} else {
				l.Debit = -r.Net
			}
			lines = append(lines, l)
		}
		for _, sid := range stores {
			var st *uuid.UUID
			if sid != uuid.Nil {
				id := sid
				st = &id
			}
			p := profit[sid]
			out.Profit += p
			if p == 0 {
				continue
			}
			if p > 0 {
				lines = append(lines, Line{AccountCode: AcctCurrentProfit, StoreID: st, Credit: p},
					Line{AccountCode: AcctCurrentProfit, StoreID: st, Debit: p}, Line{AccountCode: AcctRetained, StoreID: st, Credit: p})
			} else {
				lines = append(lines, Line{AccountCode: AcctCurrentProfit, StoreID: st, Debit: -p},
					Line{AccountCode: AcctCurrentProfit, StoreID: st, Credit: -p}, Line{AccountCode: AcctRetained, StoreID: st, Debit: -p})
			}
		}
		if len(lines) >= 2 {
			p, err := s.post(ctx, actor.TenantID, Entry{EntityID: in.EntityID, BusinessDate: time.Date(in.Year, 12, 31, 0, 0, 0, 0, time.UTC),
				SourceType: "year_end_close", SourceID: in.EntityID, Rule: fmt.Sprintf("year_end_close_%d", in.Year),
				Memo: fmt.Sprintf("%d 年度结账 year-end close", in.Year), Lines: lines, CreatedBy: &actor.UserID, AllowClosed: true, closing: true})
			if err != nil {
				return err
			}
			if p.AccountingDate.Year() != in.Year {
				return ErrYearClosed.WithDetail("December %d is locked", in.Year)
			}
			out.EntryID = &p.EntryID
		}
		if err := db.Exec(`UPDATE fin_periods SET status = 'locked', changed_at = now(), changed_by = ?
			WHERE tenant_id = ? AND entity_id = ? AND year = ? AND status <> 'locked'`, actor.UserID, actor.TenantID, in.EntityID, in.Year).Error; err != nil {
			return fmt.Errorf("finance: lock year: %w", err)
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.year_end_close", ObjectType: "fin_entity", ObjectID: in.EntityID.String(),
			Detail: map[string]any{"year": in.Year, "profit": out.Profit}})
	})
	return out, err
}

const entryColumns = `e.id, e.entity_id, to_char(e.business_date, 'YYYY-MM-DD') AS business_date, to_char(e.accounting_date, 'YYYY-MM-DD') AS accounting_date,
	e.period_year, e.period_month, e.posted_at, e.source_type, e.source_id, e.rule, e.memo, e.reverses_entry_id, e.created_by, e.approved_by,
	(SELECT r.id FROM fin_entries r WHERE r.tenant_id = e.tenant_id AND r.reverses_entry_id = e.id) AS reversed_by,
	(SELECT sum(l.debit) FROM fin_lines l WHERE l.tenant_id = e.tenant_id AND l.entry_id = e.id) AS debit,
	(SELECT sum(l.credit) FROM fin_lines l WHERE l.tenant_id = e.tenant_id AND l.entry_id = e.id) AS credit`

// ListEntries returns entries (without lines) in id order, which is
// posting order.
func (s *Service) ListEntries(ctx context.Context, tenantID uuid.UUID, f EntryFilter, page web.Page) ([]JournalEntry, error) {
	var out []JournalEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("fin_entries e").Select(entryColumns).Where("e.tenant_id = ?", tenantID)
		if f.EntityIDs != nil {
			q = q.Where("e.entity_id IN ?", append(f.EntityIDs, uuid.Nil))
		}
		if f.SourceType != "" {
			q = q.Where("e.source_type = ?", f.SourceType)
		}
		if f.SourceID != nil {
			q = q.Where("e.source_id = ?", *f.SourceID)
		}
		if f.From != nil {
			q = q.Where("e.accounting_date >= ?", *f.From)
		}
		if f.To != nil {
			q = q.Where("e.accounting_date <= ?", *f.To)
		}
		if f.AccountCode != "" || f.StoreID != nil {
			line := "SELECT 1 FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id WHERE l.tenant_id = e.tenant_id AND l.entry_id = e.id"
			var args []any
			if f.AccountCode != "" {
				line += " AND (a.code = ? OR a.code LIKE ?)"
				args = append(args, f.AccountCode, f.AccountCode+".%")
			}
			if f.StoreID != nil {
				line += " AND l.store_id = ?"
				args = append(args, *f.StoreID)
			}
			q = q.Where("EXISTS ("+line+")", args...)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("e.id > ?", page.Cursor)
		}
		if err := q.Order("e.id").Limit(page.Limit + 1).Scan(&out).Error; err != nil {
			return err
		}
		return s.nameEntries(ctx, tenantID, out)
	})
	return out, err
}

// nameEntries fills the entries' author and approver names (one statement).
func (s *Service) nameEntries(ctx context.Context, tenantID uuid.UUID, es []JournalEntry) error {
	return users.FillNames(ctx, s.users, tenantID, es, func(e *JournalEntry) []users.NameField {
		return []users.NameField{{ID: e.CreatedBy, Name: &e.CreatedByName}, {ID: e.ApprovedBy, Name: &e.ApprovedByName}}
	})
}

// nameEntry is nameEntries for one entry.
func (s *Service) nameEntry(ctx context.Context, tenantID uuid.UUID, e *JournalEntry) error {
	return users.One(e, func(rows []JournalEntry) error { return s.nameEntries(ctx, tenantID, rows) })
}

// GetEntry returns an entry with its lines, or ErrEntryNotFound.
func (s *Service) GetEntry(ctx context.Context, tenantID, id uuid.UUID) (JournalEntry, error) {
	var out JournalEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = getEntry(tenant.DB(ctx), tenantID, id); err != nil {
			return err
		}
		return s.nameEntry(ctx, tenantID, &out)
	})
	return out, err
}

func getEntry(db *gorm.DB, tenantID, id uuid.UUID) (JournalEntry, error) {
	out, err := postgres.One[JournalEntry](db, ErrEntryNotFound, `SELECT `+entryColumns+` FROM fin_entries e WHERE e.tenant_id = ? AND e.id = ?`, tenantID, id)
	if err != nil {
		return out, err
	}
	if err := db.Raw(`SELECT l.line_no, l.account_id, a.code AS account_code, a.name AS account_name, l.store_id, l.debit, l.credit,
			l.kind = 1 AS internal, l.counter_entity_id, l.cash_flow, l.memo
		FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE l.tenant_id = ? AND l.entry_id = ? ORDER BY l.line_no`, tenantID, id).Scan(&out.Lines).Error; err != nil {
		return JournalEntry{}, fmt.Errorf("finance: entry lines: %w", err)
	}
	return out, nil
}

func parseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2199 {
		return time.Time{}, ErrInvalidEntry.WithFields(problem.FieldError{Field: field, Message: "must be a date YYYY-MM-DD from 2000 to 2199"})
	}
	return t, nil
}

// Reverse posts the mirror image of an entry (audited): same accounts,
// stores and flags, sides swapped, dated in.BusinessDate (when empty, the
// chain's business date today: org's day for HQ work, on the shared clock).
// ErrAlreadyReversed on a second reversal; ErrNotReversible for a year-end
// closing entry.
func (s *Service) Reverse(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in ReverseInput) (JournalEntry, error) {
	var out JournalEntry
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		orig, err := getEntry(db, actor.TenantID, id)
		if err != nil {
			return err
		}
		if orig.SourceType == "year_end_close" {
			return ErrNotReversible
		}
		if orig.ReversedBy != nil {
			return ErrAlreadyReversed
		}
		date, err := s.today(ctx, actor.TenantID)
		if err != nil {
			return err
		}
		if in.BusinessDate != "" {
			if date, err = parseDate("business_date", in.BusinessDate); err != nil {
				return err
			}
		}
		if od, _ := time.Parse(dateLayout, orig.AccountingDate); date.Before(od) {
			return ErrInvalidEntry.WithFields(problem.FieldError{Field: "business_date", Message: "must not be before the original entry's accounting date"})
		}
		memo := in.Memo
		if memo == "" {
			memo = "冲销 reversal of " + orig.ID.String()
		}
		e := Entry{EntityID: orig.EntityID, BusinessDate: date, SourceType: "reversal", SourceID: orig.ID, Rule: "reversal",
			Memo: memo, ReversesEntryID: &orig.ID, CreatedBy: &actor.UserID}
		for _, l := range orig.Lines {
			e.Lines = append(e.Lines, Line{AccountCode: l.AccountCode, StoreID: l.StoreID, Debit: l.Credit, Credit: l.Debit,
				CashFlow: l.CashFlow, CounterEntityID: l.CounterEntityID, Memo: l.Memo})
		}
		p, err := s.post(ctx, actor.TenantID, e)
		if err != nil {
			return err
		}
		if p.Duplicate {
			return ErrAlreadyReversed
		}
		if out, err = getEntry(db, actor.TenantID, p.EntryID); err != nil {
			return err
		}
		if err := s.nameEntry(ctx, actor.TenantID, &out); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.entry.reverse", ObjectType: "fin_entry", ObjectID: orig.ID.String(),
			Detail: map[string]any{"reversal": p.EntryID, "memo": memo}})
	})
	return out, err
}

type manualRow struct {
	ID           uuid.UUID
	EntityID     uuid.UUID
	BusinessDate string
	Memo         string
	Lines        []byte
	Status       string
	CreatedBy    uuid.UUID
	DecidedBy    *uuid.UUID
	EntryID      *uuid.UUID
	CreatedAt    time.Time
	DecidedAt    *time.Time
}

func (r manualRow) view() ManualEntry {
	m := ManualEntry{ID: r.ID, EntityID: r.EntityID, BusinessDate: r.BusinessDate, Memo: r.Memo, Status: r.Status,
		CreatedBy: r.CreatedBy, DecidedBy: r.DecidedBy, EntryID: r.EntryID, CreatedAt: r.CreatedAt, DecidedAt: r.DecidedAt}
	_ = json.Unmarshal(r.Lines, &m.Lines)
	if m.Lines == nil {
		m.Lines = []ManualLineInput{}
	}
	return m
}

const manualColumns = `id, entity_id, to_char(business_date, 'YYYY-MM-DD') AS business_date, memo, lines, status, created_by, decided_by, entry_id, created_at, decided_at`

func (s *Service) manualEntry(in ManualEntryInput, date time.Time) Entry {
	e := Entry{EntityID: in.EntityID, BusinessDate: date, SourceType: "manual", Rule: "manual", Memo: in.Memo, SourceID: uuid.Max}
	for _, l := range in.Lines {
		e.Lines = append(e.Lines, Line{AccountCode: l.AccountCode, StoreID: l.StoreID, Debit: l.Debit, Credit: l.Credit, CashFlow: l.CashFlow, Memo: l.Memo})
	}
	return e
}

// CreateManual drafts a manual journal entry awaiting approval (audited).
// It must balance, use accounts of the chart, and name only stores whose
// books are the entry's entity.
func (s *Service) CreateManual(ctx context.Context, actor *tenant.Principal, in ManualEntryInput) (ManualEntry, error) {
	var out ManualEntry
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		date, err := parseDate("business_date", in.BusinessDate)
		if err != nil {
			return err
		}
		e := s.manualEntry(in, date)
		if err := validateEntry(e); err != nil {
			return err
		}
		if _, err := s.GetEntity(ctx, actor.TenantID, in.EntityID); err != nil {
			return err
		}
		codes := make([]string, len(in.Lines))
		for i, l := range in.Lines {
			codes[i] = l.AccountCode
		}
		accts, err := s.accountsWith(ctx, actor.TenantID, codes)
		if err != nil {
			return err
		}
		var stores []*uuid.UUID
		var bad []problem.FieldError
		for i, l := range in.Lines {
			if _, ok := accts[l.AccountCode]; !ok {
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].account_code", i), Message: "is not an account of this chain"})
			}
			stores = append(stores, l.StoreID)
		}
		_, ents, err := s.storeEntities(ctx, actor.TenantID, sortedStores(stores...))
		if err != nil {
			return err
		}
		for i, l := range in.Lines {
			if l.StoreID != nil && ents[*l.StoreID] != in.EntityID {
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].store_id", i), Message: "is not a store in this entity's books"})
			}
		}
		if len(bad) > 0 {
			return ErrInvalidEntry.WithFields(bad...)
		}
		lines, _ := json.Marshal(in.Lines)
		var row manualRow
		if err := tenant.DB(ctx).Raw(`INSERT INTO fin_manual_entries (tenant_id, id, entity_id, business_date, memo, lines, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING `+manualColumns, actor.TenantID, uuid.Must(uuid.NewV7()), in.EntityID, date, in.Memo, string(lines), actor.UserID).
			Scan(&row).Error; err != nil {
			return fmt.Errorf("finance: create manual entry: %w", err)
		}
		out = row.view()
		if err := s.nameManualOne(ctx, actor.TenantID, &out); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.manual.create", ObjectType: "fin_manual_entry", ObjectID: out.ID.String(),
			Detail: map[string]any{"entity_id": in.EntityID, "business_date": in.BusinessDate, "lines": len(in.Lines)}})
	})
	return out, err
}

// ListManual returns manual entries narrowed by f, in id order.
func (s *Service) ListManual(ctx context.Context, tenantID uuid.UUID, f ManualFilter, page web.Page) ([]ManualEntry, error) {
	var out []ManualEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("fin_manual_entries").Select(manualColumns).Where("tenant_id = ?", tenantID)
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if f.EntityID != nil {
			q = q.Where("entity_id = ?", *f.EntityID)
		}
		if f.From != nil {
			q = q.Where("business_date >= ?", *f.From)
		}
		if f.To != nil {
			q = q.Where("business_date <= ?", *f.To)
		}
		if f.CreatedBy != nil {
			q = q.Where("created_by = ?", *f.CreatedBy)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id > ?", page.Cursor)
		}
		var rows []manualRow
		if err := q.Order("id").Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, r.view())
		}
		return s.nameManual(ctx, tenantID, out)
	})
	return out, err
}

// nameManual fills the entries' author and decider names (one statement).
func (s *Service) nameManual(ctx context.Context, tenantID uuid.UUID, ms []ManualEntry) error {
	return users.FillNames(ctx, s.users, tenantID, ms, func(m *ManualEntry) []users.NameField {
		return []users.NameField{{ID: &m.CreatedBy, Name: &m.CreatedByName}, {ID: m.DecidedBy, Name: &m.DecidedByName}}
	})
}

// nameManualOne is nameManual for one entry.
func (s *Service) nameManualOne(ctx context.Context, tenantID uuid.UUID, m *ManualEntry) error {
	return users.One(m, func(rows []ManualEntry) error { return s.nameManual(ctx, tenantID, rows) })
}

// GetManual returns one manual entry, or ErrManualNotFound.
func (s *Service) GetManual(ctx context.Context, tenantID, id uuid.UUID) (ManualEntry, error) {
	var out ManualEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		r, err := getManual(tenant.DB(ctx), tenantID, id, false)
		if err != nil {
			return err
		}
		out = r.view()
		return s.nameManualOne(ctx, tenantID, &out)
	})
	return out, err
}

func getManual(db *gorm.DB, tenantID, id uuid.UUID, forUpdate bool) (manualRow, error) {
	q := `SELECT ` + manualColumns + ` FROM fin_manual_entries WHERE tenant_id = ? AND id = ?`
	if forUpdate {
		q += ` FOR UPDATE`
	}
	return postgres.One[manualRow](db, ErrManualNotFound, q, tenantID, id)
}

// DecideManual approves (posting the entry) or rejects a pending manual
// entry (audited). The approver must not be its author (ErrSelfApproval).
// An approved entry may adjust a closed period; a locked one moves it on.
func (s *Service) DecideManual(ctx context.Context, actor *tenant.Principal, id uuid.UUID, approve bool) (ManualEntry, error) {
	var out ManualEntry
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		r, err := getManual(db, actor.TenantID, id, true)
		if err != nil {
			return err
		}
		if r.Status != "pending" {
			return ErrManualDecided
		}
		if approve && r.CreatedBy == actor.UserID {
			return ErrSelfApproval
		}
		m := r.view()
		status, entryID := "rejected", (*uuid.UUID)(nil)
		if approve {
			date, _ := time.Parse(dateLayout, m.BusinessDate)
			e := s.manualEntry(ManualEntryInput{EntityID: m.EntityID, Memo: m.Memo, Lines: m.Lines}, date)
			e.SourceID, e.CreatedBy, e.ApprovedBy, e.AllowClosed = m.ID, &m.CreatedBy, &actor.UserID, true
			p, err := s.post(ctx, actor.TenantID, e)
			if err != nil {
				return err
			}
			status, entryID = "approved", &p.EntryID
		}
		if err := db.Exec(`UPDATE fin_manual_entries SET status = ?, decided_by = ?, decided_at = now(), entry_id = ? WHERE tenant_id = ? AND id = ?`,
			status, actor.UserID, entryID, actor.TenantID, id).Error; err != nil {
			return fmt.Errorf("finance: decide manual entry: %w", err)
		}
		if r, err = getManual(db, actor.TenantID, id, false); err != nil {
			return err
		}
		out = r.view()
		if err := s.nameManualOne(ctx, actor.TenantID, &out); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.manual." + status, ObjectType: "fin_manual_entry", ObjectID: id.String(),
			Detail: map[string]any{"entry_id": entryID}})
	})
	return out, err
}
