import { Alert, Button, Descriptions, Form, Input, Modal, Radio, Space, Spin, Tabs, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/idempotency';
import type { CashOutInput, CreateMemberInput, Member, StoredValueEntry } from '../../api/types';
import { Money } from '../../components/Money';
import { describeError } from '../../components/describe-error';
import { useShowError } from '../../components/useShowError';
import { MoneyParseError, fenForApi, formatMoney, parseYuan } from '../../lib/money';
import { uuidv7 } from '../../lib/uuidv7';
import { managerSession, useApproval } from './ApprovalDialog';
import { cashOutMember, lookupMember, registerMember, topUpMember } from './memberQueries';

// The till's member operations (会员业务, F1): register a member at the
// counter, top up the current member's stored value (充值, with the bonus
// of the top-up rule that applies) and cash the card out (退卡). A cash-out
// needs pos:refund: a cashier's is refused 403 and the manager signs in on
// the till (managerSession), whose session then sends the call. Stored
// value paid in a sale goes back with the sale's return (F6), never
// through the members module's refund call (409 members.refund_by_return).

export type MemberTab = 'register' | 'topup' | 'cashout';
// The tenders a till takes and pays back (bank transfers are HQ's).
type Method = Exclude<CashOutInput['payment_method'], 'bank'>;
const methods: Method[] = ['cash', 'wechat', 'alipay', 'card', 'unionpay'];

/** TillMember: the cart's member as the dialog needs it (from the priced cart or the look-up). */
export interface TillMember {
  id: string;
  name: string;
  phone: string;
  balance: number;
  cardNo?: string;
}

interface Props {
  open: boolean;
  storeId: string;
  member: TillMember | null;
  onRegistered: (member: Member) => void;
  /** A money call changed this member's stored value (the entry's principal_after and bonus_after). */
  onBalance: (memberId: string, entry: StoredValueEntry) => void;
  onClose: () => void;
}

/**
 * useAttempt keeps one document id and Idempotency-Key per attempt: the
 * same request body again (a retry after a lost answer, a double press)
 * reuses them, so the API replays the first answer; another body, or
 * done() after a success, starts a new attempt.
 */
function useAttempt() {
  const current = useRef<{ body: string; sourceId: string; key: string } | null>(null);
  return {
    for: (body: unknown) => {
      const text = JSON.stringify(body);
      if (current.current?.body !== text) current.current = { body: text, sourceId: uuidv7(), key: newIdempotencyKey() };
      return current.current;
    },
    done: () => {
      current.current = null;
    },
  };
}

const balanceOf = (e: StoredValueEntry) => e.principal_after + e.bonus_after;

export function MemberDialog({ open, storeId, member, onRegistered, onBalance, onClose }: Props) {
  const { t } = useTranslation('till');
  const [tab, setTab] = useState<MemberTab>(member ? 'topup' : 'register');
  useEffect(() => {
    if (open) setTab(member ? 'topup' : 'register');
    // Only when the dialog opens: a member registered here moves it on to the top-up itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  return (
    <Modal open={open} title={t('members.title')} onCancel={onClose} footer={null} width={620} destroyOnHidden maskClosable={false}>
      {member ? (
        <Typography.Paragraph data-testid="members-current">
          {t('members.current', { name: member.name || member.phone, phone: member.phone })} · {t('member.storedValue')} <Money fen={member.balance} />
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary">{t('members.noCurrent')}</Typography.Paragraph>
      )}
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as MemberTab)}
        items={[
          {
            key: 'register',
            label: t('members.tabs.register'),
            children: (
              <RegisterPane
                storeId={storeId}
                onRegistered={(m) => {
                  onRegistered(m);
                  setTab('topup');
                }}
              />
            ),
          },
          { key: 'topup', label: t('members.tabs.topup'), disabled: !member, children: member && <TopUpPane storeId={storeId} member={member} onBalance={onBalance} /> },
          { key: 'cashout', label: t('members.tabs.cashout'), disabled: !member, children: member && <CashOutPane storeId={storeId} member={member} onBalance={onBalance} /> },
        ]}
      />
    </Modal>
  );
}

