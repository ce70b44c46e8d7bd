import { describe, expect, it } from 'vitest';
import type { Promotion } from '../../../api/types';
import { promoPrices } from './promo-price';

const promo = (over: Partial<Promotion>): Promotion =>
  ({ kind: 'special_price', status: 'active', items: { skus: ['a'] }, rule: { price: 199 }, ...over }) as Promotion;

describe('promoPrices', () => {
  it('takes the lowest special price that names the SKU', () => {
    const prices = promoPrices([promo({}), promo({ rule: { price: 150 } }), promo({ items: { skus: ['b'] }, rule: { price: 10 } })], ['a', 'b', 'c']);
    expect(prices.get('a')).toBe(150);
    expect(prices.get('b')).toBe(10);
    expect(prices.has('c')).toBe(false);
  });

  it('leaves out other kinds, paused promotions and excluded SKUs', () => {
    expect(promoPrices([promo({ kind: 'percent_off' }), promo({ status: 'paused' }), promo({ items: { skus: ['a'], exclude_skus: ['a'] } })], ['a']).size).toBe(0);
  });
});
