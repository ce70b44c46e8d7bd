import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Spin, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { formatQuantity } from '../../../lib/quantity';
import { formatDateTime } from '../../../lib/time';
import { tenderLabel } from '../labels';
import { useStaffNames } from '../../users/queries';
import { useReturn } from '../queries';

export default function ReturnDetailPage() {
  const { t } = useTranslation('pos');
  const { storeId = '', id = '' } = useParams();
  const zone = useTimeZone();
  const { can } = useAccess();
  const ret = useReturn(storeId, id);
  const staff = useStaffNames(can('users.read'));

  if (ret.error) return <ErrorResult error={ret.error} onRetry={() => void ret.refetch()} />;
  if (!ret.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const r = ret.data;

  return (
    <PageContainer
      title={t(r.kind === 'void' ? 'returns.voidTitle' : 'returns.title', { no: r.receipt_no })}
      onBack={() => history.back()}
      tags={<Tag>{t(`returns.kinds.${r.kind}`)}</Tag>}
    >
      <ProCard bordered>
        <ProDescriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <ProDescriptions.Item label={t('returns.sale')}>
            <Link to={`/pos-admin/stores/${storeId}/sales/${r.sale_id}`}>{r.receipt_no}</Link>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('returns.at')}>{formatDateTime(r.returned_at, zone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.businessDate')}>{r.business_date}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('sales.cashier')}>{staff.data?.get(r.cashier_id) ?? r.cashier_id}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('returns.approvedBy')}>{r.approved_by ? (staff.data?.get(r.approved_by) ?? r.approved_by) : '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('returns.reason')}>{r.reason || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('returns.refundTotal')}><strong><Money fen={r.refund_total} /></strong></ProDescriptions.Item>
          <ProDescriptions.Item label={t('returns.pointsReversed')}>{r.points_reversed}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      <ProCard title={t('sales.lines')} bordered headerBordered style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="line_no"
          pagination={false}
          dataSource={r.lines ?? []}
          columns={[
            { title: t('returns.lineNo'), dataIndex: 'line_no' },
            { title: t('sales.qty'), dataIndex: 'qty', align: 'right', render: (q: number) => formatQuantity(q) },
            { title: t('returns.refund'), dataIndex: 'refund', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('returns.restock'), dataIndex: 'restock', render: (v: boolean) => (v ? t('returns.restocked') : t('returns.damaged')) },
            { title: t('returns.cost'), dataIndex: 'cost', align: 'right', render: (v: number) => <Money fen={v} /> },
          ]}
        />
      </ProCard>
      <ProCard title={t('sales.tenders')} bordered headerBordered style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="tender_no"
          pagination={false}
          dataSource={r.tenders ?? []}
          locale={{ emptyText: t('returns.noRefund') }}
          columns={[
            { title: t('takings.tender'), dataIndex: 'method', render: (m: string) => tenderLabel(t, m) },
            { title: t('sales.amount'), dataIndex: 'amount', align: 'right', render: (v: number) => <Money fen={v} /> },
            { title: t('returns.status'), dataIndex: 'status', render: (v: string) => t(`returns.tenderStatuses.${v}`) },
          ]}
        />
      </ProCard>
    </PageContainer>
  );
}
