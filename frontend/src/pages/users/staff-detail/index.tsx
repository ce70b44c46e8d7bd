import { PageContainer, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, Popconfirm, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAccess, useSession } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useRoles } from '../../authz/queries';
import { useFranchiseeOptions, useStoreOptions } from '../../org/queries';
import { AssignRolesForm, AssignmentTags, ProfileForm, showTokenLink } from '../StaffForms';
import { useAssignRoles, useUpdateUser, useUser, useUserAction } from '../queries';

const statusColor = { active: 'green', invited: 'blue', disabled: 'default' } as const;

export default function StaffDetailPage() {
  const { t } = useTranslation('users');
  const { id = '' } = useParams();
  const { me } = useSession();
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const user = useUser(id);
  const update = useUpdateUser(id);
  const assign = useAssignRoles(id);
  const action = useUserAction();
  const roles = useRoles(can('roles.read'));
  const stores = useStoreOptions(can('stores.read'));
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const scope = { roles: roles.data ?? [], stores: stores.data ?? [], franchisees: franchisees.data ?? [] };
  const [editing, setEditing] = useState<'profile' | 'roles'>();

  if (user.error) return <ErrorResult error={user.error} onRetry={() => void user.refetch()} />;
  if (!user.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const u = user.data;
  const self = u.id === me.user.id;

  const run = async (kind: 'disable' | 'enable' | 'reset-password') => {
    try {
      const result = await action.mutateAsync({ id, action: kind });
      if (result && 'reset_token' in result) showTokenLink(modal, t, u.status === 'invited' ? 'invite' : 'reset', result.reset_token);
      else void message.success(t(kind === 'disable' ? 'actions.disabled' : 'actions.enabled'));
    } catch (e) {
      showError(e);
    }
  };

  return (
    <PageContainer
      title={u.name}
      onBack={() => history.back()}
      tags={<Tag color={statusColor[u.status]}>{t(`statuses.${u.status}`)}</Tag>}
      extra={
        can('users.write') && (
          <Space wrap>
            <Button onClick={() => setEditing('profile')}>{t('profile.button')}</Button>
            <Button onClick={() => setEditing('roles')} disabled={!can('roles.read')}>
              {t('assign.button')}
            </Button>
            <Popconfirm title={t('actions.resetConfirm', { name: u.name })} onConfirm={() => run('reset-password')}>
              <Button disabled={u.status === 'disabled'}>{t('actions.reset')}</Button>
            </Popconfirm>
            {u.status === 'disabled' ? (
              <Button onClick={() => void run('enable')}>{t('actions.enable')}</Button>
            ) : (
              <Popconfirm title={t('actions.disableConfirm', { name: u.name })} onConfirm={() => run('disable')} disabled={self}>
                <Button danger disabled={self} title={self ? t('actions.notSelf') : undefined}>
                  {t('actions.disable')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        )
      }
    >
      <ProDescriptions column={2} bordered>
        <ProDescriptions.Item label={t('fields.email')}>{u.email ?? '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('fields.phone')}>{u.phone ?? '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('fields.roles')} span={2}>
          <AssignmentTags user={u} {...scope} />
        </ProDescriptions.Item>
        <ProDescriptions.Item label={t('fields.lastLogin')}>{formatDateTime(u.last_login_at, timeZone) || '—'}</ProDescriptions.Item>
        <ProDescriptions.Item label={t('fields.createdAt')}>{formatDateTime(u.created_at, timeZone)}</ProDescriptions.Item>
      </ProDescriptions>
      <ProfileForm
        user={u}
        open={editing === 'profile'}
        onOpenChange={(open) => setEditing(open ? 'profile' : undefined)}
        onSubmit={async (v) => {
          await update.mutateAsync(v);
          void message.success(t('common:state.saved'));
        }}
      />
      <AssignRolesForm
        {...scope}
        user={u}
        open={editing === 'roles'}
        onOpenChange={(open) => setEditing(open ? 'roles' : undefined)}
        onSubmit={async (assignments) => {
          await assign.mutateAsync(assignments);
          void message.success(t('common:state.saved'));
        }}
      />
    </PageContainer>
  );
}
