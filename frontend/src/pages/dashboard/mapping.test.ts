import { describe, expect, it } from 'vitest';
import type { PosDashboard } from '../../api/types';
import { byStore, byStoreOption, compare, figures, hourly, hourlyOption, normalize, topProductsOption } from './mapping';

const dashboard = (over: Partial<PosDashboard> = {}): PosDashboard => ({
  today: '2026-03-02',
  sales: 123456,
  orders: 40,
  same_day_last_week: 100000,
  same_day_last_week_orders: 50,
  members_added: 3,
  low_stock: 2,
  near_expiry: 1,
  sales_by_store: [
    { store_id: 'a', code: 'SH002', name: '徐家汇店', sales: 23456, orders: 10, same_day_last_week: 40000, same_day_last_week_orders: 20 },
    { store_id: 'b', code: 'SH001', name: '人民广场店', sales: 100000, orders: 30, same_day_last_week: 60000, same_day_last_week_orders: 30 },
  ],
  top_products: Array.from({ length: 12 }, (_, i) => ({ sku_id: `s${i}`, name: `商品${i}`, qty: (i + 1) * 1000, sales: (i + 1) * 100 })),
  sales_by_hour: [
    { hour: 9, sales: 23456, same_day_last_week: 0 },
    { hour: 10, sales: 0, same_day_last_week: 100000 },
    { hour: 18, sales: 100000, same_day_last_week: 0 },
  ],
  ...over,
});

const labels = { sales: '销售额', lastWeek: '上周同日', orders: '订单数', qty: '销量', currency: 'CNY' };

describe('the dashboard figures', () => {
  it('compares today with the same day last week in exact integers', () => {
    expect(compare(123456, 100000)).toEqual({ delta: 23456n, percent: '23.5', trend: 'up' });
    expect(compare(40, 50)).toEqual({ delta: -10n, percent: '-20.0', trend: 'down' });
    expect(compare(0, 0)).toEqual({ delta: 0n, percent: null, trend: 'flat' });
    expect(compare(500, 0)).toEqual({ delta: 500n, percent: null, trend: 'up' });
    // 1/3 → 33.3%, 2/3 → 66.7% (half away from zero)
    expect(compare(4, 3).percent).toBe('33.3');
    expect(compare(5, 3).percent).toBe('66.7');
    // Past 2^53 fen the percentage still has every digit right.
    expect(compare(9007199254740993n, 9007199254740992n).delta).toBe(1n);
  });

  it('derives the average ticket by integer division, and none without orders', () => {
    expect(figures(dashboard()).averageTicket).toBe(3086n);
    expect(figures(dashboard({ orders: 0, sales: 0 })).averageTicket).toBeNull();
    expect(figures(dashboard())).toMatchObject({ membersAdded: 3, lowStock: 2, nearExpiry: 1 });
  });

  it('fills the 24 hours and sorts stores best first', () => {
    const h = hourly(dashboard());
    expect(h).toHaveLength(24);
    expect(h[9]).toBe(23456);
    expect(h[18]).toBe(100000);
    expect(h[0]).toBe(0);
    expect(h[10]).toBe(0);
    expect(hourly(dashboard(), true)[10]).toBe(100000);
    expect(byStore(dashboard()).map((s) => s.code)).toEqual(['SH001', 'SH002']);
  });
});

describe('the chart options', () => {
  it('keep money in fen and format it on the axis and in the tooltip', () => {
    const option = byStoreOption(dashboard(), labels);
    expect(option.xAxis.data).toEqual(['人民广场店', '徐家汇店']);
    expect(option.series[0]?.data).toEqual([100000, 23456]);
    // Last week's bars beside today's, in the same store order; the orders line after them.
    expect(option.series[1]?.data).toEqual([60000, 40000]);
    expect(option.series[2]?.data).toEqual([30, 10]);
    expect(hourlyOption(dashboard(), labels).series[1]?.data[10]).toBe(100000);
    expect(hourlyOption(dashboard(), labels).tooltip.formatter([{ seriesName: '上周同日', value: 100000, axisValueLabel: '10:00', marker: '' }])).toBe('10:00<br/>上周同日：¥1,000.00');
    expect(hourlyOption(dashboard(), labels).yAxis.axisLabel.formatter(123400)).toBe('¥1,234');
    expect(option.tooltip.formatter([{ seriesName: '销售额', value: 23456, axisValueLabel: '徐家汇店', marker: '' }])).toBe('徐家汇店<br/>销售额：¥234.56');
    expect(hourlyOption(dashboard(), labels).series[0]?.data[18]).toBe(100000);
  });

  it('shows the ten best sellers, best on top', () => {
    const option = topProductsOption(dashboard(), labels);
    expect(option.yAxis.data).toHaveLength(10);
    expect(option.yAxis.data.at(-1)).toBe('商品11');
    expect(option.series[0]?.data.at(-1)).toBe(1200);
    expect(option.tooltip.formatter([{ dataIndex: 9 }])).toBe('商品11<br/>销售额：¥12.00<br/>销量：12');
  });
});

describe('an empty day', () => {
  it('takes the null lists the server sends for a day without sales as empty', () => {
    const empty = normalize({ ...dashboard({ sales: 0, orders: 0, same_day_last_week: 0 }), sales_by_store: null, top_products: null, sales_by_hour: null } as unknown as PosDashboard);
    expect(hourly(empty)).toEqual(Array.from({ length: 24 }, () => 0));
    expect(byStoreOption(empty, labels).series[0]?.data).toEqual([]);
    expect(topProductsOption(empty, labels).yAxis.data).toEqual([]);
    expect(figures(empty).sales).toMatchObject({ percent: null, trend: 'flat' });
    // An all-zero axis gets fractional ticks from ECharts: blank, never a crash.
    expect(hourlyOption(empty, labels).yAxis.axisLabel.formatter(0.2)).toBe('');
    expect(hourlyOption(empty, labels).yAxis.axisLabel.formatter(0)).toBe('¥0');
  });
});
