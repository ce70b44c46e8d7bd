import { PageContainer, ProCard, ProForm, ProFormSwitch, ProFormText } from '@ant-design/pro-components';
import { Alert, App, Form, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PromotionSettings } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { usePromotionSettings, useSavePromotionSettings } from '../queries';
import { formatBpPercent, parsePercentBp, percentRule } from '../rule-form';

interface Values {
  franchise_promotions: boolean;
  franchise_max_off: string;
  franchise_opt_out: boolean;
}

const toValues = (s: PromotionSettings): Values => ({
  franchise_promotions: s.franchise_promotions,
  franchise_max_off: formatBpPercent(s.franchise_max_off_bp),
  franchise_opt_out: s.franchise_opt_out,
});

export default function PromotionSettingsPage() {
  const { t } = useTranslation('promotions');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const settings = usePromotionSettings();
  const save = useSavePromotionSettings();
  const [form] = Form.useForm<Values>();
  const editable = can('promotions.settingsWrite');

  if (settings.error) return <ErrorResult error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;

  return (
    <PageContainer title={t('settings.title')} subTitle={t('settings.subtitle')}>
      {!editable && <Alert type="info" showIcon message={t('settings.readOnly')} style={{ marginBottom: 16 }} />}
      <ProCard bordered>
        <ProForm<Values>
          form={form}
          disabled={!editable}
          layout="horizontal"
          labelCol={{ span: 8 }}
          wrapperCol={{ span: 12 }}
          initialValues={toValues(settings.data)}
          submitter={editable ? { searchConfig: { submitText: t('common:actions.save'), resetText: t('common:actions.reset') } } : false}
          onFinish={async (v) => {
            try {
              const saved = await save.mutateAsync({
                franchise_promotions: v.franchise_promotions,
                franchise_max_off_bp: parsePercentBp(v.franchise_max_off),
                franchise_opt_out: v.franchise_opt_out,
              });
              form.setFieldsValue(toValues(saved));
              void message.success(t('common:state.saved'));
            } catch (e) {
              showError(e, form, {});
            }
          }}
        >
          <ProFormSwitch name="franchise_promotions" label={t('settings.franchisePromotions')} extra={t('settings.franchisePromotionsHint')} />
          <ProFormText
            name="franchise_max_off"
            label={t('settings.maxOff')}
            fieldProps={{ suffix: '%' }}
            rules={[{ required: true }, percentRule(t)]}
            extra={t('settings.maxOffHint')}
          />
          <ProFormSwitch name="franchise_opt_out" label={t('settings.optOut')} extra={t('settings.optOutHint')} />
        </ProForm>
      </ProCard>
    </PageContainer>
  );
}
