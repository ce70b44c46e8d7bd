import { DownOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProDescriptions, ProFormSelect, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { App, Button, Card, Dropdown, Empty, Form, Modal, QRCode, Space, Spin, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { CashOutInput, Member, MemberCard, MemberCoupon, MemberQRToken, PointsEntry, StoredValueEntry } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatMoney } from '../../../lib/money';
import { formatDateTime } from '../../../lib/time';
import { uuidv7 } from '../../../lib/uuidv7';
import { useStoreOptions } from '../../org/queries';
import { MemberForm } from '../MemberForm';
import {
  downloadMemberExport,
  fetchMembers,
  issueQrToken,
  useAdjustPoints,
  useCardAction,
  useCashOutMember,
  useEraseMember,
  useGifts,
  useMember360,
  useMergeMember,
  useRedeemGift,
  useReversePoints,
  useUpdateMember,
} from '../queries';

type Dialog = 'edit' | 'adjust' | 'gift' | 'reissue' | 'merge' | 'cashOut' | { reverse: PointsEntry } | null;

const cardColor: Record<string, string> = { active: 'green', frozen: 'blue', lost: 'orange', cancelled: 'default' };
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export default function MemberDetailPage() {
  const { t } = useTranslation('members');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const view = useMember360(id);
  const stores = useStoreOptions(can('stores.read'));
  const storeName = (sid: string | null) => (sid ? (stores.data?.find((s) => s.id === sid)?.name ?? '—') : t('list.hq'));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [qr, setQr] = useState<MemberQRToken | null>(null);
  const update = useUpdateMember(id);
  const cardAction = useCardAction(id);
  const erase = useEraseMember(id);

  if (view.error) return <ErrorResult error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const v = view.data;
  const m = v.member;
  const active = m.status === 'active';
  const writable = can('members.write') && active;
  const card = m.card;

  const runCard = async (action: 'report-loss' | 'freeze' | 'unfreeze') => {
    try {
      await cardAction.mutateAsync({ action });
      void message.success(t(`card.done.${action}`));
    } catch (e) {
      showError(e);
    }
  };

  const showQr = async () => {
    try {
      setQr(await issueQrToken(id));
    } catch (e) {
      showError(e);
    }
  };

  const exportOne = async () => {
    try {
      await downloadMemberExport(id);
    } catch (e) {
      showError(e);
    }
  };

  const confirmErase = () =>
    modal.confirm({
      title: t('erase.title'),
      content: t('erase.confirm', { phone: m.phone }),
      okText: t('erase.ok'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await erase.mutateAsync(undefined);
          void message.success(t('erase.done'));
        } catch (e) {
          showError(e);
        }
      },
    });

  const cardItems = [
    ...(card?.status === 'active' ? [{ key: 'freeze', label: t('card.freeze') }] : []),
    ...(card?.status === 'frozen' ? [{ key: 'unfreeze', label: t('card.unfreeze') }] : []),
    ...(card && (card.status === 'active' || card.status === 'frozen') ? [{ key: 'report-loss', label: t('card.reportLoss') }] : []),
    { key: 'reissue', label: t('card.reissue') },
  ];

  const pointsColumns: TableColumnsType<PointsEntry> = [
    { title: t('ledger.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at, timeZone), width: 150 },
    { title: t('ledger.kind'), dataIndex: 'kind', render: (k: string) => t(`pointsKinds.${k}`) },
    { title: t('ledger.points'), dataIndex: 'points', align: 'right', render: (p: number) => signed(p) },
    { title: t('ledger.balanceAfter'), dataIndex: 'balance_after', align: 'right' },
    { title: t('ledger.spend'), dataIndex: 'spend', align: 'right', render: (f: number) => (f ? <Money fen={f} /> : '—') },
    { title: t('ledger.store'), dataIndex: 'store_id', render: (s: string | null) => storeName(s) },
    { title: t('ledger.note'), dataIndex: 'note', render: (n: string, e) => n || e.source_type || '—' },
    ...(writable
      ? [
          {
            title: t('ledger.actions'),
            key: 'actions',
            render: (_: unknown, e: PointsEntry) =>
              (e.kind === 'earn' || e.kind === 'redeem') && !v.points_ledger.some((r) => r.reverses_id === e.id) ? (
                <Button size="small" type="link" onClick={() => setDialog({ reverse: e })}>
                  {t('reverse.action')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const svColumns: TableColumnsType<StoredValueEntry> = [
    { title: t('ledger.at'), dataIndex: 'created_at', render: (at: string) => formatDateTime(at, timeZone), width: 150 },
    { title: t('ledger.kind'), dataIndex: 'kind', render: (k: string) => t(`svKinds.${k}`) },
    { title: t('ledger.principal'), dataIndex: 'principal', align: 'right', render: (f: number) => <Money fen={f} /> },
    { title: t('ledger.bonus'), dataIndex: 'bonus', align: 'right', render: (f: number) => <Money fen={f} /> },
    {
      title: t('ledger.balanceAfter'),
      key: 'after',
      align: 'right',
      render: (_: unknown, e) => <Money fen={BigInt(e.principal_after) + BigInt(e.bonus_after)} />,
    },
    { title: t('ledger.store'), dataIndex: 'store_id', render: (s: string | null) => storeName(s) },
  ];

  const cardColumns: TableColumnsType<MemberCard> = [
    { title: t('fields.cardNumber'), dataIndex: 'number' },
    { title: t('fields.cardKind'), dataIndex: 'kind', render: (k: string) => t(`cardKinds.${k}`) },
    { title: t('fields.status'), dataIndex: 'status', render: (s: string) => <Tag color={cardColor[s]}>{t(`cardStatuses.${s}`)}</Tag> },
    { title: t('card.issuedAt'), dataIndex: 'issued_at', render: (at: string) => formatDateTime(at, timeZone) },
  ];

  const couponColumns: TableColumnsType<MemberCoupon> = [
    { title: t('coupons.code'), dataIndex: 'code' },
    { title: t('coupons.source'), dataIndex: 'source' },
    { title: t('fields.status'), dataIndex: 'status', render: (s: string) => t(`coupons.statuses.${s}`) },
    { title: t('coupons.validUntil'), dataIndex: 'valid_until', render: (at: string) => formatDateTime(at, timeZone) },
  ];

  return (
    <PageContainer
      title={m.name ? `${m.name}（${m.phone}）` : m.phone}
      onBack={() => navigate('/members/list')}
      tags={
        <Space size={4}>
          <Tag color={active ? 'green' : 'default'}>{t(`statuses.${m.status}`)}</Tag>
          {m.tier && <Tag color="gold">{m.tier.name}</Tag>}
          {m.pii_masked && <Tag>{t('detail.masked')}</Tag>}
        </Space>
      }
      extra={
        <Space wrap>
          {writable && <Button onClick={() => setDialog('edit')}>{t('common:actions.edit')}</Button>}
          {writable && (
            <Dropdown
              menu={{
                items: cardItems,
                onClick: ({ key }) => (key === 'reissue' ? setDialog('reissue') : void runCard(key as 'freeze' | 'unfreeze' | 'report-loss')),
              }}
            >
              <Button loading={cardAction.isPending}>
                {t('card.actions')} <DownOutlined />
              </Button>
            </Dropdown>
          )}
          {can('members.read') && active && card?.status === 'active' && <Button onClick={() => void showQr()}>{t('qr.action')}</Button>}
          {writable && <Button onClick={() => setDialog('adjust')}>{t('adjust.action')}</Button>}
          {writable && <Button onClick={() => setDialog('gift')}>{t('gift.action')}</Button>}
          {writable && (
            <Dropdown
              menu={{
                items: [
                  { key: 'merge', label: t('merge.action') },
                  ...(can('members.cashOut') && m.balance > 0 ? [{ key: 'cashOut', label: t('cashOut.action') }] : []),
                  ...(can('members.exportOne') ? [{ key: 'export', label: t('privacy.export') }] : []),
                  ...(can('members.erase') ? [{ key: 'erase', label: t('erase.action'), danger: true }] : []),
                ],
                onClick: ({ key }) =>
                  key === 'merge' || key === 'cashOut' ? setDialog(key) : key === 'export' ? void exportOne() : confirmErase(),
              }}
            >
              <Button>
                {t('common:actions.more')} <DownOutlined />
              </Button>
            </Dropdown>
          )}
          {!writable && can('members.exportOne') && <Button onClick={() => void exportOne()}>{t('privacy.export')}</Button>}
        </Space>
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('detail.balances')} size="small">
          <ProDescriptions column={{ xs: 1, sm: 2, md: 3, lg: 4 }}>
            <ProDescriptions.Item label={t('fields.points')}>
              <Typography.Text strong data-testid="member-points">
                {m.points}
              </Typography.Text>
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.balance')}>
              <Typography.Text strong data-testid="member-balance">
                <Money fen={m.balance} />
              </Typography.Text>
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.principal')}>
              <Money fen={m.balance_principal} />
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.bonus')}>
              <Money fen={m.balance_bonus} />
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.totalSpend')}>
              <Money fen={m.total_spend} />
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.visits')}>{m.visit_count}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.lastVisit')}>{formatDateTime(m.last_visit_at, timeZone) || '—'}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.tier')}>
              {m.tier ? `${m.tier.name}${m.tier.discount_bp ? t('detail.discount', { pct: (m.tier.discount_bp / 100).toString() }) : ''}` : '—'}
            </ProDescriptions.Item>
          </ProDescriptions>
        </Card>
        <Card title={t('detail.profile')} size="small">
          <ProDescriptions column={{ xs: 1, sm: 2, md: 3 }}>
            <ProDescriptions.Item label={t('fields.phone')}>{m.phone}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.name')}>{m.name || '—'}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.gender')}>{t(`genders.${m.gender}`)}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.birthday')}>{m.birthday ?? '—'}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.address')}>{m.address || '—'}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.tags')}>
              {m.tags.length ? m.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'}
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.marketingConsent')}>{m.marketing_consent ? t('detail.yes') : t('detail.no')}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.registerStore')}>{storeName(m.register_store_id)}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.channel')}>{t(`channels.${m.channel}`)}</ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.card')}>
              {card ? (
                <Space size={4}>
                  <span data-testid="member-card-number">{card.number}</span>
                  <Tag color={cardColor[card.status]}>{t(`cardStatuses.${card.status}`)}</Tag>
                  <Tag>{t(`cardKinds.${card.kind}`)}</Tag>
                </Space>
              ) : (
                '—'
              )}
            </ProDescriptions.Item>
            <ProDescriptions.Item label={t('fields.createdAt')}>{formatDateTime(m.created_at, timeZone)}</ProDescriptions.Item>
            {m.merged_into && (
              <ProDescriptions.Item label={t('fields.mergedInto')}>
                <Link to={`/members/${m.merged_into}`}>{t('common:actions.view')}</Link>
              </ProDescriptions.Item>
            )}
          </ProDescriptions>
        </Card>
        <Card size="small">
          <Tabs
            items={[
              {
                key: 'points',
                label: t('detail.pointsLedger'),
                children: <Table rowKey="id" size="small" columns={pointsColumns} dataSource={v.points_ledger} pagination={{ pageSize: 10 }} scroll={{ x: 'max-content' }} />,
              },
              {
                key: 'sv',
                label: t('detail.svLedger'),
                children: <Table rowKey="id" size="small" columns={svColumns} dataSource={v.stored_value_ledger} pagination={{ pageSize: 10 }} scroll={{ x: 'max-content' }} />,
              },
              { key: 'cards', label: t('detail.cards'), children: <Table rowKey="id" size="small" columns={cardColumns} dataSource={v.cards} pagination={false} /> },
              { key: 'coupons', label: t('detail.coupons'), children: <Table rowKey="id" size="small" columns={couponColumns} dataSource={v.coupons} pagination={false} /> },
              {
                key: 'purchases',
                label: t('detail.purchases'),
                children: v.recent_purchases.length ? (
                  <Typography.Paragraph>
                    <pre style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(v.recent_purchases, null, 2)}</pre>
                  </Typography.Paragraph>
                ) : (
                  <Empty description={t('detail.noPurchases')} />
                ),
              },
            ]}
          />
        </Card>
      </Space>

      <MemberForm
        member={m}
        open={dialog === 'edit'}
        onOpenChange={(open) => !open && setDialog(null)}
        onUpdate={async (input) => {
          if (Object.keys(input).length > 0) await update.mutateAsync(input);
          void message.success(t('common:state.saved'));
        }}
      />
      {dialog === 'reissue' && <ReissueForm memberId={id} onClose={() => setDialog(null)} />}
      {dialog === 'adjust' && <AdjustPointsForm memberId={id} onClose={() => setDialog(null)} />}
      {dialog === 'gift' && <GiftForm memberId={id} points={m.points} onClose={() => setDialog(null)} />}
      {dialog === 'merge' && <MergeForm member={m} onClose={() => setDialog(null)} />}
      {dialog === 'cashOut' && <CashOutForm member={m} onClose={() => setDialog(null)} />}
      {dialog !== null && typeof dialog === 'object' && <ReverseForm memberId={id} entry={dialog.reverse} onClose={() => setDialog(null)} />}
      <Modal open={qr !== null} title={t('qr.title')} footer={null} onCancel={() => setQr(null)} destroyOnHidden>
        {qr && (
          <Space direction="vertical" align="center" style={{ width: '100%' }}>
            <QRCode value={qr.token} size={220} />
            <Typography.Text type="secondary">{t('qr.expires', { at: formatDateTime(qr.expires_at, timeZone) })}</Typography.Text>
            <Typography.Text copyable={{ text: qr.token }} code style={{ maxWidth: 400, wordBreak: 'break-all' }}>
              {qr.token.slice(0, 24)}…
            </Typography.Text>
          </Space>
        )}
      </Modal>
    </PageContainer>
  );
}

