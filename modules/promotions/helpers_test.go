package promotions

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
)

// Ids for tests: a kind byte and a number, so they sort by number and print
// back as P<n> / C<n>.
func uid(kind byte, n int) uuid.UUID {
	var u uuid.UUID
	u[0], u[6], u[8], u[14], u[15] = kind, 0x70, 0x80, byte(n>>8), byte(n)
	return u
}

func pid(n int) uuid.UUID { return uid(0x10, n) } // promotions
func cid(n int) uuid.UUID { return uid(0x20, n) } // coupon instances
func tid(n int) uuid.UUID { return uid(0x30, n) } // coupon templates

func num(u uuid.UUID) int { return int(u[14])<<8 | int(u[15]) }

var (
	cst   = time.FixedZone("CST", 8*3600)
	wed10 = time.Date(2025, 6, 18, 10, 0, 0, 0, cst) // a Wednesday, 10:00

	storeA, storeB = uid(0x70, 1), uid(0x70, 2)
	member1        = uid(0x80, 1)
	gold, silver   = uid(0x90, 1), uid(0x90, 2)

	catRoot, catFood, catDrinks, catSnacks = uid(0x50, 1), uid(0x50, 2), uid(0x50, 3), uid(0x50, 4)
	catDairy, catFresh, catFruit, catMeat  = uid(0x50, 5), uid(0x50, 6), uid(0x50, 7), uid(0x50, 8)
	catHome                                = uid(0x50, 9)
	brandCoke                              = uid(0x60, 1)
)

// sku is a catalog item for building lines.
type sku struct {
	id      uuid.UUID
	path    []uuid.UUID
	brand   *uuid.UUID
	price   int64
	weighed bool
	member  *int64
}

func path(ids ...uuid.UUID) []uuid.UUID { return ids }

var (
	cola  = sku{id: uid(0x40, 1), path: path(catRoot, catFood, catDrinks), brand: &brandCoke, price: 350}
	juice = sku{id: uid(0x40, 2), path: path(catRoot, catFood, catDrinks), price: 600}
	chips = sku{id: uid(0x40, 3), path: path(catRoot, catFood, catSnacks), price: 800}
	milk  = sku{id: uid(0x40, 4), path: path(catRoot, catFood, catDairy), price: 1250}
	apple = sku{id: uid(0x40, 5), path: path(catRoot, catFresh, catFruit), price: 1280, weighed: true} // per kg
	beef  = sku{id: uid(0x40, 6), path: path(catRoot, catFresh, catMeat), price: 8800, weighed: true}
	soap  = sku{id: uid(0x40, 7), path: path(catRoot, catHome), price: 1990}
	gift  = sku{id: uid(0x40, 8), path: path(catRoot, catHome), price: 0}
	tea   = sku{id: uid(0x40, 9), path: path(catRoot, catFood, catDrinks), price: 500}
)

// item is a SKU of its own at any price, in the home category.
func item(n int, price int64) sku {
	return sku{id: uid(0x41, n), path: path(catRoot, catHome), price: price}
}

func (s sku) at(price int64) sku { s.price = price; return s }
func (s sku) mp(price int64) sku { s.member = &price; return s }

// n is a line of whole units; g a line of grams of a weighed SKU.
func (s sku) n(units int64) Line {
	return Line{SKUID: s.id, CategoryPath: s.path, BrandID: s.brand, Qty: units * 1000, UnitPrice: s.price, MemberPrice: s.member}
}

func (s sku) g(grams int64) Line {
	return Line{SKUID: s.id, CategoryPath: s.path, BrandID: s.brand, Weighed: true, Qty: grams, UnitPrice: s.price, MemberPrice: s.member}
}

func lines(ls ...Line) []Line {
	for i := range ls {
		ls[i].Index = i + 1
	}
	return ls
}

type opt func(*Promotion)

func skus(ss ...sku) opt {
	return func(p *Promotion) {
		for _, s := range ss {
			p.Items.SKUs = append(p.Items.SKUs, s.id)
		}
	}
}
func cats(ids ...uuid.UUID) opt   { return func(p *Promotion) { p.Items.Categories = ids } }
func brands(ids ...uuid.UUID) opt { return func(p *Promotion) { p.Items.Brands = ids } }
func exclSKUs(ss ...sku) opt {
	return func(p *Promotion) {
		for _, s := range ss {
			p.Items.ExcludeSKUs = append(p.Items.ExcludeSKUs, s.id)
		}
	}
}
func exclCats(ids ...uuid.UUID) opt { return func(p *Promotion) { p.Items.ExcludeCategories = ids } }
func exclusive(p *Promotion)        { p.Exclusive = true }
func group(g string) opt            { return func(p *Promotion) { p.Group = g } }
func prio(n int) opt                { return func(p *Promotion) { p.Priority = n } }
func membersOnly(p *Promotion)      { p.Audience.MembersOnly = true }
func tiers(ids ...uuid.UUID) opt    { return func(p *Promotion) { p.Audience.Tiers = ids } }
func stores(s StoreScope, ids ...uuid.UUID) opt {
	return func(p *Promotion) { p.Stores = Stores{Scope: s, IDs: ids} }
}
func window(w Window) opt     { return func(p *Promotion) { p.Window = w } }
func budget(b int64) opt      { return func(p *Promotion) { p.RemainingBudget = &b } }
func usesLeft(n int) opt      { return func(p *Promotion) { p.MemberUsesLeft = &n } }
func named(zh, en string) opt { return func(p *Promotion) { p.Name, p.NameEn = zh, en } }
func validity(from, to time.Time) func(*Coupon) {
	return func(c *Coupon) { c.ValidFrom, c.ValidUntil = from, to }
}

