// Money in the console is integer minor units (fen for CNY), as the API
// sends it. This file is the one place that turns fen into text and text
// into fen, with string and BigInt arithmetic only: no float ever touches
// an amount, so ¥0.1 + ¥0.2 stays 30 fen and amounts past 2^53 keep every
// digit.

/** An integer amount in minor units: a JSON number, a BigInt or a digit string. */
export type Fen = number | bigint | string;

const symbols: Record<string, string> = { CNY: '¥', HKD: 'HK$', USD: '$' };

function toBigInt(fen: Fen): bigint {
  if (typeof fen === 'bigint') return fen;
  if (typeof fen === 'number') {
    if (!Number.isSafeInteger(fen)) {
      throw new RangeError(`money: ${fen} is not a safe integer amount of minor units`);
    }
    return BigInt(fen);
  }
  if (!/^-?\d+$/.test(fen)) throw new RangeError(`money: ${JSON.stringify(fen)} is not an integer amount`);
  return BigInt(fen);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * formatMoney renders minor units with the currency symbol, thousands
 * separators and two decimals: 123456 → "¥1,234.56", -5 → "-¥0.05".
 */
export function formatMoney(fen: Fen, currency = 'CNY'): string {
  const value = toBigInt(fen);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  const yuan = groupThousands(digits.slice(0, -2));
  const symbol = symbols[currency] ?? `${currency} `;
  return `${negative ? '-' : ''}${symbol}${yuan}.${digits.slice(-2)}`;
}

/** formatYuanInput renders fen for an amount input: 123456 → "1234.56". */
export function formatYuanInput(fen: Fen): string {
  const value = toBigInt(fen);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Why a yuan string was refused; each reason has an i18n id `common:money.<reason>`. */
export type MoneyParseReason = 'empty' | 'format' | 'precision';

export class MoneyParseError extends Error {
  constructor(readonly reason: MoneyParseReason) {
    super(`money: ${reason}`);
    this.name = 'MoneyParseError';
  }
}

/**
 * parseYuan reads what a person typed as yuan ("1,234.5", "¥12", "-0.05")
 * into fen, by string arithmetic. More than two decimals is refused, never
 * rounded: rounding is the back end's (the chain's rounding rule).
 */
export function parseYuan(input: string): bigint {
  const text = input.trim().replace(/^([-+]?)\s*[¥￥$]\s*/, '$1').replace(/[,，\s]/g, '');
  if (text === '') throw new MoneyParseError('empty');
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new MoneyParseError('format');
  const [, sign, whole = '', frac = ''] = m;
  if (frac.length > 2) throw new MoneyParseError('precision');
  const fen = BigInt((whole || '0') + frac.padEnd(2, '0'));
  return sign === '-' ? -fen : fen;
}

/**
 * fenForApi turns fen into the JSON number the API takes, refusing what a
 * JSON number cannot carry exactly.
 */
export function fenForApi(fen: bigint): number {
  if (fen > BigInt(Number.MAX_SAFE_INTEGER) || fen < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('money: the amount is too large to send');
  }
  return Number(fen);
}
