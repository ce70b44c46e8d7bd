import { CheckOutlined } from '@ant-design/icons';
import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { Alert, Button, Col, List, Row, Space, Spin, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { asApiError } from '../../../api/problem';
import type { BillingPlan, BillingSubscription } from '../../../api/types';
import { useAccess, useSession } from '../../../app/session';
import { Chart } from '../../../components/Chart';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { describeError } from '../../../components/describe-error';
import { formatDate } from '../../../lib/time';
import { usePlans, useStripeRedirect, useSubscription } from '../queries';

function UsageChart({ subscription }: { subscription: BillingSubscription }) {
  const { t } = useTranslation('billing');
  const { usage, entitlements: plan } = subscription;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: [t('usage.stores'), t('usage.staff')] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('usage.used'), type: 'bar', data: [usage.active_stores, usage.staff], barMaxWidth: 40 },
        { name: t('usage.limit'), type: 'bar', data: [plan.max_stores, plan.max_staff], barMaxWidth: 40 },
      ],
    }),
    [t, usage, plan],
  );
  return <Chart option={option} height={220} ariaLabel={t('usage.title')} />;
}

function PlanCard({ plan, current, onChoose, choosing }: { plan: BillingPlan; current: boolean; onChoose?: () => void; choosing: boolean }) {
  const { t } = useTranslation('billing');
  const limit = (n: number | null) => (n === null ? t('plans.unlimited') : String(n));
  return (
    <ProCard
      bordered
      title={plan.name}
      extra={current && <Tag color="blue">{t('plans.current')}</Tag>}
      actions={onChoose && [
        <Button key="choose" type={current ? 'default' : 'primary'} loading={choosing} onClick={onChoose}>
          {current ? t('plans.renew') : t('plans.choose')}
        </Button>,
      ]}
    >
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        <Money fen={plan.unit_amount} currency={plan.currency} />
        <Typography.Text type="secondary" style={{ fontSize: 14 }}>
          {' '}
          {t('plans.perStoreMonth')}
        </Typography.Text>
      </Typography.Title>
      <List
        size="small"
        split={false}
        dataSource={[
          t('plans.stores', { n: limit(plan.max_stores) }),
          t('plans.staff', { n: limit(plan.max_staff) }),
          t('plans.members', { n: limit(plan.max_members) }),
          ...plan.modules.map((m) => t(`modules.${m}`)),
        ]}
        renderItem={(item) => (
          <List.Item>
            <Space>
              <CheckOutlined style={{ color: '#52c41a' }} />
              {item}
            </Space>
          </List.Item>
        )}
      />
    </ProCard>
  );
}

export default function BillingPage() {
  const { t } = useTranslation('billing');
  const { me } = useSession();
  const { can } = useAccess();
  const [params] = useSearchParams();
  const subscription = useSubscription();
  const plans = usePlans();
  const redirect = useStripeRedirect();
  const redirectError = redirect.error ? asApiError(redirect.error) : undefined;
  const checkout = params.get('checkout');

  const error = subscription.error ?? plans.error;
  if (error) return <ErrorResult error={error} onRetry={() => void Promise.all([subscription.refetch(), plans.refetch()])} />;
  if (!subscription.data || !plans.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const s = subscription.data;
  const tz = me.tenant.time_zone;

  return (
    <PageContainer
      title={t('title')}
      subTitle={t('subtitle')}
      extra={
        can('billing.write') &&
        s.has_subscription && (
          <Button onClick={() => redirect.mutate('portal')} loading={redirect.isPending && redirect.variables === 'portal'}>
            {t('portal')}
          </Button>
        )
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {checkout === 'success' && <Alert type="success" showIcon message={t('checkout.success')} />}
        {checkout === 'canceled' && <Alert type="info" showIcon message={t('checkout.canceled')} />}
        {redirectError && (
          <Alert
            data-testid="billing-redirect-error"
            type={redirectError.code === 'billing.not_configured' ? 'info' : 'error'}
            showIcon
            message={describeError(t, redirectError)}
          />
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <ProCard bordered title={t('subscription.title')}>
              <ProDescriptions column={2}>
                <ProDescriptions.Item label={t('subscription.plan')}>{plans.data.find((p) => p.code === s.plan)?.name ?? s.plan}</ProDescriptions.Item>
                <ProDescriptions.Item label={t('subscription.status')}>
                  <Tag color={s.access === 'full' ? 'green' : s.access === 'grace' ? 'orange' : 'red'}>{t(`statuses.${s.status}`)}</Tag>
                </ProDescriptions.Item>
                <ProDescriptions.Item label={t('subscription.access')}>{t(`access.${s.access_reason}`)}</ProDescriptions.Item>
                <ProDescriptions.Item label={t('subscription.trialEnds')}>{formatDate(s.trial_ends_at, tz)}</ProDescriptions.Item>
                <ProDescriptions.Item label={t('subscription.periodEnds')}>{formatDate(s.current_period_end, tz) || '—'}</ProDescriptions.Item>
                <ProDescriptions.Item label={t('subscription.graceEnds')}>{formatDate(s.grace_ends_at, tz) || '—'}</ProDescriptions.Item>
                <ProDescriptions.Item label={t('subscription.quantity')}>{s.quantity}</ProDescriptions.Item>
              </ProDescriptions>
            </ProCard>
          </Col>
          <Col xs={24} xl={10}>
            <ProCard bordered title={t('usage.title')}>
              <UsageChart subscription={s} />
            </ProCard>
          </Col>
        </Row>
        <Row gutter={[16, 16]}>
          {plans.data.map((plan) => (
            <Col key={plan.code} xs={24} md={8}>
              <PlanCard
                plan={plan}
                current={plan.code === s.plan}
                choosing={redirect.isPending && typeof redirect.variables === 'object' && redirect.variables.checkout === plan.code}
                onChoose={can('billing.write') ? () => redirect.mutate({ checkout: plan.code }) : undefined}
              />
            </Col>
          ))}
        </Row>
      </Space>
    </PageContainer>
  );
}
