import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Card, InputNumber, Radio, Space, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlowMover, StockOutRow, StoreStockValue, TurnoverRow } from '../../../api/types';
import { useSession } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { Chart } from '../../../components/Chart';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { StorePicker, storeLabel, useStoreList } from '../../../components/StorePicker';
import { formatMoney, formatYuanInput } from '../../../lib/money';
import { formatDateTime } from '../../../lib/time';
import { qty } from '../lines';
import { useSlowMovers, useStockOuts, useStockValue, useTurnover } from '../queries';

/** percent: a rate (0.125) as "12.5%"; a display of a ratio the API computed, not money. */
const percent = (rate: number) => `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;

function StockValue() {
  const { t } = useTranslation('inventory');
  const { me } = useSession();
  const report = useStockValue(true);
  const rows = report.data?.data ?? [];
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const row = rows[params[0]?.dataIndex ?? -1];
          return row ? `${storeLabel({ name: row.store_name, code: row.store_code })}<br/>${row.stock_value === null ? '—' : formatMoney(row.stock_value, me.tenant.currency)}` : '';
        },
      },
      grid: { left: 80, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: rows.map((r) => r.store_code) },
      yAxis: { type: 'value', name: me.tenant.currency },
      // Bar heights in yuan (the formatter's text, read as a number); the tooltip and table show the exact fen.
      series: [{ type: 'bar', data: rows.map((r) => Number(formatYuanInput(r.stock_value ?? 0))) }],
    }),
    [rows, me.tenant.currency],
  );
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  const columns: ProColumns<StoreStockValue>[] = [
    { title: t('analysis.store'), dataIndex: 'store_name', render: (_, r) => storeLabel({ name: r.store_name, code: r.store_code }) },
    { title: t('analysis.skusInStock'), dataIndex: 'skus_in_stock', align: 'right' },
    { title: t('stock.value'), dataIndex: 'stock_value', align: 'right', render: (_, r) => (r.stock_value === null ? '—' : <Money fen={r.stock_value} />) },
    { title: t('stock.inTransit'), dataIndex: 'in_transit_qty', align: 'right', render: (_, r) => qty(r.in_transit_qty) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {rows.length > 0 && (
        <Card size="small">
          <Chart option={option} height={220} ariaLabel={t('analysis.stockValue')} />
        </Card>
      )}
      <ProTable<StoreStockValue> rowKey="store_id" search={false} options={false} pagination={false} loading={report.isLoading} dataSource={rows} columns={columns} locale={{ emptyText: t('analysis.empty') }} />
    </Space>
  );
}

function Turnover() {
  const { t } = useTranslation('inventory');
  const [days, setDays] = useState(30);
  const [groupBy, setGroupBy] = useState<'sku' | 'category' | 'store'>('category');
  const [storeId, setStoreId] = useState<string | undefined>();
  const report = useTurnover({ days, group_by: groupBy, store_id: storeId, limit: 100 }, true);
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  const columns: ProColumns<TurnoverRow>[] = [
    { title: t(`analysis.groupBy.${groupBy}`), dataIndex: 'label' },
    { title: t('analysis.startValue'), dataIndex: 'start_value', align: 'right', render: (_, r) => (r.start_value === null ? '—' : <Money fen={r.start_value} />) },
    { title: t('analysis.endValue'), dataIndex: 'end_value', align: 'right', render: (_, r) => (r.end_value === null ? '—' : <Money fen={r.end_value} />) },
    { title: t('analysis.avgValue'), dataIndex: 'avg_value', align: 'right', render: (_, r) => (r.avg_value === null ? '—' : <Money fen={r.avg_value} />) },
    { title: t('analysis.cogs'), dataIndex: 'cogs', align: 'right', render: (_, r) => (r.cogs === null ? '—' : <Money fen={r.cogs} />) },
    { title: t('analysis.turnoverDays'), dataIndex: 'turnover_days', align: 'right', render: (_, r) => (r.turnover_days === null ? t('analysis.noSales') : r.turnover_days.toFixed(1)) },
  ];
  return (
    <ProTable<TurnoverRow>
      rowKey="key"
      search={false}
      options={false}
      loading={report.isLoading}
      dataSource={report.data?.data}
      columns={columns}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: t('analysis.empty') }}
      toolBarRender={() => [
        <Space key="params" wrap>
          <Radio.Group
            value={groupBy}
            optionType="button"
            onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}
            options={(['sku', 'category', 'store'] as const).map((g) => ({ value: g, label: t(`analysis.groupBy.${g}`) }))}
          />
          <InputNumber min={1} max={365} precision={0} value={days} onChange={(v) => setDays(v ?? 30)} suffix={t('thresholds.days')} aria-label={t('analysis.days')} />
          <StorePicker value={storeId} onChange={setStoreId} aria-label={t('analysis.store')} />
        </Space>,
      ]}
    />
  );
}

function SlowMovers() {
  const { t } = useTranslation('inventory');
  const timeZone = useTimeZone();
  const stores = useStoreList();
  const [days, setDays] = useState(30);
  const [storeId, setStoreId] = useState<string | undefined>();
  const report = useSlowMovers({ days, store_id: storeId, limit: 200 }, true);
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  const storeName = new Map((stores.data ?? []).map((s) => [s.id, storeLabel(s)]));
  const columns: ProColumns<SlowMover>[] = [
    { title: t('analysis.store'), dataIndex: 'store_id', render: (_, r) => storeName.get(r.store_id) ?? r.store_id },
    { title: t('stock.skuCode'), dataIndex: 'sku_code' },
    { title: t('stock.skuName'), dataIndex: 'sku_name', ellipsis: true },
    { title: t('stock.onHand'), dataIndex: 'on_hand', align: 'right', render: (_, r) => qty(r.on_hand) },
    { title: t('stock.value'), dataIndex: 'stock_value', align: 'right', render: (_, r) => (r.stock_value === null ? '—' : <Money fen={r.stock_value} />) },
    { title: t('stock.lastSale'), dataIndex: 'last_sale_at', render: (_, r) => formatDateTime(r.last_sale_at, timeZone) || t('analysis.never') },
  ];
  return (
    <ProTable<SlowMover>
      rowKey={(r) => `${r.store_id}-${r.sku_id}`}
      search={false}
      options={false}
      loading={report.isLoading}
      dataSource={report.data?.data}
      columns={columns}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: t('analysis.noSlowMovers') }}
      toolBarRender={() => [
        <Space key="params">
          {t('analysis.noSaleFor')}
          <InputNumber min={1} max={365} precision={0} value={days} onChange={(v) => setDays(v ?? 30)} suffix={t('thresholds.days')} aria-label={t('analysis.days')} />
          <StorePicker value={storeId} onChange={setStoreId} aria-label={t('analysis.store')} />
        </Space>,
      ]}
    />
  );
}

function StockOuts() {
  const { t } = useTranslation('inventory');
  const report = useStockOuts(true);
  const rows = report.data?.data ?? [];
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: rows.map((r) => r.store_code) },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: [{ type: 'bar', data: rows.map((r) => Math.round(r.rate * 1000) / 10), itemStyle: { color: '#fa541c' } }],
    }),
    [rows],
  );
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  const columns: ProColumns<StockOutRow>[] = [
    { title: t('analysis.store'), dataIndex: 'store_code' },
    { title: t('analysis.stockedSkus'), dataIndex: 'stocked_skus', align: 'right' },
    { title: t('analysis.outOfStockSkus'), dataIndex: 'out_of_stock_skus', align: 'right' },
    { title: t('analysis.rate'), dataIndex: 'rate', align: 'right', render: (_, r) => percent(r.rate) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {rows.length > 0 && (
        <Card size="small">
          <Chart option={option} height={220} ariaLabel={t('analysis.stockOuts')} />
        </Card>
      )}
      <ProTable<StockOutRow> rowKey="store_id" search={false} options={false} pagination={false} loading={report.isLoading} dataSource={rows} columns={columns} locale={{ emptyText: t('analysis.empty') }} />
    </Space>
  );
}

export default function AnalysisPage() {
  const { t } = useTranslation('inventory');
  return (
    <PageContainer title={t('analysis.title')} subTitle={t('analysis.subtitle')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'value', label: t('analysis.stockValue'), children: <StockValue /> },
          { key: 'turnover', label: t('analysis.turnover'), children: <Turnover /> },
          { key: 'slow', label: t('analysis.slowMovers'), children: <SlowMovers /> },
          { key: 'outs', label: t('analysis.stockOuts'), children: <StockOuts /> },
        ]}
      />
    </PageContainer>
  );
}
