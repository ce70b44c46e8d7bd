import { Alert, App, Button, Card, Checkbox, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/idempotency';
import { REGISTER_TOKEN_PATTERN, saveRegisterToken } from '../../api/register-token';
import type { PosRegisterInput } from '../../api/types';
import { useAccess } from '../../app/session';
import { useShowError } from '../../components/useShowError';
import { createRegister } from './queries';

/**
 * RegisterSetup makes this browser a till of the store: a manager
 * registers it (the credential comes back once and is kept here), or
 * anyone pastes the credential of an existing register.
 */
export function RegisterSetup({ storeId, problem, onSaved }: { storeId: string; problem?: string; onSaved: () => void }) {
  const { t } = useTranslation('till');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<PosRegisterInput>();
  const [tokenForm] = Form.useForm<{ token: string }>();
  const [key] = useState(newIdempotencyKey);
  const [saving, setSaving] = useState(false);

  const register = async (values: PosRegisterInput) => {
    setSaving(true);
    try {
      const created = await createRegister(storeId, { ...values, offline_allowed: values.offline_allowed ?? false }, key);
      saveRegisterToken(storeId, created.device_token);
      void message.success(t('register.created', { code: created.code }));
      onSaved();
    } catch (e) {
      showError(e, form, { 'pos.register_code_taken': 'code' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div style={{ maxWidth: 880, margin: '32px auto', padding: '0 16px' }}>
      <Typography.Title level={3}>{t('register.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('register.hint')}</Typography.Paragraph>
      {problem && <Alert type="warning" showIcon message={problem} style={{ marginBottom: 16 }} />}
      <Space align="start" size={16} style={{ width: '100%' }} wrap>
        <Card title={t('register.createTitle')} style={{ width: 420 }}>
          {can('pos.registers') ? (
            <Form form={form} layout="vertical" onFinish={(v) => void register(v)} initialValues={{ offline_allowed: true }}>
              <Form.Item name="code" label={t('register.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{1,16}$/, message: t('register.codeInvalid') }]}>
                <Input autoFocus maxLength={16} />
              </Form.Item>
              <Form.Item name="name" label={t('register.name')} rules={[{ required: true, max: 100 }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="offline_allowed" valuePropName="checked">
                <Checkbox>{t('register.offlineAllowed')}</Checkbox>
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saving}>
                {t('register.create')}
              </Button>
            </Form>
          ) : (
            <Alert type="info" message={t('register.noPermission')} />
          )}
        </Card>
        <Card title={t('register.pasteTitle')} style={{ width: 420 }}>
          <Form
            form={tokenForm}
            layout="vertical"
            onFinish={({ token }) => {
              saveRegisterToken(storeId, token);
              onSaved();
            }}
          >
            <Form.Item name="token" label={t('register.token')} rules={[{ required: true, pattern: REGISTER_TOKEN_PATTERN, message: t('register.tokenInvalid') }]}>
              <Input.Password autoComplete="off" />
            </Form.Item>
            <Button htmlType="submit">{t('register.useToken')}</Button>
          </Form>
        </Card>
      </Space>
    </div>
  );
}
