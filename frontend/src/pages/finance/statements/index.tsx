import { DownloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Segmented, Select, Space, Spin, Table, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { FinStatementRow } from '../../../api/types';
import { useAccess, useSession } from '../../../app/session';
import { useCurrentStore, useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { useShowError } from '../../../components/useShowError';
import { dayjs } from '../../../lib/time';
import { useStoreOptions } from '../../org/queries';
import { downloadStatement, useEntities, useStatement, type StatementKind, type StatementQuery } from '../queries';

const kinds: StatementKind[] = ['income-statement', 'balance-sheet', 'trial-balance', 'cash-flow'];

/** scopeQuery: "default" (the caller's own books), "consolidated", "entity:<id>" or "store:<id>" as the API's query. */
export function scopeQuery(scope: string): Pick<StatementQuery, 'entity_id' | 'store_id' | 'consolidated'> {
  if (scope === 'consolidated') return { consolidated: true };
  if (scope.startsWith('entity:')) return { entity_id: scope.slice(7) };
  if (scope.startsWith('store:')) return { store_id: scope.slice(6) };
  return {};
}

/** Financial statements over a date range for one set of books, a store or the consolidated chain, with XLSX/CSV export. */
export default function StatementsPage() {
  const { t, i18n } = useTranslation('finance');
  const { can } = useAccess();
  const { me } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const { storeId } = useCurrentStore();
  const [params] = useSearchParams();
  const entities = useEntities();
  const stores = useStoreOptions(can('stores.read'));
  const today = dayjs().tz(timeZone);
  const [kind, setKind] = useState<StatementKind>((params.get('kind') as StatementKind | null) ?? 'income-statement');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.startOf('month'), today]);
  const [scope, setScope] = useState<string>(() => {
    const entity = params.get('entity_id');
    if (entity) return `entity:${entity}`;
    if (storeId) return `store:${storeId}`;
    return can('finance.readChain') ? 'consolidated' : 'default';
  });
  const [exporting, setExporting] = useState<string | null>(null);
  const query: StatementQuery = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), ...scopeQuery(scope) };
  const statement = useStatement(kind, query);
  const english = i18n.language === 'en';

  const scopes = [
    ...(can('finance.readChain') ? [{ value: 'consolidated', label: t('statements.consolidated') }] : [{ value: 'default', label: t('statements.ownBooks') }]),
    ...(entities.data ?? []).map((e) => ({ value: `entity:${e.id}`, label: t('statements.entityBooks', { name: e.name }) })),
    ...(stores.data ?? [])
      .filter((s) => me.chain_wide || me.stores.includes(s.id))
      .map((s) => ({ value: `store:${s.id}`, label: t('statements.storeFigures', { name: s.name }) })),
  ];

  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(format);
    try {
      const name = await downloadStatement(kind, query, format);
      void message.success(t('statements.exported', { name }));
    } catch (e) {
      showError(e);
    } finally {
      setExporting(null);
    }
  };

  const st = statement.data;
  const columns: TableColumnsType<FinStatementRow> = [
    { title: t('statements.section'), dataIndex: 'section', width: 100, render: (s: string) => t(`sections.${s}`, { defaultValue: s }) },
    { title: t('fields.code'), dataIndex: 'code', width: 110 },
    { title: t('fields.name'), dataIndex: 'name', render: (_: string, r) => (english ? r.name_en || r.name : r.name) },
    ...(st?.columns ?? []).map((col) => ({
      title: t(`statementColumns.${col}`, { defaultValue: col }),
      key: col,
      align: 'right' as const,
      render: (_: unknown, r: FinStatementRow) => <Money fen={r.amounts[col] ?? 0} />,
    })),
  ];

  return (
    <PageContainer title={t('statements.title')} subTitle={t('statements.subtitle')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small">
          <Space wrap>
            <Segmented<StatementKind> value={kind} onChange={setKind} options={kinds.map((k) => ({ value: k, label: t(`statementKinds.${k}`) }))} />
            <DatePicker.RangePicker
              allowClear={false}
              value={range}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
              aria-label={t('statements.range')}
            />
            <Select style={{ minWidth: 240 }} value={scope} onChange={setScope} options={scopes} aria-label={t('statements.scope')} showSearch optionFilterProp="label" />
            <Button icon={<DownloadOutlined />} loading={exporting === 'xlsx'} onClick={() => void exportAs('xlsx')} disabled={!st}>
              {t('statements.exportXlsx')}
            </Button>
            <Button icon={<DownloadOutlined />} loading={exporting === 'csv'} onClick={() => void exportAs('csv')} disabled={!st}>
              {t('statements.exportCsv')}
            </Button>
          </Space>
        </Card>
        {statement.error ? (
          <ErrorResult error={statement.error} onRetry={() => void statement.refetch()} />
        ) : !st ? (
          <Spin style={{ display: 'block', margin: '48px auto' }} />
        ) : (
          <Card
            size="small"
            title={`${t(`statementKinds.${kind}`)} · ${st.from} ~ ${st.to}`}
            extra={
              (kind === 'trial-balance' || kind === 'balance-sheet') &&
              (st.balanced ? <Tag color="green">{t('statements.balanced')}</Tag> : <Tag color="red">{t('statements.unbalanced')}</Tag>)
            }
          >
            {!st.balanced && <Alert type="error" showIcon message={t('statements.unbalancedHint')} style={{ marginBottom: 12 }} />}
            {st.rows.length === 0 ? (
              <Empty description={t('statements.empty')} />
            ) : (
              <Table<FinStatementRow>
                rowKey={(r) => `${r.section}-${r.code}`}
                size="small"
                pagination={false}
                dataSource={st.rows}
                columns={columns}
                scroll={{ x: 'max-content' }}
                data-testid="statement-table"
              />
            )}
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 16 }} title={t('statements.totals')} data-testid="statement-totals">
              {Object.entries(st.totals).map(([key, value]) => (
                <Descriptions.Item key={key} label={t(`statementTotals.${key}`, { defaultValue: key })}>
                  <Money fen={value} />
                </Descriptions.Item>
              ))}
            </Descriptions>
          </Card>
        )}
      </Space>
    </PageContainer>
  );
}
