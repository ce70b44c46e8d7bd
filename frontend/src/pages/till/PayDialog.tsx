import { Alert, Button, Descriptions, Input, List, Modal, Segmented, Space, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosCartMember } from '../../api/types';
import { Money } from '../../components/Money';
import { describeError } from '../../components/describe-error';
import { MoneyParseError, formatYuanInput, parseYuan } from '../../lib/money';
import { uuidv7 } from '../../lib/uuidv7';
import { cancelPayment, payUntilSettled } from './queries';
import { addCash, addExact, addStoredValue, changeDue, complete, paid, remaining, suggestedStoredValue, TenderError, type Tender } from './tenders';

type Method = 'cash' | 'stored_value' | 'wechat' | 'alipay';

interface Props {
  open: boolean;
  storeId: string;
  payable: bigint;
  member: PosCartMember | null;
  offline: boolean;
  submitting: boolean;
  error: unknown;
  onSubmit: (tenders: Tender[]) => void;
  onCancel: () => void;
}

/**
 * PayDialog takes the tenders of a sale, split as the customer pays:
 * cash (with change), stored value, WeChat Pay or Alipay by the customer's
 * payment code. When they pay the sale exactly, the sale is submitted.
 */
export function PayDialog({ open, storeId, payable, member, offline, submitting, error, onSubmit, onCancel }: Props) {
  const { t } = useTranslation('till');
  const [tenders, setTenders] = useState<Tender[]>([]);
  const [method, setMethod] = useState<Method>('cash');
  const [amount, setAmount] = useState('');
  const [authCode, setAuthCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [charging, setCharging] = useState(false);
  const amountRef = useRef<InputRef>(null);
  const codeRef = useRef<InputRef>(null);

  useEffect(() => {
    if (open) {
      setTenders([]);
      setMethod('cash');
      setAmount('');
      setAuthCode('');
      setProblem(null);
    }
  }, [open]);

  const due = remaining(payable, tenders);
  useEffect(() => {
    if (!open) return;
    if (method === 'stored_value' && member) setAmount(formatYuanInput(suggestedStoredValue(payable, tenders, member.stored_value)));
    else if (method !== 'cash') setAmount(formatYuanInput(due));
    else setAmount('');
    setTimeout(() => (method === 'wechat' || method === 'alipay' ? codeRef.current : amountRef.current)?.focus(), 50);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, open, tenders.length]);

  const accept = (next: Tender[]) => {
    setTenders(next);
    setProblem(null);
    setMethod('cash');
    if (complete(payable, next)) onSubmit(next);
  };

  const refuse = (e: unknown) => {
    if (e instanceof TenderError) setProblem(t(`pay.errors.${e.reason}`));
    else if (e instanceof MoneyParseError) setProblem(t(`common:money.${e.reason}`));
    else setProblem(describeError(t, e));
  };

  const take = async () => {
    try {
      if (method === 'cash') {
        accept(addCash(payable, tenders, amount.trim() === '' ? due : parseYuan(amount)));
      } else if (method === 'stored_value') {
        accept(addStoredValue(payable, tenders, parseYuan(amount), member));
      } else {
        const fen = parseYuan(amount);
        addExact(payable, tenders, method, fen); // checks before charging
        if (!authCode.trim()) return codeRef.current?.focus();
        setCharging(true);
        try {
          const payment = await payUntilSettled(storeId, { id: uuidv7(), method, amount: Number(fen), auth_code: authCode.trim() });
          setAuthCode('');
          accept(addExact(payable, tenders, method, fen, payment.id));
        } finally {
          setCharging(false);
        }
      }
    } catch (e) {
      refuse(e);
    }
  };

  const undo = (index: number) => {
    const tender = tenders[index];
    if (tender?.paymentId) void cancelPayment(storeId, tender.paymentId).catch(() => undefined);
    setTenders(tenders.filter((_, i) => i !== index));
  };

  const cancel = () => {
    for (const tender of tenders) if (tender.paymentId) void cancelPayment(storeId, tender.paymentId).catch(() => undefined);
    onCancel();
  };

  const methods: Method[] = offline ? ['cash'] : ['cash', 'stored_value', 'wechat', 'alipay'];
  const done = complete(payable, tenders);

  return (
    <Modal
      open={open}
      title={t('pay.title')}
      onCancel={cancel}
      width={560}
      maskClosable={false}
      destroyOnHidden
      footer={
        done ? (
          <Button type="primary" loading={submitting} onClick={() => onSubmit(tenders)}>
            {t('pay.submit')}
          </Button>
        ) : null
      }
    >
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label={t('pay.payable')}>
          <Typography.Text strong style={{ fontSize: 20 }} data-testid="pay-payable">
            <Money fen={payable} />
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('pay.remaining')}>
          <Typography.Text strong style={{ fontSize: 20 }} type={due > 0n ? 'danger' : 'success'} data-testid="pay-remaining">
            <Money fen={due} />
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('pay.tenders')}>
          <Money fen={paid(tenders)} />
        </Descriptions.Item>
        <Descriptions.Item label={t('pay.change')}>
          <Typography.Text strong data-testid="pay-change">
            <Money fen={changeDue(tenders)} />
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>

      {tenders.length > 0 && (
        <List
          size="small"
          style={{ marginTop: 12 }}
          dataSource={tenders}
          renderItem={(tender, i) => (
            <List.Item
              actions={[
                <Button key="undo" size="small" type="link" onClick={() => undo(i)} disabled={submitting}>
                  {t('pay.removeTender')}
                </Button>,
              ]}
            >
              <Space>
                <span>{t(`pay.methods.${tender.method}`)}</span>
                <Money fen={tender.amount} />
                {tender.tendered !== tender.amount && (
                  <Typography.Text type="secondary">
                    ({t('pay.cashHanded')} <Money fen={tender.tendered} />)
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          )}
        />
      )}

      {!done && (
        <div style={{ marginTop: 16 }}>
          {offline && <Alert type="warning" showIcon message={t('pay.offlineOnlyCash')} style={{ marginBottom: 12 }} />}
          <Segmented<Method>
            value={method}
            onChange={setMethod}
            options={methods.map((m) => ({ value: m, label: t(`pay.methods.${m}`), disabled: m === 'stored_value' && !member?.can_spend }))}
          />
          <Space.Compact style={{ width: '100%', marginTop: 12 }}>
            <Input
              ref={amountRef}
              aria-label={method === 'cash' ? t('pay.cashHanded') : t('pay.amount')}
              placeholder={method === 'cash' ? `${t('pay.cashHanded')} ${formatYuanInput(due)}` : t('pay.amount')}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              onPressEnter={() => void take()}
              inputMode="decimal"
              size="large"
            />
            {(method === 'wechat' || method === 'alipay') && (
              <Input
                ref={codeRef}
                aria-label={t('pay.authCode')}
                placeholder={t('pay.authCodeHint')}
                value={authCode}
                onChange={(e) => setAuthCode(e.target.value)}
                onPressEnter={() => void take()}
                size="large"
                autoComplete="off"
              />
            )}
            <Button type="primary" size="large" loading={charging} onClick={() => void take()}>
              {t('pay.add')}
            </Button>
          </Space.Compact>
          {charging && <Typography.Text type="secondary">{t('pay.charging')}</Typography.Text>}
        </div>
      )}
      {problem && <Alert type="error" showIcon message={problem} style={{ marginTop: 12 }} />}
      {error != null && <Alert type="error" showIcon message={describeError(t, error)} style={{ marginTop: 12 }} />}
      {submitting && <Typography.Text type="secondary">{t('pay.submitting')}</Typography.Text>}
    </Modal>
  );
}
