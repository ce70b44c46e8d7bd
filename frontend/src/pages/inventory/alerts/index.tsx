import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Button, Dropdown, Empty, InputNumber, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ExpiringLot, ReplenishmentLine, StockAlert } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { StorePicker, useWorkingStore } from '../../../components/StorePicker';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { qty } from '../lines';
import { downloadReplenishment, fetchAlerts, useNearExpiry, useReplenishment } from '../queries';

const alertColor: Record<StockAlert['kind'], string> = { out_of_stock: 'red', low_stock: 'orange', overstock: 'blue' };

function Alerts({ storeId }: { storeId: string }) {
  const { t } = useTranslation('inventory');
  const columns: ProColumns<StockAlert>[] = [
    {
      title: t('alerts.kind'),
      dataIndex: 'kind',
      valueType: 'select',
      valueEnum: Object.fromEntries((['out_of_stock', 'low_stock', 'overstock'] as const).map((k) => [k, { text: t(`alerts.kinds.${k}`) }])),
      render: (_, a) => <Tag color={alertColor[a.kind]}>{t(`alerts.kinds.${a.kind}`)}</Tag>,
    },
    { title: t('stock.skuCode'), dataIndex: 'sku_code', search: false, render: (_, a) => <Link to={`/inventory/stock/${a.store_id}/${a.sku_id}`}>{a.sku_code}</Link> },
    { title: t('stock.skuName'), dataIndex: 'sku_name', search: false },
    { title: t('stock.onHand'), dataIndex: 'on_hand', search: false, align: 'right', render: (_, a) => qty(a.on_hand) },
    { title: t('alerts.threshold'), dataIndex: 'threshold', search: false, align: 'right', render: (_, a) => qty(a.threshold) },
  ];
  return <CursorTable<StockAlert> key={storeId} rowKey={(a) => `${a.sku_id}-${a.kind}`} headerTitle={t('alerts.title')} columns={columns} fetchPage={fetchAlerts(storeId)} locale={{ emptyText: t('alerts.empty') }} />;
}

function NearExpiry({ storeId }: { storeId: string }) {
  const { t } = useTranslation('inventory');
  const timeZone = useTimeZone();
  const [days, setDays] = useState<number | undefined>();
  const lots = useNearExpiry(storeId, days);
  if (lots.error) return <ErrorResult error={lots.error} onRetry={() => void lots.refetch()} />;
  const columns: ProColumns<ExpiringLot>[] = [
    { title: t('stock.skuCode'), dataIndex: 'sku_code', render: (_, l) => <Link to={`/inventory/stock/${l.store_id}/${l.sku_id}`}>{l.sku_code}</Link> },
    { title: t('stock.skuName'), dataIndex: 'sku_name' },
    { title: t('nearExpiry.expiryDate'), dataIndex: 'expiry_date' },
    {
      title: t('nearExpiry.daysLeft'),
      dataIndex: 'days_left',
      align: 'right',
      render: (_, l) => <Typography.Text type={l.days_left < 0 ? 'danger' : l.days_left <= 3 ? 'warning' : undefined}>{l.days_left < 0 ? t('nearExpiry.expired') : l.days_left}</Typography.Text>,
    },
    { title: t('nearExpiry.remaining'), dataIndex: 'remaining_qty', align: 'right', render: (_, l) => qty(l.remaining_qty, l.unit) },
    { title: t('nearExpiry.receivedAt'), dataIndex: 'received_at', render: (_, l) => formatDateTime(l.received_at, timeZone) },
  ];
  return (
    <ProTable<ExpiringLot>
      rowKey="lot_id"
      headerTitle={t('nearExpiry.title', { days: lots.data?.within_days ?? '…' })}
      search={false}
      options={false}
      loading={lots.isLoading}
      dataSource={lots.data?.data}
      columns={columns}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      locale={{ emptyText: t('nearExpiry.empty') }}
      toolBarRender={() => [
        <Space key="days">
          {t('nearExpiry.within')}
          <InputNumber min={0} max={365} precision={0} value={days} placeholder={String(lots.data?.within_days ?? '')} onChange={(v) => setDays(v ?? undefined)} aria-label={t('nearExpiry.within')} />
          {t('thresholds.days')}
        </Space>,
      ]}
    />
  );
}

