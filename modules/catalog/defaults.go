package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"chainstore/tenant"
)

// defaultUnits are the units a new chain starts with: what a Chinese
// supermarket sells by. Count units hold quantities in thousandths of a
// piece; kg is the weight unit, its quantities in grams (what scales
// print). 斤 and 克 are not among them: a unit has no size yet, and a
// weight unit's quantity is read as grams of a kilogram price, so a
// price per 斤 would be charged wrong from a weight label. The chain adds
// its own units afterwards.
var defaultUnits = []UnitInput{
	{Code: "ge", Name: "个", Kind: "count"},
	{Code: "jian", Name: "件", Kind: "count"},
	{Code: "ping", Name: "瓶", Kind: "count"},
	{Code: "he", Name: "盒", Kind: "count"},
	{Code: "xiang", Name: "箱", Kind: "count"},
	{Code: "dai", Name: "袋", Kind: "count"},
	{Code: "bao", Name: "包", Kind: "count"},
	{Code: "guan", Name: "罐", Kind: "count"},
	{Code: "zhi", Name: "支", Kind: "count"},
	{Code: "tiao", Name: "条", Kind: "count"},
	{Code: "shuang", Name: "双", Kind: "count"},
	{Code: "tao", Name: "套", Kind: "count"},
	{Code: "ting", Name: "听", Kind: "count"},
	{Code: "ti", Name: "提", Kind: "count"},
	{Code: "kg", Name: "千克", Kind: "weight"},
}

// defaultCategories are the root categories a new chain starts with: a
// product needs a category, so without one a chain could not create its
// first product. The chain renames them, files others under them or adds
// its own roots.
var defaultCategories = []CreateCategoryInput{
	{Code: "FOOD", Name: "食品"},
	{Code: "DAILY", Name: "日用百货"},
}

// SeedDefaults gives a chain the units a Chinese supermarket sells by (个
// 件 瓶 盒 箱 袋 包 罐 支 条 双 套 听 提, codes in pinyin, and 千克 kg) and
// two root categories (食品 FOOD, 日用百货 DAILY), so its first product can
// be created with no other setup; signup runs it inside the new chain's
// transaction (auth.Options.AfterSignup). It is idempotent: a unit or
// category whose code the chain already has is left as it is (renamed, or
// the chain's own), and a second run changes nothing. Two statements,
// whatever the lists hold.
func (s *Service) SeedDefaults(ctx context.Context, tenantID uuid.UUID) error {
	type row struct {
		ID   uuid.UUID `json:"id"`
		Code string    `json:"code"`
		Name string    `json:"name"`
		Kind string    `json:"kind,omitempty"`
	}
	units := make([]row, len(defaultUnits))
	for i, u := range defaultUnits {
		units[i] = row{uuid.Must(uuid.NewV7()), u.Code, u.Name, u.Kind}
	}
	cats := make([]row, len(defaultCategories))
	for i, c := range defaultCategories {
		cats[i] = row{ID: uuid.Must(uuid.NewV7()), Code: c.Code, Name: c.Name}
	}
	uj, err := json.Marshal(units)
	if err != nil {
		return err
	}
	cj, err := json.Marshal(cats)
	if err != nil {
		return err
	}
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := db.Exec(`INSERT INTO units (tenant_id, id, code, name, kind)
			SELECT ?, u.id, u.code, u.name, u.kind FROM jsonb_to_recordset(?::jsonb) AS u(id uuid, code text, name text, kind text)
			ON CONFLICT (tenant_id, code) DO NOTHING`, tenantID, string(uj)).Error; err != nil {
			return fmt.Errorf("catalog: default units: %w", err)
		}
		if err := db.Exec(`INSERT INTO categories (tenant_id, id, parent_id, code, name, path)
			SELECT ?, c.id, NULL, c.code, c.name, ARRAY[c.id] FROM jsonb_to_recordset(?::jsonb) AS c(id uuid, code text, name text)
			ON CONFLICT (tenant_id, code) DO NOTHING`, tenantID, string(cj)).Error; err != nil {
			return fmt.Errorf("catalog: default categories: %w", err)
		}
		return nil
	})
}
