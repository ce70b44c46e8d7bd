import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { PageContainer, ProCard, StatisticCard } from '@ant-design/pro-components';
import { Empty, Spin, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccess, useSession } from '../../../app/session';
import { useCurrentStore } from '../../../app/store-context';
import { Chart } from '../../../components/Chart';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatMoney } from '../../../lib/money';
import { byStoreOption, figures, hourlyOption, topProductsOption, type Comparison } from '../mapping';
import { useDashboard } from '../queries';

function Versus({ c, money, currency }: { c: Comparison; money: boolean; currency: string }) {
  const { t } = useTranslation('dashboard');
  const color = c.trend === 'up' ? '#cf1322' : c.trend === 'down' ? '#3f8600' : undefined; // red is up in China
  const delta = money ? formatMoney(c.delta, currency) : c.delta.toString();
  return (
    <Typography.Text style={{ color }} data-testid="versus">
      {c.trend === 'up' ? <ArrowUpOutlined /> : c.trend === 'down' ? <ArrowDownOutlined /> : null}{' '}
      {c.percent === null ? t('versus.noBase', { delta }) : t('versus.change', { percent: c.percent, delta })}
    </Typography.Text>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const { me } = useSession();
  const { can } = useAccess();
  const { storeId, store } = useCurrentStore();
  const dashboard = useDashboard(storeId);
  const currency = me.tenant.currency;
  const labels = useMemo(
    () => ({ sales: t('charts.sales'), lastWeek: t('charts.lastWeek'), orders: t('charts.orders'), qty: t('charts.qty'), currency }),
    [t, currency],
  );
  const options = useMemo(
    () =>
      dashboard.data && {
        hourly: hourlyOption(dashboard.data, labels),
        byStore: byStoreOption(dashboard.data, labels),
        top: topProductsOption(dashboard.data, labels),
      },
    [dashboard.data, labels],
  );

  if (dashboard.error) return <ErrorResult error={dashboard.error} onRetry={() => void dashboard.refetch()} />;
  if (!dashboard.data || !options) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const d = dashboard.data;
  const f = figures(d);

  return (
    <PageContainer title={t('title')} subTitle={t('subtitle', { date: d.today, scope: store ? store.name : t('allStores') })}>
      <Spin spinning={dashboard.isFetching && dashboard.isPlaceholderData}>
        <StatisticCard.Group direction="row" style={{ marginBottom: 16 }} data-testid="dashboard-figures">
          <StatisticCard
            statistic={{ title: t('figures.sales'), value: formatMoney(d.sales, currency), description: <Versus c={f.sales} money currency={currency} /> }}
          />
          <StatisticCard
            statistic={{ title: t('figures.orders'), value: d.orders, description: <Versus c={f.orders} money={false} currency={currency} /> }}
          />
          <StatisticCard statistic={{ title: t('figures.averageTicket'), value: f.averageTicket === null ? '—' : formatMoney(f.averageTicket, currency) }} />
          <StatisticCard statistic={{ title: t('figures.membersAdded'), value: d.members_added }} />
          <StatisticCard
            statistic={{
              title: t('figures.lowStock'),
              value: d.low_stock,
              valueStyle: d.low_stock > 0 ? { color: '#fa8c16' } : undefined,
            }}
          />
          <StatisticCard
            statistic={{
              title: t('figures.nearExpiry'),
              value: d.near_expiry,
              valueStyle: d.near_expiry > 0 ? { color: '#fa8c16' } : undefined,
            }}
          />
        </StatisticCard.Group>
        <ProCard gutter={[16, 16]} wrap ghost>
          <ProCard title={t('charts.byHour')} bordered headerBordered colSpan={{ xs: 24, xl: 12 }}>
            <Chart ariaLabel={t('charts.byHour')} option={options.hourly} height={260} />
          </ProCard>
          <ProCard
            title={t('charts.byStore')}
            bordered
            headerBordered
            colSpan={{ xs: 24, xl: 12 }}
            extra={can('pos.sales') && <Link to="/pos-admin/sales">{t('charts.salesLink')}</Link>}
          >
            {d.sales_by_store.length > 0 ? (
              <Chart ariaLabel={t('charts.byStore')} option={options.byStore} height={260} />
            ) : (
              <Empty description={t('charts.noSales')} style={{ height: 228 }} />
            )}
          </ProCard>
          <ProCard title={t('charts.topProducts')} bordered headerBordered colSpan={24}>
            {d.top_products.length > 0 ? (
              <Chart ariaLabel={t('charts.topProducts')} option={options.top} height={320} />
            ) : (
              <Empty description={t('charts.noSales')} />
            )}
          </ProCard>
        </ProCard>
      </Spin>
    </PageContainer>
  );
}
