import { describe, expect, it } from 'vitest';
import { QuantityParseError, formatQuantity, parseQuantity } from './quantity';

describe('formatQuantity', () => {
  it.each([
    [24000, undefined, '24'],
    [1500, 'kg', '1.5 kg'],
    [1, undefined, '0.001'],
    [0, undefined, '0'],
    [-2500, undefined, '-2.5'],
    [1234567, undefined, '1,234.567'],
    [350, 'g', '0.35 g'],
  ])('%s thousandths → %s', (milli, unit, text) => {
    expect(formatQuantity(milli, unit)).toBe(text);
  });

  it.each([
    [24000, { code: 'ping', name: '瓶', kind: 'count' }, '24 瓶'],
    [1500, { code: 'kg', name: '千克', kind: 'weight' }, '1.5 千克'],
    [1500, { code: 'kg', name: 'kg', kind: 'weight' }, '1.5 kg'],
    [-250, { code: 'kg', name: 'kg', kind: 'weight' }, '-0.25 kg'],
    [1234500, { code: 'xiang', name: '箱', kind: 'count' }, '1,234.5 箱'],
    [24000, { code: 'x', name: '', kind: 'count' }, '24'],
    [24000, null, '24'],
  ])('%s thousandths with the unit %j → %s', (milli, unit, text) => {
    expect(formatQuantity(milli, unit)).toBe(text);
  });

  it('takes digit strings and BigInts with a unit, and refuses fractions', () => {
    expect(formatQuantity('9007199254740993', { name: '个' })).toBe('9,007,199,254,740.993 个');
    expect(formatQuantity(1500n, { name: '千克' })).toBe('1.5 千克');
    expect(() => formatQuantity(1.5, { name: '千克' })).toThrowError(RangeError);
  });

  it('keeps every digit past 2^53', () => {
    expect(formatQuantity(9223372036854775807n)).toBe('9,223,372,036,854,775.807');
  });
});

describe('parseQuantity', () => {
  it.each([
    ['24', 24000n],
    ['1.5', 1500n],
    ['0.001', 1n],
    ['1,200', 1200000n],
    ['-2.5', -2500n],
  ])('%s → %s', (text, milli) => {
    expect(parseQuantity(text)).toBe(milli);
  });

  it.each([
    ['', 'empty'],
    ['x', 'format'],
    ['1.0005', 'precision'],
  ])('refuses %j (%s)', (text, reason) => {
    expect(() => parseQuantity(text)).toThrowError(QuantityParseError);
    expect(() => parseQuantity(text)).toThrowError(`quantity: ${reason}`);
  });
});
