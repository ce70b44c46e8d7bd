import { describe, expect, it } from 'vitest';
import { addDraftLine, draftLine, lineErrorsFromApi, parseLines, qty } from './lines';

const item = (sku_id: string) => ({ sku_id, code: sku_id.toUpperCase(), name: sku_id, unit: '个' });

describe('stock document lines', () => {
  it('reads quantities in thousandths and costs in fen, by string arithmetic', () => {
    const lines = [
      { ...draftLine(item('a'), '24'), unit_cost: '1.10', expiry_date: '2027-01-31' },
      { ...draftLine(item('b'), '1.5'), unit_cost: '' },
    ];
    expect(parseLines(lines)).toEqual({
      lines: [
        { sku_id: 'a', qty: 24000, unit_cost: 110, expiry_date: '2027-01-31' },
        { sku_id: 'b', qty: 1500 },
      ],
      errors: {},
    });
  });

  it('reports each bad line by index', () => {
    const lines = [draftLine(item('a'), ''), draftLine(item('b'), '0'), draftLine(item('c'), '-2'), draftLine(item('d'), '1.2345'), { ...draftLine(item('e'), '1'), unit_cost: '0.001' }];
    expect(parseLines(lines).errors).toEqual({ 0: 'empty', 1: 'zero', 2: 'negative', 3: 'precision', 4: 'cost' });
  });

  it('lets an adjustment take stock away', () => {
    expect(parseLines([draftLine(item('a'), '-2')], { signed: true }).lines).toEqual([{ sku_id: 'a', qty: -2000 }]);
  });

  it('adds a SKU once', () => {
    const once = addDraftLine([], draftLine(item('a'), '1'));
    expect(addDraftLine(once, draftLine(item('a'), '5'))).toEqual(once);
  });

  it("maps the API's lines[i] field errors to their lines", () => {
    expect(
      lineErrorsFromApi([
        { field: 'lines[1].qty', message: 'must be positive' },
        { field: 'reason', message: 'is required' },
      ]),
    ).toEqual({ byLine: { 1: 'must be positive' }, rest: [{ field: 'reason', message: 'is required' }] });
  });

  it('shows a quantity with the unit of its row, and a dash for none', () => {
    expect(qty(24000, { name: '瓶' })).toBe('24 瓶');
    expect(qty(1500, { name: '千克' })).toBe('1.5 千克');
    expect(qty(1500)).toBe('1.5');
    expect(qty(null, { name: '瓶' })).toBe('—');
    expect(qty(undefined)).toBe('—');
  });
});
