// Quantities are int64 thousandths of the unit, as the API sends them:
// 24000 is 24 pieces, 1500 of a kilogram unit is 1.5 kg (weighed goods
// count grams). This file is the one formatter and parser, in string and
// BigInt arithmetic like money.ts.

/** An integer number of thousandths: a JSON number, a BigInt or a digit string. */
export type Milli = number | bigint | string;

function toBigInt(milli: Milli): bigint {
  if (typeof milli === 'bigint') return milli;
  if (typeof milli === 'number') {
    if (!Number.isSafeInteger(milli)) throw new RangeError(`quantity: ${milli} is not a safe integer`);
    return BigInt(milli);
  }
  if (!/^-?\d+$/.test(milli)) throw new RangeError(`quantity: ${JSON.stringify(milli)} is not an integer`);
  return BigInt(milli);
}

/**
 * A unit as the API's stock rows carry it (`SkuUnit`): the chain's name for
 * it (瓶, 千克 …) is what is shown. Only `name` is read, so the generated
 * type fits as it is.
 */
export interface QuantityUnit {
  name: string;
}

/**
 * formatQuantity renders thousandths with no trailing zeros and thousands
 * separators, then the unit if given (a name, or a row's unit object):
 * 24000 → "24", 1500, "kg" → "1.5 kg", 24000, {name: '瓶'} → "24 瓶",
 * 1234567 → "1,234.567".
 */
export function formatQuantity(milli: Milli, unit?: string | QuantityUnit | null): string {
  const value = toBigInt(milli);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(4, '0');
  const whole = digits.slice(0, -3).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = digits.slice(-3).replace(/0+$/, '');
  const text = `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
  const name = typeof unit === 'string' ? unit : unit?.name;
  return name ? `${text} ${name}` : text;
}

/** Why a quantity string was refused; i18n ids `common:quantity.<reason>`. */
export type QuantityParseReason = 'empty' | 'format' | 'precision';

export class QuantityParseError extends Error {
  constructor(readonly reason: QuantityParseReason) {
    super(`quantity: ${reason}`);
    this.name = 'QuantityParseError';
  }
}

/** parseQuantity reads "1.5" or "1,200" into thousandths; more than three decimals is refused. */
export function parseQuantity(input: string): bigint {
  const text = input.trim().replace(/[,，\s]/g, '');
  if (text === '') throw new QuantityParseError('empty');
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityParseError('format');
  const [, sign, whole = '', frac = ''] = m;
  if (frac.length > 3) throw new QuantityParseError('precision');
  const milli = BigInt((whole || '0') + frac.padEnd(3, '0'));
  return sign === '-' ? -milli : milli;
}
