package catalog

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Category is a node of the chain's category tree.
type Category struct {
	ID        uuid.UUID  `json:"id"`
	ParentID  *uuid.UUID `json:"parent_id"`
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Depth     int        `json:"depth"` // 1 for a root
	SortOrder int        `json:"sort_order"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

const categoryColumns = `id, parent_id, code, name, cardinality(path) AS depth, sort_order, created_at, updated_at`

// CreateCategoryInput adds a category under ParentID (a root when nil).
type CreateCategoryInput struct {
	Code      string     `json:"code" validate:"required,max=32,catcode"`
	Name      string     `json:"name" validate:"required,min=1,max=100,text"`
	ParentID  *uuid.UUID `json:"parent_id"`
	SortOrder int        `json:"sort_order" validate:"min=-100000,max=100000"`
}

// UpdateCategoryInput changes a category; nil fields stay. MoveToRoot
// moves it to the top level; ParentID moves it (with its subtree) under
// another category.
type UpdateCategoryInput struct {
	Code       *string    `json:"code" validate:"omitnil,max=32,catcode"`
	Name       *string    `json:"name" validate:"omitnil,min=1,max=100,text"`
	ParentID   *uuid.UUID `json:"parent_id"`
	MoveToRoot bool       `json:"move_to_root"`
	SortOrder  *int       `json:"sort_order" validate:"omitnil,min=-100000,max=100000"`
}

// Brand is a product brand.
type Brand struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// BrandInput names a brand.
type BrandInput struct {
	Name string `json:"name" validate:"required,min=1,max=100,text"`
}

// Unit is a unit of sale: count (thousandths of a piece) or weight (grams).
type Unit struct {
	ID        uuid.UUID `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

// UnitInput adds a unit.
type UnitInput struct {
	Code string `json:"code" validate:"required,max=16,unitcode"`
	Name string `json:"name" validate:"required,min=1,max=50,text"`
	Kind string `json:"kind" validate:"required,oneof=count weight"`
}

// Specs are a SKU's specification attributes (size, flavour ...).
type Specs map[string]string

// Scan reads jsonb; NULL is no specs.
func (s *Specs) Scan(src any) error {
	out := Specs{}
	if err := scanJSON(src, &out); err != nil {
		return fmt.Errorf("catalog: specs: %w", err)
	}
	*s = out
	return nil
}

// Value writes jsonb.
func (s Specs) Value() (driver.Value, error) {
	if s == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(s))
	return string(b), err
}

