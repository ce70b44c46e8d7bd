import { PageContainer, ProCard, ProDescriptions, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Popconfirm, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Store } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { FranchiseeForm } from '../FranchiseeForm';
import { fetchStores, useFranchisee, useUpdateFranchisee } from '../queries';

export default function FranchiseeDetailPage() {
  const { t } = useTranslation('org');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const franchisee = useFranchisee(id);
  const update = useUpdateFranchisee(id);
  const [editing, setEditing] = useState(false);

  if (franchisee.error) return <ErrorResult error={franchisee.error} onRetry={() => void franchisee.refetch()} />;
  if (!franchisee.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const f = franchisee.data;

  const setStatus = async (status: 'active' | 'terminated') => {
    try {
      await update.mutateAsync({ status });
      void message.success(status === 'terminated' ? t('franchisees.terminated') : t('franchisees.reactivated'));
    } catch (e) {
      showError(e);
    }
  };

  const storeColumns: ProColumns<Store>[] = [
    { title: t('stores.code'), dataIndex: 'code', render: (_, s) => <Link to={`/org/stores/${s.id}`}>{s.code}</Link> },
    { title: t('stores.name'), dataIndex: 'name' },
    { title: t('stores.status'), dataIndex: 'status', render: (_, s) => t(`stores.statuses.${s.status}`) },
  ];

  return (
    <PageContainer
      title={f.name}
      onBack={() => history.back()}
      tags={<Tag color={f.status === 'active' ? 'green' : 'default'}>{t(`franchisees.statuses.${f.status}`)}</Tag>}
      extra={
        can('franchisees.write') && (
          <Space>
            <Button onClick={() => setEditing(true)}>{t('common:actions.edit')}</Button>
            {f.status === 'active' ? (
              <Popconfirm title={t('franchisees.terminateConfirm', { name: f.name })} onConfirm={() => setStatus('terminated')}>
                <Button danger>{t('franchisees.terminate')}</Button>
              </Popconfirm>
            ) : (
              <Button onClick={() => void setStatus('active')}>{t('franchisees.reactivate')}</Button>
            )}
          </Space>
        )
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <ProDescriptions column={2} bordered>
          <ProDescriptions.Item label={t('franchisees.legalName')}>{f.legal_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('franchisees.contactName')}>{f.contact_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('franchisees.contactPhone')}>{f.contact_phone || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('franchisees.contactEmail')}>{f.contact_email || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('franchisees.storeCount')}>{f.store_count}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('franchisees.createdAt')}>{formatDateTime(f.created_at, timeZone)}</ProDescriptions.Item>
        </ProDescriptions>
        <ProCard title={t('franchisees.stores')} bordered>
          <CursorTable<Store>
            columns={storeColumns}
            search={false}
            options={false}
            params={{ franchisee_id: f.id }}
            fetchPage={fetchStores}
          />
        </ProCard>
      </Space>
      <FranchiseeForm
        franchisee={f}
        open={editing}
        onOpenChange={setEditing}
        onSubmit={async (input) => {
          await update.mutateAsync(input);
          void message.success(t('common:state.saved'));
        }}
      />
    </PageContainer>
  );
}
