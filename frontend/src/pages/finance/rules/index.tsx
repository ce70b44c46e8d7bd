import { ModalForm, PageContainer, ProFormDigit, ProFormSelect, ProFormText } from '@ant-design/pro-components';
import { App, Button, Card, Form, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FinClearingRule, FinRoyaltyRule } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { fenForApi, formatYuanInput, MoneyParseError, parseYuan } from '../../../lib/money';
import { formatDateTime } from '../../../lib/time';
import { useFranchiseeOptions } from '../../org/queries';
import { useClearingRules, useRoyaltyRules, useSetClearingRule, useSetRoyaltyRule } from '../queries';

const pct = (bp: number) => `${(bp / 100).toFixed(2)}%`;

/** Clearing ratios between the books, and franchise royalties: the chain default first, then per franchisee. */
export default function RulesPage() {
  const { t } = useTranslation('finance');
  const { can } = useAccess();
  const timeZone = useTimeZone();
  const clearing = useClearingRules();
  const royalty = useRoyaltyRules();
  const franchisees = useFranchiseeOptions(can('franchisees.read'));
  const name = (id: string | null) => (id ? (franchisees.data?.find((f) => f.id === id)?.name ?? id.slice(0, 8)) : t('rules.chainDefault'));
  const [editClearing, setEditClearing] = useState<FinClearingRule | 'new' | null>(null);
  const [editRoyalty, setEditRoyalty] = useState<FinRoyaltyRule | 'new' | null>(null);
  const writable = can('finance.write');
  const updated = (at: string | null) => formatDateTime(at, timeZone) || t('rules.defaultValue');

  return (
    <PageContainer title={t('rules.title')} subTitle={t('rules.subtitle')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card
          size="small"
          title={t('rules.clearing')}
          extra={writable && <Button onClick={() => setEditClearing('new')}>{t('rules.addFranchisee')}</Button>}
        >
          <Typography.Paragraph type="secondary">{t('rules.clearingHint')}</Typography.Paragraph>
          {clearing.error ? (
            <ErrorResult error={clearing.error} onRetry={() => void clearing.refetch()} />
          ) : (
            <Table<FinClearingRule>
              rowKey={(r) => r.franchisee_id ?? 'default'}
              size="small"
              pagination={false}
              loading={clearing.isLoading}
              dataSource={clearing.data ?? []}
              columns={[
                { title: t('rules.franchisee'), dataIndex: 'franchisee_id', render: (id: string | null) => name(id) },
                { title: t('rules.principal'), dataIndex: 'principal_bp', render: pct },
                { title: t('rules.bonus'), dataIndex: 'bonus_bp', render: pct },
                { title: t('rules.points'), dataIndex: 'points_bp', render: pct },
                { title: t('rules.updatedAt'), dataIndex: 'updated_at', render: updated },
                ...(writable ? [{ title: t('fields.actions'), key: 'a', render: (_: unknown, r: FinClearingRule) => <a onClick={() => setEditClearing(r)}>{t('common:actions.edit')}</a> }] : []),
              ]}
            />
          )}
        </Card>
        <Card size="small" title={t('rules.royalty')} extra={writable && <Button onClick={() => setEditRoyalty('new')}>{t('rules.addFranchisee')}</Button>}>
          <Typography.Paragraph type="secondary">{t('rules.royaltyHint')}</Typography.Paragraph>
          {royalty.error ? (
            <ErrorResult error={royalty.error} onRetry={() => void royalty.refetch()} />
          ) : (
            <Table<FinRoyaltyRule>
              rowKey={(r) => r.franchisee_id ?? 'default'}
              size="small"
              pagination={false}
              loading={royalty.isLoading}
              dataSource={royalty.data ?? []}
              columns={[
                { title: t('rules.franchisee'), dataIndex: 'franchisee_id', render: (id: string | null) => name(id) },
                { title: t('rules.rate'), dataIndex: 'rate_bp', render: pct },
                { title: t('rules.minimumFee'), dataIndex: 'minimum_fee', render: (f: number) => <Money fen={f} /> },
                { title: t('rules.updatedAt'), dataIndex: 'updated_at', render: updated },
                ...(writable ? [{ title: t('fields.actions'), key: 'a', render: (_: unknown, r: FinRoyaltyRule) => <a onClick={() => setEditRoyalty(r)}>{t('common:actions.edit')}</a> }] : []),
              ]}
            />
          )}
        </Card>
      </Space>
      {editClearing !== null && (
        <ClearingForm rule={editClearing === 'new' ? undefined : editClearing} franchisees={franchisees.data ?? []} onClose={() => setEditClearing(null)} />
      )}
      {editRoyalty !== null && (
        <RoyaltyForm rule={editRoyalty === 'new' ? undefined : editRoyalty} franchisees={franchisees.data ?? []} onClose={() => setEditRoyalty(null)} />
      )}
    </PageContainer>
  );
}

interface FormProps<R> {
  rule?: R;
  franchisees: { id: string; name: string }[];
  onClose: () => void;
}

function FranchiseeField({ rule, franchisees }: { rule?: { franchisee_id: string | null }; franchisees: { id: string; name: string }[] }) {
  const { t } = useTranslation('finance');
  if (rule) return null;
  return <ProFormSelect name="franchisee_id" label={t('rules.franchisee')} rules={[{ required: true }]} showSearch options={franchisees.map((f) => ({ value: f.id, label: f.name }))} />;
}

const bpField = (name: string, label: string) => <ProFormDigit name={name} label={label} min={0} max={10000} fieldProps={{ precision: 0, addonAfter: 'bp' }} rules={[{ required: true }]} />;

function ClearingForm({ rule, franchisees, onClose }: FormProps<FinClearingRule>) {
  const { t } = useTranslation('finance');
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const showError = useShowError();
  const set = useSetClearingRule();
  return (
    <ModalForm
      title={t('rules.clearingTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      initialValues={rule ?? { principal_bp: 10000, bonus_bp: 0, points_bp: 10000 }}
      onFinish={async (v: { franchisee_id?: string; principal_bp: number; bonus_bp: number; points_bp: number }) => {
        try {
          await set.mutateAsync({ franchisee_id: rule ? rule.franchisee_id : (v.franchisee_id ?? null), principal_bp: v.principal_bp, bonus_bp: v.bonus_bp, points_bp: v.points_bp });
          void message.success(t('common:state.saved'));
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <FranchiseeField rule={rule} franchisees={franchisees} />
      <Typography.Paragraph type="secondary">{t('rules.bpHint')}</Typography.Paragraph>
      {bpField('principal_bp', t('rules.principal'))}
      {bpField('bonus_bp', t('rules.bonus'))}
      {bpField('points_bp', t('rules.points'))}
    </ModalForm>
  );
}

function RoyaltyForm({ rule, franchisees, onClose }: FormProps<FinRoyaltyRule>) {
  const { t } = useTranslation('finance');
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const showError = useShowError();
  const set = useSetRoyaltyRule();
  return (
    <ModalForm
      title={t('rules.royaltyTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      initialValues={rule ? { rate_bp: rule.rate_bp, minimum_fee: formatYuanInput(rule.minimum_fee) } : { rate_bp: 500, minimum_fee: '0.00' }}
      onFinish={async (v: { franchisee_id?: string; rate_bp: number; minimum_fee: string }) => {
        let fee: number;
        try {
          fee = fenForApi(parseYuan(v.minimum_fee));
          if (fee < 0) throw new MoneyParseError('format');
        } catch (e) {
          form.setFields([{ name: 'minimum_fee', errors: [t(`common:money.${e instanceof MoneyParseError ? e.reason : 'format'}`)] }]);
          return false;
        }
        try {
          await set.mutateAsync({ franchisee_id: rule ? rule.franchisee_id : (v.franchisee_id ?? null), rate_bp: v.rate_bp, minimum_fee: fee });
          void message.success(t('common:state.saved'));
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <FranchiseeField rule={rule} franchisees={franchisees} />
      {bpField('rate_bp', t('rules.rate'))}
      <ProFormText name="minimum_fee" label={t('rules.minimumFeeYuan')} rules={[{ required: true }]} />
    </ModalForm>
  );
}
