import { PageContainer, ProCard, ProForm, ProFormSelect, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, App, Form, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PosSettings, PosSettingsInput } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { MoneyParseError, fenForApi, formatYuanInput, parseYuan } from '../../../lib/money';
import { useSavePosSettings, usePosSettings } from '../queries';
import { bpPercent } from '../labels';
import { moneyRule, parsePercentBp, percentRule } from '../../promotions/rule-form';

interface Values {
  rounding: PosSettings['rounding'];
  variance_tolerance: string;
  return_approval_limit: string;
  cashier_discount: string;
  receipt_footer: string;
  seller_name: string;
  seller_tax_id: string;
}

const toValues = (s: PosSettings): Values => ({
  rounding: s.rounding,
  variance_tolerance: formatYuanInput(s.variance_tolerance),
  return_approval_limit: formatYuanInput(s.return_approval_limit),
  cashier_discount: bpPercent(s.cashier_discount_bp),
  receipt_footer: s.receipt_footer,
  seller_name: s.seller_name,
  seller_tax_id: s.seller_tax_id,
});

/** settingsInput: the form's yuan and percent texts as the API's fen and basis points. */
export function settingsInput(v: Values): PosSettingsInput {
  return {
    rounding: v.rounding,
    variance_tolerance: fenForApi(parseYuan(v.variance_tolerance)),
    return_approval_limit: fenForApi(parseYuan(v.return_approval_limit)),
    cashier_discount_bp: parsePercentBp(v.cashier_discount),
    receipt_footer: v.receipt_footer?.trim() ?? '',
    seller_name: v.seller_name?.trim() ?? '',
    seller_tax_id: v.seller_tax_id?.trim() ?? '',
  };
}

export default function PosSettingsPage() {
  const { t } = useTranslation('pos');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const settings = usePosSettings();
  const save = useSavePosSettings();
  const [form] = Form.useForm<Values>();
  const editable = can('pos.settingsWrite');

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
          labelCol={{ span: 6 }}
          wrapperCol={{ span: 12 }}
          initialValues={toValues(settings.data)}
          submitter={editable ? { searchConfig: { submitText: t('common:actions.save'), resetText: t('common:actions.reset') } } : false}
          onFinish={async (v) => {
            try {
              const saved = await save.mutateAsync(settingsInput(v));
              form.setFieldsValue(toValues(saved));
              void message.success(t('common:state.saved'));
            } catch (e) {
              if (e instanceof MoneyParseError) return;
              showError(e, form);
            }
          }}
        >
          <ProFormSelect
            name="rounding"
            label={t('settings.rounding')}
            allowClear={false}
            options={(['fen', 'floor_jiao', 'floor_yuan', 'round_jiao'] as const).map((r) => ({ value: r, label: t(`settings.roundings.${r}`) }))}
          />
          <ProFormText name="variance_tolerance" label={t('settings.varianceTolerance')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} extra={t('settings.varianceHint')} />
          <ProFormText name="return_approval_limit" label={t('settings.returnLimit')} fieldProps={{ prefix: '¥' }} rules={[moneyRule(t)]} extra={t('settings.returnHint')} />
          <ProFormText name="cashier_discount" label={t('settings.cashierDiscount')} fieldProps={{ suffix: '%' }} rules={[percentRule(t)]} extra={t('settings.cashierDiscountHint')} />
          <ProFormTextArea name="receipt_footer" label={t('settings.receiptFooter')} fieldProps={{ maxLength: 500, showCount: true }} />
          <ProFormText name="seller_name" label={t('settings.sellerName')} rules={[{ max: 200 }]} />
          <ProFormText
            name="seller_tax_id"
            label={t('settings.sellerTaxId')}
            rules={[{ max: 20 }, { pattern: /^[A-Za-z0-9]*$/, message: t('settings.taxIdInvalid') }]}
            extra={t('settings.sellerTaxIdHint')}
          />
        </ProForm>
      </ProCard>
    </PageContainer>
  );
}