interface ActionFormProps {
  memberId: string;
  onClose: () => void;
}

function ReissueForm({ memberId, onClose }: ActionFormProps) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<{ card_number?: string }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const action = useCardAction(memberId);
  return (
    <ModalForm<{ card_number?: string }>
      title={t('card.reissueTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          await action.mutateAsync({ action: 'reissue', cardNumber: v.card_number?.trim() || undefined });
          void message.success(t('card.done.reissue'));
          return true;
        } catch (e) {
          showError(e, form, { 'members.card_taken': 'card_number' });
          return false;
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('card.reissueHint')}</Typography.Paragraph>
      <ProFormText name="card_number" label={t('fields.cardNumber')} rules={[{ min: 6, max: 32 }]} placeholder={t('card.reissuePlaceholder')} />
    </ModalForm>
  );
}

const payBackMethods = ['bank', 'cash', 'wechat', 'alipay', 'card', 'unionpay'] as const;

/** CashOutForm: 退卡 at HQ: the principal paid back (by bank transfer unless chosen otherwise), the bonus forfeited. */
function CashOutForm({ member, onClose }: { member: Member; onClose: () => void }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<{ payment_method: CashOutInput['payment_method'] }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  // One cash-out document for this dialog: a retry after a lost answer is the same cash-out.
  const [sourceId] = useState(uuidv7);
  const cashOut = useCashOutMember(member.id);
  const method = Form.useWatch('payment_method', form) ?? 'bank';
  return (
    <ModalForm<{ payment_method: CashOutInput['payment_method'] }>
      title={t('cashOut.title')}
      form={form}
      open
      initialValues={{ payment_method: 'bank' }}
      onOpenChange={(open) => !open && onClose()}
      submitter={{ searchConfig: { submitText: t('cashOut.ok'), resetText: t('common:actions.cancel') } }}
      width={520}
      onFinish={async (v) => {
        try {
          const e = await cashOut.mutateAsync({
            body: { payment_method: v.payment_method, source_type: 'hq_cash_out', source_id: sourceId },
            idempotencyKey: idempotency.key(),
          });
          void message.success(t('cashOut.done', { principal: formatMoney(-e.principal), bonus: formatMoney(-e.bonus) }));
          return true;
        } catch (e) {
          showError(e, form, { 'members.insufficient_balance': 'payment_method' });
          return false;
        }
      }}
    >
      <Typography.Paragraph data-testid="cashout-summary">
        {t('cashOut.confirm', {
          principal: formatMoney(member.balance_principal),
          bonus: formatMoney(member.balance_bonus),
          method: t(`cashOut.methods.${method}`),
        })}
      </Typography.Paragraph>
      <ProFormSelect
        name="payment_method"
        label={t('cashOut.method')}
        rules={[{ required: true }]}
        options={payBackMethods.map((value) => ({ value, label: t(`cashOut.methods.${value}`) }))}
      />
    </ModalForm>
  );
}

