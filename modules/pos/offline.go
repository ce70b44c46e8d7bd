package pos

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/users"
)

// BatchInput is a register's upload of sales it made while offline. ID is
// the till's: uploading the same batch again creates nothing twice.
type BatchInput struct {
	ID    uuid.UUID      `json:"id" validate:"required"`
	Sales []OfflineInput `json:"sales" validate:"required,min=1,max=500,dive"`
}

// OfflineInput is one sale made offline: the sale as the till made it
// (its UUIDv7, lines, member, tenders and the total it charged), when,
// in which shift, and its number in the till's offline receipt series.
type OfflineInput struct {
	SaleInput
	ShiftID uuid.UUID `json:"shift_id" validate:"required"`
}

// BatchResult says what became of each uploaded sale.
type BatchResult struct {
	BatchID  uuid.UUID       `json:"batch_id"`
	Replayed bool            `json:"replayed"`
	Sales    []OfflineResult `json:"sales"`
}

// OfflineResult is one uploaded sale's fate: accepted, flagged (accepted,
// and conflicting with what the server knows: the manager reviews it), or
// rejected (it could not be recorded at all; the till keeps it).
type OfflineResult struct {
	SaleID    uuid.UUID `json:"sale_id"`
	Status    string    `json:"status"`
	ReceiptNo string    `json:"receipt_no,omitempty"`
	Flags     []string  `json:"flags"`
	Code      string    `json:"code,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// UploadOffline records a register's offline sales. Each goes through the
// same checkout as a live one, priced at its time, but what the till could
// not have known is accepted and flagged, since the goods have left: stock
// below zero where the chain forbids it, a coupon used elsewhere
// meanwhile, a promotion budget run out, a member frozen since, a price
// the server puts otherwise, an external tender it cannot verify, a gap
// in the offline receipt series. A sale already recorded is accepted
// again, unchanged. One sale that cannot be recorded (a product the chain
// never had) is rejected alone; the rest of the batch stands. Errors:
// ErrRegisterOffline, ErrBadBatch, ErrBatchReused.
func (s *Service) UploadOffline(ctx context.Context, actor *tenant.Principal, till Till, in BatchInput) (BatchResult, error) {
	if !till.OfflineAllowed {
		return BatchResult{}, ErrRegisterOffline
	}
	body, err := json.Marshal(in)
	if err != nil {
		return BatchResult{}, err
	}
	hash := sha256.Sum256(body)
	out := BatchResult{BatchID: in.ID, Sales: []OfflineResult{}}
	err = s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var made []struct{ ID uuid.UUID }
		if err := db.Raw(`INSERT INTO pos_offline_batches (tenant_id, id, register_id, request_hash, sale_count, uploaded_by)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id`,
			actor.TenantID, in.ID, till.RegisterID, hash[:], len(in.Sales), actor.UserID).Scan(&made).Error; err != nil {
			return fmt.Errorf("pos: offline batch: %w", err)
		}
		if len(made) == 0 {
			var prev struct {
				RegisterID  uuid.UUID
				RequestHash []byte
			}
			if err := db.Raw(`SELECT register_id, request_hash FROM pos_offline_batches WHERE tenant_id = ? AND id = ?`, actor.TenantID, in.ID).
				Scan(&prev).Error; err != nil {
				return err
			}
			if prev.RegisterID != till.RegisterID || string(prev.RequestHash) != string(hash[:]) {
				return ErrBatchReused
			}
			out.Replayed = true
		}
		// In the order they were sold, so stock and budgets run out as they did.
		sales := append([]OfflineInput(nil), in.Sales...)
		sort.SliceStable(sales, func(i, j int) bool { return soldAt(sales[i]).Before(soldAt(sales[j])) })
		var maxSeq int64
		var lastSeq struct{ LastOfflineSeq int64 }
		if err := db.Raw(`SELECT last_offline_seq FROM pos_registers WHERE tenant_id = ? AND id = ? FOR UPDATE`, actor.TenantID, till.RegisterID).
			Scan(&lastSeq).Error; err != nil {
			return err
		}
		expect := lastSeq.LastOfflineSeq + 1
		for i, o := range sales {
			r := s.uploadOne(ctx, actor, till, in.ID, o, i)
			if r.Status != "rejected" && o.OfflineSeq > 0 {
				if o.OfflineSeq != expect && o.OfflineSeq > lastSeq.LastOfflineSeq && !out.Replayed {
					r.Flags = appendOnce(r.Flags, "receipt_gap")
					if err := db.Exec(`UPDATE pos_offline_sales SET status = 'flagged', flags = array_append(flags, 'receipt_gap')
						WHERE tenant_id = ? AND sale_id = ? AND NOT 'receipt_gap' = ANY(flags)`, actor.TenantID, o.ID).Error; err != nil {
						return err
					}
					r.Status = "flagged"
				}
				expect = o.OfflineSeq + 1
				maxSeq = max(maxSeq, o.OfflineSeq)
			}
			out.Sales = append(out.Sales, r)
		}
		return db.Exec(`UPDATE pos_registers SET last_offline_seq = GREATEST(last_offline_seq, ?), last_seen_at = ? WHERE tenant_id = ? AND id = ?`,
			maxSeq, s.clock.Now(), actor.TenantID, till.RegisterID).Error
	})
	return out, err
}

func soldAt(o OfflineInput) time.Time {
	if o.SoldAt == nil {
		return time.Time{}
	}
	return *o.SoldAt
}

// uploadOne records one offline sale inside a savepoint: a sale that
// cannot be recorded rolls back alone.
func (s *Service) uploadOne(ctx context.Context, actor *tenant.Principal, till Till, batchID uuid.UUID, o OfflineInput, i int) OfflineResult {
	res := OfflineResult{SaleID: o.ID, Flags: []string{}}
	reject := func(err error) OfflineResult {
		res.Status = "rejected"
		var pe *problem.Error
		if errors.As(err, &pe) {
			res.Code, res.Detail = pe.Code, firstNonEmpty(pe.Detail, pe.Title)
		} else {
			res.Code, res.Detail = "internal", "the sale could not be recorded"
		}
		return res
	}
	switch {
	case o.SoldAt == nil:
		return reject(ErrBadBatch.WithFields(problem.FieldError{Field: fmt.Sprintf("sales[%d].sold_at", i), Message: "is required"}))
	case o.OfflineSeq <= 0:
		return reject(ErrBadBatch.WithFields(problem.FieldError{Field: fmt.Sprintf("sales[%d].offline_seq", i), Message: "is required"}))
	case o.SoldAt.After(s.clock.Now().Add(5 * time.Minute)):
		return reject(ErrBadBatch.WithFields(problem.FieldError{Field: fmt.Sprintf("sales[%d].sold_at", i), Message: "is in the future"}))
	}
	db := tenant.DB(ctx)
	sp := fmt.Sprintf("offline_%d", i)
	if err := db.SavePoint(sp).Error; err != nil {
		return reject(err)
	}
	off := &offlineSale{soldAt: o.SoldAt.UTC(), shiftID: o.ShiftID, seq: o.OfflineSeq}
	sale, err := s.sell(ctx, actor, till, o.SaleInput, off)
	if err != nil {
		if rbErr := db.RollbackTo(sp).Error; rbErr != nil {
			return reject(rbErr)
		}
		return reject(err)
	}
	res.ReceiptNo, res.Flags = sale.ReceiptNo, sale.Flags
	res.Status = "accepted"
	if len(sale.Flags) > 0 {
		res.Status = "flagged"
	}
	if err := db.Exec(`INSERT INTO pos_offline_sales (tenant_id, sale_id, batch_id, register_id, status, flags)
		VALUES (?, ?, ?, ?, ?, ?::text[]) ON CONFLICT (tenant_id, sale_id) DO NOTHING`,
		actor.TenantID, sale.ID, batchID, till.RegisterID, res.Status, postgres.Texts(sale.Flags)).Error; err != nil {
		return reject(err)
	}
	if sale.Offline {
		var st struct{ Status string }
		if err := db.Raw(`SELECT status FROM pos_offline_sales WHERE tenant_id = ? AND sale_id = ?`, actor.TenantID, sale.ID).Scan(&st).Error; err == nil && st.Status != "" {
			res.Status = st.Status
		}
	}
	return res
}

// QueueEntry is an uploaded offline sale as the manager sees it.
type QueueEntry struct {
	SaleID         uuid.UUID  `json:"sale_id"`
	BatchID        uuid.UUID  `json:"batch_id"`
	RegisterID     uuid.UUID  `json:"register_id"`
	CashierID      uuid.UUID  `json:"cashier_id"`
	CashierName    string     `json:"cashier_name" gorm:"-"`
	ReceiptNo      string     `json:"receipt_no"`
	SoldAt         time.Time  `json:"sold_at"`
	Total          int64      `json:"total"`
	Status         string     `json:"status"`
	Flags          []string   `json:"flags" gorm:"-"`
	FlagsJSON      string     `json:"-"`
	ReviewedBy     *uuid.UUID `json:"reviewed_by"`
	ReviewedByName string     `json:"reviewed_by_name" gorm:"-"`
	ReviewedAt     *time.Time `json:"reviewed_at"`
	UploadedAt     time.Time  `json:"uploaded_at"`
}

// OfflineQueue lists a store's uploaded offline sales, newest first:
// accepted, flagged (waiting for the manager) or reviewed.
func (s *Service) OfflineQueue(ctx context.Context, tenantID, storeID uuid.UUID, registerID *uuid.UUID, status string, limit int) ([]QueueEntry, error) {
	var out []QueueEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := `SELECT o.sale_id, o.batch_id, o.register_id, s.cashier_id, s.receipt_no, s.sold_at, s.total, o.status, to_json(o.flags)::text AS flags_json,
				o.reviewed_by, o.reviewed_at, b.uploaded_at
			FROM pos_offline_sales o
			JOIN pos_sales s ON s.tenant_id = o.tenant_id AND s.id = o.sale_id
			JOIN pos_offline_batches b ON b.tenant_id = o.tenant_id AND b.id = o.batch_id
			WHERE o.tenant_id = ? AND s.store_id = ?`
		args := []any{tenantID, storeID}
		if registerID != nil {
			q += ` AND o.register_id = ?`
			args = append(args, *registerID)
		}
		if status != "" {
			q += ` AND o.status = ?`
			args = append(args, status)
		}
		q += ` ORDER BY s.sold_at DESC LIMIT ?`
		if err := tenant.DB(ctx).Raw(q, append(args, limit)...).Scan(&out).Error; err != nil {
			return err
		}
		return users.FillNames(ctx, s.users, tenantID, out, func(e *QueueEntry) []users.NameField {
			return []users.NameField{{ID: &e.CashierID, Name: &e.CashierName}, {ID: e.ReviewedBy, Name: &e.ReviewedByName}}
		})
	})
	for i := range out {
		out[i].Flags = []string{}
		_ = json.Unmarshal([]byte(out[i].FlagsJSON), &out[i].Flags)
	}
	if out == nil {
		out = []QueueEntry{}
	}
	return out, err
}

// ReviewOffline marks a flagged offline sale reviewed by the manager.
func (s *Service) ReviewOffline(ctx context.Context, actor *tenant.Principal, storeID, saleID uuid.UUID) error {
	return s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		var n []struct{ SaleID uuid.UUID }
		if err := tenant.DB(ctx).Raw(`UPDATE pos_offline_sales o SET status = 'reviewed', reviewed_by = ?, reviewed_at = ?
			FROM pos_sales s WHERE o.tenant_id = ? AND o.sale_id = ? AND s.tenant_id = o.tenant_id AND s.id = o.sale_id AND s.store_id = ?
			AND o.status = 'flagged' RETURNING o.sale_id`, actor.UserID, s.clock.Now(), actor.TenantID, saleID, storeID).Scan(&n).Error; err != nil {
			return err
		}
		if len(n) == 0 {
			return ErrSaleNotFound.WithDetail("no flagged offline sale with this id in the store")
		}
		return nil
	})
}
