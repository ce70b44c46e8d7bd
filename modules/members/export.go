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
// larger chain exports by store, tier or tag.
const MaxExportRows = 100_000

// maxExportRows is MaxExportRows, lowered by a test to reach the limit.
var maxExportRows = MaxExportRows

// exportPage is how many members one query of an export reads.
const exportPage = 2000

// ExportHeader names the columns of a member-list export. The first eight
// are the import's, so a file re-imports as it is; money is in yuan.
var ExportHeader = []string{"phone", "name", "gender", "birthday", "address", "tags", "marketing_consent", "card_number",
	"member_id", "tier", "points", "balance_principal", "balance_bonus", "total_spend", "visit_count", "last_visit_at",
	"register_store_code", "channel", "status", "created_at"}

// ExportList returns the members matching f in full, as spreadsheet rows
// in ExportHeader's order, for a chain that takes its data elsewhere (a
// canceled subscription keeps this, as every read). It is audited once,
// with the filter and the count. More than MaxExportRows matching is
// ErrExportTooLarge, and nothing is read.
func (s *Service) ExportList(ctx context.Context, tenantID uuid.UUID, f Filter) ([][]string, error) {
	var out [][]string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		where, args := s.filterWhere(tenantID, f)
		cond := strings.Join(where, " AND ")
		var n int64
		if err := db.Raw(`SELECT count(*) FROM members m WHERE `+cond, args...).Scan(&n).Error; err != nil {
			return fmt.Errorf("members: export count: %w", err)
		}
		if n > int64(maxExportRows) {
			return ErrExportTooLarge.WithDetail("%d members match; at most %d go in one file: filter by store, tier or tag", n, maxExportRows)
		}
		var stores []struct {
			ID   uuid.UUID
			Code string
		}
		if err := db.Raw(`SELECT id, code FROM stores WHERE tenant_id = ?`, tenantID).Scan(&stores).Error; err != nil {
			return fmt.Errorf("members: export stores: %w", err)
		}
		storeCode := make(map[uuid.UUID]string, len(stores))
		for _, st := range stores {
			storeCode[st.ID] = st.Code
		}
		out = make([][]string, 0, n)
		cursor := uuid.Nil
		for {
			var rows []snapshotRow
			q := snapshotSelect + "WHERE " + cond + " AND m.id > ? ORDER BY m.id LIMIT " + strconv.Itoa(exportPage)
			if err := db.Raw(q, append(args, cursor)...).Scan(&rows).Error; err != nil {
				return fmt.Errorf("members: export: %w", err)
			}
			for _, r := range rows {
				m, err := s.render(tenantID, r.snapshot(), true)
				if err != nil {
					return err
				}
				out = append(out, exportRow(m, storeCode))
			}
			if len(rows) < exportPage {
				break
			}
			cursor = rows[len(rows)-1].ID
		}
		return audit.Record(ctx, audit.Entry{Action: "member.export_list", ObjectType: "member", ObjectID: "list",
			Detail: map[string]any{"filter": f, "members": len(out)}})
	})
	return out, err
}

func exportRow(m Member, storeCode map[uuid.UUID]string) []string {
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
	var card, tier, store, lastVisit string
	if m.Card != nil {
		card = m.Card.Number
	}
	if m.Tier != nil {
		tier = m.Tier.Name
	}
	if m.RegisterStoreID != nil {
		store = storeCode[*m.RegisterStoreID]
	}
	if m.LastVisitAt != nil {
		lastVisit = m.LastVisitAt.UTC().Format(time.RFC3339)
	}
	return []string{m.Phone, m.Name, m.Gender, str(m.Birthday), str(m.Address), strings.Join(m.Tags, ";"), consent, card,
		m.ID.String(), tier, strconv.FormatInt(m.Points, 10), money.FormatYuan(m.BalancePrincipal), money.FormatYuan(m.BalanceBonus),
		money.FormatYuan(m.TotalSpend), strconv.Itoa(m.VisitCount), lastVisit, store, m.Channel, m.Status,
		m.CreatedAt.UTC().Format(time.RFC3339)}
}
