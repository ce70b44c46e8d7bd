import { describe, expect, it } from 'vitest';
import { MoneyParseError, fenForApi, formatMoney, formatYuanInput, parseYuan } from './money';

describe('formatMoney', () => {
  it.each([
    [123456, '¥1,234.56'],
    [0, '¥0.00'],
    [5, '¥0.05'],
    [100, '¥1.00'],
    [-5, '-¥0.05'],
    [-123456789, '-¥1,234,567.89'],
    ['100000000000', '¥1,000,000,000.00'],
  ])('%s fen → %s', (fen, text) => {
    expect(formatMoney(fen)).toBe(text);
  });

  it('keeps every digit past 2^53', () => {
    // 2^63-1 fen: a float would print ...807.00 as ...808.00 or worse.
    expect(formatMoney(9223372036854775807n)).toBe('¥92,233,720,368,547,758.07');
    expect(formatMoney('-9007199254740993')).toBe('-¥90,071,992,547,409.93');
  });

  it('uses the chain currency symbol', () => {
    expect(formatMoney(199, 'HKD')).toBe('HK$1.99');
    expect(formatMoney(199, 'EUR')).toBe('EUR 1.99');
  });

  it('refuses what is not an integer amount', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
    expect(() => formatMoney(2 ** 60)).toThrow(RangeError);
    expect(() => formatMoney('12.30')).toThrow(RangeError);
  });
});

describe('parseYuan', () => {
  it.each([
    ['1234.56', 123456n],
    ['1,234.5', 123450n],
    ['¥12', 1200n],
    ['￥ 0.05', 5n],
    ['-0.05', -5n],
    ['-¥3', -300n],
    ['.5', 50n],
    ['7.', 700n],
    ['0', 0n],
    ['92233720368547758.07', 9223372036854775807n],
  ])('%s → %s fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it('adds by integers: 0.1 + 0.2 is 30 fen', () => {
    expect(parseYuan('0.1') + parseYuan('0.2')).toBe(30n);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'format'],
    ['1.2.3', 'format'],
    ['.', 'format'],
    ['1e5', 'format'],
    ['1.005', 'precision'],
  ])('refuses %j (%s)', (text, reason) => {
    expect(() => parseYuan(text)).toThrowError(MoneyParseError);
    expect(() => parseYuan(text)).toThrowError(`money: ${reason}`);
  });

  it('round-trips with formatYuanInput', () => {
    for (const fen of [0n, 5n, -5n, 123456n, 9223372036854775807n]) {
      expect(parseYuan(formatYuanInput(fen))).toBe(fen);
    }
  });
});

describe('fenForApi', () => {
  it('passes safe integers and refuses the rest', () => {
    expect(fenForApi(123456n)).toBe(123456);
    expect(() => fenForApi(9007199254740993n)).toThrow(RangeError);
  });
});
