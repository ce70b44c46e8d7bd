import { describe, expect, it } from 'vitest';
import { checkLine, parseAmount, toApiLines, totals } from './lines';

describe('manual-entry lines', () => {
  it('parses yuan to exact fen, an empty side as zero', () => {
    expect(parseAmount('0.1')).toEqual({ fen: 10n });
    expect(parseAmount('1,234.56')).toEqual({ fen: 123456n });
    expect(parseAmount('¥12')).toEqual({ fen: 1200n });
    expect(parseAmount('')).toEqual({ fen: 0n });
    expect(parseAmount(undefined)).toEqual({ fen: 0n });
    // Past 2^53 every digit stays.
    expect(parseAmount('90071992547409.93')).toEqual({ fen: 9007199254740993n });
  });

  it('refuses what is not an amount, never rounding', () => {
    expect(parseAmount('1.005').problem).toBe('precision');
    expect(parseAmount('abc').problem).toBe('format');
    expect(parseAmount('-5').problem).toBe('negative');
  });

  it('wants one side per line', () => {
    expect(checkLine({ account_code: '1001', debit: '1', credit: '1' }).sideProblem).toBe('both');
    expect(checkLine({ account_code: '1001', debit: '', credit: '0' }).sideProblem).toBe('none');
    expect(checkLine({ account_code: '1001', debit: '1' }).sideProblem).toBeUndefined();
  });

  it('adds the sides without float error and balances 0.1 + 0.2 against 0.3', () => {
    const lines = [
      { account_code: '5602', debit: '0.1' },
      { account_code: '5602', debit: '0.2' },
      { account_code: '1001', credit: '0.3' },
    ];
    const sum = totals(lines);
    expect(sum).toMatchObject({ debit: 30n, credit: 30n, difference: 0n, linesValid: true, balanced: true });
    expect(toApiLines(lines).map((l) => [l.debit, l.credit])).toEqual([
      [10, 0],
      [20, 0],
      [0, 30],
    ]);
  });

  it('is not balanced with a difference, a bad line, a missing account, one line or nothing', () => {
    expect(totals([{ account_code: '1001', debit: '100' }, { account_code: '6001', credit: '99.99' }])).toMatchObject({ difference: 1n, balanced: false });
    expect(totals([{ account_code: '1001', debit: '1.001' }, { account_code: '6001', credit: '1' }]).balanced).toBe(false);
    expect(totals([{ debit: '1' }, { account_code: '6001', credit: '1' }]).balanced).toBe(false);
    expect(totals([{ account_code: '1001', debit: '0' }, { account_code: '6001', credit: '0' }]).balanced).toBe(false);
    expect(totals([]).balanced).toBe(false);
    expect(() => toApiLines([{ account_code: '1001', debit: '1' }, { account_code: '6001', credit: '2' }])).toThrow();
  });
});
