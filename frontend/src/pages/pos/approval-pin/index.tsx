import { PageContainer, ProCard, ProForm, ProFormText } from '@ant-design/pro-components';
import { App, Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useShowError } from '../../../components/useShowError';
import { useSetApprovalPin } from '../queries';

interface Values {
  pin: string;
  confirm: string;
}

export default function ApprovalPinPage() {
  const { t } = useTranslation('pos');
  const { message } = App.useApp();
  const showError = useShowError();
  const setPin = useSetApprovalPin();
  const [form] = Form.useForm<Values>();

  return (
    <PageContainer title={t('pin.title')} subTitle={t('pin.subtitle')}>
      <ProCard bordered style={{ maxWidth: 560 }}>
        <Typography.Paragraph type="secondary">{t('pin.hint')}</Typography.Paragraph>
        <ProForm<Values>
          form={form}
          submitter={{ searchConfig: { submitText: t('pin.save') }, resetButtonProps: false }}
          onFinish={async (v) => {
            try {
              await setPin.mutateAsync(v.pin);
              form.resetFields();
              void message.success(t('pin.saved'));
            } catch (e) {
              showError(e, form);
            }
          }}
        >
          <ProFormText.Password
            name="pin"
            label={t('pin.pin')}
            fieldProps={{ inputMode: 'numeric', autoComplete: 'new-password', maxLength: 8 }}
            rules={[{ required: true, message: t('pin.required') }, { pattern: /^[0-9]{4,8}$/, message: t('pin.invalid') }]}
          />
          <ProFormText.Password
            name="confirm"
            label={t('pin.confirm')}
            dependencies={['pin']}
            fieldProps={{ inputMode: 'numeric', autoComplete: 'new-password', maxLength: 8 }}
            rules={[
              { required: true, message: t('pin.required') },
              ({ getFieldValue }) => ({
                validator: (_, value) => (value === getFieldValue('pin') ? Promise.resolve() : Promise.reject(new Error(t('pin.mismatch')))),
              }),
            ]}
          />
        </ProForm>
      </ProCard>
    </PageContainer>
  );
}
