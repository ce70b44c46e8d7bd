import { ProCard, ProForm, ProFormText } from '@ant-design/pro-components';
import { App, Form, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { useShowError } from '../../../components/useShowError';
import { AuthShell } from '../AuthShell';

interface Values {
  password: string;
  confirm: string;
}

/** One page for both links staff receive: accept an invitation, or reset a password. */
export default function SetPasswordPage() {
  const { t } = useTranslation('auth');
  const [form] = Form.useForm<Values>();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const token = params.get('token');
  const accepting = pathname === '/accept-invite';

  if (!token) {
    return (
      <AuthShell>
        <Result status="warning" title={t('setPassword.noToken')} />
      </AuthShell>
    );
  }

  const submit = async ({ password }: Values) => {
    const body = { token, password };
    try {
      await unwrap(accepting ? api.POST('/api/v1/auth/accept-invite', { body }) : api.POST('/api/v1/auth/reset-password', { body }));
      void message.success(t('setPassword.done'));
      navigate('/login', { replace: true });
    } catch (e) {
      showError(e, form);
    }
  };

  return (
    <AuthShell>
      <ProCard style={{ maxWidth: 440, margin: '0 auto' }} bordered>
        <Typography.Title level={3}>{accepting ? t('setPassword.acceptTitle') : t('setPassword.resetTitle')}</Typography.Title>
        <ProForm<Values>
          form={form}
          layout="vertical"
          submitter={{ searchConfig: { submitText: t('setPassword.submit') }, resetButtonProps: false, submitButtonProps: { block: true } }}
          onFinish={async (values) => {
            await submit(values);
            return true;
          }}
        >
          <ProFormText.Password
            name="password"
            label={t('setPassword.password')}
            extra={t('signup.passwordHint')}
            rules={[{ required: true }, { min: 10 }, { max: 128 }]}
            fieldProps={{ autoComplete: 'new-password' }}
          />
          <ProFormText.Password
            name="confirm"
            label={t('setPassword.confirm')}
            dependencies={['password']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, value) => (value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('setPassword.mismatch')))),
              }),
            ]}
            fieldProps={{ autoComplete: 'new-password' }}
          />
        </ProForm>
      </ProCard>
    </AuthShell>
  );
}