function Replenishment({ storeId }: { storeId: string }) {
  const { t } = useTranslation('inventory');
  const { can } = useAccess();
  const showError = useShowError();
  const [days, setDays] = useState(28);
  const [reviewDays, setReviewDays] = useState<number | undefined>();
  const plan = useReplenishment(storeId, days, reviewDays, can('inventory.write'));
  if (!can('inventory.write')) return <Empty description={t('replenishment.needsWrite')} />;
  if (plan.error) return <ErrorResult error={plan.error} onRetry={() => void plan.refetch()} />;
  const columns: ProColumns<ReplenishmentLine>[] = [
    { title: t('stock.skuCode'), dataIndex: 'sku_code' },
    { title: t('stock.skuName'), dataIndex: 'sku_name', ellipsis: true },
    { title: t('stock.onHand'), dataIndex: 'on_hand', align: 'right', render: (_, l) => qty(l.on_hand) },
    { title: t('stock.inTransit'), dataIndex: 'in_transit', align: 'right', render: (_, l) => qty(l.in_transit) },
    { title: t('replenishment.onOrder'), dataIndex: 'on_order', align: 'right', render: (_, l) => qty(l.on_order) },
    { title: t('replenishment.daily'), dataIndex: 'daily_qty', align: 'right', render: (_, l) => qty(l.daily_qty) },
    { title: t('thresholds.safety'), dataIndex: 'safety_qty', align: 'right', render: (_, l) => qty(l.safety_qty) },
    { title: t('thresholds.leadTime'), dataIndex: 'lead_time_days', align: 'right' },
    { title: t('replenishment.suggested'), dataIndex: 'suggested_qty', align: 'right', render: (_, l) => <Typography.Text strong>{qty(l.suggested_qty)}</Typography.Text> },
    { title: t('replenishment.amount'), dataIndex: 'amount', align: 'right', render: (_, l) => <Money fen={l.amount} /> },
  ];
  const download = async (format: 'csv' | 'xlsx') => {
    try {
      await downloadReplenishment(storeId, days, reviewDays, format);
    } catch (e) {
      showError(e);
    }
  };
  return (
    <ProTable<ReplenishmentLine>
      rowKey="sku_id"
      headerTitle={
        <Space size="large">
          {t('replenishment.title')}
          {plan.data && <Statistic valueRender={() => <Money fen={plan.data.amount} />} title={null} />}
        </Space>
      }
      search={false}
      options={false}
      loading={plan.isLoading}
      dataSource={plan.data?.lines}
      columns={columns}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('replenishment.empty') }}
      toolBarRender={() => [
        <Space key="params">
          {t('replenishment.days')}
          <InputNumber min={1} max={365} precision={0} value={days} onChange={(v) => setDays(v ?? 28)} aria-label={t('replenishment.days')} />
          {t('replenishment.reviewDays')}
          <InputNumber min={0} max={90} precision={0} value={reviewDays} placeholder={String(plan.data?.review_days ?? '')} onChange={(v) => setReviewDays(v ?? undefined)} aria-label={t('replenishment.reviewDays')} />
        </Space>,
        <Dropdown
          key="download"
          menu={{
            items: [
              { key: 'csv', label: 'CSV' },
              { key: 'xlsx', label: 'Excel (XLSX)' },
            ],
            onClick: ({ key }) => void download(key as 'csv' | 'xlsx'),
          }}
        >
          <Button icon={<DownloadOutlined />}>{t('replenishment.download')}</Button>
        </Dropdown>,
      ]}
    />
  );
}

export default function AlertsPage() {
  const { t } = useTranslation('inventory');
  const [storeId, setStoreId] = useWorkingStore();
  return (
    <PageContainer title={t('alerts.pageTitle')} subTitle={t('alerts.subtitle')} extra={<StorePicker value={storeId} onChange={setStoreId} aria-label={t('stock.store')} />}>
      {!storeId ? (
        <Empty description={t('stock.pickStore')} />
      ) : (
        <Tabs
          destroyOnHidden
          items={[
            { key: 'alerts', label: t('alerts.title'), children: <Alerts storeId={storeId} /> },
            { key: 'expiry', label: t('nearExpiry.tab'), children: <NearExpiry storeId={storeId} /> },
            { key: 'replenishment', label: t('replenishment.title'), children: <Replenishment storeId={storeId} /> },
          ]}
        />
      )}
    </PageContainer>
  );
}