func promo(n int, k Kind, r Rule, opts ...opt) Promotion {
	p := Promotion{ID: pid(n), Name: fmt.Sprintf("P%d", n), NameEn: fmt.Sprintf("P%d", n), Kind: k, Rule: r}
	for _, o := range opts {
		o(&p)
	}
	return p
}

// coupon is instance n of template t.
func coupon(n, t int, k Kind, r Rule, opts ...opt) Coupon {
	p := promo(0, k, r)
	p.ID, p.Name = tid(t), fmt.Sprintf("券%d", t)
	for _, o := range opts {
		o(&p)
	}
	return Coupon{ID: cid(n), Code: fmt.Sprintf("C%d", n), Promotion: p}
}

// Rules in one call.
func pctOff(bp int64) Rule         { return Rule{OffBP: bp} }
func amtOff(fen int64) Rule        { return Rule{Amount: fen} }
func special(fen int64) Rule       { return Rule{Price: fen} }
func spend(steps ...int64) Rule    { return Rule{Steps: stepsOf(steps, false)} }
func spendPct(steps ...int64) Rule { return Rule{Steps: stepsOf(steps, true)} }
func stepsOf(v []int64, bp bool) []Step {
	var out []Step
	for i := 0; i+1 < len(v); i += 2 {
		s := Step{Threshold: v[i], Off: v[i+1]}
		if bp {
			s = Step{Threshold: v[i], OffBP: v[i+1]}
		}
		out = append(out, s)
	}
	return out
}
func couponAmt(threshold, fen int64) Rule { return Rule{Threshold: threshold, Amount: fen} }

func walkIn() Customer { return Customer{} }
func memberOf(tier uuid.UUID) Customer {
	m, t := member1, tier
	return Customer{MemberID: &m, TierID: &t}
}

func sale(ls []Line) Sale {
	return Sale{StoreID: storeA, StoreType: StoreDirect, Local: wed10, Rounding: money.RoundFen, Lines: ls}
}

// allocs prints a line's allocations as "P1:70 C2:200 R:5".
func allocs(l PricedLine) string {
	var b []string
	for _, a := range l.Discounts {
		switch {
		case a.Kind == KindRounding:
			b = append(b, fmt.Sprintf("R:%d", a.Amount))
		case a.CouponID != nil:
			b = append(b, fmt.Sprintf("C%d:%d", num(*a.CouponID), a.Amount))
		default:
			b = append(b, fmt.Sprintf("P%d:%d", num(*a.PromotionID), a.Amount))
		}
	}
	return strings.Join(b, " ")
}

func unusedOf(r Result) string {
	var b []string
	for _, u := range r.UnusedCoupons {
		b = append(b, fmt.Sprintf("C%d:%s", num(u.CouponID), u.Why))
	}
	return strings.Join(b, " ")
}

// invariants checks what every Result must satisfy; "" when it does.
func invariants(s Sale, r Result) string {
	if len(r.Lines) != len(s.Lines) {
		return fmt.Sprintf("%d lines priced, %d given", len(r.Lines), len(s.Lines))
	}
	var gross, net, disc, round int64
	for i, l := range r.Lines {
		want := money.MulDiv(s.Lines[i].UnitPrice, s.Lines[i].Qty, 1000)
		if l.Gross != want || l.Index != s.Lines[i].Index {
			return fmt.Sprintf("line %d: gross %d index %d, want %d and %d", i, l.Gross, l.Index, want, s.Lines[i].Index)
		}
		sum := int64(0)
		for _, a := range l.Discounts {
			sum += a.Amount
			if a.Kind == KindRounding {
				round += a.Amount
			} else {
				disc += a.Amount
				if a.Amount <= 0 {
					return fmt.Sprintf("line %d: allocation %d is not positive", i, a.Amount)
				}
			}
			if a.Label == "" || a.LabelEn == "" {
				return fmt.Sprintf("line %d: allocation without a label", i)
			}
		}
		if l.Net != l.Gross-sum {
			return fmt.Sprintf("line %d: net %d ≠ gross %d − allocations %d", i, l.Net, l.Gross, sum)
		}
		if l.Net < 0 {
			return fmt.Sprintf("line %d: net %d below zero", i, l.Net)
		}
		gross += l.Gross
		net += l.Net
	}
	var applied int64
	for _, a := range r.Applied {
		applied += a.Discount
	}
	switch {
	case r.Gross != gross:
		return fmt.Sprintf("gross %d, lines add to %d", r.Gross, gross)
	case r.Total != net:
		return fmt.Sprintf("total %d, line nets add to %d", r.Total, net)
	case r.Discount != disc || applied != disc:
		return fmt.Sprintf("discount %d, applied %d, allocated %d", r.Discount, applied, disc)
	case r.Rounding != round:
		return fmt.Sprintf("rounding %d, allocated %d", r.Rounding, round)
	case r.Gross-r.Discount-r.Rounding != r.Total:
		return fmt.Sprintf("gross %d − discount %d − rounding %d ≠ total %d", r.Gross, r.Discount, r.Rounding, r.Total)
	case r.Total != money.RoundTotal(r.Gross-r.Discount, s.Rounding):
		return fmt.Sprintf("total %d is not the rounded %d", r.Total, r.Gross-r.Discount)
	}
	return ""
}
