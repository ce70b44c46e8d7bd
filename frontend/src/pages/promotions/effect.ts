import type { PromotionEffect } from '../../api/types';
import { dayjs } from '../../lib/time';

// The effect evaluation compares a period with the one just before it, of
// the same length: days are aligned by their position (day 1 with day 1).

/** previousPeriod: the same number of days right before [from, to] (dates inclusive). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = dayjs(to).diff(dayjs(from), 'day') + 1;
  return { from: dayjs(from).subtract(days, 'day').format('YYYY-MM-DD'), to: dayjs(from).subtract(1, 'day').format('YYYY-MM-DD') };
}

/** dateRange: every date from `from` to `to` inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayjs(from); !d.isAfter(dayjs(to)); d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
  return out;
}

export interface EffectSeries {
  labels: string[];
  current: number[];
  previous: number[];
}

/** compareSeries: discount (fen) or sales per day of this period and the one before, aligned by position. */
export function compareSeries(current: PromotionEffect | undefined, previous: PromotionEffect | undefined, from: string, to: string, metric: 'discount' | 'sales'): EffectSeries {
  const days = dateRange(from, to);
  const prev = previousPeriod(from, to);
  const prevDays = dateRange(prev.from, prev.to);
  const byDate = (e: PromotionEffect | undefined) => new Map((e?.days ?? []).map((d) => [d.date, d]));
  const cur = byDate(current);
  const old = byDate(previous);
  const value = (d: { sales: number; discount: number } | undefined) => (d ? (metric === 'discount' ? d.discount : d.sales) : 0);
  return {
    labels: days.map((d) => d.slice(5)),
    current: days.map((d) => value(cur.get(d))),
    previous: prevDays.map((d) => value(old.get(d))),
  };
}
