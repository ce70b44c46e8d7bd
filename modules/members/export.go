package members

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// MaxExportRows bounds one member-list export, which is built in memory; a
// larger chain exports by store, tier or tag. (An import takes
// MaxImportRows a file, so a larger export re-imports in parts.)
const MaxExportRows = 100_000

// maxExportRows is MaxExportRows, lowered by a test to reach the limit.
var maxExportRows = MaxExportRows

// ExportHeader names the columns of a member-list export. The first eight
// are the import's, so a file re-imports as it is; money is in yuan, times
// in the chain's time zone.
var ExportHeader = []string{"phone", "name", "gender", "birthday", "address", "tags", "marketing_consent", "card_number",
	"card_status", "member_id", "tier", "points", "balance_principal", "balance_bonus", "total_spend", "visit_count",
	"last_visit_at", "register_store_code", "channel", "status", "merged_into", "created_at"}

// ExportList returns the members matching f in full, as spreadsheet rows
// in ExportHeader's order, for a chain that takes its data elsewhere (a
// canceled subscription keeps this, as every read). One query reads them,
// so the file is one consistent moment (no merge half in, half out). It is
// audited once, with the filter (the phone masked) and the count. More
// than MaxExportRows matching is ErrExportTooLarge, and nothing is read.
func (s *Service) ExportList(ctx context.Context, tenantID uuid.UUID, f Filter) ([][]string, error) {
	var out [][]string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var n int64
		if err := s.filtered(db, tenantID, f).Count(&n).Error; err != nil {
			return fmt.Errorf("members: export count: %w", err)
		}
		if n > int64(maxExportRows) {
			return ErrExportTooLarge.WithDetail("%d members match; at most %d go in one file: filter by store, tier or tag", n, maxExportRows)
		}
		loc, err := s.org.ChainLocation(ctx, tenantID)
		if err != nil {
			return err
		}
		var rows []snapshotRow
		if err := snapshots(s.filtered(db, tenantID, f)).Scan(&rows).Error; err != nil {
			return fmt.Errorf("members: export: %w", err)
		}
		storeCode, err := s.storeCodes(ctx, tenantID, rows)
		if err != nil {
			return err
		}
		out = make([][]string, 0, len(rows))
		for _, r := range rows {
			m, err := s.render(tenantID, r.snapshot(), true)
			if err != nil {
				return err
			}
			out = append(out, exportRow(m, storeCode, loc))
		}
		return audit.Record(ctx, audit.Entry{Action: "member.export_list", ObjectType: "member", ObjectID: "list",
			Detail: map[string]any{"filter": f.audited(), "members": len(out)}})
	})
	return out, err
}

// storeCodes are the codes of the stores the members registered at.
func (s *Service) storeCodes(ctx context.Context, tenantID uuid.UUID, rows []snapshotRow) (map[uuid.UUID]string, error) {
	var ids []uuid.UUID
	seen := map[uuid.UUID]bool{}
	for _, r := range rows {
		if r.RegisterStoreID != nil && !seen[*r.RegisterStoreID] {
			seen[*r.RegisterStoreID] = true
			ids = append(ids, *r.RegisterStoreID)
		}
	}
	out := make(map[uuid.UUID]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	facts, err := s.org.Stores(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	for id, f := range facts {
		out[id] = f.Code
	}
	return out, nil
}

// audited is the filter as the audit log keeps it: a phone is personal
// data (and would outlive the member's erasure there), so only its use is
// recorded.
func (f Filter) audited() map[string]any {
	out := map[string]any{"status": f.Status, "tag": f.Tag, "phone": f.Phone != "", "card": f.Card != ""}
	if f.TierID != nil {
		out["tier_id"] = *f.TierID
	}
	if f.StoreID != nil {
		out["store_id"] = *f.StoreID
	}
	if f.MinSpend != nil {
		out["min_spend"] = *f.MinSpend
	}
	if f.MaxSpend != nil {
		out["max_spend"] = *f.MaxSpend
	}
	if f.VisitedAfter != nil {
		out["visited_after"] = *f.VisitedAfter
	}
	if f.VisitedBefore != nil {
		out["visited_before"] = *f.VisitedBefore
	}
	return out
}

const exportTime = "2006-01-02 15:04:05"

func exportRow(m Member, storeCode map[uuid.UUID]string, loc *time.Location) []string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	consent := "否"
	if m.MarketingConsent {
		consent = "是"
	}
	var card, cardStatus, tier, store, lastVisit, mergedInto string
	if m.Card != nil {
		card, cardStatus = m.Card.Number, m.Card.Status
	}
	if m.MergedInto != nil {
		mergedInto = m.MergedInto.String()
	}
	if m.Tier != nil {
		tier = m.Tier.Name
	}
	if m.RegisterStoreID != nil {
		store = storeCode[*m.RegisterStoreID]
	}
	if m.LastVisitAt != nil {
		lastVisit = m.LastVisitAt.In(loc).Format(exportTime)
	}
	return []string{m.Phone, m.Name, m.Gender, str(m.Birthday), str(m.Address), strings.Join(m.Tags, ";"), consent, card, cardStatus,
		m.ID.String(), tier, strconv.FormatInt(m.Points, 10), money.FormatYuan(m.BalancePrincipal), money.FormatYuan(m.BalanceBonus),
		money.FormatYuan(m.TotalSpend), strconv.Itoa(m.VisitCount), lastVisit, store, m.Channel, m.Status, mergedInto,
		m.CreatedAt.In(loc).Format(exportTime)}
}
