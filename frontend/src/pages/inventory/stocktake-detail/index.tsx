import { PageContainer, ProDescriptions, ProTable, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Checkbox, Input, Modal, Popconfirm, Space, Spin, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { newIdempotencyKey, useIdempotencyKey } from '../../../api/idempotency';
import type { StocktakeDetail, StocktakeLine, StocktakeVariance } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { storeLabel, useStoreList } from '../../../components/StorePicker';
import { useShowError } from '../../../components/useShowError';
import { QuantityParseError, formatQuantity, parseQuantity } from '../../../lib/quantity';
import { formatDateTime } from '../../../lib/time';
import { lookupSkus } from '../../catalog/queries';
import { addCount, matchLine, toBatch, type PendingCount } from '../count-entry';
import { qty } from '../lines';
import { useAddCounts, useCancelStocktake, usePostStocktake, useStocktake, useVariances } from '../queries';
import { stocktakeColor } from '../stocktakes';

/** CountEntry: scan or type a SKU code and its count; the lines add up into one batch, sent when done. */
function CountEntry({ stocktake }: { stocktake: StocktakeDetail }) {
  const { t } = useTranslation('inventory');
  const { message } = App.useApp();
  const showError = useShowError();
  const addCounts = useAddCounts(stocktake.id);
  const [code, setCode] = useState('');
  const [count, setCount] = useState('1');
  const [pending, setPending] = useState<PendingCount[]>([]);
  const [problem, setProblem] = useState<string>();
  const [looking, setLooking] = useState(false);
  const batchId = useRef(newIdempotencyKey());
  const codeInput = useRef<React.ComponentRef<typeof Input>>(null);

  const add = async () => {
    setProblem(undefined);
    let n: bigint;
    try {
      n = parseQuantity(count);
      if (n < 0n) throw new QuantityParseError('format');
    } catch (e) {
      return setProblem(t(`common:quantity.${e instanceof QuantityParseError ? e.reason : 'format'}`));
    }
    let line = matchLine(stocktake.lines, code);
    if (!line && code.trim()) {
      setLooking(true);
      try {
        const found = await lookupSkus(stocktake.store_id, code.trim());
        line = matchLine(stocktake.lines, code, found.map((i) => i.sku_id));
      } finally {
        setLooking(false);
      }
    }
    if (!line) return setProblem(t('count.notInStocktake', { code: code.trim() }));
    setPending((p) => addCount(p, line, n));
    setCode('');
    setCount('1');
    codeInput.current?.focus();
  };

  const send = async () => {
    try {
      const result = await addCounts.mutateAsync({ batch_id: batchId.current, lines: toBatch(pending) });
      batchId.current = newIdempotencyKey();
      setPending([]);
      void message.success(t('count.sent', { count: result.lines }));
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input
          ref={codeInput}
          autoFocus
          style={{ width: 260 }}
          value={code}
          aria-label={t('count.code')}
          placeholder={t('count.codeHint')}
          onChange={(e) => setCode(e.target.value)}
          onPressEnter={() => void add()}
        />
        <Input style={{ width: 120 }} value={count} aria-label={t('count.qty')} addonBefore={t('count.qty')} onChange={(e) => setCount(e.target.value)} onPressEnter={() => void add()} />
        <Button onClick={() => void add()} loading={looking}>
          {t('count.add')}
        </Button>
      </Space>
      {problem && <Alert type="error" showIcon message={problem} />}
      <Table<PendingCount>
        rowKey="sku_id"
        size="small"
        pagination={false}
        dataSource={pending}
        locale={{ emptyText: t('count.empty') }}
        columns={[
          { title: t('stock.skuCode'), dataIndex: 'sku_code' },
          { title: t('stock.skuName'), dataIndex: 'sku_name' },
          { title: t('count.pendingQty'), dataIndex: 'qty', align: 'right', render: (_, p) => formatQuantity(p.qty) },
          {
            width: 80,
            render: (_, p) => (
              <Button type="link" size="small" danger onClick={() => setPending((list) => list.filter((x) => x.sku_id !== p.sku_id))}>
                {t('common:actions.delete')}
              </Button>
            ),
          },
        ]}
      />
      <Space>
        <Button type="primary" disabled={pending.length === 0} loading={addCounts.isPending} onClick={() => void send()}>
          {t('count.send', { count: pending.length })}
        </Button>
        <Typography.Text type="secondary">{t('count.hint')}</Typography.Text>
      </Space>
    </Space>
  );
}

function Variances({ stocktake }: { stocktake: StocktakeDetail }) {
  const { t } = useTranslation('inventory');
  const { can } = useAccess();
  const [uncountedAsZero, setUncountedAsZero] = useState(false);
  const visible = !stocktake.blind || can('stocktake.approve') || stocktake.status !== 'counting';
  const report = useVariances(stocktake.id, uncountedAsZero, visible);
  if (!visible) return <Alert type="info" showIcon message={t('variances.blind')} />;
  if (report.error) return <ErrorResult error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  const columns: ProColumns<StocktakeVariance>[] = [
    { title: t('stock.skuCode'), dataIndex: 'sku_code' },
    { title: t('stock.skuName'), dataIndex: 'sku_name', ellipsis: true },
    { title: t('variances.book'), dataIndex: 'book_qty', align: 'right', render: (_, v) => qty(v.book_qty, v.unit) },
    { title: t('variances.counted'), dataIndex: 'counted_qty', align: 'right', render: (_, v) => qty(v.counted_qty, v.unit) },
    {
      title: t('variances.variance'),
      dataIndex: 'variance_qty',
      align: 'right',
      render: (_, v) => (
        <Typography.Text type={v.variance_qty < 0 ? 'danger' : v.variance_qty > 0 ? 'success' : undefined} data-testid={`variance-${v.sku_code}`}>
          {`${v.variance_qty > 0 ? '+' : ''}${formatQuantity(v.variance_qty, v.unit)}`}
        </Typography.Text>
      ),
    },
    { title: t('variances.unitCost'), dataIndex: 'unit_cost', align: 'right', render: (_, v) => (v.unit_cost === null ? '—' : <Money fen={v.unit_cost} />) },
    { title: t('variances.cost'), dataIndex: 'variance_cost', align: 'right', render: (_, v) => (v.variance_cost === null ? '—' : <Money fen={v.variance_cost} />) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space size="large" wrap>
        <Statistic title={t('variances.gain')} valueRender={() => (r?.gain_cost == null ? '—' : <Money fen={r.gain_cost} />)} />
        <Statistic title={t('variances.loss')} valueRender={() => (r?.loss_cost == null ? '—' : <Money fen={r.loss_cost} />)} />
        <Statistic title={t('variances.net')} valueRender={() => (r?.net_cost == null ? '—' : <Money fen={r.net_cost} />)} />
        <Statistic title={t('variances.uncounted')} value={r?.uncounted_lines ?? '—'} />
        {stocktake.status === 'counting' && (
          <Checkbox checked={uncountedAsZero} onChange={(e) => setUncountedAsZero(e.target.checked)}>
            {t('variances.uncountedAsZero')}
          </Checkbox>
        )}
      </Space>
      <ProTable<StocktakeVariance>
        rowKey="sku_id"
        search={false}
        options={false}
        loading={report.isLoading}
        dataSource={r?.lines}
        columns={columns}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        locale={{ emptyText: t('variances.empty') }}
      />
    </Space>
  );
}

export default function StocktakeDetailPage() {
  const { t } = useTranslation('inventory');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const stocktake = useStocktake(id);
  const stores = useStoreList();
  const post = usePostStocktake(id);
  const cancel = useCancelStocktake(id);
  const idempotency = useIdempotencyKey();
  const [posting, setPosting] = useState(false);
  const [uncountedAsZero, setUncountedAsZero] = useState(false);

  if (stocktake.error) return <ErrorResult error={stocktake.error} onRetry={() => void stocktake.refetch()} />;
  if (!stocktake.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const s = stocktake.data;
  const store = stores.data?.find((x) => x.id === s.store_id);
  const counting = s.status === 'counting';

  const lineColumns: ProColumns<StocktakeLine>[] = [
    { title: t('stock.skuCode'), dataIndex: 'sku_code' },
    { title: t('stock.skuName'), dataIndex: 'sku_name', ellipsis: true },
    { title: t('variances.book'), dataIndex: 'book_qty', align: 'right', render: (_, l) => (l.book_qty === null ? t('variances.hidden') : qty(l.book_qty, l.unit)) },
    { title: t('variances.counted'), dataIndex: 'counted_qty', align: 'right', render: (_, l) => qty(l.counted_qty, l.unit) },
  ];

  return (
    <PageContainer
      title={t('stocktakeDetail.title', { store: store ? storeLabel(store) : '' })}
      onBack={() => history.back()}
      tags={<Tag color={stocktakeColor[s.status]}>{t(`stocktakes.statuses.${s.status}`)}</Tag>}
      extra={
        counting && (
          <Space>
            {can('inventory.write') && (
              <Popconfirm
                title={t('stocktakeDetail.cancelConfirm')}
                onConfirm={async () => {
                  try {
                    await cancel.mutateAsync();
                    void message.success(t('stocktakeDetail.cancelled'));
                  } catch (e) {
                    showError(e);
                  }
                }}
              >
                <Button danger loading={cancel.isPending}>
                  {t('stocktakeDetail.cancel')}
                </Button>
              </Popconfirm>
            )}
            {can('stocktake.approve') && (
              <Button type="primary" onClick={() => setPosting(true)}>
                {t('stocktakeDetail.post')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <ProDescriptions column={3} bordered>
          <ProDescriptions.Item label={t('stocktakes.scope')}>{t(`stocktakes.scopes.${s.scope}`)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.blind')}>{s.blind ? t('stocktakeDetail.yes') : t('stocktakeDetail.no')}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.progress')}>
            <span data-testid="stocktake-progress">{`${s.counted_lines} / ${s.line_count}`}</span>
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.openedAt')}>{formatDateTime(s.opened_at, timeZone)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.postedAt')}>{formatDateTime(s.posted_at, timeZone) || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.openedBy')}>{s.opened_by_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.postedBy')}>{s.posted_by_name || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('stocktakes.note')}>{s.note || '—'}</ProDescriptions.Item>
        </ProDescriptions>
        <Card>
          <Tabs
            destroyOnHidden
            items={[
              ...(counting && can('inventory.write') ? [{ key: 'count', label: t('count.tab'), children: <CountEntry stocktake={s} /> }] : []),
              {
                key: 'lines',
                label: t('stocktakeDetail.lines', { count: s.line_count }),
                children: (
                  <ProTable<StocktakeLine>
                    rowKey="sku_id"
                    search={false}
                    options={false}
                    dataSource={s.lines}
                    columns={lineColumns}
                    pagination={{ pageSize: 50, showSizeChanger: false }}
                    locale={{ emptyText: t('stocktakeDetail.noLines') }}
                  />
                ),
              },
              { key: 'variances', label: t('variances.title'), children: <Variances stocktake={s} /> },
            ]}
          />
        </Card>
      </Space>
      <Modal
        title={t('stocktakeDetail.postTitle')}
        open={posting}
        onCancel={() => setPosting(false)}
        okText={t('stocktakeDetail.post')}
        cancelText={t('common:actions.cancel')}
        confirmLoading={post.isPending}
        onOk={async () => {
          try {
            const report = await post.mutateAsync({ uncountedAsZero, idempotencyKey: idempotency.key() });
            idempotency.rotate();
            setPosting(false);
            void message.success(t('stocktakeDetail.posted', { count: report.lines.length }));
          } catch (e) {
            showError(e);
          }
        }}
      >
        <p>{t('stocktakeDetail.postText', { uncounted: s.line_count - s.counted_lines })}</p>
        <Checkbox checked={uncountedAsZero} onChange={(e) => setUncountedAsZero(e.target.checked)}>
          {t('variances.uncountedAsZero')}
        </Checkbox>
      </Modal>
    </PageContainer>
  );
}
