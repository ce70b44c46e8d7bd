import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Descriptions, Form, Input, Modal, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/idempotency';
import type { PosSale, PosSaleLine, PosShift } from '../../api/types';
import { useTimeZone } from '../../app/store-context';
import { ErrorResult } from '../../components/ErrorResult';
import { Money } from '../../components/Money';
import { useShowError } from '../../components/useShowError';
import { fenForApi, formatMoney, parseYuan } from '../../lib/money';
import { formatQuantity, parseQuantity } from '../../lib/quantity';
import { formatDateTime } from '../../lib/time';
import { uuidv7 } from '../../lib/uuidv7';
import { useApproval } from './ApprovalDialog';
import { closeShift, createReturn, fetchReceipt, saleByReceipt, voidSale } from './queries';

// The till's dialogs besides payment: the receipt (printed at 80 mm), a
// return by receipt number, voiding the last sale, and closing the shift
// with a blind count.

/** ReceiptText: the receipt as the printer prints it; `till-print` is what the print stylesheet keeps. */
function ReceiptText({ text }: { text: string }) {
  return (
    <div className="till-print">
      <pre className="till-receipt" data-testid="receipt-text">
        {text}
      </pre>
    </div>
  );
}

export function ReceiptDialog({
  storeId,
  saleId,
  offlineText,
  offlineNo,
  change,
  onClose,
}: {
  storeId: string;
  saleId: string | null;
  offlineText?: string;
  offlineNo?: string;
  change: bigint;
  onClose: () => void;
}) {
  const { t } = useTranslation('till');
  const receipt = useQuery({ queryKey: ['till', 'receipt', saleId], queryFn: () => fetchReceipt(storeId, saleId ?? ''), enabled: saleId !== null && !offlineText });
  const open = saleId !== null || offlineText !== undefined;
  return (
    <Modal
      open={open}
      title={offlineText ? t('receipt.offlineTitle', { no: offlineNo ?? '' }) : t('receipt.title')}
      onCancel={onClose}
      width={460}
      footer={[
        <Button key="print" onClick={() => window.print()} disabled={!offlineText && !receipt.data}>
          {t('receipt.print')}
        </Button>,
        <Button key="next" type="primary" onClick={onClose} autoFocus>
          {t('receipt.next')}
        </Button>,
      ]}
    >
      {change > 0n && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} message={<span data-testid="receipt-change">{t('receipt.change', { amount: formatMoney(change) })}</span>} />
      )}
      {offlineText !== undefined ? (
        <>
          <Alert type="warning" showIcon message={t('receipt.offlineQueued')} style={{ marginBottom: 12 }} />
          <ReceiptText text={offlineText} />
        </>
      ) : receipt.isLoading ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : receipt.error ? (
        <ErrorResult error={receipt.error} onRetry={() => void receipt.refetch()} />
      ) : receipt.data ? (
        <>
          <Typography.Text strong data-testid="receipt-no">
            {receipt.data.sale.receipt_no}
          </Typography.Text>
          <ReceiptText text={receipt.data.text} />
        </>
      ) : null}
    </Modal>
  );
}

interface ReturnRow {
  line: PosSaleLine;
  left: number;
  qty: string;
  chosen: boolean;
  damaged: boolean;
}

