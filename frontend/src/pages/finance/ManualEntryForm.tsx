import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FinAccount, FinEntity, FinManualEntryInput, FinManualLine, Store } from '../../api/types';
import { useShowError } from '../../components/useShowError';
import { formatMoney } from '../../lib/money';
import { checkLine, toApiLines, totals, type LineDraft } from './lines';

interface Values {
  entity_id?: string;
  business_date?: Dayjs;
  memo?: string;
  lines: LineDraft[];
}

export interface ManualEntryFormProps {
  entities: FinEntity[];
  accounts: FinAccount[];
  stores: Store[];
  currency: string;
  defaultDate: Dayjs;
  submitting?: boolean;
  /** Sends the balanced draft; a thrown ApiError's field errors show under the fields. */
  onSubmit: (input: FinManualEntryInput) => Promise<void>;
}

const cashFlows: NonNullable<FinManualLine['cash_flow']>[] = [
  'sales_receipts',
  'stored_value',
  'purchases_paid',
  'operating_paid',
  'taxes_paid',
  'inter_entity',
  'other_operating',
  'investing',
  'financing',
];

const emptyLine = (): LineDraft => ({ debit: '', credit: '', memo: '' });

/**
 * ManualEntryForm drafts a manual journal entry: a lines editor whose
 * amounts are typed in yuan and parsed exactly to fen, with running debit
 * and credit totals; it refuses to submit an unbalanced entry.
 */
