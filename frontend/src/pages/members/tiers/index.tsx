import { PlusOutlined } from '@ant-design/icons';
import { ModalForm, PageContainer, ProFormDigit, ProFormRadio, ProFormSwitch, ProFormText, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Form, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { MemberTier, MemberTierInput } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { ErrorResult } from '../../../components/ErrorResult';
import { formSubmitter } from '../../../components/form-submitter';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { fenForApi, formatYuanInput, MoneyParseError, parseYuan } from '../../../lib/money';
import { useCreateTier, useSetTierActive, useTiers, useUpdateTier } from '../queries';

interface TierValues {
  code: string;
  name: string;
  rank?: number;
  basis: 'points' | 'spend';
  threshold: string;
  window_days?: number;
  discount_bp?: number;
  points_multiplier?: number;
  birthday_points?: number;
  birthday_coupon?: string;
  member_price: boolean;
}

/** thresholdOf reads the threshold: yuan (exact fen) for a spend tier, whole points otherwise. */
function thresholdOf(basis: 'points' | 'spend', text: string): number {
  if (basis === 'spend') return fenForApi(parseYuan(text));
  if (!/^\s*\d+\s*$/.test(text)) throw new MoneyParseError('format');
  return Number(text.trim());
}

export default function TierListPage() {
  const { t } = useTranslation('members');
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const tiers = useTiers();
  const setActive = useSetTierActive();
  const [editing, setEditing] = useState<MemberTier | 'new' | null>(null);

  const toggle = async (tier: MemberTier) => {
    try {
      await setActive.mutateAsync({ id: tier.id, active: !tier.active });
      void message.success(tier.active ? t('tiers.deactivated') : t('tiers.activated'));
    } catch (e) {
      showError(e);
    }
  };

  if (tiers.error) return <ErrorResult error={tiers.error} onRetry={() => void tiers.refetch()} />;

  const columns: ProColumns<MemberTier>[] = [
    { title: t('tiers.rank'), dataIndex: 'rank', width: 60 },
    { title: t('tiers.code'), dataIndex: 'code' },
    { title: t('tiers.name'), dataIndex: 'name' },
    {
      title: t('tiers.threshold'),
      dataIndex: 'threshold',
      align: 'right',
      render: (_, tier) => (tier.basis === 'spend' ? <Money fen={tier.threshold} /> : t('tiers.pointsValue', { points: tier.threshold })),
    },
    { title: t('tiers.window'), dataIndex: 'window_days', render: (_, tier) => t('tiers.days', { days: tier.window_days }) },
    { title: t('tiers.discount'), dataIndex: 'discount_bp', render: (_, tier) => `${tier.discount_bp / 100}%` },
    { title: t('tiers.multiplier'), dataIndex: 'points_multiplier', render: (_, tier) => `${tier.points_multiplier}%` },
    { title: t('tiers.birthdayPoints'), dataIndex: 'birthday_points' },
    { title: t('tiers.memberPrice'), dataIndex: 'member_price', render: (_, tier) => (tier.member_price ? t('detail.yes') : t('detail.no')) },
    { title: t('fields.status'), dataIndex: 'active', render: (_, tier) => <Tag color={tier.active ? 'green' : 'default'}>{tier.active ? t('tiers.active') : t('tiers.inactive')}</Tag> },
    ...(can('members.write')
      ? [
          {
            title: t('ledger.actions'),
            key: 'actions',
            render: (_: unknown, tier: MemberTier) => (
              <Space>
                <a onClick={() => setEditing(tier)}>{t('common:actions.edit')}</a>
                <a onClick={() => void toggle(tier)}>{tier.active ? t('tiers.deactivate') : t('tiers.activate')}</a>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer title={t('tiers.title')} subTitle={t('tiers.subtitle')}>
      <ProTable<MemberTier>
        rowKey="id"
        search={false}
        loading={tiers.isLoading}
        dataSource={tiers.data}
        columns={columns}
        pagination={false}
        options={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tiers.empty') }}
        toolBarRender={() =>
          can('members.write')
            ? [
                <Button key="create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                  {t('tiers.create')}
                </Button>,
              ]
            : []
        }
      />
      {editing !== null && <TierForm tier={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}

function TierForm({ tier, onClose }: { tier?: MemberTier; onClose: () => void }) {
  const { t } = useTranslation('members');
  const [form] = Form.useForm<TierValues>();
  const { message } = App.useApp();
  const showError = useShowError();
  const idempotency = useIdempotencyKey();
  const create = useCreateTier();
  const update = useUpdateTier();
  const basis = Form.useWatch('basis', form) ?? tier?.basis ?? 'spend';

  const initial: Partial<TierValues> = tier
    ? {
        ...tier,
        threshold: tier.basis === 'spend' ? formatYuanInput(tier.threshold) : String(tier.threshold),
        birthday_coupon: tier.birthday_coupon ?? '',
      }
    : { basis: 'spend', threshold: '0', window_days: 365, discount_bp: 0, points_multiplier: 100, birthday_points: 0, member_price: false };

  const submit = async (v: TierValues) => {
    let threshold: number;
    try {
      threshold = thresholdOf(v.basis ?? basis, v.threshold);
    } catch (e) {
      form.setFields([{ name: 'threshold', errors: [t(`common:money.${e instanceof MoneyParseError ? e.reason : 'format'}`)] }]);
      return false;
    }
    const common = {
      name: v.name.trim(),
      threshold,
      window_days: v.window_days,
      discount_bp: v.discount_bp,
      points_multiplier: v.points_multiplier,
      birthday_points: v.birthday_points,
      birthday_coupon: v.birthday_coupon?.trim() || null,
      member_price: v.member_price,
    };
    try {
      if (tier) {
        await update.mutateAsync({ id: tier.id, body: common });
      } else {
        const body: MemberTierInput = { ...common, code: v.code.trim(), rank: v.rank, basis: v.basis };
        await create.mutateAsync({ body, idempotencyKey: idempotency.key() });
        idempotency.rotate();
      }
      void message.success(t('common:state.saved'));
      return true;
    } catch (e) {
      showError(e, form, { 'members.tier_taken': 'code' });
      return false;
    }
  };

  return (
    <ModalForm<TierValues>
      title={tier ? t('tiers.editTitle') : t('tiers.createTitle')}
      form={form}
      open
      onOpenChange={(open) => !open && onClose()}
      submitter={formSubmitter(t)}
      width={560}
      layout="horizontal"
      labelCol={{ span: 7 }}
      initialValues={initial}
      onFinish={submit}
    >
      <ProFormText name="code" label={t('tiers.code')} disabled={!!tier} rules={[{ required: true }, { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: t('tiers.codeInvalid') }]} />
      <ProFormText name="name" label={t('tiers.name')} rules={[{ required: true }, { max: 50 }]} />
      <ProFormDigit name="rank" label={t('tiers.rank')} disabled={!!tier} min={0} max={100} fieldProps={{ precision: 0 }} />
      <ProFormRadio.Group
        name="basis"
        label={t('tiers.basis')}
        disabled={!!tier}
        radioType="button"
        options={[
          { value: 'spend', label: t('tiers.bases.spend') },
          { value: 'points', label: t('tiers.bases.points') },
        ]}
      />
      <ProFormText name="threshold" label={basis === 'spend' ? t('tiers.thresholdYuan') : t('tiers.thresholdPoints')} rules={[{ required: true }]} />
      <ProFormDigit name="window_days" label={t('tiers.window')} min={1} max={3660} fieldProps={{ precision: 0 }} />
      <ProFormDigit name="discount_bp" label={t('tiers.discountBp')} min={0} max={10000} fieldProps={{ precision: 0 }} extra={t('tiers.discountHint')} />
      <ProFormDigit name="points_multiplier" label={t('tiers.multiplier')} min={0} max={10000} fieldProps={{ precision: 0 }} extra={t('tiers.multiplierHint')} />
      <ProFormDigit name="birthday_points" label={t('tiers.birthdayPoints')} min={0} fieldProps={{ precision: 0 }} />
      <ProFormText name="birthday_coupon" label={t('tiers.birthdayCoupon')} />
      <ProFormSwitch name="member_price" label={t('tiers.memberPrice')} />
    </ModalForm>
  );
}
