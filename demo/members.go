package demo

import (
	"context"
	"fmt"

	"chainstore/infra/doc"
	"chainstore/modules/members"
)

// seedMembers adds the demo chain's members data (runs inside the seed's
// transaction, through the services): tiers 普通/银卡/金卡, the points rule,
// the 充100送10 top-up rule, a gift, and 20 members with cards, points and
// balances spread over the direct and franchise stores.
func seedMembers(ctx context.Context, d demo) error {
	svc, tid := d.srv.Members, d.admin.TenantID
	coupon := "BIRTHDAY20"
	for _, t := range []members.TierInput{
		{Code: "normal", Name: "普通会员", Rank: 0, Basis: "spend", Threshold: 0, PointsMultiplier: 100},
		{Code: "silver", Name: "银卡会员", Rank: 1, Basis: "spend", Threshold: 200000, WindowDays: 365, DiscountBP: 200, PointsMultiplier: 120, BirthdayPoints: 200},
		{Code: "gold", Name: "金卡会员", Rank: 2, Basis: "spend", Threshold: 1000000, WindowDays: 365, DiscountBP: 500, PointsMultiplier: 150,
			BirthdayPoints: 500, BirthdayCoupon: &coupon, MemberPrice: true},
	} {
		if _, err := svc.CreateTier(ctx, tid, t); err != nil {
			return fmt.Errorf("tier %s: %w", t.Code, err)
		}
	}
	if _, err := svc.SetPointsRule(ctx, tid, members.PointsRuleInput{PointsPerYuan: 1, Expiry: "end_of_next_year", PointsPerYuanOff: 100}); err != nil {
		return err
	}
	if _, err := svc.CreateTopupRule(ctx, tid, members.TopupRuleInput{Name: "充100送10", MinAmount: 10000, Bonus: 1000}); err != nil {
		return err
	}
	if _, err := svc.CreateTopupRule(ctx, tid, members.TopupRuleInput{Name: "充500送80", MinAmount: 50000, Bonus: 8000}); err != nil {
		return err
	}
	stock := 100
	if _, err := svc.CreateGift(ctx, tid, members.GiftInput{Name: "环保购物袋", PointsCost: 300, Stock: &stock}); err != nil {
		return err
	}
	names := []string{"王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄强", "周杰", "吴芳",
		"徐涛", "孙燕", "马超", "朱婷", "胡军", "郭霞", "何平", "林琳", "高峰", "罗敏"}
	codes := []string{"SH001", "SH002", "HZ001", "HZ002"}
	for i, name := range names {
		store := d.stores[codes[i%len(codes)]]
		m, err := svc.Create(ctx, tid, members.CreateInput{Name: name, Phone: fmt.Sprintf("1380000%04d", i+1), Gender: []string{"male", "female"}[i%2],
			Birthday: fmt.Sprintf("19%02d-%02d-%02d", 70+i, i%12+1, i%28+1), Address: "上海市", MarketingConsent: i%3 != 0,
			Tags: []string{[]string{"常客", "生鲜", "母婴", "夜宵"}[i%4]}, RegisterStoreID: &store, Channel: "store"}, false)
		if err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		spend := int64((i + 1) * 15000)
		if _, err := svc.EarnPoints(ctx, tid, members.EarnInput{MemberID: m.ID, StoreID: store, Source: doc.Of("seed_sale", m.ID),
			Lines: []members.EarnLine{{Amount: spend}}}); err != nil {
			return err
		}
		if i%2 == 0 {
			if _, err := svc.TopUp(ctx, tid, m.ID, &store, int64(10000*(1+i%5)), "cash", doc.Of("seed_topup", m.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}
