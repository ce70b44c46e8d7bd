package demo

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"chainstore/infra/web"
	"chainstore/modules/members"
	"chainstore/modules/promotions"
)

// seedPromotions adds the demo chain's promotions (inside the seed's
// transaction, through the service, after catalog and members): the
// franchise rules (franchisees may run their own up to 15% off, and opt
// out of unforced HQ promotions), 满100减20 across the chain, 第二件半价 on
// drinks, 金卡会员95折 for the gold tier, a 满50减10 coupon batch issued to
// the first members, and a printed 9折 coupon batch with 20 codes.
func seedPromotions(ctx context.Context, d demo) error {
	svc, a := d.srv.Promotions, d.admin
	yes, maxOff := true, 1500
	if _, err := svc.PutSettings(ctx, a, promotions.SettingsInput{FranchisePromotions: &yes, FranchiseMaxOffBP: &maxOff, FranchiseOptOut: &yes}); err != nil {
		return fmt.Errorf("promotion settings: %w", err)
	}
	cats, err := d.srv.Catalog.ListCategories(ctx, a.TenantID, nil, false, web.Page{Limit: 200})
	if err != nil {
		return err
	}
	var drinks uuid.UUID
	for _, c := range cats {
		if c.Code == "DRINK" {
			drinks = c.ID
		}
	}
	tiers, err := d.srv.Members.ListTiers(ctx, a.TenantID)
	if err != nil {
		return err
	}
	var gold uuid.UUID
	for _, t := range tiers {
		if t.Code == "gold" {
			gold = t.ID
		}
	}
	budget, limit := int64(5_000_000), 3
	promos := []promotions.PromotionInput{
		{Name: "全场满100减20", NameEn: "¥20 off every ¥100", Kind: promotions.KindSpendAmountOff, Priority: 10, Group: "order",
			Rule: promotions.Rule{Steps: []promotions.Step{{Threshold: 10000, Off: 2000}}}, Budget: &budget},
		{Name: "饮料第二件半价", NameEn: "Second drink half price", Kind: promotions.KindNthItem, Priority: 20,
			Items: promotions.Items{Categories: []uuid.UUID{drinks}}, Rule: promotions.Rule{N: 2, OffBP: 5000}},
		{Name: "金卡会员95折", NameEn: "Gold members 5% off", Kind: promotions.KindTierDiscount, Priority: 5,
			Audience: promotions.Audience{Tiers: []uuid.UUID{gold}}, Rule: promotions.Rule{OffBP: 500}, PerMemberLimit: &limit,
			Stores: promotions.Stores{Scope: promotions.StoresDirect}},
	}
	for _, in := range promos {
		if drinks == uuid.Nil && len(in.Items.Categories) > 0 || gold == uuid.Nil && len(in.Audience.Tiers) > 0 {
			continue // a demo without the catalog or tiers
		}
		p, err := svc.Create(ctx, a, in)
		if err != nil {
			return fmt.Errorf("promotion %s: %w", in.Name, err)
		}
		if _, err := svc.SetStatus(ctx, a, p.ID, promotions.ActionActivate); err != nil {
			return fmt.Errorf("activate %s: %w", in.Name, err)
		}
	}
	days := 30
	batch, err := svc.CreateBatch(ctx, a, promotions.BatchInput{Name: "满50减10券", NameEn: "¥10 off ¥50", Kind: promotions.KindCouponAmount,
		IssueMode: promotions.IssueMember, Quantity: 1000, Rule: promotions.Rule{Amount: 1000, Threshold: 5000}, ValidDays: &days})
	if err != nil {
		return fmt.Errorf("coupon batch: %w", err)
	}
	ms, err := d.srv.Members.List(ctx, a.TenantID, members.Filter{}, web.Page{Limit: 5}, false)
	if err != nil {
		return err
	}
	ms = ms[:min(len(ms), 5)] // a page is fetched with one row more
	if len(ms) > 0 {
		ids := make([]uuid.UUID, len(ms))
		for i, m := range ms {
			ids[i] = m.ID
		}
		if _, err := svc.Issue(ctx, a, batch.ID, promotions.IssueInput{MemberIDs: ids}); err != nil {
			return fmt.Errorf("issue coupons: %w", err)
		}
	}
	printed, err := svc.CreateBatch(ctx, a, promotions.BatchInput{Name: "开业9折券", NameEn: "Opening 10% off", Kind: promotions.KindCouponPercent,
		IssueMode: promotions.IssuePrinted, Quantity: 200, Rule: promotions.Rule{OffBP: 1000, MaxOff: 3000}, ValidDays: &days})
	if err != nil {
		return fmt.Errorf("printed batch: %w", err)
	}
	if _, err := svc.GenerateCodes(ctx, a, printed.ID, promotions.CodesInput{Count: 20}); err != nil {
		return fmt.Errorf("printed codes: %w", err)
	}
	return nil
}
