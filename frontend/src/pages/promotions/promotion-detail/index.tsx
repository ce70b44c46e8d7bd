import { PageContainer, ProCard, ProDescriptions } from '@ant-design/pro-components';
import { App, Button, DatePicker, Empty, Popconfirm, Segmented, Space, Spin, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { Promotion } from '../../../api/types';
import { useAccess, useSession } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { Chart } from '../../../components/Chart';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { formatMoney } from '../../../lib/money';
import { formatQuantity } from '../../../lib/quantity';
import { dayjs, formatDateTime } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { axisMoney } from '../../dashboard/mapping';
import { PromotionForm } from '../PromotionForm';
import { PromotionStatus } from '../PromotionStatus';
import { compareSeries, previousPeriod } from '../effect';
import { useDeletePromotion, useOptOut, usePromotion, usePromotionAction, usePromotionEffect, useUpdatePromotion, type PromotionAction } from '../queries';
import { formatBpPercent } from '../rule-form';
import { usePromotionPickers } from '../usePickers';

function RuleSummary({ p }: { p: Promotion }) {
  const { t } = useTranslation('promotions');
  const { me } = useSession();
  const money = (fen: number | undefined) => formatMoney(fen ?? 0, me.tenant.currency);
  const r = p.rule;
  const parts: string[] = [];
  if (r.steps?.length)
    parts.push(
      r.steps
        .map((s) => (p.kind === 'spend_amount_off' ? t('summary.stepOff', { threshold: money(s.threshold), off: money(s.off) }) : t('summary.stepPercent', { threshold: money(s.threshold), off: formatBpPercent(s.off_bp ?? 0) })))
        .join('，'),
    );
  if (r.repeat) parts.push(t('summary.repeat'));
  if (r.off_bp !== undefined && !r.steps?.length) parts.push(t('summary.offBp', { off: formatBpPercent(r.off_bp) }));
  if (r.amount !== undefined && p.kind === 'amount_off') parts.push(t('summary.amount', { amount: money(r.amount) }));
  if (r.price !== undefined && (p.kind === 'special_price' || p.kind === 'bundle')) parts.push(t('summary.price', { price: money(r.price) }));
  if (p.kind === 'buy_n_get_m') parts.push(t('summary.buyNGetM', { n: r.n, m: r.m }));
  if (p.kind === 'nth_item') parts.push(t('summary.nth', { n: r.n }));
  if (r.components?.length) parts.push(t('summary.components', { count: r.components.length }));
  if (r.max_off) parts.push(t('summary.maxOff', { max: money(r.max_off) }));
  if (r.limit_qty) parts.push(t('summary.limitQty', { qty: formatQuantity(r.limit_qty) }));
  if (r.limit_sets) parts.push(t('summary.limitSets', { sets: r.limit_sets }));
  return <>{parts.join('；') || t(`kinds.${p.kind}`)}</>;
}

function Effect({ p }: { p: Promotion }) {
  const { t } = useTranslation('promotions');
  const { me } = useSession();
  const zone = useTimeZone();
  const today = dayjs().tz(zone).format('YYYY-MM-DD');
  const start = p.window.starts ? dayjs(p.window.starts).tz(zone).format('YYYY-MM-DD') : dayjs(today).subtract(13, 'day').format('YYYY-MM-DD');
  const [range, setRange] = useState<[string, string]>([start > today ? today : start, today]);
  const [metric, setMetric] = useState<'discount' | 'sales'>('discount');
  const prev = previousPeriod(range[0], range[1]);
  const current = usePromotionEffect(p.id, range[0], range[1]);
  const before = usePromotionEffect(p.id, prev.from, prev.to);
  const series = useMemo(() => compareSeries(current.data, before.data, range[0], range[1], metric), [current.data, before.data, range, metric]);

  if (current.error) return <ErrorResult error={current.error} onRetry={() => void current.refetch()} />;
  const e = current.data;
  return (
    <ProCard
      title={t('effect.title')}
      bordered
      headerBordered
      style={{ marginTop: 16 }}
      extra={
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
        />
      }
    >
      {!e ? (
        <Spin style={{ display: 'block', margin: '32px auto' }} />
      ) : (
        <>
          <Space size={48} wrap style={{ marginBottom: 16 }}>
            <Statistic title={t('effect.sales')} value={e.sales} />
            <Statistic title={t('effect.members')} value={e.members} />
            <Statistic title={t('effect.discount')} valueRender={() => <Money fen={e.discount} />} />
            <Statistic title={t('effect.units')} value={formatQuantity(e.units)} />
            <Statistic title={t('effect.budget')} valueRender={() => (e.budget === null ? t('effect.noBudget') : <><Money fen={e.spent} /> / <Money fen={e.budget} /></>)} />
            {e.over > 0 && <Statistic title={t('effect.over')} value={e.over} valueStyle={{ color: '#fa8c16' }} />}
          </Space>
          <Segmented<'discount' | 'sales'>
            value={metric}
            onChange={setMetric}
            options={[
              { value: 'discount', label: t('effect.byDiscount') },
              { value: 'sales', label: t('effect.bySales') },
            ]}
          />
          <Chart
            ariaLabel={t('effect.chart')}
            height={260}
            option={{
              tooltip: {
                trigger: 'axis',
                valueFormatter: (v: unknown) => (metric === 'discount' && Number.isSafeInteger(v) ? formatMoney(v as number, me.tenant.currency) : String(v)),
              },
              legend: { data: [t('effect.thisPeriod'), t('effect.previousPeriod', prev)] },
              grid: { left: 48, right: 16, top: 40, bottom: 32 },
              xAxis: { type: 'category', data: series.labels },
              yAxis: {
                type: 'value',
                name: metric === 'discount' ? t('effect.money') : t('effect.count'),
                minInterval: 1,
                axisLabel: metric === 'discount' ? { formatter: (v: number) => axisMoney(v, me.tenant.currency) } : undefined,
              },
              series: [
                { name: t('effect.thisPeriod'), type: 'bar', data: series.current },
                { name: t('effect.previousPeriod', prev), type: 'line', data: series.previous },
              ],
            }}
          />
          <Table
            size="small"
            rowKey="date"
            pagination={false}
            dataSource={e.days ?? []}
            locale={{ emptyText: <Empty description={t('effect.empty')} /> }}
            columns={[
              { title: t('effect.date'), dataIndex: 'date' },
              { title: t('effect.sales'), dataIndex: 'sales', align: 'right' },
              { title: t('effect.discount'), dataIndex: 'discount', align: 'right', render: (v: number) => <Money fen={v} /> },
              { title: t('effect.units'), dataIndex: 'units', align: 'right', render: (v: number) => formatQuantity(v) },
            ]}
          />
        </>
      )}
    </ProCard>
  );
}

function OptOuts({ p }: { p: Promotion }) {
  const { t } = useTranslation('promotions');
  const { can } = useAccess();
  const showError = useShowError();
  const stores = useStoreOptions(can('stores.read'));
  const optOut = useOptOut(p.id);
  const franchise = (stores.data ?? []).filter((s) => s.type === 'franchise');
  if (p.owner !== 'hq' || franchise.length === 0) return null;
  return (
    <ProCard title={t('optOuts.title')} bordered headerBordered style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{p.forced ? t('optOuts.forced') : t('optOuts.hint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={franchise}
        columns={[
          { title: t('optOuts.store'), dataIndex: 'name', render: (_: unknown, s) => `${s.name}（${s.code}）` },
          {
            title: t('optOuts.takes'),
            dataIndex: 'id',
            render: (id: string) => (
              <Switch
                aria-label={t('optOuts.takes')}
                checked={!(p.opted_out ?? []).includes(id)}
                disabled={p.forced || !can('promotions.write') || optOut.isPending}
                onChange={async (takes) => {
                  try {
                    await optOut.mutateAsync({ storeId: id, out: !takes });
                  } catch (e) {
                    showError(e);
                  }
                }}
              />
            ),
          },
        ]}
      />
    </ProCard>
  );
}

export default function PromotionDetailPage() {
  const { t, i18n } = useTranslation('promotions');
  const { id = '' } = useParams();
  const { me } = useSession();
  const { can } = useAccess();
  const zone = useTimeZone();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const promotion = usePromotion(id);
  const update = useUpdatePromotion(id);
  const action = usePromotionAction(id);
  const remove = useDeletePromotion(id);
  const pickers = usePromotionPickers();
  const stores = useStoreOptions(can('stores.read'));
  const [editing, setEditing] = useState(false);

  if (promotion.error) return <ErrorResult error={promotion.error} onRetry={() => void promotion.refetch()} />;
  if (!promotion.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const p = promotion.data;
  const mayChange = can('promotions.write') && (me.chain_wide || p.owner === 'franchisee');
  const storeName = new Map((stores.data ?? []).map((s) => [s.id, s.name]));
  const names = (ids: string[] | undefined, map: Map<string, string>) => (ids ?? []).map((x) => map.get(x) ?? x.slice(0, 8)).join('、');
  const optionName = (opts: { value: string; label: string }[]) => new Map(opts.map((o) => [o.value, o.label.trim()]));

  const run = async (a: PromotionAction) => {
    try {
      await action.mutateAsync(a);
      void message.success(t(`actions.${a}Done`));
    } catch (e) {
      showError(e);
    }
  };

  return (
    <PageContainer
      title={i18n.language === 'en' ? p.name_en || p.name : p.name}
      onBack={() => history.back()}
      tags={
        <Space size={4}>
          <PromotionStatus status={p.status} />
          <Tag>{t(`kinds.${p.kind}`)}</Tag>
          {p.forced && <Tag color="purple">{t('detail.forced')}</Tag>}
        </Space>
      }
      extra={
        mayChange && (
          <Space wrap>
            {p.status !== 'ended' && <Button onClick={() => setEditing(true)}>{t('common:actions.edit')}</Button>}
            {(p.status === 'draft' || p.status === 'paused') && (
              <Button type="primary" loading={action.isPending} onClick={() => void run('activate')}>
                {t('actions.activate')}
              </Button>
            )}
            {p.status === 'active' && (
              <Button loading={action.isPending} onClick={() => void run('pause')}>
                {t('actions.pause')}
              </Button>
            )}
            {(p.status === 'active' || p.status === 'paused') && (
              <Popconfirm title={t('actions.endConfirm')} onConfirm={() => run('end')}>
                <Button danger>{t('actions.end')}</Button>
              </Popconfirm>
            )}
            {p.status === 'draft' && (
              <Popconfirm
                title={t('actions.deleteConfirm')}
                onConfirm={async () => {
                  try {
                    await remove.mutateAsync();
                    void message.success(t('actions.deleted'));
                    navigate('/promotions', { replace: true });
                  } catch (e) {
                    showError(e);
                  }
                }}
              >
                <Button danger>{t('common:actions.delete')}</Button>
              </Popconfirm>
            )}
          </Space>
        )
      }
    >
      <ProCard bordered>
        <ProDescriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <ProDescriptions.Item label={t('detail.rule')} span={2}>
            <span data-testid="rule-summary">
              <RuleSummary p={p} />
            </span>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('list.owner')}>{t(`owners.${p.owner}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('list.stores')}>
            {t(`scopes.${p.stores.scope ?? 'all'}`)}
            {p.stores.scope === 'list' && `：${names(p.stores.ids, storeName)}`}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('detail.items')} span={2}>
            {[
              p.items.categories?.length && `${t('form.categories')}：${names(p.items.categories, optionName(pickers.categories))}`,
              p.items.brands?.length && `${t('form.brands')}：${names(p.items.brands, optionName(pickers.brands))}`,
              p.items.skus?.length && `${t('form.skus')}：${p.items.skus.length}`,
              p.items.exclude_categories?.length && `${t('form.excludeCategories')}：${names(p.items.exclude_categories, optionName(pickers.categories))}`,
              p.items.exclude_brands?.length && `${t('form.excludeBrands')}：${names(p.items.exclude_brands, optionName(pickers.brands))}`,
              p.items.exclude_skus?.length && `${t('form.excludeSkus')}：${p.items.exclude_skus.length}`,
            ]
              .filter(Boolean)
              .join('；') || t('detail.allItems')}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('detail.audience')}>
            {p.audience.tiers?.length ? names(p.audience.tiers, optionName(pickers.tiers)) : p.audience.members_only ? t('detail.membersOnly') : t('detail.everyone')}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('list.window')}>
            {p.window.starts || p.window.ends ? `${formatDateTime(p.window.starts, zone) || '…'} – ${formatDateTime(p.window.ends, zone) || '…'}` : t('list.always')}
            {p.window.weekdays?.length ? ` · ${p.window.weekdays.map((d) => t(`weekdays.${d}`)).join(' ')}` : ''}
            {p.window.times?.length
              ? ` · ${p.window.times.map((r) => `${String(Math.floor(r.from / 60)).padStart(2, '0')}:${String(r.from % 60).padStart(2, '0')}–${String(Math.floor(r.to / 60)).padStart(2, '0')}:${String(r.to % 60).padStart(2, '0')}`).join(', ')}`
              : ''}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('form.budget')}>
            {p.budget === null ? t('effect.noBudget') : <><Money fen={p.spent} /> / <Money fen={p.budget} /></>}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('form.perMemberLimit')}>{p.per_member_limit ?? '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('detail.stacking')}>
            {[p.exclusive ? t('form.exclusive') : null, p.group ? `${t('form.group')}：${p.group}` : null, `${t('form.priority')}：${p.priority}`].filter(Boolean).join('；')}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('list.updatedAt')}>{formatDateTime(p.updated_at, zone)}</ProDescriptions.Item>
        </ProDescriptions>
      </ProCard>
      <OptOuts p={p} />
      <Effect p={p} />
      {mayChange && (
        <PromotionForm
          promotion={p}
          hq={me.chain_wide}
          pickers={pickers}
          open={editing}
          onOpenChange={setEditing}
          onUpdate={async (input) => {
            await update.mutateAsync(input);
            void message.success(t('common:state.saved'));
          }}
        />
      )}
    </PageContainer>
  );
}