// Product is what the chain sells, in one or more SKUs.
type Product struct {
	ID            uuid.UUID  `json:"id"`
	Code          string     `json:"code"`
	Name          string     `json:"name"`
	CategoryID    uuid.UUID  `json:"category_id"`
	BrandID       *uuid.UUID `json:"brand_id"`
	UnitID        uuid.UUID  `json:"unit_id"`
	TaxRateBP     int        `json:"tax_rate_bp"`
	ShelfLifeDays *int       `json:"shelf_life_days"`
	Weighed       bool       `json:"weighed"`
	Status        string     `json:"status"`
	Description   string     `json:"description"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	SKUs          []SKU      `json:"skus" gorm:"-"`
}

const productColumns = `id, code, name, category_id, brand_id, unit_id, tax_rate_bp, shelf_life_days, weighed, status, description, created_at, updated_at`

// SKU is one sellable specification of a product.
type SKU struct {
	ID        uuid.UUID `json:"id"`
	ProductID uuid.UUID `json:"product_id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Specs     Specs     `json:"specs"`
	Status    string    `json:"status"`
	PLU       *string   `json:"plu"`
	Barcodes  []Barcode `json:"barcodes" gorm:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Price is HQ's price in force now, only in a product list asked
	// with=prices (Cost nil for callers who may not see costs).
	Price *Price `json:"price,omitempty" gorm:"-"`
}

const skuColumns = `id, product_id, code, name, specs, status, plu, created_at, updated_at`

// Barcode is one code that names a SKU.
type Barcode struct {
	Barcode string `json:"barcode"`
	Kind    string `json:"kind"`
}

// CreateProductInput creates a product with its SKUs (and their barcodes
// and opening HQ prices) in one go.
type CreateProductInput struct {
	Code          string           `json:"code" validate:"required,max=40,itemcode"`
	Name          string           `json:"name" validate:"required,min=1,max=200,text"`
	CategoryID    uuid.UUID        `json:"category_id" validate:"required"`
	BrandID       *uuid.UUID       `json:"brand_id"`
	UnitID        uuid.UUID        `json:"unit_id" validate:"required"`
	TaxRateBP     *int             `json:"tax_rate_bp" validate:"omitnil,min=0,max=10000"`
	ShelfLifeDays *int             `json:"shelf_life_days" validate:"omitnil,min=1,max=36500"`
	Weighed       bool             `json:"weighed"`
	Description   string           `json:"description" validate:"max=2000,text"`
	SKUs          []CreateSKUInput `json:"skus" validate:"required,min=1,max=100,dive"`
}

// CreateSKUInput is one SKU of a new product, or a SKU added to one.
type CreateSKUInput struct {
	Code     string            `json:"code" validate:"required,max=40,itemcode"`
	Name     string            `json:"name" validate:"required,min=1,max=200,text"`
	Specs    map[string]string `json:"specs" validate:"max=20,dive,keys,min=1,max=40,text,endkeys,max=100,text"`
	PLU      *string           `json:"plu" validate:"omitnil,numeric,min=1,max=6"`
	Barcodes []string          `json:"barcodes" validate:"max=20"`
	Prices   *OpeningPrices    `json:"prices"`
}

// OpeningPrices are HQ prices of a new SKU, in force at once.
type OpeningPrices struct {
	List   *int64 `json:"list" validate:"omitnil,min=0,max=100000000000"`
	Member *int64 `json:"member" validate:"omitnil,min=0,max=100000000000"`
	Cost   *int64 `json:"cost" validate:"omitnil,min=0,max=100000000000"`
}

// UpdateProductInput changes a product; nil fields stay. Discontinuing a
// product takes every SKU off the tills.
type UpdateProductInput struct {
	Code          *string    `json:"code" validate:"omitnil,max=40,itemcode"`
	Name          *string    `json:"name" validate:"omitnil,min=1,max=200,text"`
	CategoryID    *uuid.UUID `json:"category_id"`
	BrandID       *uuid.UUID `json:"brand_id"`
	ClearBrand    bool       `json:"clear_brand"`
	UnitID        *uuid.UUID `json:"unit_id"`
	TaxRateBP     *int       `json:"tax_rate_bp" validate:"omitnil,min=0,max=10000"`
	ShelfLifeDays *int       `json:"shelf_life_days" validate:"omitnil,min=1,max=36500"`
	Weighed       *bool      `json:"weighed"`
	Status        *string    `json:"status" validate:"omitnil,oneof=active discontinued"`
	Description   *string    `json:"description" validate:"omitnil,max=2000,text"`
}

// UpdateSKUInput changes a SKU; nil fields stay.
type UpdateSKUInput struct {
	Name     *string            `json:"name" validate:"omitnil,min=1,max=200,text"`
	Specs    *map[string]string `json:"specs" validate:"omitnil,max=20,dive,keys,min=1,max=40,text,endkeys,max=100,text"`
	Status   *string            `json:"status" validate:"omitnil,oneof=active discontinued"`
	PLU      *string            `json:"plu" validate:"omitnil,numeric,min=1,max=6"`
	ClearPLU bool               `json:"clear_plu"`
}

// BarcodeInput adds a barcode to a SKU.
type BarcodeInput struct {
	Barcode string `json:"barcode" validate:"required,max=32"`
}

// ProductFilter narrows the product list.
type ProductFilter struct {
	CategoryID *uuid.UUID // the category and everything under it
	BrandID    *uuid.UUID
	Status     string
	Query      string // name or code substring
}

// ProductWith is what the product list embeds beyond the products.
type ProductWith struct {
	// Prices: each product's SKUs (with barcodes), each with HQ's price in
	// force now, read for the whole page at once.
	Prices bool
	// Cost: HQ's cost among those prices (callers who may see costs).
	Cost bool
}

// SKUFilter narrows HQ's SKU search (SearchSKUs).
type SKUFilter struct {
	// Query matches a SKU code by prefix (any case), a barcode exactly (as
	// scanned or in its stored EAN-13 form), or a product or SKU name by
	// substring; empty matches every SKU.
	Query string
	// Status is "" (any), active or discontinued, as SKUMatch.Status.
	Status string
	// IDs, when set, narrows to these SKUs (ids of another chain are
	// simply not found), so a form can name the SKUs it holds.
	IDs []uuid.UUID
}

// SKUMatch is a SKU as HQ's pickers show it: the SKU with its product's
// name, category and brand, its unit and its barcodes, chain-wide (no
// store, no prices). Status is discontinued when the SKU or its product is,
// as a till sees it.
type SKUMatch struct {
	SKUID       uuid.UUID  `json:"sku_id" gorm:"column:sku_id"`
	ProductID   uuid.UUID  `json:"product_id"`
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	ProductName string     `json:"product_name"`
	Specs       Specs      `json:"specs"`
	Unit        string     `json:"unit"` // the unit's code, as on Item
	UnitName    string     `json:"unit_name"`
	UnitKind    string     `json:"unit_kind"`
	Barcodes    []string   `json:"barcodes" gorm:"-"`
	Status      string     `json:"status"`
	CategoryID  uuid.UUID  `json:"category_id"`
	BrandID     *uuid.UUID `json:"brand_id"`
}

// Price kinds.
const (
	PriceList   = "list"
	PriceMember = "member"
	PriceCost   = "cost"
)

// SetPriceInput records a price version. StoreID nil is HQ's price (needs
// prices:write for the chain); a store's override needs prices:write in
// that store, and a franchisee's must lie within HQ's bounds. Amount nil
// ends a store override. EffectiveFrom nil is now; a future time schedules
// the change.
type SetPriceInput struct {
	Kind          string     `json:"kind" validate:"required,oneof=list member cost"`
	Amount        *int64     `json:"amount" validate:"omitnil,min=0,max=100000000000"`
	StoreID       *uuid.UUID `json:"store_id"`
	EffectiveFrom *time.Time `json:"effective_from"`
}

// PriceVersion is one recorded price.
type PriceVersion struct {
	ID            uuid.UUID  `json:"id"`
	SKUID         uuid.UUID  `json:"sku_id" gorm:"column:sku_id"`
	StoreID       *uuid.UUID `json:"store_id"`
	Kind          string     `json:"kind"`
	Amount        *int64     `json:"amount"`
	EffectiveFrom time.Time  `json:"effective_from"`
	CreatedBy     *uuid.UUID `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
}

