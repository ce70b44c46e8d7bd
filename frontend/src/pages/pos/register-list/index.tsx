import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormSwitch, ProFormText, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Form, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { PosRegister, PosRegisterInput } from '../../../api/types';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { StoreRequired } from '../StoreRequired';
import { useCreateRegister, useRegisterAction, useRegisters, useUpdateRegister } from '../queries';

const registerCode = /^[A-Za-z0-9_-]{1,16}$/;

/** TokenOnce shows a till's device credential the one time the API answers it. */
function TokenOnce({ token, code, onClose }: { token: string | null; code: string; onClose: () => void }) {
  const { t } = useTranslation('pos');
  return (
    <Modal open={token !== null} title={t('registers.tokenTitle', { code })} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} okText={t('registers.tokenDone')} maskClosable={false} destroyOnHidden>
      <Alert type="warning" showIcon message={t('registers.tokenOnce')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph copyable={{ text: token ?? '' }} code data-testid="device-token" style={{ wordBreak: 'break-all' }}>
        {token}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t('registers.tokenUse')}</Typography.Text>
    </Modal>
  );
}

function Registers({ storeId }: { storeId: string }) {
  const { t } = useTranslation('pos');
  const zone = useTimeZone();
  const { message } = App.useApp();
  const showError = useShowError();
  const registers = useRegisters(storeId);
  const create = useCreateRegister(storeId);
  const update = useUpdateRegister(storeId);
  const action = useRegisterAction(storeId);
  const idempotency = useIdempotencyKey();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<PosRegister | null>(null);
  const [shown, setShown] = useState<{ token: string; code: string } | null>(null);
  const [form] = Form.useForm<PosRegisterInput>();
  const [renameForm] = Form.useForm<{ name: string }>();

  if (registers.error) return <ErrorResult error={registers.error} onRetry={() => void registers.refetch()} />;

  const run = async (r: PosRegister, what: 'revoke' | 'rekey') => {
    try {
      const result = await action.mutateAsync({ id: r.id, action: what });
      if (what === 'rekey' && result.device_token) setShown({ token: result.device_token, code: r.code });
      else void message.success(t('registers.revoked'));
    } catch (e) {
      showError(e);
    }
  };

  const columns: ProColumns<PosRegister>[] = [
    { title: t('registers.code'), dataIndex: 'code', width: 120 },
    { title: t('registers.name'), dataIndex: 'name', ellipsis: true },
    {
      title: t('registers.status'),
      dataIndex: 'status',
      render: (_, r) => <Tag color={r.status === 'active' ? 'green' : 'default'}>{t(`registers.statuses.${r.status}`)}</Tag>,
    },
    {
      title: t('registers.offline'),
      dataIndex: 'offline_allowed',
      render: (_, r) => (r.offline_allowed ? t('registers.offlineYes') : t('registers.offlineNo')),
    },
    { title: t('registers.nextReceipt'), dataIndex: 'next_receipt_seq', width: 110 },
    { title: t('registers.lastSeen'), dataIndex: 'last_seen_at', render: (_, r) => formatDateTime(r.last_seen_at, zone) || '—' },
    { title: t('registers.registeredAt'), dataIndex: 'registered_at', render: (_, r) => formatDateTime(r.registered_at, zone) },
    {
      title: t('common:actions.more'),
      valueType: 'option',
      render: (_, r) => (
        <Space size="small" wrap>
          <a
            onClick={() => {
              setRenaming(r);
              renameForm.setFieldsValue({ name: r.name });
            }}
          >
            {t('registers.rename')}
          </a>
          <a
            onClick={async () => {
              try {
                await update.mutateAsync({ id: r.id, body: { offline_allowed: !r.offline_allowed } });
                void message.success(t('common:state.saved'));
              } catch (e) {
                showError(e);
              }
            }}
          >
            {r.offline_allowed ? t('registers.disallowOffline') : t('registers.allowOffline')}
          </a>
          <Popconfirm title={t('registers.rekeyConfirm', { code: r.code })} onConfirm={() => run(r, 'rekey')}>
            <a>{t('registers.rekey')}</a>
          </Popconfirm>
          {r.status === 'active' && (
            <Popconfirm title={t('registers.revokeConfirm', { code: r.code })} onConfirm={() => run(r, 'revoke')}>
              <a style={{ color: 'var(--ant-color-error, #ff4d4f)' }}>{t('registers.revoke')}</a>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <ProTable<PosRegister>
        rowKey="id"
        headerTitle={t('registers.title')}
        search={false}
        loading={registers.isLoading}
        dataSource={registers.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        options={{ density: false, reload: () => void registers.refetch(), setting: true }}
        locale={{ emptyText: t('registers.empty') }}
        toolBarRender={() => [
          <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('registers.create')}
          </Button>,
        ]}
      />
      <ModalForm<PosRegisterInput>
        title={t('registers.createTitle')}
        form={form}
        open={creating}
        onOpenChange={setCreating}
        modalProps={{ destroyOnHidden: true }}
        submitter={formSubmitter(t)}
        width={480}
        layout="horizontal"
        labelCol={{ span: 7 }}
        initialValues={{ offline_allowed: false }}
        onFinish={async (v) => {
          try {
            const created = await create.mutateAsync({
              body: { code: v.code.trim(), name: v.name.trim(), offline_allowed: v.offline_allowed ?? false },
              idempotencyKey: idempotency.key(),
            });
            idempotency.rotate();
            setShown({ token: created.device_token, code: created.code });
            return true;
          } catch (e) {
            showError(e, form, { 'pos.register_code_taken': 'code' });
            return false;
          }
        }}
      >
        <ProFormText
          name="code"
          label={t('registers.code')}
          placeholder="POS-01"
          rules={[{ required: true }, { pattern: registerCode, message: t('registers.codeInvalid') }]}
        />
        <ProFormText name="name" label={t('registers.name')} rules={[{ required: true }, { max: 100 }]} />
        <ProFormSwitch name="offline_allowed" label={t('registers.offline')} />
      </ModalForm>
      <ModalForm<{ name: string }>
        title={t('registers.renameTitle')}
        form={renameForm}
        open={renaming !== null}
        onOpenChange={(open) => !open && setRenaming(null)}
        submitter={formSubmitter(t)}
        width={420}
        onFinish={async (v) => {
          if (!renaming) return true;
          try {
            await update.mutateAsync({ id: renaming.id, body: { name: v.name.trim() } });
            void message.success(t('common:state.saved'));
            return true;
          } catch (e) {
            showError(e, renameForm);
            return false;
          }
        }}
      >
        <ProFormText name="name" label={t('registers.name')} rules={[{ required: true }, { max: 100 }]} />
      </ModalForm>
      <TokenOnce token={shown?.token ?? null} code={shown?.code ?? ''} onClose={() => setShown(null)} />
    </>
  );
}

export default function RegisterListPage() {
  const { t } = useTranslation('pos');
  return (
    <PageContainer title={t('registers.title')} subTitle={t('registers.subtitle')}>
      <StoreRequired>{(storeId) => <Registers key={storeId} storeId={storeId} />}</StoreRequired>
    </PageContainer>
  );
}
