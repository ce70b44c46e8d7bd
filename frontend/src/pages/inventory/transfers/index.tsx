import { PlusOutlined } from '@ant-design/icons';
import { PageContainer, type ProColumns } from '@ant-design/pro-components';
import { Alert, App, Button, Form, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useIdempotencyKey } from '../../../api/idempotency';
import type { Transfer } from '../../../api/types';
import { Access } from '../../../app/session';
import { useTimeZone } from '../../../app/store-context';
import { CursorTable } from '../../../components/CursorTable';
import { StorePicker, storeLabel, useStoreList, useWorkingStore } from '../../../components/StorePicker';
import { useShowError } from '../../../components/useShowError';
import { formatDateTime } from '../../../lib/time';
import { LinesEditor } from '../LinesEditor';
import { parseLines, type DraftLine } from '../lines';
import { fetchTransfers, useCreateTransfer } from '../queries';

export const transferColor: Record<Transfer['status'], string> = {
  requested: 'orange',
  approved: 'blue',
  shipped: 'purple',
  received: 'green',
  cancelled: 'default',
};

function CreateTransfer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('inventory');
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const create = useCreateTransfer();
  const idempotency = useIdempotencyKey();
  const [working] = useWorkingStore();
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(working);
  const [note, setNote] = useState('');
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string>();

  const submit = async () => {
    setProblem(undefined);
    if (!from || !to) return setProblem(t('transfers.storesRequired'));
    if (lines.length === 0) return setProblem(t('lines.required'));
    const parsed = parseLines(lines);
    const problems = Object.fromEntries(Object.entries(parsed.errors).map(([i, p]) => [i, t(`lines.problems.${p}`)]));
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      const created = await create.mutateAsync({
        idempotencyKey: idempotency.key(),
        body: { from_store_id: from, to_store_id: to, note: note.trim(), lines: parsed.lines.map((l) => ({ sku_id: l.sku_id, qty: l.qty })) },
      });
      idempotency.rotate();
      void message.success(t('transfers.created'));
      onClose();
      navigate(`/inventory/transfers/${created.id}`);
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Modal
      title={t('transfers.create')}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('transfers.request')}
      cancelText={t('common:actions.cancel')}
      confirmLoading={create.isPending}
      width={760}
      destroyOnHidden
    >
      <Form layout="horizontal" labelCol={{ span: 4 }}>
        <Form.Item label={t('transfers.from')} required>
          <StorePicker value={from} onChange={setFrom} exclude={to ? [to] : []} aria-label={t('transfers.from')} />
        </Form.Item>
        <Form.Item label={t('transfers.to')} required>
          <StorePicker value={to} onChange={setTo} exclude={from ? [from] : []} aria-label={t('transfers.to')} />
        </Form.Item>
        <Form.Item label={t('transfers.note')}>
          <Input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </Form.Item>
      </Form>
      <Space direction="vertical" style={{ width: '100%' }}>
        <LinesEditor storeId={from} lines={lines} onChange={setLines} errors={errors} qtyLabel={t('transfers.requested')} />
        {problem && <Alert type="error" showIcon message={problem} />}
      </Space>
    </Modal>
  );
}

export default function TransfersPage() {
  const { t } = useTranslation('inventory');
  const navigate = useNavigate();
  const timeZone = useTimeZone();
  const stores = useStoreList();
  const storeName = new Map((stores.data ?? []).map((s) => [s.id, storeLabel(s)]));
  const [creating, setCreating] = useState(false);

  const columns: ProColumns<Transfer>[] = [
    {
      title: t('transfers.store'),
      dataIndex: 'store_id',
      valueType: 'select',
      hideInTable: true,
      fieldProps: { options: (stores.data ?? []).map((s) => ({ value: s.id, label: storeLabel(s) })), showSearch: true },
    },
    { title: t('transfers.from'), dataIndex: 'from_store_id', search: false, render: (_, x) => <Link to={`/inventory/transfers/${x.id}`}>{storeName.get(x.from_store_id) ?? x.from_store_id}</Link> },
    { title: t('transfers.to'), dataIndex: 'to_store_id', search: false, render: (_, x) => storeName.get(x.to_store_id) ?? x.to_store_id },
    {
      title: t('transfers.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: Object.fromEntries((['requested', 'approved', 'shipped', 'received', 'cancelled'] as const).map((k) => [k, { text: t(`transfers.statuses.${k}`) }])),
      render: (_, x) => <Tag color={transferColor[x.status]}>{t(`transfers.statuses.${x.status}`)}</Tag>,
    },
    { title: t('transfers.crossEntity'), dataIndex: 'cross_entity', search: false, render: (_, x) => (x.cross_entity ? <Tag>{t('transfers.crossEntityTag')}</Tag> : '—') },
    { title: t('transfers.createdAt'), dataIndex: 'created_at', search: false, render: (_, x) => formatDateTime(x.created_at, timeZone) },
    { title: t('transfers.requestedBy'), dataIndex: 'requested_by_name', search: false, render: (_, x) => x.requested_by_name || '—' },
    { title: t('transfers.note'), dataIndex: 'note', search: false, ellipsis: true, render: (_, x) => x.note || '—' },
  ];

  return (
    <PageContainer title={t('transfers.title')} subTitle={t('transfers.subtitle')}>
      <CursorTable<Transfer>
        headerTitle={t('transfers.title')}
        columns={columns}
        fetchPage={fetchTransfers}
        onRow={(x) => ({ onDoubleClick: () => navigate(`/inventory/transfers/${x.id}`) })}
        locale={{ emptyText: t('transfers.empty') }}
        toolBarRender={() => [
          <Access key="create" to="inventory.write">
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('transfers.create')}
            </Button>
          </Access>,
        ]}
      />
      <CreateTransfer open={creating} onClose={() => setCreating(false)} />
    </PageContainer>
  );
}