export function ReturnDialog({ open, storeId, onClose }: { open: boolean; storeId: string; onClose: () => void }) {
  const { t } = useTranslation('till');
  const zone = useTimeZone();
  const showError = useShowError();
  const withApproval = useApproval();
  const { message } = App.useApp();
  const [receiptNo, setReceiptNo] = useState('');
  const [sale, setSale] = useState<PosSale | null>(null);
  const [rows, setRows] = useState<ReturnRow[]>([]);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(() => ({ id: uuidv7(), key: newIdempotencyKey() }));

  const reset = () => {
    setReceiptNo('');
    setSale(null);
    setRows([]);
    setReason('');
    setProblem(null);
    setAttempt({ id: uuidv7(), key: newIdempotencyKey() });
  };

  const find = async () => {
    if (!receiptNo.trim()) return;
    setBusy(true);
    try {
      const found = await saleByReceipt(storeId, receiptNo.trim().toUpperCase());
      setSale(found);
      setRows(found.lines.map((line) => ({ line, left: line.qty - line.returned_qty, qty: formatQuantity(line.qty - line.returned_qty), chosen: false, damaged: false })));
      setProblem(null);
    } catch (e) {
      setSale(null);
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const update = (lineNo: number, patch: Partial<ReturnRow>) => setRows(rows.map((r) => (r.line.line_no === lineNo ? { ...r, ...patch } : r)));

  const submit = async () => {
    if (!sale) return;
    const lines: { line_no: number; qty: number; damaged: boolean }[] = [];
    for (const r of rows.filter((x) => x.chosen)) {
      let qty: bigint;
      try {
        qty = parseQuantity(r.qty);
      } catch {
        return setProblem(t('ret.noLines'));
      }
      if (qty <= 0n || qty > BigInt(r.left)) return setProblem(t('ret.noLines'));
      if (!r.line.weighed && qty % 1000n !== 0n) return setProblem(t('cart.qtyWhole'));
      lines.push({ line_no: r.line.line_no, qty: Number(qty), damaged: r.damaged });
    }
    if (lines.length === 0) return setProblem(t('ret.noLines'));
    setBusy(true);
    try {
      const body = { id: attempt.id, sale_id: sale.id, lines, reason: reason.trim() || undefined };
      const done = await withApproval((approval) => createReturn(storeId, { ...body, approval }, attempt.key));
      void message.success(t('ret.done', { amount: formatMoney(done.refund_total) }));
      reset();
      onClose();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('ret.title')}
      width={760}
      onCancel={() => {
        reset();
        onClose();
      }}
      destroyOnHidden
      footer={
        sale && sale.status !== 'voided' ? (
          <Button type="primary" danger loading={busy} onClick={() => void submit()}>
            {t('ret.submit')}
          </Button>
        ) : null
      }
    >
      <Space.Compact style={{ width: '100%' }}>
        <Input
          autoFocus
          aria-label={t('ret.receiptNo')}
          placeholder={t('ret.receiptHint')}
          value={receiptNo}
          onChange={(e) => setReceiptNo(e.target.value)}
          onPressEnter={() => void find()}
          maxLength={20}
        />
        <Button onClick={() => void find()} loading={busy && !sale}>
          {t('ret.find')}
        </Button>
      </Space.Compact>
      {sale && (
        <div style={{ marginTop: 16 }}>
          <Descriptions size="small" column={3}>
            <Descriptions.Item label={t('ret.receiptNo')}>{sale.receipt_no}</Descriptions.Item>
            <Descriptions.Item label={t('ret.soldAt')}>{formatDateTime(sale.sold_at, zone)}</Descriptions.Item>
            <Descriptions.Item label={t('cart.total')}>
              <Money fen={sale.total} />
            </Descriptions.Item>
          </Descriptions>
          {sale.status === 'voided' && <Alert type="warning" message={t('ret.voided')} />}
          <Table<ReturnRow>
            size="small"
            rowKey={(r) => r.line.line_no}
            pagination={false}
            dataSource={rows}
            columns={[
              {
                title: '',
                width: 40,
                render: (_, r) => (
                  <Checkbox aria-label={`${t('ret.returnQty')} ${r.line.name}`} checked={r.chosen} disabled={r.left <= 0} onChange={(e) => update(r.line.line_no, { chosen: e.target.checked })} />
                ),
              },
              { title: t('cart.item'), dataIndex: ['line', 'name'] },
              { title: t('cart.qty'), width: 70, render: (_, r) => formatQuantity(r.line.qty) },
              { title: t('cart.net'), width: 90, render: (_, r) => <Money fen={r.line.net} /> },
              { title: t('ret.returnable'), width: 70, render: (_, r) => formatQuantity(r.left) },
              {
                title: t('ret.returnQty'),
                width: 100,
                render: (_, r) => (
                  <Input size="small" aria-label={`${t('ret.returnQty')} #${r.line.line_no}`} value={r.qty} disabled={!r.chosen} onChange={(e) => update(r.line.line_no, { qty: e.target.value })} />
                ),
              },
              {
                title: t('ret.damaged'),
                width: 90,
                render: (_, r) => <Checkbox checked={r.damaged} disabled={!r.chosen} onChange={(e) => update(r.line.line_no, { damaged: e.target.checked })} />,
              },
            ]}
          />
          <Input style={{ marginTop: 12 }} placeholder={t('ret.reason')} aria-label={t('ret.reason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          {problem && <Alert type="error" showIcon message={problem} style={{ marginTop: 12 }} />}
        </div>
      )}
    </Modal>
  );
}

export interface LastSale {
  id: string;
  receiptNo: string;
  total: number;
}

export function VoidDialog({ open, storeId, last, onVoided, onClose }: { open: boolean; storeId: string; last: LastSale | null; onVoided: () => void; onClose: () => void }) {
  const { t } = useTranslation('till');
  const showError = useShowError();
  const withApproval = useApproval();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);

  const submit = async () => {
    if (!last || !reason.trim()) return;
    setBusy(true);
    try {
      await withApproval((approval) => voidSale(storeId, last.id, reason.trim(), `${key}-${last.id}`, approval));
      void message.success(t('voidSale.done', { no: last.receiptNo }));
      setReason('');
      onVoided();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('voidSale.title')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        last ? (
          <Button danger type="primary" loading={busy} disabled={!reason.trim()} onClick={() => void submit()}>
            {t('voidSale.submit')}
          </Button>
        ) : null
      }
    >
      {last ? (
        <>
          <Typography.Paragraph>{t('voidSale.confirm', { no: last.receiptNo, amount: formatMoney(last.total) })}</Typography.Paragraph>
          <Input autoFocus aria-label={t('voidSale.reason')} placeholder={t('voidSale.reason')} value={reason} onChange={(e) => setReason(e.target.value)} onPressEnter={() => void submit()} maxLength={500} />
        </>
      ) : (
        <Result status="info" title={t('voidSale.none')} />
      )}
    </Modal>
  );
}

const countMethods = ['cash', 'card', 'unionpay', 'wechat', 'alipay'] as const;
type CountForm = Partial<Record<(typeof countMethods)[number], string>> & { note?: string };

export function CloseShiftDialog({ open, storeId, onClosed, onCancel }: { open: boolean; storeId: string; onClosed: () => void; onCancel: () => void }) {
  const { t } = useTranslation('till');
  const showError = useShowError();
  const [form] = Form.useForm<CountForm>();
  const [key] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [closed, setClosed] = useState<PosShift | null>(null);

  const money = (v: string | undefined) => {
    if (v === undefined || v.trim() === '') return undefined;
    return parseYuan(v);
  };

  const submit = async (values: CountForm) => {
    const counts: { method: (typeof countMethods)[number]; counted: number }[] = [];
    for (const m of countMethods) {
      const fen = money(values[m]);
      if (fen !== undefined) counts.push({ method: m, counted: fenForApi(fen) });
    }
    setBusy(true);
    try {
      setClosed(await closeShift(storeId, { counts, ...(values.note ? { note: values.note } : {}) }, key));
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  const yuanRule = (required: boolean) => ({
    validator: async (_: unknown, v: string | undefined) => {
      if (!required && (v === undefined || v.trim() === '')) return;
      try {
        if (parseYuan(v ?? '') < 0n) throw new Error('negative');
      } catch (e) {
        const reason = (e as { reason?: string }).reason ?? 'format';
        throw new Error(t(`common:money.${reason}`));
      }
    },
  });

  return (
    <Modal
      open={open}
      title={closed ? t('shift.resultTitle') : t('shift.closeTitle')}
      onCancel={closed ? onClosed : onCancel}
      destroyOnHidden
      maskClosable={false}
      footer={
        closed ? (
          <Button type="primary" onClick={onClosed}>
            {t('shift.done')}
          </Button>
        ) : (
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t('shift.submitCount')}
          </Button>
        )
      }
    >
      {closed ? (
        <>
          <Alert
            type={closed.status === 'closed' ? 'success' : 'warning'}
            showIcon
            message={closed.status === 'closed' ? t('shift.closedOk') : t('shift.pending')}
            style={{ marginBottom: 12 }}
          />
          <Table
            size="small"
            rowKey="method"
            pagination={false}
            dataSource={closed.counts ?? []}
            columns={[
              { title: t('pay.method'), dataIndex: 'method', render: (m: string) => t(`shift.methods.${m}`, { defaultValue: m }) },
              { title: t('shift.expected'), dataIndex: 'expected', render: (v: number) => <Money fen={v} /> },
              { title: t('shift.counted'), dataIndex: 'counted', render: (v: number) => <Money fen={v} /> },
              {
                title: t('shift.variance'),
                dataIndex: 'variance',
                render: (v: number) => <Tag color={v === 0 ? 'green' : 'orange'}>{formatMoney(v)}</Tag>,
              },
            ]}
          />
        </>
      ) : (
        <Form form={form} layout="horizontal" labelCol={{ span: 8 }} onFinish={(v) => void submit(v)}>
          <Typography.Paragraph type="secondary">{t('shift.closeHint')}</Typography.Paragraph>
          {countMethods.map((m, i) => (
            <Form.Item key={m} name={m} label={t(`shift.methods.${m}`)} rules={[yuanRule(m === 'cash'), ...(m === 'cash' ? [{ required: true, message: t('common:money.empty') }] : [])]}>
              <Input autoFocus={i === 0} inputMode="decimal" placeholder={t('shift.counted')} />
            </Form.Item>
          ))}
          <Form.Item name="note" label={t('shift.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
