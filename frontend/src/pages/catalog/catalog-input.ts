import type { TFunction } from 'i18next';
import { MoneyParseError, fenForApi, parseYuan } from '../../lib/money';

// Text the catalog's forms read — yuan, tax rates, specs — turned into
// what the API takes, by string arithmetic (no float touches an amount).

/** optionalFen: "" → null, "3.50" → 350; refuses what parseYuan refuses. */
export function optionalFen(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  return fenForApi(parseYuan(text));
}

/** taxRateBp: "13" → 1300, "6.5" → 650, "9%" → 900; at most two decimals, 0–100. */
export function taxRateBp(text: string): number {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) throw new RangeError('tax rate');
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (bp > 10000) throw new RangeError('tax rate');
  return bp;
}

/** formatTaxRate: 1300 → "13", 650 → "6.5". */
export function formatTaxRate(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** parseSpecs: "规格=500ml;口味=原味" → { 规格: '500ml', 口味: '原味' } (the import's notation). */
export function parseSpecs(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(/[;；\n]/)) {
    const [k, ...v] = part.split(/[=＝:：]/);
    const key = k?.trim();
    if (key) out[key] = v.join('=').trim();
  }
  return out;
}

/** formatSpecs: the other way, for editing and labels ("规格=500ml;口味=原味"). */
export function formatSpecs(specs: Record<string, unknown> | undefined, sep = ';'): string {
  return Object.entries(specs ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(sep);
}

/** specsText: the values only ("500ml 原味"), as a label prints them. */
export function specsText(specs: Record<string, unknown> | undefined): string {
  return Object.values(specs ?? {})
    .map((v) => String(v))
    .join(' ');
}

/** moneyRule: an antd rule that accepts empty (optional) or a yuan amount parseYuan accepts. */
export function moneyRule(t: TFunction, required = false) {
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (value === undefined || value.trim() === '') {
        if (required) throw new Error(t('common:money.empty'));
        return;
      }
      try {
        if (parseYuan(value) < 0n) throw new MoneyParseError('format');
      } catch (e) {
        throw new Error(t(`common:money.${e instanceof MoneyParseError ? e.reason : 'format'}`));
      }
    },
  };
}
