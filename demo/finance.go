package demo

import (
	"context"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/modules/finance"
)

// seedFinance opens the demo chain's books (HQ and the franchisee), sets a
// 5% royalty with a ¥300 minimum, and posts what no other module's seed
// does yet (purchasing comes later): a goods receipt into HQ's warehouse.
// Store stock receipts and till sales are posted by the
// inventory seed, top-ups by the members seed.
func seedFinance(ctx context.Context, d demo) error {
	fin, tid := d.srv.Finance, d.admin.TenantID
	if err := fin.EnsureEntities(ctx, tid); err != nil {
		return err
	}
	rate := 500
	if _, err := fin.SetRoyalty(ctx, d.admin, finance.RoyaltyInput{RateBP: &rate, MinimumFee: 30000}); err != nil {
		return err
	}
	today, err := d.srv.Org.BusinessDate(ctx, tid, nil, d.srv.Clock.Now()) // HQ's warehouse: the chain's day
	if err != nil {
		return err
	}
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	if _, err := fin.PostGoodsReceipt(ctx, tid, finance.GoodsReceiptEvent{Source: doc.Of("goods_receipt", id()), BusinessDate: today, Net: 5000000, InputVAT: 650000}); err != nil {
		return err
	}
	return nil
}
