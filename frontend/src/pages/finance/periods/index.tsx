import { PageContainer } from '@ant-design/pro-components';
import { App, Button, Card, InputNumber, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { FinPeriod } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { formatMoney } from '../../../lib/money';
import { useSession } from '../../../app/session';
import { useShowError } from '../../../components/useShowError';
import { dayjs, formatDateTime } from '../../../lib/time';
import { EntityPicker } from '../EntityPicker';
import { useEntities, usePeriodAction, usePeriods, useYearEndClose } from '../queries';

const statusColor: Record<string, string> = { open: 'green', closed: 'orange', locked: 'default' };

/** Accounting periods of one entity's year: close, lock, reopen, and the year-end close. */
export default function PeriodsPage() {
  const { t } = useTranslation('finance');
  const { can } = useAccess();
  const { me } = useSession();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const [params] = useSearchParams();
  const entities = useEntities();
  const [picked, setPicked] = useState<string | undefined>(params.get('entity_id') ?? undefined);
  const entityId = picked ?? entities.data?.find((e) => e.kind === 'hq')?.id ?? entities.data?.[0]?.id;
  const [year, setYear] = useState(() => dayjs().tz(timeZone).year());
  const periods = usePeriods(entityId, year);
  const action = usePeriodAction();
  const yearEnd = useYearEndClose();
  const idempotency = useIdempotencyKey();

  if (entities.error) return <ErrorResult error={entities.error} onRetry={() => void entities.refetch()} />;

  const run = async (p: FinPeriod, a: 'close' | 'lock' | 'reopen') => {
    try {
      await action.mutateAsync({ action: a, entityId: p.entity_id, year: p.year, month: p.month });
      void message.success(t(`periods.done.${a}`));
    } catch (e) {
      showError(e);
    }
  };

  const closeYear = () =>
    modal.confirm({
      title: t('periods.yearEndTitle', { year }),
      content: t('periods.yearEndConfirm'),
      onOk: async () => {
        if (!entityId) return;
        try {
          const r = await yearEnd.mutateAsync({ entityId, year, idempotencyKey: idempotency.key() });
          idempotency.rotate();
          void message.success(t('periods.yearEndDone', { profit: formatMoney(r.profit, me.tenant.currency) }));
        } catch (e) {
          showError(e);
        }
      },
    });

  return (
    <PageContainer title={t('periods.title')} subTitle={t('periods.subtitle')}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 16 }}>
          <EntityPicker entities={entities.data ?? []} value={entityId} onChange={setPicked} />
          <InputNumber aria-label={t('periods.year')} min={2000} max={2200} precision={0} value={year} onChange={(v) => v && setYear(v)} />
          {can('finance.approve') && (
            <Button danger onClick={closeYear} disabled={!entityId} loading={yearEnd.isPending}>
              {t('periods.yearEnd')}
            </Button>
          )}
        </Space>
        {periods.error ? (
          <ErrorResult error={periods.error} onRetry={() => void periods.refetch()} />
        ) : (
          <Table<FinPeriod>
            rowKey="month"
            size="small"
            loading={periods.isLoading || entities.isLoading}
            dataSource={periods.data ?? []}
            pagination={false}
            locale={{ emptyText: t('periods.empty') }}
            columns={[
              { title: t('fields.period'), key: 'period', render: (_, p) => `${p.year}-${String(p.month).padStart(2, '0')}` },
              { title: t('fields.status'), dataIndex: 'status', render: (s: string) => <Tag color={statusColor[s]}>{t(`periodStatuses.${s}`)}</Tag> },
              { title: t('periods.changedAt'), dataIndex: 'changed_at', render: (at: string | null) => formatDateTime(at, timeZone) || '—' },
              ...(can('finance.approve')
                ? [
                    {
                      title: t('fields.actions'),
                      key: 'actions',
                      render: (_: unknown, p: FinPeriod) => (
                        <Space>
                          {p.status === 'open' && (
                            <Popconfirm title={t('periods.closeConfirm')} onConfirm={() => run(p, 'close')}>
                              <Button size="small">{t('periods.close')}</Button>
                            </Popconfirm>
                          )}
                          {p.status === 'closed' && (
                            <Button size="small" onClick={() => void run(p, 'reopen')}>
                              {t('periods.reopen')}
                            </Button>
                          )}
                          {p.status !== 'locked' && (
                            <Popconfirm title={t('periods.lockConfirm')} onConfirm={() => run(p, 'lock')}>
                              <Button size="small" danger>
                                {t('periods.lock')}
                              </Button>
                            </Popconfirm>
                          )}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
    </PageContainer>
  );
}
