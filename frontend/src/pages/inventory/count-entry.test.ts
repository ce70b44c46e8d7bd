import { describe, expect, it } from 'vitest';
import type { StocktakeLine } from '../../api/types';
import { addCount, matchLine, toBatch } from './count-entry';

const line = (sku_id: string, sku_code: string): StocktakeLine => ({ sku_id, sku_code, sku_name: sku_code, unit: { code: 'ping', name: '瓶', kind: 'count' }, book_qty: 10_000, counted_qty: null, unit_cost: 110 });
const lines = [line('a', 'WATER-550'), line('b', 'COLA-330')];

describe('count entry', () => {
  it('adds up the same SKU and keeps the order of first scans', () => {
    let pending = addCount([], lines[0] as StocktakeLine, 3_000n);
    pending = addCount(pending, lines[1] as StocktakeLine, 1_500n);
    pending = addCount(pending, lines[0] as StocktakeLine, 2_000n);
    expect(pending.map((p) => [p.sku_code, p.qty])).toEqual([
      ['WATER-550', 5_000n],
      ['COLA-330', 1_500n],
    ]);
    expect(toBatch(pending)).toEqual([
      { sku_id: 'a', qty: 5000 },
      { sku_id: 'b', qty: 1500 },
    ]);
  });

  it('refuses a negative count', () => {
    expect(() => addCount([], lines[0] as StocktakeLine, -1n)).toThrow(RangeError);
  });

  it('finds the line by code in any case, or by the SKU a barcode named', () => {
    expect(matchLine(lines, ' water-550 ')?.sku_id).toBe('a');
    expect(matchLine(lines, '6901234001006', ['b'])?.sku_id).toBe('b');
    expect(matchLine(lines, 'NOPE')).toBeUndefined();
  });
});
