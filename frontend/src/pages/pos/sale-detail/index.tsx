import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Button, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { PosAllocation, PosSaleLine, PosSaleTender } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { formatQuantity } from '../../../lib/quantity';
import { formatDateTime } from '../../../lib/time';
import { flagLabel, tenderLabel } from '../labels';
import { useReceipt, useRegisters, useSale, useSaleInvoices } from '../queries';

function Allocations({ allocations }: { allocations: PosAllocation[] }) {
  const { i18n } = useTranslation('pos');
  if (allocations.length === 0) return null;
  return (
    <Space direction="vertical" size={0}>
      {allocations.map((a, i) => (
        <Typography.Text key={i} type="secondary" style={{ fontSize: 12 }}>
          {i18n.language === 'en' ? a.label_en || a.label : a.label} −<Money fen={a.amount} />
        </Typography.Text>
      ))}
    </Space>
  );
}

export default function SaleDetailPage() {
  const { t, i18n } = useTranslation('pos');
  const { storeId = '', id = '' } = useParams();
  const zone = useTimeZone();
  const { can } = useAccess();
  const sale = useSale(storeId, id);
  const [receiptOpen, setReceiptOpen] = useState(false);
  const receipt = useReceipt(storeId, id, receiptOpen);
  const invoices = useSaleInvoices(storeId, id);
  const registers = useRegisters(can('pos.manage') ? storeId : null);

  if (sale.error) return <ErrorResult error={sale.error} onRetry={() => void sale.refetch()} />;
  if (!sale.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const s = sale.data;
  const register = registers.data?.find((r) => r.id === s.register_id);
  const en = i18n.language === 'en';
  const returns = (invoices.data ?? []).filter((inv) => inv.return_id);

  return (
    <PageContainer
      title={t('sales.detailTitle', { no: s.receipt_no })}
      onBack={() => history.back()}
      tags={
        <Space size={4}>
          <Tag color={s.status === 'completed' ? 'green' : 'default'}>{t(`sales.statuses.${s.status}`)}</Tag>
          {s.offline && <Tag>{t('sales.offline')}</Tag>}
          {(s.flags ?? []).map((f) => (
            <Tag key={f} color="orange">
              {flagLabel(t, f)}
            </Tag>
          ))}
        </Space>
      }
      extra={<Button onClick={() => setReceiptOpen(true)}>{t('sales.receipt')}</Button>}
    >
      <ProCard bordered>
        <ProDescriptions column={{ xs: 1, md: 2, lg: 3 }} bordered size="small">
          <ProDescriptions.Item label={t('sales.soldAt')}>{formatDateTime(s.sold_at, zone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.businessDate')}>{s.business_date}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.register')}>{register ? `${register.code} ${register.name}` : s.register_id}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.cashier')}>{s.cashier_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.member')}>{s.member_id ?? '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.shift')}>
            {can('pos.manage') ? <Link to={`/pos-admin/stores/${storeId}/shifts/${s.shift_id}`}>{t('common:actions.view')}</Link> : '—'}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('takings.gross')}><Money fen={s.gross} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('takings.discount')}><Money fen={s.discount} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('takings.rounding')}><Money fen={s.rounding} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.total')}><strong><Money fen={s.total} /></strong></ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.paid')}><Money fen={s.paid} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.change')}><Money fen={s.change_given} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.points')}>{t('sales.pointsValue', { earned: s.points_earned, used: s.points_used })}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.returned')}>{s.returned_total ? <Money fen={s.returned_total} /> : '—'}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>

      <ProCard title={t('sales.lines')} bordered headerBordered style={{ marginTop: 16 }}>
        <Table<PosSaleLine>
          size="small"
          rowKey="line_no"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={s.lines ?? []}
          columns={[
            { title: '#', dataIndex: 'line_no', width: 48 },
            { title: t('sales.item'), dataIndex: 'name', render: (_: unknown, l) => <>{l.name}<br /><Allocations allocations={l.allocations ?? []} /></> },
            { title: t('sales.barcode'), dataIndex: 'barcode' },
            { title: t('sales.qty'), dataIndex: 'qty', align: 'right', render: (q: number) => formatQuantity(q) },
            { title: t('sales.listPrice'), dataIndex: 'list_price', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('sales.unitPrice'), dataIndex: 'unit_price', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('takings.gross'), dataIndex: 'gross', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('takings.discount'), dataIndex: 'discount', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('sales.net'), dataIndex: 'net', align: 'right', render: (v: number) => <Money fen={v} /> },
            {
              title: t('sales.returnedQty'),
              dataIndex: 'returned_qty',
              align: 'right',
              render: (_: unknown, l) => (l.returned_qty ? <>{formatQuantity(l.returned_qty)} / <Money fen={l.returned_net} /></> : '—'),
            },
          ]}
        />
      </ProCard>

      <ProCard gutter={16} style={{ marginTop: 16 }} ghost wrap>
        <ProCard title={t('sales.tenders')} bordered headerBordered colSpan={{ xs: 24, lg: 12 }}>
          <Table<PosSaleTender>
            size="small"
            rowKey="tender_no"
            pagination={false}
            dataSource={s.tenders ?? []}
            columns={[
              { title: t('takings.tender'), dataIndex: 'method', render: (m: string) => tenderLabel(t, m) },
              { title: t('sales.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => <Money fen={v} /> },
              { title: t('sales.tendered'), dataIndex: 'tendered', align: 'right', render: (v: number) => (v ? <Money fen={v} /> : '—') },
              { title: t('takings.tenderRefunded'), dataIndex: 'refunded', align: 'right', render: (v: number) => (v ? <Money fen={v} /> : '—') },
            ]}
          />
        </ProCard>
        <ProCard title={t('sales.promotions')} bordered headerBordered colSpan={{ xs: 24, lg: 12 }}>
          <Table
            size="small"
            rowKey={(p) => `${p.promotion_id}-${p.coupon_id ?? ''}`}
            pagination={false}
            dataSource={s.promotions ?? []}
            locale={{ emptyText: t('sales.noPromotions') }}
            columns={[
              { title: t('sales.promotion'), dataIndex: 'name', render: (_: unknown, p) => (en ? p.name_en || p.name : p.name) },
              { title: t('sales.explanation'), dataIndex: 'explanation', render: (_: unknown, p) => (en ? p.explanation_en : p.explanation) },
              { title: t('takings.discount'), dataIndex: 'discount', align: 'right', render: (v: number) => <Money fen={v} /> },
            ]}
          />
        </ProCard>
      </ProCard>

      {s.returned_total > 0 && (
        <ProCard title={t('sales.returns')} bordered headerBordered style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">{t('sales.returnsHint')}</Typography.Paragraph>
          {returns.length > 0 && (
            <Space wrap>
              {returns.map((inv) => (
                <Link key={inv.id} to={`/pos-admin/stores/${storeId}/returns/${inv.return_id}`}>
                  {t('sales.returnLink', { date: formatDateTime(inv.requested_at, zone) })}
                </Link>
              ))}
            </Space>
          )}
        </ProCard>
      )}

      <Modal open={receiptOpen} title={t('sales.receipt')} footer={null} onCancel={() => setReceiptOpen(false)} width={520}>
        {receipt.error ? (
          <ErrorResult error={receipt.error} onRetry={() => void receipt.refetch()} />
        ) : receipt.data === undefined ? (
          <Spin style={{ display: 'block', margin: '32px auto' }} />
        ) : (
          <pre data-testid="receipt-text" style={{ fontFamily: 'monospace', fontSize: 12, whiteSpace: 'pre', overflowX: 'auto', background: '#fafafa', padding: 12 }}>
            {receipt.data}
          </pre>
        )}
      </Modal>
    </PageContainer>
  );
}
