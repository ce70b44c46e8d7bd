import type { PosDashboard } from '../../api/types';
import { formatMoney } from '../../lib/money';
import { formatQuantity } from '../../lib/quantity';

// The dashboard's data mapping: GET /dashboard → the figures and the
// ECharts options. Chart values stay integer fen (the axis and tooltips
// format them with formatMoney), so no amount is ever divided by a float.

/**
 * normalize: the lists as arrays. The server sends `null` for an empty list
 * (a day without sales) although the schema says array (API-GAPS).
 */
export function normalize(d: PosDashboard): PosDashboard {
  return { ...d, sales_by_store: d.sales_by_store ?? [], top_products: d.top_products ?? [], sales_by_hour: d.sales_by_hour ?? [] };
}

export type Trend = 'up' | 'down' | 'flat';

export interface Comparison {
  /** today − last week, in fen. */
  delta: bigint;
  /** The change in percent with one decimal ("12.5"), or null when last week had nothing. */
  percent: string | null;
  trend: Trend;
}

/** compare: today against the same weekday last week, by BigInt arithmetic (rounded half away from zero). */
export function compare(today: number | bigint, lastWeek: number | bigint): Comparison {
  const now = BigInt(today);
  const before = BigInt(lastWeek);
  const delta = now - before;
  const trend: Trend = delta > 0n ? 'up' : delta < 0n ? 'down' : 'flat';
  if (before === 0n) return { delta, percent: null, trend };
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const tenths = (abs(delta) * 2000n + abs(before)) / (2n * abs(before)); // round(|delta| / before × 1000)
  const text = `${tenths / 10n}.${tenths % 10n}`;
  return { delta, percent: delta < 0n ? `-${text}` : text, trend };
}

export interface DashboardFigures {
  sales: Comparison & { today: number };
  orders: Comparison & { today: number };
  /** Average ticket today in fen (integer division), or null without orders. */
  averageTicket: bigint | null;
  membersAdded: number;
  lowStock: number;
  nearExpiry: number;
}

export function figures(d: PosDashboard): DashboardFigures {
  return {
    sales: { ...compare(d.sales, d.same_day_last_week), today: d.sales },
    orders: { ...compare(d.orders, d.same_day_last_week_orders), today: d.orders },
    averageTicket: d.orders > 0 ? BigInt(d.sales) / BigInt(d.orders) : null,
    membersAdded: d.members_added,
    lowStock: d.low_stock,
    nearExpiry: d.near_expiry,
  };
}

/** hourly: takings for each hour 0–23 (hours without sales are 0), today's or (lastWeek) the same weekday's a week before. */
export function hourly(d: PosDashboard, lastWeek = false): number[] {
  const out = Array.from({ length: 24 }, () => 0);
  for (const h of d.sales_by_hour) if (h.hour >= 0 && h.hour < 24) out[h.hour] = (out[h.hour] ?? 0) + (lastWeek ? h.same_day_last_week : h.sales);
  return out;
}

/** byStore: stores by takings, best first (ties by code), for the bar chart. */
export function byStore(d: PosDashboard) {
  return [...d.sales_by_store].sort((a, b) => b.sales - a.sales || a.code.localeCompare(b.code));
}

interface Labels {
  sales: string;
  /** The same weekday a week before, as a series' name. */
  lastWeek: string;
  orders: string;
  qty: string;
  currency: string;
}

/** axisMoney labels a money axis tick; ECharts picks fractional ticks (0.2 fen) on an all-zero axis despite minInterval, so those stay blank. */
export const axisMoney = (v: number, currency: string) => (Number.isSafeInteger(v) ? formatMoney(v, currency).replace(/\.00$/, '') : '');

const moneyAxis = (currency: string) => ({ type: 'value' as const, minInterval: 1, axisLabel: { formatter: (v: number) => axisMoney(v, currency) } });

/** tooltipMoney formats an axis tooltip's money series and leaves counts as they are. */
const tooltip = (currency: string, moneySeries: string[]) => ({
  trigger: 'axis' as const,
  formatter: (params: { seriesName: string; value: number; axisValueLabel: string; marker: string }[]) => {
    const head = params[0]?.axisValueLabel ?? '';
    const rows = params.map((p) => `${p.marker}${p.seriesName}：${moneySeries.includes(p.seriesName) && Number.isSafeInteger(p.value) ? formatMoney(p.value, currency) : p.value}`);
    return [head, ...rows].join('<br/>');
  },
});

export function hourlyOption(d: PosDashboard, l: Labels) {
  return {
    tooltip: tooltip(l.currency, [l.sales, l.lastWeek]),
    legend: { data: [l.sales, l.lastWeek] },
    grid: { left: 64, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`) },
    yAxis: moneyAxis(l.currency),
    series: [
      { name: l.sales, type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: hourly(d) },
      { name: l.lastWeek, type: 'line', smooth: true, lineStyle: { type: 'dashed' }, symbol: 'none', data: hourly(d, true) },
    ],
  };
}

export function byStoreOption(d: PosDashboard, l: Labels) {
  const stores = byStore(d);
  return {
    tooltip: tooltip(l.currency, [l.sales, l.lastWeek]),
    legend: { data: [l.sales, l.lastWeek, l.orders] },
    grid: { left: 64, right: 48, top: 32, bottom: 48 },
    xAxis: { type: 'category', data: stores.map((s) => s.name), axisLabel: { interval: 0, width: 80, overflow: 'truncate' } },
    yAxis: [moneyAxis(l.currency), { type: 'value', minInterval: 1 }],
    series: [
      { name: l.sales, type: 'bar', data: stores.map((s) => s.sales), barMaxWidth: 36 },
      { name: l.lastWeek, type: 'bar', data: stores.map((s) => s.same_day_last_week), barMaxWidth: 36, itemStyle: { opacity: 0.45 } },
      { name: l.orders, type: 'line', yAxisIndex: 1, data: stores.map((s) => s.orders) },
    ],
  };
}

/** topProductsOption: the ten best sellers by takings, best on top, with their quantity in the label. */
export function topProductsOption(d: PosDashboard, l: Labels) {
  const top = [...d.top_products].sort((a, b) => b.sales - a.sales).slice(0, 10).reverse();
  return {
    tooltip: {
      trigger: 'axis' as const,
      formatter: (params: { dataIndex: number }[]) => {
        const p = top[params[0]?.dataIndex ?? 0];
        return p ? `${p.name}<br/>${l.sales}：${formatMoney(p.sales, l.currency)}<br/>${l.qty}：${formatQuantity(p.qty)}` : '';
      },
    },
    grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
    xAxis: moneyAxis(l.currency),
    yAxis: { type: 'category', data: top.map((p) => p.name), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ name: l.sales, type: 'bar', data: top.map((p) => p.sales), barMaxWidth: 20 }],
  };
}