const priceVersionColumns = `id, sku_id, store_id, kind, amount, effective_from, created_by, created_at`

// PriceBounds are HQ's limits for a franchise store's own prices of a SKU.
type PriceBounds struct {
	SKUID     uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	MinAmount int64     `json:"min_amount"`
	MaxAmount int64     `json:"max_amount"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PriceBoundsInput sets the bounds.
type PriceBoundsInput struct {
	MinAmount int64 `json:"min_amount" validate:"min=0,max=100000000000"`
	MaxAmount int64 `json:"max_amount" validate:"min=0,max=100000000000,gtefield=MinAmount"`
}

// Price is what a SKU costs in a store at a time: the store's override if
// one is in force, else HQ's. Nil amounts have never been set.
type Price struct {
	SKUID        uuid.UUID `json:"sku_id"`
	List         *int64    `json:"list"`
	ListSource   string    `json:"list_source"` // "store", "hq" or "" (no price)
	Member       *int64    `json:"member"`
	MemberSource string    `json:"member_source"`
	Cost         *int64    `json:"cost"`
	TaxRateBP    int       `json:"tax_rate_bp"`
}

// ScheduledPrice is a future price version a till applies at its time.
type ScheduledPrice struct {
	Kind          string    `json:"kind"`
	Amount        *int64    `json:"amount"`
	StoreOverride bool      `json:"store_override"`
	EffectiveFrom time.Time `json:"effective_from"`
}

// Item is a SKU as a till needs it: product facts, barcodes and the store's
// prices in force now, plus scheduled changes. Status is discontinued when
// the SKU or its product is (a till removes it: the tombstone).
type Item struct {
	SKUID         uuid.UUID        `json:"sku_id"`
	ProductID     uuid.UUID        `json:"product_id"`
	Code          string           `json:"code"`
	Name          string           `json:"name"`
	ProductName   string           `json:"product_name"`
	Specs         Specs            `json:"specs"`
	CategoryID    uuid.UUID        `json:"category_id"`
	BrandID       *uuid.UUID       `json:"brand_id"`
	Unit          string           `json:"unit"`
	UnitKind      string           `json:"unit_kind"`
	Weighed       bool             `json:"weighed"`
	TaxRateBP     int              `json:"tax_rate_bp"`
	ShelfLifeDays *int             `json:"shelf_life_days"`
	Status        string           `json:"status"`
	PLU           *string          `json:"plu"`
	Barcodes      []string         `json:"barcodes"`
	ListPrice     *int64           `json:"list_price"`
	MemberPrice   *int64           `json:"member_price"`
	Scheduled     []ScheduledPrice `json:"scheduled_prices"`
	ChangeSeq     int64            `json:"change_seq"`
}

// Changes is a page of the delta feed.
type Changes struct {
	Data      []Item `json:"data"`
	NextSince int64  `json:"next_since"`
	HasMore   bool   `json:"has_more"`
}

// ScanInfo is what a scanned barcode said.
type ScanInfo struct {
	Barcode  string `json:"barcode"`
	Kind     string `json:"kind"`
	Weighed  bool   `json:"weighed"`
	PLU      string `json:"plu,omitempty"`
	Quantity *int64 `json:"quantity"`
	Amount   *int64 `json:"amount"`
	// QuantityDerived: the code embedded only a price; Quantity is an
	// estimate, that price at the item's list price in force per unit.
	QuantityDerived bool `json:"quantity_derived"`
}

// LookupResult is the POS look-up answer: the items found and, for a
// barcode, what it encoded.
type LookupResult struct {
	Data []Item    `json:"data"`
	Scan *ScanInfo `json:"scan"`
}

// RowError is one problem of one imported row.
type RowError struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Import is an uploaded product file with its dry-run report and progress.
type Import struct {
	ID             uuid.UUID  `json:"id"`
	Filename       string     `json:"filename"`
	Format         string     `json:"format"`
	Status         string     `json:"status"`
	TotalRows      int        `json:"total_rows"`
	ValidRows      int        `json:"valid_rows"`
	ErrorRows      int        `json:"error_rows"`
	ProcessedRows  int        `json:"processed_rows"`
	WrittenRows    int        `json:"written_rows"`
	Errors         RowErrors  `json:"errors"`
	AcceptedErrors bool       `json:"accepted_errors"`
	Failure        string     `json:"failure"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	CommittedAt    *time.Time `json:"committed_at"`
}

