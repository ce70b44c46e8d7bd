import { describe, expect, it } from 'vitest';
import { addCash, addExact, addStoredValue, changeDue, complete, forApi, remaining, suggestedStoredValue, TenderError, type Tender } from './tenders';

describe('change and tender splitting', () => {
  it('gives change from cash handed over beyond the amount', () => {
    const tenders = addCash(1234n, [], 5000n);
    expect(tenders).toEqual([{ method: 'cash', amount: 1234n, tendered: 5000n }]);
    expect(changeDue(tenders)).toBe(3766n);
    expect(remaining(1234n, tenders)).toBe(0n);
    expect(complete(1234n, tenders)).toBe(true);
    expect(forApi(tenders)).toEqual([{ method: 'cash', amount: 1234, tendered: 5000 }]);
  });

  it('exact cash gives no change and sends no tendered', () => {
    const tenders = addCash(1000n, [], 1000n);
    expect(changeDue(tenders)).toBe(0n);
    expect(forApi(tenders)).toEqual([{ method: 'cash', amount: 1000 }]);
  });

  it('splits cash + cash, the change coming from the last', () => {
    let tenders: Tender[] = addCash(2590n, [], 2000n);
    expect(remaining(2590n, tenders)).toBe(590n);
    expect(complete(2590n, tenders)).toBe(false);
    tenders = addCash(2590n, tenders, 1000n);
    expect(tenders.map((t) => t.amount)).toEqual([2000n, 590n]);
    expect(changeDue(tenders)).toBe(410n);
    expect(complete(2590n, tenders)).toBe(true);
  });

  it('splits stored value + cash within the balance', () => {
    const member = { stored_value: 1500, can_spend: true };
    expect(suggestedStoredValue(2590n, [], member.stored_value)).toBe(1500n);
    let tenders = addStoredValue(2590n, [], 1500n, member);
    expect(suggestedStoredValue(2590n, tenders, member.stored_value)).toBe(0n);
    expect(() => addStoredValue(2590n, tenders, 1n, member)).toThrow(new TenderError('exceeds_balance'));
    tenders = addCash(2590n, tenders, 1090n);
    expect(complete(2590n, tenders)).toBe(true);
    expect(forApi(tenders)).toEqual([
      { method: 'stored_value', amount: 1500 },
      { method: 'cash', amount: 1090 },
    ]);
  });

  it('refuses what cannot pay', () => {
    expect(() => addCash(100n, [], 0n)).toThrow(new TenderError('not_positive'));
    expect(() => addCash(100n, addCash(100n, [], 100n), 5n)).toThrow(new TenderError('nothing_due'));
    expect(() => addExact(100n, [], 'wechat', 101n)).toThrow(new TenderError('exceeds_due'));
    expect(() => addStoredValue(100n, [], 50n, null)).toThrow(new TenderError('no_member'));
    expect(() => addStoredValue(100n, [], 50n, { stored_value: 1000, can_spend: false })).toThrow(new TenderError('no_member'));
  });

  it('names the external payment in its tender', () => {
    const tenders = addExact(880n, [], 'alipay', 880n, '0190f5a4-0000-7000-8000-0000000000ff');
    expect(forApi(tenders)).toEqual([{ method: 'alipay', amount: 880, payment_id: '0190f5a4-0000-7000-8000-0000000000ff' }]);
  });

  it('keeps every fen of large amounts', () => {
    const big = 9_007_199_254_740_990n;
    const tenders = addCash(big, [], big + 10n);
    expect(changeDue(tenders)).toBe(10n);
  });
});
