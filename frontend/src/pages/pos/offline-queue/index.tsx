import { PageContainer, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Popconfirm, Segmented, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PosOfflineQueueEntry } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { flagLabel } from '../labels';
import { StoreRequired } from '../StoreRequired';
import { useOfflineQueue, useRegisters, useReviewOffline } from '../queries';

type Status = 'flagged' | 'accepted' | 'reviewed' | 'all';

function Queue({ storeId }: { storeId: string }) {
  const { t } = useTranslation('pos');
  const zone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const [status, setStatus] = useState<Status>('flagged');
  const [registerId, setRegisterId] = useState<string | undefined>();
  const registers = useRegisters(storeId);
  const registerCode = new Map((registers.data ?? []).map((r) => [r.id, r.code]));
  const queue = useOfflineQueue(storeId, { ...(status === 'all' ? {} : { status }), ...(registerId ? { register_id: registerId } : {}) });
  const review = useReviewOffline(storeId);

  if (queue.error) return <ErrorResult error={queue.error} onRetry={() => void queue.refetch()} />;

  const columns: ProColumns<PosOfflineQueueEntry>[] = [
    {
      title: t('sales.receiptNo'),
      dataIndex: 'receipt_no',
      render: (_, e) => <Link to={`/pos-admin/stores/${storeId}/sales/${e.sale_id}`}>{e.receipt_no}</Link>,
    },
    { title: t('sales.register'), dataIndex: 'register_id', render: (_, e) => registerCode.get(e.register_id) ?? '—' },
    { title: t('sales.cashier'), dataIndex: 'cashier_name', render: (_, e) => e.cashier_name || '—' },
    { title: t('sales.soldAt'), dataIndex: 'sold_at', render: (_, e) => formatDateTime(e.sold_at, zone) },
    { title: t('offline.uploadedAt'), dataIndex: 'uploaded_at', render: (_, e) => formatDateTime(e.uploaded_at, zone) },
    { title: t('sales.total'), dataIndex: 'total', align: 'right', render: (_, e) => <Money fen={e.total} /> },
    { title: t('offline.status'), dataIndex: 'status', render: (_, e) => <Tag color={e.status === 'flagged' ? 'orange' : 'default'}>{t(`offline.statuses.${e.status}`)}</Tag> },
    {
      title: t('sales.flags'),
      dataIndex: 'flags',
      render: (_, e) => (
        <Space size={4} wrap>
          {(e.flags ?? []).map((f) => (
            <Tag key={f} color="orange">
              {flagLabel(t, f)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('offline.reviewed'),
      dataIndex: 'reviewed_at',
      render: (_, e) => (e.reviewed_at ? `${e.reviewed_by_name} ${formatDateTime(e.reviewed_at, zone)}`.trim() : '—'),
    },
    {
      title: t('common:actions.more'),
      valueType: 'option',
      render: (_, e) =>
        e.status === 'flagged' && (
          <Popconfirm
            title={t('offline.reviewConfirm', { no: e.receipt_no })}
            onConfirm={async () => {
              try {
                await review.mutateAsync(e.sale_id);
                void message.success(t('offline.reviewedDone'));
              } catch (err) {
                showError(err);
              }
            }}
          >
            <a>{t('offline.review')}</a>
          </Popconfirm>
        ),
    },
  ];

  return (
    <ProTable<PosOfflineQueueEntry>
      rowKey="sale_id"
      headerTitle={
        <Space wrap>
          <Segmented<Status>
            value={status}
            onChange={setStatus}
            options={(['flagged', 'accepted', 'reviewed', 'all'] as const).map((s) => ({ value: s, label: t(`offline.filters.${s}`) }))}
          />
          <Select
            allowClear
            aria-label={t('sales.register')}
            placeholder={t('offline.anyRegister')}
            style={{ width: 180 }}
            value={registerId}
            onChange={setRegisterId}
            options={(registers.data ?? []).map((r) => ({ value: r.id, label: `${r.code} ${r.name}` }))}
          />
        </Space>
      }
      search={false}
      loading={queue.isLoading}
      dataSource={queue.data ?? []}
      columns={columns}
      pagination={{ defaultPageSize: 20, showSizeChanger: false }}
      scroll={{ x: 'max-content' }}
      options={{ density: false, reload: () => void queue.refetch(), setting: true }}
      locale={{ emptyText: t('offline.empty') }}
    />
  );
}

export default function OfflineQueuePage() {
  const { t } = useTranslation('pos');
  return (
    <PageContainer title={t('offline.title')} subTitle={t('offline.subtitle')}>
      <StoreRequired>{(storeId) => <Queue key={storeId} storeId={storeId} />}</StoreRequired>
    </PageContainer>
  );
}