function AdjustPointsForm({ memberId, onClose }: ActionFormProps) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<{ points: string; note: string }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const adjust = useAdjustPoints(memberId);
  return (
    <ModalForm<{ points: string; note: string }>
      title={t('adjust.title')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          await adjust.mutateAsync({ points: Number(v.points.trim()), note: v.note.trim(), idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('adjust.done'));
          return true;
        } catch (e) {
          showError(e, form, { 'members.insufficient_points': 'points' });
          return false;
        }
      }}
    >
      <ProFormText
        name="points"
        label={t('adjust.points')}
        extra={t('adjust.pointsHint')}
        rules={[
          { required: true },
          { pattern: /^\s*[-+]?\d{1,12}\s*$/, message: t('adjust.pointsInvalid') },
          { validator: async (_, value?: string) => (value && Number(value) === 0 ? Promise.reject(new Error(t('adjust.pointsInvalid'))) : undefined) },
        ]}
      />
      <ProFormTextArea name="note" label={t('adjust.note')} rules={[{ required: true }, { max: 200 }]} />
    </ModalForm>
  );
}

function GiftForm({ memberId, points, onClose }: ActionFormProps & { points: number }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<{ gift_id: string; store_id?: string }>();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const gifts = useGifts(true);
  const stores = useStoreOptions(can('stores.read'));
  const redeem = useRedeemGift(memberId);
  return (
    <ModalForm<{ gift_id: string; store_id?: string }>
      title={t('gift.title')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          await redeem.mutateAsync({ giftId: v.gift_id, storeId: v.store_id ?? null, idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('gift.done'));
          return true;
        } catch (e) {
          showError(e, form, { 'members.insufficient_points': 'gift_id', 'members.gift_unavailable': 'gift_id', 'members.gift_not_found': 'gift_id' });
          return false;
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('gift.available', { points })}</Typography.Paragraph>
      <ProFormSelect
        name="gift_id"
        label={t('gift.gift')}
        rules={[{ required: true }]}
        fieldProps={{ loading: gifts.isLoading }}
        options={(gifts.data ?? []).map((g) => ({
          value: g.id,
          disabled: !g.active || g.stock === 0 || g.points_cost > points,
          label: t('gift.option', { name: g.name, cost: g.points_cost, stock: g.stock ?? '∞' }),
        }))}
      />
      <ProFormSelect
        name="store_id"
        label={t('gift.store')}
        placeholder={t('list.hq')}
        allowClear
        showSearch
        options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
      />
    </ModalForm>
  );
}

function ReverseForm({ memberId, entry, onClose }: ActionFormProps & { entry: PointsEntry }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<{ note: string }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const reverse = useReversePoints(memberId);
  return (
    <ModalForm<{ note: string }>
      title={t('reverse.title')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          await reverse.mutateAsync({ entryId: entry.id, note: v.note.trim(), idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('reverse.done'));
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <Typography.Paragraph>{t('reverse.summary', { kind: t(`pointsKinds.${entry.kind}`), points: signed(entry.points) })}</Typography.Paragraph>
      <ProFormTextArea name="note" label={t('reverse.note')} rules={[{ required: true }, { max: 200 }]} />
    </ModalForm>
  );
}

function MergeForm({ member, onClose }: { member: Member; onClose: () => void }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<{ phone: string }>();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const merge = useMergeMember(member.id);
  return (
    <ModalForm<{ phone: string }>
      title={t('merge.title')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={480}
      onFinish={async (v) => {
        try {
          const found = await fetchMembers({ limit: 1, cursor: undefined, filters: { phone: v.phone.trim() } });
          const other = found.data[0];
          if (!other) {
            form.setFields([{ name: 'phone', errors: [t('merge.notFound')] }]);
            return false;
          }
          if (other.id === member.id) {
            form.setFields([{ name: 'phone', errors: [t('merge.self')] }]);
            return false;
          }
          const ok = await modal.confirm({
            title: t('merge.confirmTitle'),
            content: t('merge.confirm', { from: `${other.name} ${other.phone}`, points: other.points, into: `${member.name} ${member.phone}` }),
          });
          if (!ok) return false;
          await merge.mutateAsync({ fromMemberId: other.id, idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('merge.done'));
          return true;
        } catch (e) {
          showError(e, form);
          return false;
        }
      }}
    >
      <Typography.Paragraph type="secondary">{t('merge.hint')}</Typography.Paragraph>
      <ProFormText name="phone" label={t('merge.phone')} rules={[{ required: true }]} />
    </ModalForm>
  );
}
