import { PageContainer, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Card, Popconfirm, Space, Spin, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { FinSettlement } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useFranchiseeOptions, useStoreOptions } from '../../org/queries';
import { usePostSettlement, useSettlement } from '../queries';

export default function SettlementDetailPage() {
  const { t } = useTranslation('finance');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const settlement = useSettlement(id);
  const post = usePostSettlement(id);
  const idempotency = useIdempotencyKey();
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const stores = useStoreOptions(can('stores.read'));

  if (settlement.error) return <ErrorResult error={settlement.error} onRetry={() => void settlement.refetch()} />;
  if (!settlement.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const s = settlement.data;
  const storeName = (sid: string) => stores.data?.find((x) => x.id === sid)?.name ?? sid.slice(0, 8);

  const doPost = async () => {
    try {
      await post.mutateAsync(idempotency.key());
      idempotency.rotate();
      void message.success(t('settlements.posted'));
    } catch (e) {
      showError(e);
    }
  };

  return (
    <PageContainer
      title={t('settlements.detailTitle', { period: `${s.year}-${String(s.month).padStart(2, '0')}` })}
      onBack={() => navigate('/finance/settlements')}
      tags={<Tag color={s.status === 'posted' ? 'green' : 'processing'}>{t(`settlementStatuses.${s.status}`)}</Tag>}
      extra={
        can('finance.approve') &&
        s.status === 'draft' && (
          <Popconfirm title={t('settlements.postConfirm')} onConfirm={doPost}>
            <Button type="primary" loading={post.isPending}>
              {t('settlements.post')}
            </Button>
          </Popconfirm>
        )
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <ProDescriptions column={{ xs: 1, sm: 2, md: 3 }} bordered size="small">
          <ProDescriptions.Item label={t('rules.franchisee')}>{franchisees.data?.find((f) => f.id === s.franchisee_id)?.name ?? '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.netSales')}><Money fen={s.net_sales} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.royalty')}><Money fen={s.royalty} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.supplies')}><Money fen={s.supplies} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.payments')}><Money fen={s.payments} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.balanceDue')}><Money fen={s.balance_due} /></ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.createdAt')}>{formatDateTime(s.created_at, timeZone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.postedAt')}>{formatDateTime(s.posted_at, timeZone) || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('settlements.postedBy')}>{s.posted_by_name || '—'}</ProDescriptions.Item>
        </ProDescriptions>
        <Card size="small" title={t('settlements.stores')}>
          <Table<FinSettlement['stores'][number]>
            rowKey="store_id"
            size="small"
            pagination={false}
            dataSource={s.stores}
            columns={[
              { title: t('fields.store'), dataIndex: 'store_id', render: storeName },
              { title: t('settlements.netSales'), dataIndex: 'net_sales', align: 'right', render: (f: number) => <Money fen={f} /> },
              { title: t('settlements.royalty'), dataIndex: 'royalty', align: 'right', render: (f: number) => <Money fen={f} /> },
            ]}
          />
        </Card>
      </Space>
    </PageContainer>
  );
}
