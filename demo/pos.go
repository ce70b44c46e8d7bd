package demo

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"chainstore/modules/pos"
	"chainstore/tenant"
)

// seedPOS gives each store a registered till (收银机 T01) and a day of its
// takings: a shift opened with a ¥500 float, a dozen sales of two to four
// items at the prices and promotions in force (every third to a member,
// found by phone), and the shift closed on an exact blind count — so the
// dashboard, the sales list, the shift report and the day-end have
// something to show, and stock, points and the books move as a real day's.
// The till's device credential is not kept: a till in the console registers
// itself. Sold as the chain's admin, who may sell in every store.
func seedPOS(ctx context.Context, d demo) error {
	svc, a := d.srv.POS, d.admin
	var skus []uuid.UUID
	if err := tenant.DB(ctx).Raw(`SELECT s.id FROM skus s JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
		WHERE s.tenant_id = ? AND s.status = 'active' AND NOT p.weighed ORDER BY s.code`, a.TenantID).Scan(&skus).Error; err != nil {
		return err
	}
	if len(skus) < 4 {
		return nil
	}
	codes := make([]string, 0, len(d.stores))
	for code := range d.stores {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for si, code := range codes {
		store := d.stores[code]
		reg, err := svc.RegisterTill(ctx, a, store, pos.RegisterInput{Code: "T01", Name: "一号收银台", OfflineAllowed: true})
		if err != nil {
			return fmt.Errorf("till of %s: %w", code, err)
		}
		till, err := svc.Till(ctx, a.TenantID, store, reg.DeviceToken)
		if err != nil {
			return err
		}
		const float = 50_000
		if _, err := svc.OpenShift(ctx, a, till, pos.OpenShiftInput{OpeningFloat: float}); err != nil {
			return fmt.Errorf("shift in %s: %w", code, err)
		}
		cash := int64(0)
		for n := 0; n < 12; n++ {
			cart := pos.CartInput{}
			for k := 0; k < 2+(n+si)%3; k++ {
				id := skus[(n*5+k*3+si*7)%len(skus)]
				cart.Lines = append(cart.Lines, pos.LineInput{SKUID: &id, Qty: int64(1+(n+k)%3) * 1000})
			}
			if n%3 == 0 {
				cart.Member = &pos.MemberRef{Phone: fmt.Sprintf("1380000%04d", 1+(n/3+si)%10)}
			}
			priced, err := svc.PriceCart(ctx, a, store, cart)
			if err != nil {
				return fmt.Errorf("demo cart in %s: %w", code, err)
			}
			tender := pos.TenderInput{Method: "cash", Amount: priced.Payable, Tendered: (priced.Payable/10_000 + 1) * 10_000}
			if _, err := svc.Sell(ctx, a, till, pos.SaleInput{ID: uuid.Must(uuid.NewV7()), CartInput: cart, Tenders: []pos.TenderInput{tender}}); err != nil {
				return fmt.Errorf("demo sale in %s: %w", code, err)
			}
			cash += priced.Payable
		}
		if _, err := svc.CloseShift(ctx, a, till, pos.CloseShiftInput{Counts: []pos.CountInput{{Method: "cash", Counted: float + cash}}, Note: "演示日结"}); err != nil {
			return fmt.Errorf("close the shift in %s: %w", code, err)
		}
	}
	return nil
}
