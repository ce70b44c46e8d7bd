import { describe, expect, it } from 'vitest';
import { ean13Bars, ean13CheckDigit, ean13Modules, isValidEan13, toEan13 } from './ean13';

describe('ean13CheckDigit', () => {
  it.each([
    ['400638133393', 1], // GS1's example 4006381333931
    ['690123456789', 2], // 6901234567892
    ['978030640615', 7], // ISBN 978-0-306-40615-7
    ['000000000000', 0],
    ['690123400100', 6], // the demo chain's first barcode body
  ])('%s → %i', (first12, check) => {
    expect(ean13CheckDigit(first12)).toBe(check);
  });

  it('refuses anything but 12 digits', () => {
    expect(() => ean13CheckDigit('12345')).toThrow(RangeError);
    expect(() => ean13CheckDigit('69012345678a')).toThrow(RangeError);
  });
});

describe('isValidEan13 / toEan13', () => {
  it('checks the last digit', () => {
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(isValidEan13('400638133393')).toBe(false);
  });

  it('reads UPC-A as EAN-13 with a leading 0 and leaves EAN-8 and in-store codes out', () => {
    expect(toEan13('036000291452')).toBe('0036000291452');
    expect(toEan13('4006381333931')).toBe('4006381333931');
    expect(toEan13('96385074')).toBeNull();
    expect(toEan13('ABC123')).toBeNull();
  });
});

describe('ean13Modules', () => {
  it('draws 95 modules with the guards in place', () => {
    const m = ean13Modules('4006381333931');
    expect(m).toHaveLength(95);
    expect(m.slice(0, 3)).toBe('101');
    expect(m.slice(45, 50)).toBe('01010');
    expect(m.slice(92)).toBe('101');
  });

  it('encodes the left half by the first digit\'s parity and the right half in R', () => {
    // 4 → parity LGLLGG: 0 in L, 0 in G, 6 in L, 3 in L, 8 in G, 1 in G; then 333931 in R.
    const m = ean13Modules('4006381333931');
    expect(m.slice(3, 45)).toBe(['0001101', '0100111', '0101111', '0111101', '0001001', '0110011'].join(''));
    expect(m.slice(50, 92)).toBe(['1000010', '1000010', '1000010', '1110100', '1000010', '1100110'].join(''));
  });

  it('every digit is 7 modules of two bars and two spaces', () => {
    const m = ean13Modules('6901234567892');
    for (const start of [3, 10, 17, 24, 31, 38, 50, 57, 64, 71, 78, 85]) {
      const digit = m.slice(start, start + 7);
      expect(digit.match(/1+/g)).toHaveLength(2);
    }
  });

  it('refuses a bad check digit', () => {
    expect(() => ean13Modules('4006381333932')).toThrow(RangeError);
  });
});

describe('ean13Bars', () => {
  it('merges dark runs and covers every dark module once', () => {
    const code = '6901234567892';
    const bars = ean13Bars(code);
    const dark = [...ean13Modules(code)].filter((c) => c === '1').length;
    expect(bars.reduce((n, b) => n + b.width, 0)).toBe(dark);
    expect(bars.filter((b) => b.guard)).toHaveLength(6);
    expect(bars[0]).toEqual({ x: 0, width: 1, guard: true });
  });
});
