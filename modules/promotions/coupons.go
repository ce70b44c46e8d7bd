package promotions

import (
	"context"
	"crypto/rand"
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
)

// Coupon codes: 12 characters of an alphabet without the look-alikes 0/O
// and 1/I, drawn from crypto/rand (60 bits: unguessable, and printable on
// a receipt or a card). 32 letters, so each byte's low five bits pick one
// without bias. Unique per chain (coupons_code_key); a collision is drawn
// again.
const (
	codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	codeLength   = 12
	// maxPrinted bounds a printed batch, so its export is one file.
	maxPrinted = 100_000
)

var codeRE = regexp.MustCompile(`^[A-Z0-9]{6,32}$`)

func newCode() string {
	b := make([]byte, codeLength)
	_, _ = rand.Read(b) // never fails (crypto/rand since Go 1.24)
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b)
}

// NormalizeCode is how a presented code is read: trimmed, upper-cased,
// without the spaces and hyphens it may be printed with ("ABCD-EFGH-JK23").
// ok is false when what is left cannot be a code.
func NormalizeCode(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
	return s, codeRE.MatchString(s)
}

// ── batches ──

type batchRow struct {
	ID            uuid.UUID
	Name          string
	NameEn        string
	Kind          string
	IssueMode     string
	Priority      int
	Exclusive     bool
	StackingGroup string
	StoreScope    string
	StoreIDs      string `gorm:"column:store_ids"`
	Items         string
	Audience      string
	Rule          string
	Quantity      int
	Issued        int
	ValidFrom     *time.Time
	ValidUntil    *time.Time
	ValidDays     *int
	CreatedBy     *uuid.UUID
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

const batchColumns = `b.id, b.name, b.name_en, b.kind, b.issue_mode, b.priority, b.exclusive, b.stacking_group, b.store_scope,
	array_to_string(b.store_ids, ',') AS store_ids, b.items::text AS items, b.audience::text AS audience, b.rule::text AS rule,
	b.quantity, b.issued, b.valid_from, b.valid_until, b.valid_days, b.created_by, b.created_at, b.updated_at`

func (r *batchRow) batch() (Batch, error) {
	b := Batch{ID: r.ID, Name: r.Name, NameEn: r.NameEn, Kind: Kind(r.Kind), IssueMode: r.IssueMode, Priority: r.Priority,
		Exclusive: r.Exclusive, Group: r.StackingGroup, Quantity: r.Quantity, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil,
		ValidDays: r.ValidDays, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	b.Stores.Scope = StoreScope(r.StoreScope)
	var err error
	if b.Stores.IDs, err = parseIDs(r.StoreIDs); err != nil {
		return b, fmt.Errorf("promotions: stored batch stores: %w", err)
	}
	err = unmarshalBlocks(map[string]string{"items": r.Items, "audience": r.Audience, "rule": r.Rule},
		map[string]any{"items": &b.Items, "audience": &b.Audience, "rule": &b.Rule})
	return b, err
}

func oneBatch(db *gorm.DB, tenantID, id uuid.UUID, lock bool) (Batch, int, error) {
	q := `SELECT ` + batchColumns + ` FROM coupon_batches b WHERE b.tenant_id = ? AND b.id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	row, err := postgres.One[batchRow](db, ErrBatchNotFound, q, tenantID, id)
	if err != nil {
		return Batch{}, 0, err
	}
	b, err := row.batch()
	return b, row.Issued, err
}

// countBatches fills the counts of batches: one query for the coupons, one
// for the discount in the ledger.
func countBatches(db *gorm.DB, tenantID uuid.UUID, bs []Batch, now time.Time) error {
	if len(bs) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(bs))
	for i := range bs {
		ids[i] = bs[i].ID
	}
	var counts []struct {
		BatchID                                    uuid.UUID
		Issued, Available, Redeemed, Expired, Void int
	}
	if err := db.Raw(`SELECT batch_id, count(*) AS issued,
			count(*) FILTER (WHERE status = 'issued' AND valid_until > ?) AS available,
			count(*) FILTER (WHERE status = 'redeemed') AS redeemed,
			count(*) FILTER (WHERE status = 'expired' OR status = 'issued' AND valid_until <= ?) AS expired,
			count(*) FILTER (WHERE status = 'void') AS void
		FROM coupons WHERE tenant_id = ? AND batch_id IN ? GROUP BY batch_id`, now, now, tenantID, ids).Scan(&counts).Error; err != nil {
		return fmt.Errorf("promotions: batch counts: %w", err)
	}
	var given []struct {
		BatchID  uuid.UUID
		Discount int64
	}
	if err := db.Raw(`SELECT batch_id, sum(discount) AS discount FROM promotion_usage
		WHERE tenant_id = ? AND batch_id IN ? GROUP BY batch_id`, tenantID, ids).Scan(&given).Error; err != nil {
		return fmt.Errorf("promotions: batch discount: %w", err)
	}
	for i := range bs {
		for _, c := range counts {
			if c.BatchID == bs[i].ID {
				bs[i].Counts = BatchCounts{Issued: c.Issued, Available: c.Available, Redeemed: c.Redeemed, Expired: c.Expired, Void: c.Void}
			}
		}
		for _, g := range given {
			if g.BatchID == bs[i].ID {
				bs[i].Counts.Discount = g.Discount
			}
		}
	}
	return nil
}

// CreateBatch stores a coupon batch (HQ: the HTTP layer requires
// promotions:write chain-wide). Errors: ErrBatchInvalid (422, every field).
func (s *Service) CreateBatch(ctx context.Context, actor *tenant.Principal, in BatchInput) (Batch, error) {
	id := uuid.Must(uuid.NewV7())
	b, f := in.batch(id)
	var out Batch
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		if err := s.checkStoresExist(ctx, actor.TenantID, b.Stores, &f); err != nil {
			return err
		}
		if err := errFields(ErrBatchInvalid, f); err != nil {
			return err
		}
		enc := func(v any) string { j, _ := json.Marshal(v); return string(j) }
		db := tenant.DB(ctx)
		if err := db.Exec(`INSERT INTO coupon_batches (tenant_id, id, name, name_en, kind, issue_mode, priority, exclusive, stacking_group,
				store_scope, store_ids, items, audience, rule, quantity, valid_from, valid_until, valid_days, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, string_to_array(?, ',')::uuid[], ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)`,
			actor.TenantID, id, b.Name, b.NameEn, string(b.Kind), b.IssueMode, b.Priority, b.Exclusive, b.Group,
			string(b.Stores.Scope), joinIDs(b.Stores.IDs), enc(b.Items), enc(b.Audience), enc(b.Rule), b.Quantity,
			b.ValidFrom, b.ValidUntil, b.ValidDays, nilIfZero(actor.UserID)).Error; err != nil {
			return fmt.Errorf("promotions: create batch: %w", err)
		}
		var err error
		out, _, err = oneBatch(db, actor.TenantID, id, false)
		return err
	})
	return out, err
}

// GetBatch returns a batch with its counts, or ErrBatchNotFound.
func (s *Service) GetBatch(ctx context.Context, tenantID, id uuid.UUID) (Batch, error) {
	var out Batch
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		b, _, err := oneBatch(db, tenantID, id, false)
		if err != nil {
			return err
		}
		bs := []Batch{b}
		if err := countBatches(db, tenantID, bs, s.clk.Now()); err != nil {
			return err
		}
		out = bs[0]
		return nil
	})
	return out, err
}

// ListBatches returns batches, newest first, with their counts; mode
// filters by issue mode.
func (s *Service) ListBatches(ctx context.Context, tenantID uuid.UUID, mode string, page web.Page) ([]Batch, error) {
	var out []Batch
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		q := db.Table("coupon_batches b").Select(batchColumns).Where("b.tenant_id = ?", tenantID)
		if mode != "" {
			q = q.Where("b.issue_mode = ?", mode)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("b.id < ?", page.Cursor)
		}
		var rows []batchRow
		if err := q.Order("b.id DESC").Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("promotions: list batches: %w", err)
		}
		for i := range rows {
			b, err := rows[i].batch()
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return countBatches(db, tenantID, out, s.clk.Now())
	})
	return out, err
}

// validity is a new coupon's interval: the batch's fixed one, or
// ValidDays from now.
func (b *Batch) validity(now time.Time) (time.Time, time.Time, error) {
	if b.ValidDays != nil {
		return now, now.AddDate(0, 0, *b.ValidDays), nil
	}
	from := now
	if b.ValidFrom != nil {
		from = *b.ValidFrom
	}
	if !b.ValidUntil.After(now) {
		return from, *b.ValidUntil, ErrBatchExhausted.WithDetail("the batch's validity ended at %s", b.ValidUntil.Format(time.RFC3339))
	}
	return from, *b.ValidUntil, nil
}

// Issue gives one coupon of a member or campaign batch to each member
// listed. Members are checked by the coupons' foreign key: an unknown one
// (or another chain's) is ErrUnknownMember (422), and nothing is issued. Errors: ErrBatchNotFound, ErrBatchMode (a printed batch),
// ErrBatchExhausted (past its quantity or validity), 422.
func (s *Service) Issue(ctx context.Context, actor *tenant.Principal, batchID uuid.UUID, in IssueInput) (Issued, error) {
	seen := map[uuid.UUID]int{}
	var f fields
	for i, id := range in.MemberIDs {
		if j, dup := seen[id]; dup {
			f.add(fmt.Sprintf("member_ids[%d]", i), "repeats member_ids[%d]", j)
		}
		seen[id] = i
	}
	if err := errFields(problem.ErrValidation, f); err != nil {
		return Issued{}, err
	}
	var out Issued
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		b, err := s.claim(ctx, actor.TenantID, batchID, len(in.MemberIDs), IssueMember, IssueCampaign)
		if err != nil {
			return err
		}
		ids, err := s.makeCoupons(ctx, actor, &b, in.MemberIDs)
		if c, ok := postgres.IsForeignKeyViolation(err); ok && c == "coupons_member_fkey" {
			// The key's values are not in the error: members has row-level
			// security, so PostgreSQL keeps them out of the detail.
			return ErrUnknownMember.WithFields(problem.FieldError{Field: "member_ids", Message: "names a member who is not one of this chain's"})
		} else if err != nil {
			return err
		}
		out.Issued = len(ids)
		out.Coupons, err = couponsByID(tenant.DB(ctx), actor.TenantID, ids, s.clk.Now())
		return err
	})
	return out, err
}

// GenerateCodes makes count printed codes of a printed batch. Errors:
// ErrBatchNotFound, ErrBatchMode, ErrBatchExhausted.
func (s *Service) GenerateCodes(ctx context.Context, actor *tenant.Principal, batchID uuid.UUID, in CodesInput) (Issued, error) {
	var out Issued
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		b, err := s.claim(ctx, actor.TenantID, batchID, in.Count, IssuePrinted)
		if err != nil {
			return err
		}
		ids, err := s.makeCoupons(ctx, actor, &b, make([]uuid.UUID, in.Count))
		out.Issued = len(ids)
		return err
	})
	return out, err
}

// claim locks a batch and takes n coupons off its quantity.
func (s *Service) claim(ctx context.Context, tenantID, batchID uuid.UUID, n int, modes ...string) (Batch, error) {
	db := tenant.DB(ctx)
	b, issued, err := oneBatch(db, tenantID, batchID, true)
	if err != nil {
		return b, err
	}
	ok := false
	for _, m := range modes {
		ok = ok || b.IssueMode == m
	}
	if !ok {
		return b, ErrBatchMode.WithDetail("a %s batch issues its coupons another way", b.IssueMode)
	}
	if issued+n > b.Quantity {
		return b, ErrBatchExhausted.WithDetail("%d of %d issued; %d more asked", issued, b.Quantity, n)
	}
	if err := db.Exec(`UPDATE coupon_batches SET issued = issued + ?, updated_at = now() WHERE tenant_id = ? AND id = ?`, n, tenantID, batchID).Error; err != nil {
		return b, fmt.Errorf("promotions: claim coupons: %w", err)
	}
	return b, nil
}

// makeCoupons inserts one coupon per member (uuid.Nil: no member, a
// printed code), drawing codes again for the rare collision.
func (s *Service) makeCoupons(ctx context.Context, actor *tenant.Principal, b *Batch, members []uuid.UUID) ([]uuid.UUID, error) {
	now := s.clk.Now()
	from, until, err := b.validity(now)
	if err != nil {
		return nil, err
	}
	type newCoupon struct {
		ID       uuid.UUID  `json:"id"`
		Code     string     `json:"code"`
		MemberID *uuid.UUID `json:"member_id"`
	}
	todo := make([]newCoupon, len(members))
	for i, m := range members {
		todo[i] = newCoupon{ID: uuid.Must(uuid.NewV7()), MemberID: nilIfZero(m)}
	}
	made := make([]uuid.UUID, 0, len(todo))
	db := tenant.DB(ctx)
	for attempt := 0; len(todo) > 0; attempt++ {
		if attempt == 5 {
			return nil, fmt.Errorf("promotions: could not draw %d unique coupon codes", len(todo))
		}
		for i := range todo {
			todo[i].Code = newCode()
		}
		rows, err := json.Marshal(todo)
		if err != nil {
			return nil, err
		}
		var ids []uuid.UUID
		if err := db.Raw(`INSERT INTO coupons (tenant_id, id, batch_id, code, member_id, valid_from, valid_until, issued_at, issued_by)
			SELECT ?, r.id, ?, r.code, r.member_id, ?, ?, ?, ? FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, code text, member_id uuid)
			ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id`,
			actor.TenantID, b.ID, from, until, now, nilIfZero(actor.UserID), string(rows)).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("promotions: issue coupons: %w", err)
		}
		made = append(made, ids...)
		left := todo[:0]
		for _, c := range todo {
			if !containsID(ids, c.ID) {
				left = append(left, c)
			}
		}
		todo = left
	}
	return made, nil
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// ExportHeader is the columns of a batch's code export.
var ExportHeader = []string{"code", "status", "state", "valid_from", "valid_until", "member_id", "redeemed_at"}

// ExportCodes lists a batch's coupons for printing or hand-over, in the
// columns of ExportHeader (audited: the codes are worth money). Errors:
// ErrBatchNotFound, ErrExportTooLarge.
func (s *Service) ExportCodes(ctx context.Context, actor *tenant.Principal, batchID uuid.UUID) ([][]string, error) {
	var out [][]string
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, _, err := oneBatch(db, actor.TenantID, batchID, false); err != nil {
			return err
		}
		var rows []couponRow
		if err := db.Raw(`SELECT `+couponColumns+` FROM coupons c JOIN coupon_batches b ON b.tenant_id = c.tenant_id AND b.id = c.batch_id
			WHERE c.tenant_id = ? AND c.batch_id = ? ORDER BY c.id LIMIT ?`, actor.TenantID, batchID, maxPrinted+1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("promotions: export codes: %w", err)
		}
		if len(rows) > maxPrinted {
			return ErrExportTooLarge.WithDetail("at most %d coupons a file", maxPrinted)
		}
		now := s.clk.Now()
		for i := range rows {
			c := rows[i].coupon(now)
			member, redeemed := "", ""
			if c.MemberID != nil {
				member = c.MemberID.String()
			}
			if c.RedeemedAt != nil {
				redeemed = c.RedeemedAt.UTC().Format(time.RFC3339)
			}
			out = append(out, []string{c.Code, c.Status, c.State, c.ValidFrom.UTC().Format(time.RFC3339),
				c.ValidUntil.UTC().Format(time.RFC3339), member, redeemed})
		}
		return audit.Record(ctx, audit.Entry{Action: "coupons.export", ObjectType: "coupon_batch", ObjectID: batchID.String(),
			Detail: map[string]any{"coupons": len(out)}})
	})
	return out, err
}

// ── coupons ──

type couponRow struct {
	ID              uuid.UUID
	Code            string
	BatchID         uuid.UUID
	BatchName       string
	Kind            string
	MemberID        *uuid.UUID
	Status          string
	ValidFrom       time.Time
	ValidUntil      time.Time
	IssuedAt        time.Time
	RedeemedAt      *time.Time
	RedeemedDocType *string
	RedeemedDocID   *uuid.UUID
	RedeemedStoreID *uuid.UUID
	VoidedAt        *time.Time
}

const couponColumns = `c.id, c.code, c.batch_id, b.name AS batch_name, b.kind, c.member_id, c.status, c.valid_from, c.valid_until,
	c.issued_at, c.redeemed_at, c.redeemed_doc_type, c.redeemed_doc_id, c.redeemed_store_id, c.voided_at`

func (r *couponRow) coupon(now time.Time) IssuedCoupon {
	return IssuedCoupon{ID: r.ID, Code: r.Code, BatchID: r.BatchID, BatchName: r.BatchName, Kind: Kind(r.Kind), MemberID: r.MemberID,
		Status: r.Status, State: couponState(r.Status, r.ValidFrom, r.ValidUntil, now), ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil,
		IssuedAt: r.IssuedAt, RedeemedAt: r.RedeemedAt, RedeemedDocType: r.RedeemedDocType, RedeemedDocID: r.RedeemedDocID,
		RedeemedStoreID: r.RedeemedStoreID, VoidedAt: r.VoidedAt}
}

func couponState(status string, from, until, now time.Time) string {
	switch {
	case status == "void":
		return StateVoid
	case status == "redeemed":
		return StateUsed
	case status == "expired" || !now.Before(until):
		return StateExpired
	case now.Before(from):
		return StateNotStarted
	}
	return StateAvailable
}

func couponsByID(db *gorm.DB, tenantID uuid.UUID, ids []uuid.UUID, now time.Time) ([]IssuedCoupon, error) {
	out := []IssuedCoupon{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []couponRow
	if err := db.Raw(`SELECT `+couponColumns+` FROM coupons c JOIN coupon_batches b ON b.tenant_id = c.tenant_id AND b.id = c.batch_id
		WHERE c.tenant_id = ? AND c.id IN ? ORDER BY c.id`, tenantID, ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("promotions: read coupons: %w", err)
	}
	for i := range rows {
		out = append(out, rows[i].coupon(now))
	}
	return out, nil
}

// LookupCoupon returns the coupon with this code, or ErrCouponNotFound.
func (s *Service) LookupCoupon(ctx context.Context, tenantID uuid.UUID, code string) (IssuedCoupon, error) {
	code, ok := NormalizeCode(code)
	if !ok {
		return IssuedCoupon{}, ErrCouponNotFound
	}
	var out IssuedCoupon
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		row, err := postgres.One[couponRow](tenant.DB(ctx), ErrCouponNotFound, `SELECT `+couponColumns+`
			FROM coupons c JOIN coupon_batches b ON b.tenant_id = c.tenant_id AND b.id = c.batch_id
			WHERE c.tenant_id = ? AND c.code = ?`, tenantID, code)
		if err == nil {
			out = row.coupon(s.clk.Now())
		}
		return err
	})
	return out, err
}

// ListCoupons lists coupons, newest first: a member's wallet (MemberID),
// a batch's, by State.
func (s *Service) ListCoupons(ctx context.Context, tenantID uuid.UUID, f CouponFilter, page web.Page) ([]IssuedCoupon, error) {
	var out []IssuedCoupon
	now := s.clk.Now()
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("coupons c").Select(couponColumns).
			Joins("JOIN coupon_batches b ON b.tenant_id = c.tenant_id AND b.id = c.batch_id").Where("c.tenant_id = ?", tenantID)
		if f.MemberID != nil {
			q = q.Where("c.member_id = ?", *f.MemberID)
		}
		if f.BatchID != nil {
			q = q.Where("c.batch_id = ?", *f.BatchID)
		}
		switch f.State {
		case StateAvailable:
			q = q.Where("c.status = 'issued' AND c.valid_from <= ? AND c.valid_until > ?", now, now)
		case StateNotStarted:
			q = q.Where("c.status = 'issued' AND c.valid_from > ?", now)
		case StateUsed:
			q = q.Where("c.status = 'redeemed'")
		case StateExpired:
			q = q.Where("(c.status = 'expired' OR c.status = 'issued' AND c.valid_until <= ?)", now)
		case StateVoid:
			q = q.Where("c.status = 'void'")
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("c.id < ?", page.Cursor)
		}
		var rows []couponRow
		if err := q.Order("c.id DESC").Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("promotions: list coupons: %w", err)
		}
		for i := range rows {
			out = append(out, rows[i].coupon(now))
		}
		return nil
	})
	return out, err
}

// VoidCoupon voids an unused coupon (audited); voiding a void one changes
// nothing. Errors: ErrCouponNotFound, ErrCouponUsed.
func (s *Service) VoidCoupon(ctx context.Context, actor *tenant.Principal, code string) (IssuedCoupon, error) {
	code, ok := NormalizeCode(code)
	if !ok {
		return IssuedCoupon{}, ErrCouponNotFound
	}
	var out IssuedCoupon
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		now := s.clk.Now()
		row, err := postgres.One[couponRow](db, ErrCouponNotFound, `SELECT `+couponColumns+`
			FROM coupons c JOIN coupon_batches b ON b.tenant_id = c.tenant_id AND b.id = c.batch_id
			WHERE c.tenant_id = ? AND c.code = ? FOR UPDATE OF c`, actor.TenantID, code)
		if err != nil {
			return err
		}
		switch row.Status {
		case "void":
			out = row.coupon(now)
			return nil
		case "redeemed":
			return ErrCouponUsed.WithDetail("redeemed at %s; void the sale to re-issue it", row.RedeemedAt.UTC().Format(time.RFC3339))
		}
		if err := db.Exec(`UPDATE coupons SET status = 'void', voided_at = ?, voided_by = ? WHERE tenant_id = ? AND id = ?`,
			now, nilIfZero(actor.UserID), actor.TenantID, row.ID).Error; err != nil {
			return fmt.Errorf("promotions: void coupon: %w", err)
		}
		row.Status, row.VoidedAt = "void", &now
		out = row.coupon(now)
		return audit.Record(ctx, audit.Entry{Action: "coupon.void", ObjectType: "coupon", ObjectID: row.ID.String(),
			Detail: map[string]any{"code": row.Code, "batch_id": row.BatchID}})
	})
	return out, err
}

// ── the POS ──

var refusals = map[RefuseWhy][2]string{
	RefuseUnknown:        {"券码不存在", "No such coupon code"},
	RefuseUsed:           {"优惠券已使用", "The coupon has been used"},
	RefuseExpired:        {"优惠券已过期", "The coupon has expired"},
	RefuseVoid:           {"优惠券已作废", "The coupon was voided"},
	RefuseOtherMember:    {"该券属于其他会员", "The coupon belongs to another member"},
	RefuseMemberRequired: {"该券为会员专享，请先识别会员", "The coupon belongs to a member: identify the member first"},
}

func refuse(code string, why RefuseWhy) Refused {
	r := refusals[why]
	return Refused{Code: code, Why: why, Reason: r[0], ReasonEn: r[1]}
}

// presentedRow is a coupon with its batch's template (GORM does not fill
// an embedded couponRow here, so the columns are spelled out).
type presentedRow struct {
	ID            uuid.UUID
	Code          string
	BatchID       uuid.UUID
	MemberID      *uuid.UUID
	Status        string
	ValidFrom     time.Time
	ValidUntil    time.Time
	Kind          string
	Name          string
	NameEn        string
	Priority      int
	Exclusive     bool
	StackingGroup string
	StoreScope    string
	StoreIDs      string `gorm:"column:store_ids"`
	Items         string
	Audience      string
	Rule          string
}

// CouponsFor reads the coupons a customer presents, in one query: those
// the engine may price (a coupon not yet valid goes to the engine, which
// says not_started), and the refused ones with a coded reason: unknown,
// used, expired, void, another member's, or a member's coupon presented
// without the member. Codes are read with NormalizeCode, at most 50.
func (s *Service) CouponsFor(ctx context.Context, tenantID uuid.UUID, codes []string, memberID *uuid.UUID, at time.Time) ([]Coupon, []Refused, error) {
	if len(codes) > maxCodesAsk {
		return nil, nil, ErrBadConsumption.WithDetail("at most %d coupon codes a sale", maxCodesAsk)
	}
	var refused []Refused
	var want []string
	for _, raw := range codes {
		code, ok := NormalizeCode(raw)
		if !ok {
			refused = append(refused, refuse(raw, RefuseUnknown))
			continue
		}
		want = append(want, code)
	}
	found := map[string]presentedRow{}
	if len(want) > 0 {
		err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
			var rows []presentedRow
			if err := tenant.DB(ctx).Raw(`SELECT c.id, c.code, c.batch_id, c.member_id, c.status, c.valid_from, c.valid_until, b.kind, b.name, b.name_en, b.priority, b.exclusive, b.stacking_group, b.store_scope,
					array_to_string(b.store_ids, ',') AS store_ids, b.items::text AS items, b.audience::text AS audience, b.rule::text AS rule
				FROM coupons c JOIN coupon_batches b ON b.tenant_id = c.tenant_id AND b.id = c.batch_id
				WHERE c.tenant_id = ? AND c.code IN ?`, tenantID, want).Scan(&rows).Error; err != nil {
				return fmt.Errorf("promotions: presented coupons: %w", err)
			}
			for _, r := range rows {
				found[r.Code] = r
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	var out []Coupon
	for _, code := range want {
		r, ok := found[code]
		switch {
		case !ok:
			refused = append(refused, refuse(code, RefuseUnknown))
		case r.Status == "void":
			refused = append(refused, refuse(code, RefuseVoid))
		case r.Status == "redeemed":
			refused = append(refused, refuse(code, RefuseUsed))
		case r.Status == "expired" || !at.Before(r.ValidUntil):
			refused = append(refused, refuse(code, RefuseExpired))
		case r.MemberID != nil && memberID == nil:
			refused = append(refused, refuse(code, RefuseMemberRequired))
		case r.MemberID != nil && *r.MemberID != *memberID:
			refused = append(refused, refuse(code, RefuseOtherMember))
		default:
			b := batchRow{ID: r.BatchID, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind, Priority: r.Priority, Exclusive: r.Exclusive,
				StackingGroup: r.StackingGroup, StoreScope: r.StoreScope, StoreIDs: r.StoreIDs, Items: r.Items, Audience: r.Audience, Rule: r.Rule}
			tmpl, err := b.batch()
			if err != nil {
				return nil, nil, err
			}
			out = append(out, Coupon{ID: r.ID, Code: r.Code, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil, Promotion: tmpl.template()})
		}
	}
	return out, refused, nil
}
