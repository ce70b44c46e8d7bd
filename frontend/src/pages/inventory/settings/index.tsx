import { PageContainer, ProForm, ProFormDigit, ProFormSwitch } from '@ant-design/pro-components';
import { App, Card, Form, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InventorySettingsInput } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { useInventorySettings, useUpdateSettings } from '../queries';

export default function InventorySettingsPage() {
  const { t } = useTranslation('inventory');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const settings = useInventorySettings();
  const update = useUpdateSettings();
  const [form] = Form.useForm<InventorySettingsInput>();

  if (settings.error) return <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const writable = can('inventorySettings.write');

  return (
    <PageContainer title={t('settings.title')} subTitle={t('settings.subtitle')}>
      <Card style={{ maxWidth: 720 }}>
        <ProForm<InventorySettingsInput>
          form={form}
          layout="horizontal"
          labelCol={{ span: 8 }}
          disabled={!writable}
          initialValues={settings.data}
          submitter={writable ? { searchConfig: { submitText: t('common:actions.save') }, resetButtonProps: false } : false}
          onFinish={async (v) => {
            try {
              await update.mutateAsync(v);
              void message.success(t('common:state.saved'));
            } catch (e) {
              showError(e, form);
            }
          }}
        >
          <ProFormSwitch name="allow_negative_stock" label={t('settings.allowNegative')} extra={t('settings.allowNegativeHint')} />
          <ProFormDigit name="near_expiry_days" label={t('settings.nearExpiryDays')} min={0} max={365} fieldProps={{ precision: 0, suffix: t('thresholds.days') }} />
          <ProFormDigit name="review_days" label={t('settings.reviewDays')} min={0} max={90} fieldProps={{ precision: 0, suffix: t('thresholds.days') }} extra={t('settings.reviewDaysHint')} />
          <ProFormDigit name="over_receipt_pct" label={t('settings.overReceipt')} min={0} max={1000} fieldProps={{ precision: 0, suffix: '%' }} extra={t('settings.overReceiptHint')} />
        </ProForm>
        <Typography.Text type="secondary">
          {settings.data.updated_at ? t('settings.updatedAt', { at: formatDateTime(settings.data.updated_at, timeZone) }) : t('settings.defaults')}
        </Typography.Text>
      </Card>
    </PageContainer>
  );
}
