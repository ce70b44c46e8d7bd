import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormSelect, ProFormSwitch, ProFormText, ProTable } from '@ant-design/pro-components';
import { App, Button, Form, Input, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { FinAccount, FinCreateAccountInput } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { useShowError } from '../../../components/useShowError';
import { useAccounts, useCreateAccount } from '../queries';

const types = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;

/** The chart of accounts (小企业会计准则), and adding a sub-account. */
export default function AccountListPage() {
  const { t, i18n } = useTranslation('finance');
  const { can } = useAccess();
  const accounts = useAccounts();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  if (accounts.error) return <ErrorResult error={accounts.error} onRetry={() => void accounts.refetch()} />;
  const english = i18n.language === 'en';
  const needle = q.trim().toLowerCase();
  const rows = (accounts.data ?? []).filter(
    (a) => !needle || a.code.includes(needle) || a.name.includes(q.trim()) || a.name_en.toLowerCase().includes(needle),
  );
  return (
    <PageContainer title={t('accounts.title')} subTitle={t('accounts.subtitle')}>
      <ProTable<FinAccount>
        rowKey="id"
        search={false}
        options={false}
        loading={accounts.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('accounts.empty') }}
        headerTitle={<Input.Search allowClear placeholder={t('accounts.search')} onChange={(e) => setQ(e.target.value)} style={{ width: 260 }} />}
        toolBarRender={() =>
          can('finance.write')
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                  {t('accounts.create')}
                </Button>,
              ]
            : []
        }
        columns={[
          { title: t('fields.code'), dataIndex: 'code', width: 110 },
          { title: t('fields.name'), dataIndex: 'name', render: (_, a) => (english ? a.name_en || a.name : a.name) },
          { title: t('accounts.type'), dataIndex: 'type', render: (_, a) => t(`accountTypes.${a.type}`) },
          { title: t('accounts.normalSide'), dataIndex: 'normal_side', render: (_, a) => t(`fields.${a.normal_side}`) },
          {
            title: t('accounts.flags'),
            key: 'flags',
            render: (_, a) => (
              <>
                {a.is_cash && <Tag color="green">{t('accounts.cash')}</Tag>}
                {a.is_internal && <Tag color="purple">{t('accounts.internal')}</Tag>}
                {a.system ? <Tag>{t('accounts.system')}</Tag> : <Tag color="blue">{t('accounts.custom')}</Tag>}
              </>
            ),
          },
        ]}
      />
      {creating && <AccountForm accounts={accounts.data ?? []} onClose={() => setCreating(false)} />}
    </PageContainer>
  );
}

function AccountForm({ accounts, onClose }: { accounts: FinAccount[]; onClose: () => void }) {
  const { t } = useTranslation('finance');
  const [form] = Form.useForm<FinCreateAccountInput>();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const create = useCreateAccount();
  return (
    <ModalForm<FinCreateAccountInput>
      title={t('accounts.createTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={520}
      layout="horizontal"
      labelCol={{ span: 6 }}
      onValuesChange={(changed: Partial<FinCreateAccountInput>) => {
        const parent = changed.parent_code ? accounts.find((a) => a.code === changed.parent_code) : undefined;
        if (parent) form.setFieldsValue({ type: parent.type, normal_side: parent.normal_side, code: `${parent.code}.` });
      }}
      onFinish={async (v) => {
        try {
          await create.mutateAsync({ body: { ...v, code: v.code.trim(), name: v.name.trim() }, idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('common:state.created'));
          return true;
        } catch (e) {
          showError(e, form, { 'finance.account_code_taken': 'code' });
          return false;
        }
      }}
    >
      <ProFormSelect
        name="parent_code"
        label={t('accounts.parent')}
        showSearch
        allowClear
        options={accounts.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }))}
      />
      <ProFormText name="code" label={t('fields.code')} rules={[{ required: true }, { max: 20 }]} />
      <ProFormText name="name" label={t('fields.name')} rules={[{ required: true }, { max: 100 }]} />
      <ProFormText name="name_en" label={t('accounts.nameEn')} rules={[{ max: 100 }]} />
      <ProFormSelect name="type" label={t('accounts.type')} rules={[{ required: true }]} options={types.map((ty) => ({ value: ty, label: t(`accountTypes.${ty}`) }))} />
      <ProFormSelect
        name="normal_side"
        label={t('accounts.normalSide')}
        options={[
          { value: 'debit', label: t('fields.debit') },
          { value: 'credit', label: t('fields.credit') },
        ]}
      />
      <ProFormSwitch name="is_cash" label={t('accounts.cash')} />
    </ModalForm>
  );
}
