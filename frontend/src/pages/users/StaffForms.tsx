import { ModalForm, ProFormText } from '@ant-design/pro-components';
import { App, Form, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AssignmentInput, Franchisee, Role, Store, UserDetail } from '../../api/types';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { AssignmentsField } from './AssignmentsField';
import { roleLabel } from '../authz/role-label';

// The staff screens' forms and small views, shared by the list and the detail page.

const phonePattern = /^$|^(1[3-9]\d{9}|\+[1-9]\d{6,14})$/;

interface Scope {
  roles: Role[];
  stores: Store[];
  franchisees: Franchisee[];
}

export interface InviteValues {
  name: string;
  email?: string;
  phone?: string;
  password?: string;
  assignments?: AssignmentInput[];
}

/** InviteForm: a new staff member, invited (no password) or created active (with one). */
export function InviteForm({
  open,
  onOpenChange,
  onSubmit,
  defaultStoreId,
  ...scope
}: Scope & { open: boolean; onOpenChange: (open: boolean) => void; onSubmit: (v: InviteValues) => Promise<void>; defaultStoreId?: string }) {
  const { t } = useTranslation('users');
  const [form] = Form.useForm<InviteValues>();
  const showError = useShowError();
  return (
    <ModalForm<InviteValues>
      title={t('invite.title')}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={640}
      initialValues={{ assignments: [{ role: 'cashier', store_id: defaultStoreId }] }}
      onFinish={async (v) => {
        try {
          await onSubmit(v);
          return true;
        } catch (e) {
          showError(e, form, { 'users.email_taken': 'email', 'users.phone_taken': 'phone', 'users.no_login': 'email' });
          return false;
        }
      }}
    >
      <ProFormText name="name" label={t('fields.name')} rules={[{ required: true }, { max: 100 }]} />
      <ProFormText name="email" label={t('fields.email')} rules={[{ type: 'email' }, { max: 254 }]} />
      <ProFormText name="phone" label={t('fields.phone')} rules={[{ pattern: phonePattern, message: t('fields.phoneInvalid') }]} />
      <ProFormText.Password name="password" label={t('invite.password')} extra={t('invite.passwordHint')} fieldProps={{ autoComplete: 'new-password' }} />
      <Form.Item label={t('fields.roles')}>
        <AssignmentsField {...scope} />
      </Form.Item>
    </ModalForm>
  );
}

/** AssignRolesForm replaces a user's role assignments. */
export function AssignRolesForm({
  user,
  open,
  onOpenChange,
  onSubmit,
  ...scope
}: Scope & { user: UserDetail; open: boolean; onOpenChange: (open: boolean) => void; onSubmit: (a: AssignmentInput[]) => Promise<void> }) {
  const { t } = useTranslation('users');
  const [form] = Form.useForm<{ assignments: AssignmentInput[] }>();
  const showError = useShowError();
  return (
    <ModalForm<{ assignments: AssignmentInput[] }>
      title={t('assign.title', { name: user.name })}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={640}
      initialValues={{
        assignments: user.assignments.map((a) => ({ role: a.role, store_id: a.store_id ?? undefined, franchisee_id: a.franchisee_id ?? undefined })),
      }}
      onFinish={async ({ assignments = [] }) => {
        try {
          await onSubmit(assignments);
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <AssignmentsField {...scope} />
    </ModalForm>
  );
}

interface ProfileValues {
  name: string;
  email: string;
  phone: string;
}

/** ProfileForm changes name, e-mail and phone (an empty one removes it). */
export function ProfileForm({
  user,
  open,
  onOpenChange,
  onSubmit,
}: {
  user: UserDetail;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: (v: ProfileValues) => Promise<void>;
}) {
  const { t } = useTranslation('users');
  const [form] = Form.useForm<ProfileValues>();
  const showError = useShowError();
  return (
    <ModalForm<ProfileValues>
      title={t('profile.title')}
      form={form}
      open={open}
      onOpenChange={onOpenChange}
      modalProps={{ destroyOnHidden: true }}
      submitter={formSubmitter(t)}
      width={480}
      initialValues={{ name: user.name, email: user.email ?? '', phone: user.phone ?? '' }}
      onFinish={async (v) => {
        try {
          await onSubmit({ name: v.name.trim(), email: v.email?.trim() ?? '', phone: v.phone?.trim() ?? '' });
          return true;
        } catch (e) {
          showError(e, form, { 'users.email_taken': 'email', 'users.phone_taken': 'phone', 'users.no_login': 'email' });
          return false;
        }
      }}
    >
      <ProFormText name="name" label={t('fields.name')} rules={[{ required: true }, { max: 100 }]} />
      <ProFormText name="email" label={t('fields.email')} rules={[{ type: 'email' }, { max: 254 }]} />
      <ProFormText name="phone" label={t('fields.phone')} rules={[{ pattern: phonePattern, message: t('fields.phoneInvalid') }]} />
    </ModalForm>
  );
}

/** showTokenLink shows the one-time link (invitation or password reset) to pass on to the user. */
export function showTokenLink(
  modal: ReturnType<typeof App.useApp>['modal'],
  t: (id: string) => string,
  kind: 'invite' | 'reset',
  token: string,
): void {
  const link = `${window.location.origin}/${kind === 'invite' ? 'accept-invite' : 'reset-password'}?token=${encodeURIComponent(token)}`;
  modal.success({
    title: kind === 'invite' ? t('users:token.inviteTitle') : t('users:token.resetTitle'),
    width: 560,
    content: (
      <>
        <Typography.Paragraph>{t('users:token.hint')}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: link }} code data-testid="token-link">
          {link}
        </Typography.Paragraph>
      </>
    ),
  });
}

/** AssignmentTags: each role held, with the store or franchisee it is held in. */
export function AssignmentTags({ user, roles, stores, franchisees }: Scope & { user: UserDetail }) {
  const { t } = useTranslation('users');
  const roleByKey = new Map(roles.map((r) => [r.key, r]));
  const storeName = new Map(stores.map((s) => [s.id, s.name]));
  const franchiseeName = new Map(franchisees.map((f) => [f.id, f.name]));
  if (user.assignments.length === 0) return <Typography.Text type="secondary">{t('fields.noRoles')}</Typography.Text>;
  return (
    <>
      {user.assignments.map((a) => {
        const role = roleByKey.get(a.role);
        const where = a.store_id ? storeName.get(a.store_id) : a.franchisee_id ? franchiseeName.get(a.franchisee_id) : t('assign.wholeChain');
        return (
          <Tag key={a.id} color={a.scope === 'chain' ? 'blue' : a.scope === 'franchise' ? 'purple' : 'default'}>
            {role ? roleLabel(t, role) : a.role}
            {where ? ` · ${where}` : ''}
          </Tag>
        );
      })}
    </>
  );
}
