import { describe, expect, it } from 'vitest';
import type { Price } from '../../../api/types';
import { priceSpan } from './price-span';

const price = (list: number | null, member: number | null = null): { price: Price } => ({
  price: { sku_id: 's', list, list_source: list === null ? '' : 'hq', member, member_source: member === null ? '' : 'hq', cost: null, tax_rate_bp: 1300 },
});

describe('priceSpan', () => {
  it('is the one price of a one-SKU product', () => {
    expect(priceSpan([price(350, 300)], 'list')).toEqual({ min: 350, max: 350, unpriced: 0 });
    expect(priceSpan([price(350, 300)], 'member')).toEqual({ min: 300, max: 300, unpriced: 0 });
  });

  it('spans the lowest to the highest price of the SKUs, counting the unpriced ones', () => {
    expect(priceSpan([price(550), price(350), price(null), price(990)], 'list')).toEqual({ min: 350, max: 990, unpriced: 1 });
  });

  it('is null when no SKU has the price, or the list came without prices', () => {
    expect(priceSpan([price(350, null)], 'member')).toBeNull();
    expect(priceSpan([], 'list')).toBeNull();
    expect(priceSpan([{}], 'list')).toBeNull();
  });

  it('keeps a zero price (free) as a price', () => {
    expect(priceSpan([price(0), price(120)], 'list')).toEqual({ min: 0, max: 120, unpriced: 0 });
  });
});
