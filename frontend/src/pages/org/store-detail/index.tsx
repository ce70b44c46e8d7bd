import { PageContainer, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Popconfirm, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAccess, useSession } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDate, formatDateTime } from '../../../lib/time';
import { StoreForm } from '../StoreForm';
import { useFranchiseeOptions, useStore, useUpdateStore } from '../queries';

export default function StoreDetailPage() {
  const { t } = useTranslation('org');
  const { id = '' } = useParams();
  const { me } = useSession();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const store = useStore(id);
  const update = useUpdateStore(id);
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const [editing, setEditing] = useState(false);

  if (store.error) return <ErrorResult error={store.error} onRetry={() => void store.refetch()} />;
  if (!store.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const s = store.data;
  const franchisee = franchisees.data?.find((f) => f.id === s.franchisee_id);

  const setStatus = async (status: 'active' | 'closed') => {
    try {
      await update.mutateAsync({ status });
      void message.success(status === 'closed' ? t('stores.closed') : t('stores.reopened'));
    } catch (e) {
      showError(e);
    }
  };

  return (
    <PageContainer
      title={`${s.name}（${s.code}）`}
      onBack={() => history.back()}
      tags={<Tag color={s.status === 'active' ? 'green' : 'default'}>{t(`stores.statuses.${s.status}`)}</Tag>}
      extra={
        can('stores.update') && (
          <Space>
            <Button onClick={() => setEditing(true)}>{t('common:actions.edit')}</Button>
            {s.status === 'active' ? (
              <Popconfirm title={t('stores.closeConfirm', { name: s.name })} onConfirm={() => setStatus('closed')}>
                <Button danger loading={update.isPending}>
                  {t('stores.close')}
                </Button>
              </Popconfirm>
            ) : (
              <Button onClick={() => void setStatus('active')} loading={update.isPending}>
                {t('stores.reopen')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <ProDescriptions column={2} bordered>
        <ProDescriptions.Item label={t('stores.code')}>{s.code}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.name')}>{s.name}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.type')}>{t(`stores.types.${s.type}`)}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.franchisee')}>
          {s.franchisee_id ? <Link to={`/org/franchisees/${s.franchisee_id}`}>{franchisee?.name ?? s.franchisee_id}</Link> : '—'}
        </ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.address')}>{s.address || '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.phone')}>{s.phone || '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.timeZone')}>{s.time_zone}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.openedAt')}>{formatDate(s.opened_at, s.time_zone) || '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.closedAt')}>{formatDateTime(s.closed_at, s.time_zone) || '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('stores.createdAt')}>{formatDateTime(s.created_at, s.time_zone)}</ProDescriptions.Item>
        {can('users.read') && (
          <ProDescriptions.Item label={t('stores.staff')}>
            <Link to={`/staff/users?store_id=${s.id}`}>{t('common:actions.view')}</Link>
          </ProDescriptions.Item>
        )}
      </ProDescriptions>
      <StoreForm
        store={s}
        open={editing}
        onOpenChange={setEditing}
        chainTimeZone={me.tenant.time_zone}
        franchisees={franchisees.data ?? []}
        onSubmit={async (input) => {
          await update.mutateAsync(input);
          void message.success(t('common:state.saved'));
        }}
      />
    </PageContainer>
  );
}
