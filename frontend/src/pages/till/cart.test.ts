import { describe, expect, it } from 'vitest';
import type { CatalogItem, LookupResult } from '../../api/types';
import { addScanned, cachedLookup, cartInput, emptyCart, lineAmount, localPrice, rememberLookup, removeLine, setQty } from './cart';

const item = (over: Partial<CatalogItem>): CatalogItem => ({
  sku_id: '0190f5a4-0000-7000-8000-000000000101',
  product_id: '0190f5a4-0000-7000-8000-000000000201',
  code: 'COLA-330',
  name: '可口可乐 330ml 罐装',
  product_name: '可口可乐',
  specs: {},
  category_id: '0190f5a4-0000-7000-8000-000000000301',
  brand_id: null,
  unit: '个',
  unit_kind: 'count',
  weighed: false,
  tax_rate_bp: 1300,
  shelf_life_days: 365,
  status: 'active',
  plu: null,
  barcodes: ['6901234001020'],
  list_price: 350,
  member_price: 300,
  scheduled_prices: [],
  change_seq: 1,
  ...over,
});

const cola: LookupResult = { data: [item({})], scan: null };
const apples: LookupResult = {
  data: [item({ sku_id: '0190f5a4-0000-7000-8000-000000000102', code: 'APPLE-FUJI', name: '红富士苹果', unit: 'kg', unit_kind: 'weight', weighed: true, list_price: 1290, barcodes: [] })],
  scan: { barcode: '2100100012345', kind: 'instore', weighed: true, plu: '1001', quantity: 1234, amount: null, quantity_derived: false },
};

describe('the till cart', () => {
  it('counts a counted item scanned again, and keeps scale labels apart', () => {
    let cart = addScanned(emptyCart(), cola);
    cart = addScanned(cart, cola);
    cart = addScanned(cart, apples);
    expect(cart.lines.map((l) => l.qty)).toEqual([2000, 1234]);
    expect(cartInput(cart).lines).toEqual([
      { sku_id: cola.data[0]?.sku_id, qty: 2000 },
      { barcode: '2100100012345', qty: 0 },
    ]);
    const key = cart.lines[0]?.key ?? '';
    expect(setQty(cart, key, 5000).lines[0]?.qty).toBe(5000);
    expect(removeLine(cart, key).lines).toHaveLength(1);
  });

  it('sends the member, coupons and points only when there are some', () => {
    const cart = { ...addScanned(emptyCart(), cola), member: { phone: '13800000001' }, coupons: ['C1'], pointsToUse: 100 };
    expect(cartInput(cart)).toMatchObject({ member: { phone: '13800000001' }, coupons: ['C1'], points_to_use: 100 });
    expect(cartInput(addScanned(emptyCart(), cola))).toEqual({ lines: [{ sku_id: cola.data[0]?.sku_id, qty: 1000 }] });
  });

  it('prices offline at list price, weight × price rounded half up to the fen', () => {
    expect(lineAmount(1234, 1290)).toBe(1592n); // 1.234 kg × ¥12.90 = ¥15.9186
    expect(lineAmount(500, 3)).toBe(2n); // 1.5 fen rounds up
    const cart = addScanned(addScanned(addScanned(emptyCart(), cola), cola), apples);
    const priced = localPrice(cart, 'store-1', new Date('2026-01-01T00:00:00Z'));
    expect(priced.lines.map((l) => l.net)).toEqual([700, 1592]);
    expect(priced.payable).toBe(2292);
    expect(priced.promotions).toBeNull();
  });

  it('charges a price label at its printed amount', () => {
    const label: LookupResult = { ...apples, scan: { ...apples.scan!, amount: 1999, quantity: 1550, quantity_derived: true } };
    expect(localPrice(addScanned(emptyCart(), label), 'store-1').lines[0]?.net).toBe(1999);
  });

  it('remembers look-ups under every code of the item, for offline', () => {
    rememberLookup('store-1', 'COLA-330', cola);
    expect(cachedLookup('store-1', '6901234001020')?.data[0]?.code).toBe('COLA-330');
    expect(cachedLookup('store-2', 'COLA-330')).toBeNull();
  });
});
