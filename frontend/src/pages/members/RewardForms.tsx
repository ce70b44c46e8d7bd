import { ModalForm, ProFormDigit, ProFormText } from '@ant-design/pro-components';
import { Form } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MemberGiftInput, TopupRuleInput } from '../../api/types';
import { formSubmitter } from '../../components/form-submitter';
import { useShowError } from '../../components/useShowError';
import { fenForApi, MoneyParseError, parseYuan } from '../../lib/money';

// The forms of the members' rewards: a gift of the points catalogue and a
// stored-value top-up rule (储值赠送). Amounts are typed in yuan and sent
// as integer fen; the API's field errors land under their fields.

interface GiftValues {
  name: string;
  points_cost?: number;
  stock?: number | null;
}

/** GiftForm makes a gift; an empty stock is unlimited. onSubmit throws the API's error. */
export function GiftForm({ onSubmit, onClose }: { onSubmit: (input: MemberGiftInput) => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<GiftValues>();
  const showError = useShowError();
  return (
    <ModalForm<GiftValues>
      title={t('gifts.createTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          await onSubmit({ name: v.name.trim(), points_cost: v.points_cost ?? 0, stock: v.stock ?? null });
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <ProFormText name="name" label={t('gifts.name')} rules={[{ required: true, whitespace: true }, { max: 100 }]} />
      <ProFormDigit name="points_cost" label={t('gifts.pointsCost')} min={1} fieldProps={{ precision: 0 }} rules={[{ required: true }]} />
      <ProFormDigit name="stock" label={t('gifts.stock')} min={0} fieldProps={{ precision: 0 }} extra={t('gifts.stockHint')} />
    </ModalForm>
  );
}

interface TopupValues {
  name: string;
  min_amount: string;
  bonus?: string;
}

/** TopupRuleForm makes a top-up rule: pay at least min_amount, get bonus on top (yuan typed, fen sent). */
export function TopupRuleForm({ onSubmit, onClose }: { onSubmit: (input: TopupRuleInput) => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<TopupValues>();
  const showError = useShowError();
  const fen = (field: keyof TopupValues, text: string | undefined, required: boolean): number | null => {
    const raw = (text ?? '').trim();
    try {
      if (raw === '' && !required) return 0;
      return fenForApi(parseYuan(raw));
    } catch (e) {
      form.setFields([{ name: field, errors: [t(`common:money.${e instanceof MoneyParseError ? e.reason : 'format'}`)] }]);
      return null;
    }
  };
  return (
    <ModalForm<TopupValues>
      title={t('topup.createTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        const min = fen('min_amount', v.min_amount, true);
        const bonus = fen('bonus', v.bonus, false);
        if (min === null || bonus === null) return false;
        if (min <= 0) {
          form.setFields([{ name: 'min_amount', errors: [t('topup.minPositive')] }]);
          return false;
        }
        try {
          await onSubmit({ name: v.name.trim(), min_amount: min, bonus });
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <ProFormText name="name" label={t('topup.name')} placeholder={t('topup.namePlaceholder')} rules={[{ required: true, whitespace: true }, { max: 100 }]} />
      <ProFormText name="min_amount" label={t('topup.minAmount')} fieldProps={{ prefix: '¥' }} rules={[{ required: true }]} />
      <ProFormText name="bonus" label={t('topup.bonus')} fieldProps={{ prefix: '¥' }} extra={t('topup.bonusHint')} />
    </ModalForm>
  );
}
