import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Franchisee } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formatDate } from '../../../lib/time';
import { FranchiseeForm } from '../FranchiseeForm';
import { fetchFranchisees, useCreateFranchisee } from '../queries';

export default function FranchiseeListPage() {
  const { t } = useTranslation('org');
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const { message } = App.useApp();
  const tableRef = useRef<ActionType>();
  const [creating, setCreating] = useState(false);
  const idempotency = useIdempotencyKey();
  const create = useCreateFranchisee();

  const columns: ProColumns<Franchisee>[] = [
    { title: t('franchisees.name'), dataIndex: 'name', search: false, render: (_, f) => <Link to={`/org/franchisees/${f.id}`}>{f.name}</Link> },
    { title: t('franchisees.legalName'), dataIndex: 'legal_name', search: false, ellipsis: true },
    { title: t('franchisees.contactName'), dataIndex: 'contact_name', search: false },
    { title: t('franchisees.contactPhone'), dataIndex: 'contact_phone', search: false },
    { title: t('franchisees.storeCount'), dataIndex: 'store_count', search: false, align: 'right' },
    {
      title: t('franchisees.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: {
        active: { text: t('franchisees.statuses.active'), status: 'Success' },
        terminated: { text: t('franchisees.statuses.terminated'), status: 'Default' },
      },
    },
    { title: t('franchisees.createdAt'), dataIndex: 'created_at', search: false, render: (_, f) => formatDate(f.created_at, timeZone) },
  ];

  return (
    <PageContainer title={t('franchisees.title')} subTitle={t('franchisees.subtitle')}>
      <CursorTable<Franchisee>
        actionRef={tableRef}
        headerTitle={t('franchisees.title')}
        columns={columns}
        fetchPage={fetchFranchisees}
        toolBarRender={() => [
          <Access key="create" to="franchisees.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('franchisees.create')}
            </Button>
          </Access>,
        ]}
      />
      {can('franchisees.write') && (
        <FranchiseeForm
          open={creating}
          onOpenChange={setCreating}
          onSubmit={async (body) => {
            const f = await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('franchisees.created', { name: f.name }));
            void tableRef.current?.reload();
          }}
        />
      )}
    </PageContainer>
  );
}
