import { LockOutlined, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { LoginForm, ProFormText } from '@ant-design/pro-components';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Form } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, tokens, unwrap } from '../../../api/client';
import { applyFieldErrors } from '../../../api/form-errors';
import { asApiError } from '../../../api/problem';
import type { components } from '../../../api/schema.gen';
import { describeError } from '../../../components/describe-error';
import { AuthShell } from '../AuthShell';

type LoginInput = components['schemas']['LoginInput'];

const LAST_CHAIN_KEY = 'chainstore.last_chain';

/** safeReturnPath keeps "from" inside the console (no open redirect). */
function safeReturnPath(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export default function LoginPage() {
  const { t } = useTranslation('auth');
  const [form] = Form.useForm<LoginInput>();
  const [failure, setFailure] = useState<string>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const signIn = async (values: LoginInput) => {
    setFailure(undefined);
    try {
      const result = await unwrap(api.POST('/api/v1/auth/login', { body: values }));
      tokens.save(result);
      localStorage.setItem(LAST_CHAIN_KEY, values.tenant);
      queryClient.clear();
      navigate(safeReturnPath(params.get('from')), { replace: true });
    } catch (e) {
      const error = asApiError(e);
      const rest = applyFieldErrors(form, error);
      if (rest.length > 0 || error.errors.length === 0) setFailure(describeError(t, error));
    }
  };

  return (
    <AuthShell>
      <LoginForm<LoginInput>
        form={form}
        logo="/favicon.svg"
        title={t('login.title')}
        subTitle={t('login.subtitle')}
        initialValues={{ tenant: localStorage.getItem(LAST_CHAIN_KEY) ?? '' }}
        submitter={{ searchConfig: { submitText: t('login.submit') } }}
        onFinish={async (values) => {
          await signIn(values);
          return true;
        }}
        actions={
          <div style={{ textAlign: 'center' }}>
            {t('login.noAccount')} <Link to="/signup">{t('login.signup')}</Link>
          </div>
        }
      >
        {failure && <Alert type="error" showIcon message={failure} style={{ marginBottom: 24 }} data-testid="login-error" />}
        <ProFormText
          name="tenant"
          fieldProps={{ size: 'large', prefix: <ShopOutlined />, autoComplete: 'organization' }}
          placeholder={t('login.chainHint')}
          label={t('login.chain')}
          rules={[{ required: true, message: t('login.required', { field: t('login.chain') }) }]}
        />
        <ProFormText
          name="login"
          fieldProps={{ size: 'large', prefix: <UserOutlined />, autoComplete: 'username' }}
          placeholder={t('login.loginHint')}
          label={t('login.login')}
          rules={[{ required: true, message: t('login.required', { field: t('login.login') }) }]}
        />
        <ProFormText.Password
          name="password"
          fieldProps={{ size: 'large', prefix: <LockOutlined />, autoComplete: 'current-password' }}
          label={t('login.password')}
          rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}
        />
      </LoginForm>
    </AuthShell>
  );
}
