import { ProCard, ProForm, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { useQueryClient } from '@tanstack/react-query';
import { Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, tokens, unwrap } from '../../../api/client';
import type { components } from '../../../api/schema.gen';
import { useShowError } from '../../../components/useShowError';
import { AuthShell } from '../AuthShell';

type SignupInput = components['schemas']['SignupInput'];

const slugPattern = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

export default function SignupPage() {
  const { t } = useTranslation('auth');
  const [form] = Form.useForm<SignupInput>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const showError = useShowError();

  const signUp = async (values: SignupInput) => {
    try {
      const result = await unwrap(
        api.POST('/api/v1/signup', { body: { ...values, admin_phone: values.admin_phone ?? '', time_zone: 'Asia/Shanghai' } }),
      );
      tokens.save(result);
      queryClient.clear();
      navigate('/onboarding', { replace: true });
    } catch (e) {
      showError(e, form, { 'signup.slug_taken': 'slug', 'signup.email_taken': 'admin_email' });
    }
  };

  return (
    <AuthShell>
      <ProCard style={{ maxWidth: 520, margin: '0 auto' }} bordered>
        <Typography.Title level={3}>{t('signup.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('signup.subtitle')}</Typography.Paragraph>
        <ProForm<SignupInput>
          form={form}
          layout="vertical"
          initialValues={{ kind: 'supermarket' }}
          submitter={{ searchConfig: { submitText: t('signup.submit') }, resetButtonProps: false, submitButtonProps: { block: true, size: 'large' } }}
          onFinish={async (values) => {
            await signUp(values);
            return true;
          }}
        >
          <ProFormText name="chain_name" label={t('signup.chainName')} rules={[{ required: true }, { max: 200 }]} />
          <ProFormText
            name="slug"
            label={t('signup.slug')}
            extra={t('signup.slugHint')}
            rules={[{ required: true }, { pattern: slugPattern, message: t('signup.slugInvalid') }]}
            fieldProps={{ autoComplete: 'off' }}
          />
          <ProFormSelect
            name="kind"
            label={t('signup.kind')}
            allowClear={false}
            options={(['supermarket', 'convenience', 'mixed'] as const).map((k) => ({ value: k, label: t(`signup.kinds.${k}`) }))}
          />
          <ProFormText name="admin_name" label={t('signup.adminName')} rules={[{ required: true }, { max: 100 }]} />
          <ProFormText name="admin_email" label={t('signup.adminEmail')} rules={[{ required: true }, { type: 'email' }]} fieldProps={{ autoComplete: 'email' }} />
          <ProFormText name="admin_phone" label={t('signup.adminPhone')} fieldProps={{ autoComplete: 'tel' }} />
          <ProFormText.Password
            name="admin_password"
            label={t('signup.adminPassword')}
            extra={t('signup.passwordHint')}
            rules={[{ required: true }, { min: 10 }, { max: 128 }]}
            fieldProps={{ autoComplete: 'new-password' }}
          />
        </ProForm>
        <Typography.Paragraph style={{ textAlign: 'center', marginTop: 16 }}>
          {t('signup.haveAccount')} <Link to="/login">{t('signup.login')}</Link>
        </Typography.Paragraph>
      </ProCard>
    </AuthShell>
  );
}