function RegisterPane({ storeId, onRegistered }: { storeId: string; onRegistered: (m: Member) => void }) {
  const { t } = useTranslation('till');
  const [form] = Form.useForm<{ phone: string; name?: string; card_number?: string }>();
  const showError = useShowError();
  const attempt = useAttempt();
  const [busy, setBusy] = useState(false);

  const submit = async (v: { phone: string; name?: string; card_number?: string }) => {
    const body: CreateMemberInput = { phone: v.phone.trim(), ...(v.name?.trim() ? { name: v.name.trim() } : {}), ...(v.card_number?.trim() ? { card_number: v.card_number.trim() } : {}) };
    const a = attempt.for(body);
    setBusy(true);
    try {
      const m = await registerMember(storeId, body, a.key);
      attempt.done();
      form.resetFields();
      onRegistered(m);
    } catch (e) {
      showError(e, form, { 'members.phone_taken': 'phone', 'members.card_taken': 'card_number' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={busy}>
      <Form.Item name="phone" label={t('members.phone')} rules={[{ required: true, whitespace: true, message: t('members.phoneRequired') }]}>
        <Input autoFocus inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('members.name')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="card_number" label={t('members.cardNumber')} extra={t('members.cardNumberHint')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('members.register')}
      </Button>
    </Form>
  );
}

/** yuanRule: an amount field parsed by parseYuan (integer fen, never rounded) that must be positive. */
function yuanRule(t: (k: string) => string) {
  return {
    validator: (_: unknown, value?: string) => {
      try {
        if (parseYuan(value ?? '') <= 0n) return Promise.reject(new Error(t('members.positive')));
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(new Error(e instanceof MoneyParseError ? t(`common:money.${e.reason}`) : String(e)));
      }
    },
  };
}

function MethodField({ label }: { label: string }) {
  const { t } = useTranslation('till');
  return (
    <Form.Item name="payment_method" label={label} rules={[{ required: true }]}>
      <Radio.Group optionType="button" options={methods.map((m) => ({ value: m, label: t(`members.methods.${m}`) }))} />
    </Form.Item>
  );
}

function TopUpPane({ storeId, member, onBalance }: { storeId: string; member: TillMember; onBalance: Props['onBalance'] }) {
  const { t } = useTranslation('till');
  const [form] = Form.useForm<{ amount: string; payment_method: Method }>();
  const showError = useShowError();
  const attempt = useAttempt();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<StoredValueEntry | null>(null);

  const submit = async (v: { amount: string; payment_method: Method }) => {
    const amount = fenForApi(parseYuan(v.amount));
    const a = attempt.for({ member: member.id, amount, method: v.payment_method });
    setBusy(true);
    setDone(null);
    try {
      const entry = await topUpMember(storeId, member.id, { amount, payment_method: v.payment_method, source_type: 'till_topup', source_id: a.sourceId }, a.key);
      attempt.done();
      form.resetFields(['amount']);
      setDone(entry);
      onBalance(member.id, entry);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={{ payment_method: 'cash' }} onFinish={(v) => void submit(v)} disabled={busy}>
      <Form.Item name="amount" label={t('members.topupAmount')} rules={[yuanRule(t)]}>
        <Input autoFocus inputMode="decimal" autoComplete="off" />
      </Form.Item>
      <MethodField label={t('members.takenBy')} />
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('members.topup')}
      </Button>
      {done && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          data-testid="topup-result"
          message={t('members.toppedUp', { amount: formatMoney(done.principal), bonus: formatMoney(done.bonus), balance: formatMoney(balanceOf(done)) })}
        />
      )}
    </Form>
  );
}

function CashOutPane({ storeId, member, onBalance }: { storeId: string; member: TillMember; onBalance: Props['onBalance'] }) {
  const { t } = useTranslation('till');
  const withManager = useApproval(managerSession);
  const [form] = Form.useForm<{ payment_method: Method }>();
  const showError = useShowError();
  const attempt = useAttempt();
  const [split, setSplit] = useState<{ principal: number; bonus: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<StoredValueEntry | null>(null);

  // Principal and bonus apart, from the member's card (the cart names the total only).
  useEffect(() => {
    if (!member.cardNo) return;
    let live = true;
    setLoading(true);
    lookupMember(storeId, { card: member.cardNo })
      .then((m) => live && setSplit({ principal: m.balance_principal, bonus: m.balance_bonus }))
      .catch((e: unknown) => live && setLoadError(describeError(t, e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [storeId, member.cardNo, member.balance, t]);

  const send = async () => {
    const method = form.getFieldValue('payment_method') as Method;
    const a = attempt.for({ member: member.id, method });
    setBusy(true);
    try {
      const entry = await withManager((approval) => cashOutMember(storeId, member.id, { payment_method: method, source_type: 'till_cash_out', source_id: a.sourceId }, a.key, approval));
      attempt.done();
      setConfirming(false);
      setDone(entry);
      onBalance(member.id, entry);
    } catch (e) {
      setConfirming(false);
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Alert type="success" showIcon data-testid="cashout-result" message={t('members.cashedOut', { principal: formatMoney(-done.principal), bonus: formatMoney(-done.bonus) })} />
    );
  }
  if (member.balance <= 0) return <Alert type="info" showIcon message={t('members.nothingToCashOut')} />;

  return (
    <Form form={form} layout="vertical" initialValues={{ payment_method: 'cash' }} onFinish={() => setConfirming(true)} disabled={busy}>
      {loading ? (
        <Spin />
      ) : (
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('members.principalBack')}>{split ? <Money fen={split.principal} /> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('members.bonusForfeited')}>{split ? <Money fen={split.bonus} /> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('member.storedValue')}>
            <Money fen={member.balance} />
          </Descriptions.Item>
        </Descriptions>
      )}
      {loadError && <Alert type="warning" showIcon message={loadError} style={{ marginBottom: 12 }} />}
      <MethodField label={t('members.paidBackBy')} />
      {confirming ? (
        <Alert
          type="warning"
          showIcon
          data-testid="cashout-confirm"
          message={
            split
              ? t('members.cashOutConfirm', { principal: formatMoney(split.principal), bonus: formatMoney(split.bonus), method: t(`members.methods.${form.getFieldValue('payment_method') as Method}`) })
              : t('members.cashOutConfirmTotal', { balance: formatMoney(member.balance) })
          }
          action={
            <Space direction="vertical">
              <Button type="primary" danger loading={busy} onClick={() => void send()} autoFocus>
                {t('members.cashOutSure')}
              </Button>
              <Button onClick={() => setConfirming(false)} disabled={busy}>
                {t('common:actions.cancel')}
              </Button>
            </Space>
          }
        />
      ) : (
        <Button danger htmlType="submit">
          {t('members.cashOut')}
        </Button>
      )}
    </Form>
  );
}
