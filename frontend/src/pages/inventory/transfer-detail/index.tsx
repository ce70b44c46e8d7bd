import { PageContainer, ProDescriptions, ProTable, type ProColumns } from '@ant-design/pro-components';
import { App, Button, Input, Modal, Popconfirm, Space, Spin, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { TransferLine } from '../../../api/types';
import { useAccess } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { Money } from '../../../components/Money';
import { storeLabel, useStoreList } from '../../../components/StorePicker';
import { useShowError } from '../../../components/useShowError';
import { QuantityParseError, formatQuantity, parseQuantity } from '../../../lib/quantity';
import { formatDateTime } from '../../../lib/time';
import { qty } from '../lines';
import { useTransfer, useTransferAction, type TransferAction } from '../queries';
import { transferColor } from '../transfers';

const plain = (v: number | null) => (v === null ? '' : formatQuantity(v).replace(/,/g, ''));

export default function TransferDetailPage() {
  const { t } = useTranslation('inventory');
  const { id = '' } = useParams();
  const { can } = useAccess();
  const { message } = App.useApp();
  const showError = useShowError();
  const timeZone = useTimeZone();
  const transfer = useTransfer(id);
  const stores = useStoreList();
  const act = useTransferAction(id);
  const idempotency = useIdempotencyKey();
  const [qtyDialog, setQtyDialog] = useState<'ship' | 'receive'>();
  const [qtys, setQtys] = useState<Record<string, string>>({});
  const [qtyProblem, setQtyProblem] = useState<string>();

  if (transfer.error) return <ErrorResult error={transfer.error} onRetry={() => void transfer.refetch()} />;
  if (!transfer.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  const x = transfer.data;
  const name = (storeId: string) => {
    const s = stores.data?.find((s) => s.id === storeId);
    return s ? storeLabel(s) : storeId;
  };

  const run = async (action: TransferAction, lines?: { sku_id: string; qty: number }[]) => {
    try {
      await act.mutateAsync({ action, lines, idempotencyKey: idempotency.key() });
      idempotency.rotate();
      void message.success(t(`transferDetail.done.${action}`));
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  };

  const openQtys = (kind: 'ship' | 'receive') => {
    setQtys(Object.fromEntries(x.lines.map((l) => [l.sku_id, plain(kind === 'ship' ? l.requested_qty : l.shipped_qty)])));
    setQtyProblem(undefined);
    setQtyDialog(kind);
  };

  const submitQtys = async () => {
    const lines: { sku_id: string; qty: number }[] = [];
    for (const l of x.lines) {
      try {
        const n = parseQuantity(qtys[l.sku_id] ?? '');
        if (n < 0n) throw new QuantityParseError('format');
        lines.push({ sku_id: l.sku_id, qty: Number(n) });
      } catch (e) {
        return setQtyProblem(`${l.sku_code}: ${t(`common:quantity.${e instanceof QuantityParseError ? e.reason : 'format'}`)}`);
      }
    }
    if (qtyDialog && (await run(qtyDialog, lines))) setQtyDialog(undefined);
  };

  const columns: ProColumns<TransferLine>[] = [
    { title: t('stock.skuCode'), dataIndex: 'sku_code' },
    { title: t('stock.skuName'), dataIndex: 'sku_name', ellipsis: true },
    { title: t('transfers.requested'), dataIndex: 'requested_qty', align: 'right', render: (_, l) => qty(l.requested_qty, l.unit) },
    { title: t('transfers.shipped'), dataIndex: 'shipped_qty', align: 'right', render: (_, l) => qty(l.shipped_qty, l.unit) },
    { title: t('transfers.received'), dataIndex: 'received_qty', align: 'right', render: (_, l) => qty(l.received_qty, l.unit) },
    {
      title: t('transfers.difference'),
      dataIndex: 'difference_qty',
      align: 'right',
      render: (_, l) => <Typography.Text type={l.difference_qty && l.difference_qty < 0 ? 'danger' : undefined}>{qty(l.difference_qty, l.unit)}</Typography.Text>,
    },
    { title: t('transfers.shippedValue'), dataIndex: 'shipped_value', align: 'right', render: (_, l) => (l.shipped_value === null ? '—' : <Money fen={l.shipped_value} />) },
    { title: t('transfers.differenceValue'), dataIndex: 'difference_value', align: 'right', render: (_, l) => (l.difference_value === null ? '—' : <Money fen={l.difference_value} />) },
  ];

  const steps = ['requested', 'approved', 'shipped', 'received'] as const;
  const current = x.status === 'cancelled' ? 0 : steps.indexOf(x.status);
  const write = can('inventory.write');

  return (
    <PageContainer
      title={t('transferDetail.title', { from: name(x.from_store_id), to: name(x.to_store_id) })}
      onBack={() => history.back()}
      tags={<Tag color={transferColor[x.status]}>{t(`transfers.statuses.${x.status}`)}</Tag>}
      extra={
        <Space>
          {(x.status === 'requested' || x.status === 'approved') && write && (
            <Popconfirm title={t('transferDetail.cancelConfirm')} onConfirm={() => void run('cancel')}>
              <Button danger>{t('transferDetail.cancel')}</Button>
            </Popconfirm>
          )}
          {x.status === 'requested' && can('transfers.approve') && (
            <Button type="primary" loading={act.isPending} onClick={() => void run('approve')}>
              {t('transferDetail.approve')}
            </Button>
          )}
          {x.status === 'approved' && write && (
            <Button type="primary" onClick={() => openQtys('ship')}>
              {t('transferDetail.ship')}
            </Button>
          )}
          {x.status === 'shipped' && write && (
            <Button type="primary" onClick={() => openQtys('receive')}>
              {t('transferDetail.receive')}
            </Button>
          )}
        </Space>
      }
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Steps
          size="small"
          current={current}
          status={x.status === 'cancelled' ? 'error' : undefined}
          items={steps.map((s) => ({
            title: t(`transfers.statuses.${s}`),
            description: [
              formatDateTime(s === 'requested' ? x.created_at : s === 'approved' ? x.approved_at : s === 'shipped' ? x.shipped_at : x.received_at, timeZone),
              s === 'requested' ? x.requested_by_name : s === 'approved' ? x.approved_by_name : s === 'shipped' ? x.shipped_by_name : x.received_by_name,
            ]
              .filter(Boolean)
              .join(' · '),
          }))}
        />
        <ProDescriptions column={3} bordered>
          <ProDescriptions.Item label={t('transfers.from')}>{name(x.from_store_id)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('transfers.to')}>{name(x.to_store_id)}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('transfers.crossEntity')}>
            {x.cross_entity ? `${t('transfers.crossEntityTag')} · ${t(`transfers.settlement.${x.settlement_status}`)}` : '—'}
          </ProDescriptions.Item>
          <ProDescriptions.Item label={t('transfers.note')}>{x.note || '—'}</ProDescriptions.Item>
          <ProDescriptions.Item label={t('transfers.cancelledAt')}>{formatDateTime(x.cancelled_at, timeZone) || '—'}</ProDescriptions.Item>
        </ProDescriptions>
        <ProTable<TransferLine> rowKey="sku_id" headerTitle={t('transferDetail.lines')} search={false} options={false} pagination={false} dataSource={x.lines} columns={columns} />
      </Space>
      <Modal
        title={qtyDialog === 'ship' ? t('transferDetail.ship') : t('transferDetail.receive')}
        open={!!qtyDialog}
        onCancel={() => setQtyDialog(undefined)}
        onOk={() => void submitQtys()}
        okText={t('common:actions.confirm')}
        cancelText={t('common:actions.cancel')}
        confirmLoading={act.isPending}
        width={600}
        destroyOnHidden
      >
        <p>{qtyDialog === 'receive' ? t('transferDetail.receiveHint') : t('transferDetail.shipHint')}</p>
        <Space direction="vertical" style={{ width: '100%' }}>
          {x.lines.map((l) => (
            <Space key={l.sku_id} style={{ width: '100%', justifyContent: 'space-between' }}>
              <span>
                {l.sku_code} · {l.sku_name}
              </span>
              <Input style={{ width: 140 }} aria-label={`${t('lines.qty')} ${l.sku_code}`} suffix={l.unit.name} value={qtys[l.sku_id] ?? ''} onChange={(e) => setQtys((q) => ({ ...q, [l.sku_id]: e.target.value }))} />
            </Space>
          ))}
          {qtyProblem && <Typography.Text type="danger">{qtyProblem}</Typography.Text>}
        </Space>
      </Modal>
    </PageContainer>
  );
}