export function ManualEntryForm({ entities, accounts, stores, currency, defaultDate, submitting, onSubmit }: ManualEntryFormProps) {
  const { t } = useTranslation('finance');
  const [form] = Form.useForm<Values>();
  const showError = useShowError();
  const lines = Form.useWatch('lines', form) ?? [];
  const sum = totals(lines);
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  const accountOptions = accounts.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }));
  const storeOptions = stores.map((s) => ({ value: s.id, label: s.name }));
  const money = (fen: bigint) => formatMoney(fen, currency);

  const amountRule = (index: number, side: 'debit' | 'credit') => ({
    validator: async () => {
      const c = checkLine(form.getFieldValue(['lines', index]) ?? {});
      const problem = side === 'debit' ? c.debitProblem : c.creditProblem;
      if (problem) throw new Error(problem === 'negative' ? t('manual.negative') : t(`common:money.${problem}`));
      if (side === 'credit' && c.sideProblem === 'both') throw new Error(t('manual.oneSide'));
      if (side === 'debit' && c.sideProblem === 'none') throw new Error(t('manual.noAmount'));
    },
  });

  const submit = async (v: Values) => {
    const current = v.lines ?? [];
    if (!totals(current).balanced) return; // the button is off too; never send an unbalanced entry
    try {
      await onSubmit({
        entity_id: v.entity_id ?? '',
        business_date: (v.business_date ?? defaultDate).format('YYYY-MM-DD'),
        memo: v.memo?.trim() ?? '',
        lines: toApiLines(current),
      });
    } catch (e) {
      showError(e, form);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ entity_id: entities.length === 1 ? entities[0]?.id : entities.find((e) => e.kind === 'hq')?.id, business_date: defaultDate, lines: [emptyLine(), emptyLine()] }}
      onFinish={submit}
    >
      <Space wrap align="start" size={16}>
        <Form.Item name="entity_id" label={t('fields.entity')} rules={[{ required: true }]} style={{ minWidth: 240 }}>
          <Select options={entities.map((e) => ({ value: e.id, label: e.name }))} />
        </Form.Item>
        <Form.Item name="business_date" label={t('fields.businessDate')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="memo" label={t('fields.memo')} rules={[{ max: 500 }]} style={{ minWidth: 320 }}>
          <Input />
        </Form.Item>
      </Space>

      <Form.List name="lines">
        {(fields, { add, remove }) => (
          <div role="table" aria-label={t('manual.lines')}>
            <div style={{ display: 'grid', gridTemplateColumns: lineGrid, gap: 8, fontWeight: 500, marginBottom: 4 }} role="row">
              <span>{t('fields.account')}</span>
              <span>{t('fields.store')}</span>
              <span style={{ textAlign: 'right' }}>{t('fields.debitYuan')}</span>
              <span style={{ textAlign: 'right' }}>{t('fields.creditYuan')}</span>
              <span>{t('fields.lineMemo')}</span>
              <span />
            </div>
            {fields.map((field, index) => {
              const code = lines[index]?.account_code;
              const isCash = code ? byCode.get(code)?.is_cash : false;
              return (
                <div key={field.key} role="row" style={{ display: 'grid', gridTemplateColumns: lineGrid, gap: 8, alignItems: 'start' }}>
                  <Form.Item name={[field.name, 'account_code']} rules={[{ required: true, message: t('manual.accountRequired') }]} style={{ marginBottom: 8 }}>
                    <Select showSearch optionFilterProp="label" options={accountOptions} aria-label={t('manual.accountOf', { n: index + 1 })} placeholder={t('fields.account')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'store_id']} style={{ marginBottom: 8 }}>
                    <Select allowClear showSearch optionFilterProp="label" options={storeOptions} aria-label={t('manual.storeOf', { n: index + 1 })} placeholder={t('manual.noStore')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'debit']} rules={[amountRule(index, 'debit')]} dependencies={[['lines', index, 'credit']]} style={{ marginBottom: 8 }}>
                    <Input inputMode="decimal" style={{ textAlign: 'right' }} aria-label={t('manual.debitOf', { n: index + 1 })} placeholder="0.00" />
                  </Form.Item>
                  <Form.Item name={[field.name, 'credit']} rules={[amountRule(index, 'credit')]} dependencies={[['lines', index, 'debit']]} style={{ marginBottom: 8 }}>
                    <Input inputMode="decimal" style={{ textAlign: 'right' }} aria-label={t('manual.creditOf', { n: index + 1 })} placeholder="0.00" />
                  </Form.Item>
                  <Space.Compact style={{ width: '100%' }}>
                    {isCash && (
                      <Form.Item name={[field.name, 'cash_flow']} noStyle>
                        <Select
                          style={{ width: 120 }}
                          allowClear
                          placeholder={t('fields.cashFlow')}
                          aria-label={t('manual.cashFlowOf', { n: index + 1 })}
                          options={cashFlows.map((c) => ({ value: c, label: t(`cashFlows.${c}`) }))}
                        />
                      </Form.Item>
                    )}
                    <Form.Item name={[field.name, 'memo']} rules={[{ max: 200 }]} style={{ marginBottom: 8, flex: 1 }}>
                      <Input aria-label={t('manual.memoOf', { n: index + 1 })} />
                    </Form.Item>
                  </Space.Compact>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('manual.removeLine', { n: index + 1 })}
                    disabled={fields.length <= 2}
                    onClick={() => remove(field.name)}
                  />
                </div>
              );
            })}
            <div role="row" data-testid="entry-totals" style={{ display: 'grid', gridTemplateColumns: lineGrid, gap: 8, borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
              <Button icon={<PlusOutlined />} onClick={() => add(emptyLine())} disabled={fields.length >= 200}>
                {t('manual.addLine')}
              </Button>
              <Typography.Text strong style={{ textAlign: 'right' }}>
                {t('manual.totals')}
              </Typography.Text>
              <Typography.Text strong style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }} data-testid="total-debit">
                {money(sum.debit)}
              </Typography.Text>
              <Typography.Text strong style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }} data-testid="total-credit">
                {money(sum.credit)}
              </Typography.Text>
              <span />
              <span />
            </div>
          </div>
        )}
      </Form.List>

      <div style={{ marginTop: 16 }}>
        {sum.difference !== 0n ? (
          <Alert type="warning" showIcon data-testid="entry-balance" message={t('manual.unbalanced', { amount: money(sum.difference < 0n ? -sum.difference : sum.difference), side: sum.difference > 0n ? t('fields.debit') : t('fields.credit') })} />
        ) : sum.balanced ? (
          <Alert type="success" showIcon data-testid="entry-balance" message={t('manual.balanced', { amount: money(sum.debit) })} />
        ) : (
          <Alert type="info" showIcon data-testid="entry-balance" message={t('manual.incomplete')} />
        )}
      </div>
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" htmlType="submit" disabled={!sum.balanced} loading={submitting}>
          {t('manual.submit')}
        </Button>
      </Space>
    </Form>
  );
}

const lineGrid = 'minmax(180px, 2fr) minmax(110px, 1.2fr) 110px 110px minmax(120px, 1.5fr) 32px';
