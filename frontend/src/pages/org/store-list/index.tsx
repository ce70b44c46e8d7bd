import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Store } from '../../../api/types';
import { Access, useAccess, useSession } from '../../../app/session';
import { CursorTable } from '../../../components/CursorTable';
import { formatDate } from '../../../lib/time';
import { StoreForm } from '../StoreForm';
import { fetchStores, useCreateStore, useFranchiseeOptions } from '../queries';

export default function StoreListPage() {
  const { t } = useTranslation('org');
  const { me } = useSession();
  const { can } = useAccess();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const tableRef = useRef<ActionType>();
  const [creating, setCreating] = useState(false);
  const idempotency = useIdempotencyKey();
  const createStore = useCreateStore();
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const franchiseeName = new Map((franchisees.data ?? []).map((f) => [f.id, f.name]));

  const columns: ProColumns<Store>[] = [
    { title: t('stores.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('stores.keywordHint') } },
    { title: t('stores.code'), dataIndex: 'code', search: false, width: 120, render: (_, s) => <Link to={`/org/stores/${s.id}`}>{s.code}</Link> },
    { title: t('stores.name'), dataIndex: 'name', search: false, ellipsis: true },
    {
      title: t('stores.type'),
      dataIndex: 'type',
      valueType: 'select',
      valueEnum: { direct: { text: t('stores.types.direct') }, franchise: { text: t('stores.types.franchise') } },
    },
    {
      title: t('stores.franchisee'),
      dataIndex: 'franchisee_id',
      valueType: 'select',
      hideInSearch: !can('franchisees.read'),
      fieldProps: { options: (franchisees.data ?? []).map((f) => ({ value: f.id, label: f.name })), showSearch: true },
      render: (_, s) => (s.franchisee_id ? (franchiseeName.get(s.franchisee_id) ?? '—') : '—'),
    },
    {
      title: t('stores.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: { active: { text: t('stores.statuses.active'), status: 'Success' }, closed: { text: t('stores.statuses.closed'), status: 'Default' } },
    },
    { title: t('stores.timeZone'), dataIndex: 'time_zone', search: false },
    { title: t('stores.openedAt'), dataIndex: 'opened_at', search: false, render: (_, s) => formatDate(s.opened_at, s.time_zone) || '—' },
  ];

  return (
    <PageContainer title={t('stores.title')} subTitle={t('stores.subtitle')}>
      <CursorTable<Store>
        actionRef={tableRef}
        headerTitle={t('stores.title')}
        columns={columns}
        fetchPage={fetchStores}
        onRow={(s) => ({ onDoubleClick: () => navigate(`/org/stores/${s.id}`) })}
        locale={{ emptyText: t('stores.empty') }}
        toolBarRender={() => [
          <Access key="create" to="stores.create">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('stores.create')}
            </Button>
          </Access>,
        ]}
      />
      {can('stores.create') && (
        <StoreForm
          open={creating}
          onOpenChange={setCreating}
          chainTimeZone={me.tenant.time_zone}
          franchisees={franchisees.data ?? []}
          onSubmit={async (body) => {
            const store = await createStore.mutateAsync({ body, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            void message.success(t('stores.created', { name: store.name }));
            void tableRef.current?.reload();
          }}
        />
      )}
    </PageContainer>
  );
}
