import { UserAddOutlined } from '@ant-design/icons';
import { PageContainer, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { App, Button } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { UserDetail } from '../../../api/types';
import { Access, useAccess } from '../../../app/session';
import { useCurrentStore, useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { formatDateTime } from '../../../lib/time';
import { useRoles } from '../../authz/queries';
import { useFranchiseeOptions, useStoreOptions } from '../../org/queries';
import { AssignmentTags, InviteForm, showTokenLink } from '../StaffForms';
import { fetchUsers, useInviteUser } from '../queries';

export default function StaffListPage() {
  const { t } = useTranslation('users');
  const { can } = useAccess();
  const { storeId } = useCurrentStore();
  const timeZone = useTimeZone();
  const [params] = useSearchParams();
  const { message, modal } = App.useApp();
  const tableRef = useRef<ActionType>();
  const [inviting, setInviting] = useState(false);
  const idempotency = useIdempotencyKey();
  const invite = useInviteUser();
  const roles = useRoles(can('roles.read'));
  const stores = useStoreOptions(can('stores.read'));
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const scope = { roles: roles.data ?? [], stores: stores.data ?? [], franchisees: franchisees.data ?? [] };
  // A link from a store's page names its store; otherwise the header's store.
  const storeFilter = params.get('store_id') ?? storeId ?? undefined;

  const columns: ProColumns<UserDetail>[] = [
    { title: t('fields.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('fields.keywordHint') } },
    { title: t('fields.name'), dataIndex: 'name', search: false, render: (_, u) => <Link to={`/staff/users/${u.id}`}>{u.name}</Link> },
    { title: t('fields.email'), dataIndex: 'email', search: false, render: (_, u) => u.email ?? '—' },
    { title: t('fields.phone'), dataIndex: 'phone', search: false, render: (_, u) => u.phone ?? '—' },
    {
      title: t('fields.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: {
        active: { text: t('statuses.active'), status: 'Success' },
        invited: { text: t('statuses.invited'), status: 'Processing' },
        disabled: { text: t('statuses.disabled'), status: 'Default' },
      },
    },
    { title: t('fields.roles'), dataIndex: 'assignments', search: false, render: (_, u) => <AssignmentTags user={u} {...scope} /> },
    { title: t('fields.lastLogin'), dataIndex: 'last_login_at', search: false, render: (_, u) => formatDateTime(u.last_login_at, timeZone) || '—' },
  ];

  return (
    <PageContainer title={t('list.title')} subTitle={t('list.subtitle')}>
      <CursorTable<UserDetail>
        actionRef={tableRef}
        headerTitle={t('list.title')}
        columns={columns}
        params={{ store_id: storeFilter }}
        fetchPage={fetchUsers}
        toolBarRender={() => [
          <Access key="invite" to="users.write">
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setInviting(true)}>
              {t('invite.button')}
            </Button>
          </Access>,
        ]}
      />
      {can('users.write') && (
        <InviteForm
          {...scope}
          open={inviting}
          onOpenChange={setInviting}
          defaultStoreId={storeFilter}
          onSubmit={async ({ password, email, phone, ...rest }) => {
            const user = await invite.mutateAsync({
              body: { ...rest, email: email?.trim() ?? '', phone: phone?.trim() ?? '', ...(password ? { password } : {}) },
              idempotencyKey: idempotency.key(),
            });
            idempotency.rotate();
            void tableRef.current?.reload();
            if (user.invite_token) showTokenLink(modal, t, 'invite', user.invite_token);
            else void message.success(t('invite.created', { name: user.name }));
          }}
        />
      )}
    </PageContainer>
  );
}
