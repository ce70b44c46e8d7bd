import { PageContainer, ProCard, ProForm, ProFormRadio, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Form, Popconfirm, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import { useAccess, useSession } from '../../../app/session';
import { ErrorResult, ForbiddenResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { roleLabel } from '../role-label';
import { PermissionMatrix } from '../PermissionMatrix';
import { useCreateRole, useDeleteRole, usePermissions, useRole, useUpdateRole } from '../queries';

interface RoleValues {
  key: string;
  name: string;
  description?: string;
  scope: 'chain' | 'store';
  permissions: string[];
}

const roleKeyPattern = /^[a-z][a-z0-9_]{1,39}$/;

/** One page to view a built-in role, and to define or change a custom one (/staff/roles/new creates). */
export default function RoleDetailPage() {
  const { t } = useTranslation('authz');
  const { id = '' } = useParams();
  const creating = id === 'new';
  const { me } = useSession();
  const { can } = useAccess();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const showError = useShowError();
  const [form] = Form.useForm<RoleValues>();
  const idempotency = useIdempotencyKey();
  const role = useRole(id, !creating);
  const permissions = usePermissions();
  const create = useCreateRole();
  const update = useUpdateRole(id);
  const remove = useDeleteRole(id);

  if (creating && !can('roles.write')) return <ForbiddenResult />;
  const error = role.error ?? permissions.error;
  if (error) return <ErrorResult error={error} onRetry={() => void Promise.all([role.refetch(), permissions.refetch()])} />;
  if ((!creating && !role.data) || !permissions.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;

  const r = role.data;
  const editable = can('roles.write') && (creating || r?.builtin === false);
  // Nobody grants what they do not hold (the API answers roles.escalation).
  const grantable = new Set(me.permissions);

  const save = async (v: RoleValues) => {
    try {
      if (creating) {
        const created = await create.mutateAsync({
          body: { key: v.key, name: v.name.trim(), description: v.description?.trim() ?? '', scope: v.scope, permissions: v.permissions },
          idempotencyKey: idempotency.key(),
        });
        idempotency.rotate();
        void message.success(t('detail.created', { name: created.name }));
        navigate(`/staff/roles/${created.id}`, { replace: true });
      } else {
        await update.mutateAsync({ name: v.name.trim(), description: v.description?.trim() ?? '', permissions: v.permissions });
        void message.success(t('common:state.saved'));
      }
    } catch (e) {
      showError(e, form, { 'roles.key_taken': 'key', 'roles.unknown_permission': 'permissions', 'roles.escalation': 'permissions' });
    }
  };

  return (
    <PageContainer
      title={creating ? t('detail.createTitle') : r && roleLabel(t, r)}
      onBack={() => navigate('/staff/roles')}
      tags={r && (r.builtin ? <Tag>{t('builtinTag')}</Tag> : <Tag color="blue">{t('customTag')}</Tag>)}
      extra={
        editable &&
        !creating && (
          <Popconfirm
            title={t('detail.deleteConfirm')}
            onConfirm={async () => {
              try {
                await remove.mutateAsync();
                navigate('/staff/roles', { replace: true });
              } catch (e) {
                showError(e);
              }
            }}
          >
            <Button danger>{t('common:actions.delete')}</Button>
          </Popconfirm>
        )
      }
    >
      <ProCard bordered>
        <ProForm<RoleValues>
          form={form}
          disabled={!editable}
          layout="vertical"
          initialValues={
            r
              ? {
                  ...r,
                  name: roleLabel(t, r),
                  description: r.builtin ? t(`builtinDescriptions.${r.key}`, { defaultValue: r.description }) : r.description,
                  scope: r.scope === 'franchise' ? 'store' : r.scope,
                }
              : { scope: 'store', permissions: [] }
          }
          submitter={editable ? { searchConfig: { submitText: t('common:actions.save') }, resetButtonProps: false } : false}
          onFinish={async (v) => {
            await save(v);
            return true;
          }}
        >
          <ProForm.Group>
            <ProFormText
              name="key"
              label={t('fields.key')}
              width="md"
              disabled={!creating}
              extra={creating ? t('detail.keyHint') : undefined}
              rules={[{ required: true }, { pattern: roleKeyPattern, message: t('detail.keyInvalid') }]}
            />
            <ProFormText name="name" label={t('fields.name')} width="md" rules={[{ required: true }, { max: 100 }]} />
            <ProFormRadio.Group
              name="scope"
              label={t('fields.scope')}
              disabled={!creating}
              radioType="button"
              options={[
                { value: 'chain', label: t('scopes.chain') },
                { value: 'store', label: t('scopes.store') },
              ]}
            />
          </ProForm.Group>
          <ProFormTextArea name="description" label={t('fields.description')} rules={[{ max: 500 }]} fieldProps={{ rows: 2 }} />
          <Form.Item
            name="permissions"
            label={t('fields.permissions')}
            rules={[{ required: true, type: 'array', min: 1, message: t('detail.permissionsRequired') }]}
          >
            <PermissionMatrix permissions={permissions.data} grantable={grantable} disabled={!editable} />
          </Form.Item>
        </ProForm>
      </ProCard>
    </PageContainer>
  );
}
