import type { TFunction } from 'i18next';

// Words for the POS's machine values (tenders, statuses, flags), with the
// API's own value as the fallback for one the console does not know yet.

export const tenderMethods = ['cash', 'card', 'unionpay', 'wechat', 'alipay', 'stored_value', 'receivable', 'points'] as const;

export const tenderLabel = (t: TFunction, method: string) => t(`pos:tenders.${method}`, { defaultValue: method });
export const flagLabel = (t: TFunction, flag: string) => t(`pos:flags.${flag}`, { defaultValue: flag });

/** bpPercent: basis points as a percentage string, 1500 → "15", 250 → "2.5" (no float). */
export function bpPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(Math.abs(bp % 100)).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