const importColumns = `id, filename, format, status, total_rows, valid_rows, error_rows, processed_rows, written_rows, errors, accepted_errors, failure, created_at, updated_at, committed_at`

// RowErrors is the stored error report.
type RowErrors []RowError

// Scan reads jsonb; NULL is no errors.
func (r *RowErrors) Scan(src any) error {
	out := RowErrors{}
	if err := scanJSON(src, &out); err != nil {
		return fmt.Errorf("catalog: import errors: %w", err)
	}
	*r = out
	return nil
}

// Value writes jsonb.
func (r RowErrors) Value() (driver.Value, error) {
	if r == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]RowError(r))
	return string(b), err
}

// CommitImportInput confirms an import.
type CommitImportInput struct {
	AcceptErrors bool `json:"accept_errors"`
}

// scanJSON reads a json or jsonb column into dst; NULL leaves dst as it is.
func scanJSON(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		return json.Unmarshal(v, dst)
	case string:
		return json.Unmarshal([]byte(v), dst)
	}
	return fmt.Errorf("cannot read %T as JSON", src)
}

// jsonList reads a json array column (a json_agg in the query) into a
// slice, so one statement brings a row with its list; NULL is empty.
type jsonList[T any] []T

// Scan implements sql.Scanner.
func (l *jsonList[T]) Scan(src any) error {
	out := []T{}
	if err := scanJSON(src, &out); err != nil {
		return err
	}
	if out == nil { // the JSON null
		out = []T{}
	}
	*l = out
	return nil
}

// Value writes the list as JSON (GORM asks a scanned type for both ways).
func (l jsonList[T]) Value() (driver.Value, error) {
	b, err := json.Marshal([]T(l))
	return string(b), err
}
