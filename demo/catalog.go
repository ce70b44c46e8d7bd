package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/web"
	"chainstore/modules/catalog"
)

// seedCatalog adds the demo chain's catalog through the service (runs
// inside the seed's transaction): the units and root categories every new
// chain starts with (catalog.SeedDefaults, idempotent, so it does not
// matter whether signup gave them already), a small category tree under
// them, brands, about twenty products with valid EAN-13 barcodes and HQ
// prices, a weighed product with a PLU, price bounds and a franchise
// store's own price.
func seedCatalog(ctx context.Context, d demo) error {
	svc := d.srv.Catalog
	a := d.admin
	if err := svc.SeedDefaults(ctx, a.TenantID); err != nil {
		return err
	}
	us, err := svc.ListUnits(ctx, a.TenantID)
	if err != nil {
		return err
	}
	units := map[string]uuid.UUID{}
	for _, u := range us {
		units[u.Code] = u.ID
	}
	roots, err := svc.ListCategories(ctx, a.TenantID, nil, true, web.Page{Limit: 100})
	if err != nil {
		return err
	}
	cats := map[string]uuid.UUID{}
	for _, c := range roots {
		cats[c.Code] = c.ID
	}
	for _, c := range []struct{ code, name, parent string }{
		{"FOOD", "食品", ""}, {"DRINK", "饮料", "FOOD"}, {"SNACK", "休闲零食", "FOOD"}, {"FRESH", "生鲜", ""}, {"FRUIT", "水果", "FRESH"}, {"DAILY", "日用百货", ""},
	} {
		if _, ok := cats[c.code]; ok {
			continue // a default root
		}
		in := catalog.CreateCategoryInput{Code: c.code, Name: c.name}
		if c.parent != "" {
			p := cats[c.parent]
			in.ParentID = &p
		}
		x, err := svc.CreateCategory(ctx, a, in)
		if err != nil {
			return fmt.Errorf("category %s: %w", c.code, err)
		}
		cats[c.code] = x.ID
	}
	brands := map[string]uuid.UUID{}
	for _, n := range []string{"农夫山泉", "可口可乐", "康师傅", "乐事", "伊利", "蓝月亮"} {
		x, err := svc.CreateBrand(ctx, a, catalog.BrandInput{Name: n})
		if err != nil {
			return fmt.Errorf("brand %s: %w", n, err)
		}
		brands[n] = x.ID
	}
	type item struct {
		code, name, cat, brand string
		list, member, cost     int64
		shelf                  int
	}
	items := []item{
		{"WATER-550", "农夫山泉 饮用天然水 550ml", "DRINK", "农夫山泉", 200, 180, 110, 365},
		{"WATER-1500", "农夫山泉 饮用天然水 1.5L", "DRINK", "农夫山泉", 400, 350, 220, 365},
		{"COLA-330", "可口可乐 330ml 罐装", "DRINK", "可口可乐", 350, 300, 190, 365},
		{"COLA-500", "可口可乐 500ml 瓶装", "DRINK", "可口可乐", 400, 350, 230, 365},
		{"SPRITE-500", "雪碧 500ml", "DRINK", "可口可乐", 400, 350, 230, 365},
		{"MILK-250", "伊利 纯牛奶 250ml", "DRINK", "伊利", 350, 320, 240, 180},
		{"YOGURT-200", "伊利 安慕希 酸奶 200g", "DRINK", "伊利", 650, 600, 420, 150},
		{"NOODLE-BEEF", "康师傅 红烧牛肉面 袋装", "FOOD", "康师傅", 450, 400, 280, 180},
		{"NOODLE-CUP", "康师傅 红烧牛肉面 桶装", "FOOD", "康师傅", 550, 500, 350, 180},
		{"ICETEA-500", "康师傅 冰红茶 500ml", "DRINK", "康师傅", 350, 300, 200, 270},
		{"CHIPS-70", "乐事 薯片 原味 70g", "SNACK", "乐事", 750, 690, 480, 270},
		{"CHIPS-CUC", "乐事 薯片 黄瓜味 70g", "SNACK", "乐事", 750, 690, 480, 270},
		{"RICE-5KG", "东北大米 5kg", "FOOD", "", 4990, 4690, 3600, 365},
		{"OIL-5L", "花生油 5L", "FOOD", "", 12900, 11900, 9800, 540},
		{"EGGS-10", "鲜鸡蛋 10 枚", "FRESH", "", 1290, 1190, 900, 30},
		{"TISSUE-10", "抽纸 3 层 10 包", "DAILY", "", 2990, 2790, 1900, 0},
		{"DETERGENT-2KG", "蓝月亮 洗衣液 2kg", "DAILY", "蓝月亮", 3990, 3690, 2600, 0},
		{"HANDWASH-500", "蓝月亮 洗手液 500g", "DAILY", "蓝月亮", 1990, 1790, 1200, 0},
		{"BATTERY-AA4", "碱性电池 5 号 4 粒", "DAILY", "", 1590, 1490, 900, 0},
	}
	var milk uuid.UUID
	for i, it := range items {
		body := fmt.Sprintf("6901234%05d", 100+i)
		list, member, cost := it.list, it.member, it.cost
		in := catalog.CreateProductInput{Code: "P-" + it.code, Name: it.name, CategoryID: cats[it.cat], UnitID: units["ge"],
			SKUs: []catalog.CreateSKUInput{{Code: it.code, Name: it.name, Barcodes: []string{body + string(catalog.CheckDigit(body))},
				Prices: &catalog.OpeningPrices{List: &list, Member: &member, Cost: &cost}}}}
		if it.brand != "" {
			b := brands[it.brand]
			in.BrandID = &b
		}
		if it.shelf > 0 {
			s := it.shelf
			in.ShelfLifeDays = &s
		}
		p, err := svc.CreateProduct(ctx, a, in)
		if err != nil {
			return fmt.Errorf("product %s: %w", it.code, err)
		}
		if it.code == "MILK-250" {
			milk = p.SKUs[0].ID
		}
	}
	// Weighed goods: sold by the gram, scanned from the scale's barcode
	// 2 + PLU 001001 + grams + check.
	apples, bananas := int64(1290), int64(699)
	for _, w := range []struct {
		code, name, plu string
		price           *int64
	}{{"APPLE-FUJI", "红富士苹果 散装", "1001", &apples}, {"BANANA", "香蕉 散装", "1002", &bananas}} {
		plu := w.plu
		if _, err := svc.CreateProduct(ctx, a, catalog.CreateProductInput{Code: "P-" + w.code, Name: w.name, CategoryID: cats["FRUIT"],
			UnitID: units["kg"], Weighed: true, TaxRateBP: catalogIntPtr(900), ShelfLifeDays: catalogIntPtr(7),
			SKUs: []catalog.CreateSKUInput{{Code: w.code, Name: w.name, PLU: &plu, Prices: &catalog.OpeningPrices{List: w.price}}}}); err != nil {
			return fmt.Errorf("weighed product %s: %w", w.code, err)
		}
	}
	// The franchise store HZ001 sells milk at its own price, within HQ's
	// bounds; HQ schedules a price rise for next week.
	if _, err := svc.SetBounds(ctx, a, milk, catalog.PriceBoundsInput{MinAmount: 320, MaxAmount: 400}); err != nil {
		return err
	}
	own, rise := int64(380), int64(380)
	hz := d.stores["HZ001"]
	if _, err := svc.SetPrice(ctx, a, milk, catalog.SetPriceInput{Kind: catalog.PriceList, Amount: &own, StoreID: &hz}); err != nil {
		return fmt.Errorf("store price: %w", err)
	}
	next := time.Now().UTC().Add(7 * 24 * time.Hour).Truncate(time.Hour)
	if _, err := svc.SetPrice(ctx, a, milk, catalog.SetPriceInput{Kind: catalog.PriceList, Amount: &rise, EffectiveFrom: &next}); err != nil {
		return fmt.Errorf("scheduled price: %w", err)
	}
	return nil
}

func catalogIntPtr(v int) *int { return &v }
