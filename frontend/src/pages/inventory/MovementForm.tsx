import { Alert, App, Form, Input, Modal, Radio, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIdempotencyKey } from '../../api/idempotency';
import { asApiError } from '../../api/problem';
import type { MovementInput, MovementResult } from '../../api/types';
import { StorePicker } from '../../components/StorePicker';
import { useShowError } from '../../components/useShowError';
import { LinesEditor } from './LinesEditor';
import { lineErrorsFromApi, parseLines, type DraftLine } from './lines';
import { useCreateMovement } from './queries';

export type MovementKind = MovementInput['kind'];

export interface MovementFormProps {
  open: boolean;
  onClose: () => void;
  storeId: string | null;
  kind?: MovementKind;
  /** Lines to start with (the SKU of a stock page). */
  initialLines?: DraftLine[];
  onDone?: (result: MovementResult) => void;
}

const needsReason = (kind: MovementKind) => kind === 'adjustment' || kind === 'damage' || kind === 'expiry';

/** MovementForm books one stock document: a receipt (入库, with cost and expiry), a customer return, an adjustment or a write-off. */
export function MovementForm({ open, onClose, storeId: initialStore, kind: initialKind = 'receipt', initialLines, onDone }: MovementFormProps) {
  const { t } = useTranslation('inventory');
  const { message } = App.useApp();
  const showError = useShowError();
  const create = useCreateMovement();
  const idempotency = useIdempotencyKey();
  const [storeId, setStoreId] = useState(initialStore);
  const [kind, setKind] = useState<MovementKind>(initialKind);
  const [reason, setReason] = useState('');
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [formError, setFormError] = useState<string>();

  useEffect(() => {
    if (!open) return;
    setStoreId(initialStore);
    setKind(initialKind);
    setReason('');
    setLines(initialLines ?? []);
    setErrors({});
    setFormError(undefined);
    // initialLines is read when the form opens only.
  }, [open, initialStore, initialKind]);

  const submit = async () => {
    setFormError(undefined);
    if (!storeId) return setFormError(t('movement.storeRequired'));
    if (lines.length === 0) return setFormError(t('lines.required'));
    if (needsReason(kind) && !reason.trim()) return setFormError(t('movement.reasonRequired'));
    const parsed = parseLines(lines, { signed: kind === 'adjustment' });
    const problems = Object.fromEntries(Object.entries(parsed.errors).map(([i, p]) => [i, t(`lines.problems.${p}`)]));
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      const result = await create.mutateAsync({
        idempotencyKey: idempotency.key(),
        body: { store_id: storeId, kind, reason: reason.trim(), lines: parsed.lines },
      });
      idempotency.rotate();
      void message.success(t('movement.done', { kind: t(`movement.kinds.${kind}`), count: result.lines.length }));
      onDone?.(result);
      onClose();
    } catch (e) {
      const err = asApiError(e);
      const { byLine, rest } = lineErrorsFromApi(err.errors);
      if (Object.keys(byLine).length > 0) {
        setErrors(byLine);
        if (rest.length === 0) return;
      }
      showError(e);
    }
  };

  return (
    <Modal
      title={t('movement.title')}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('movement.submit', { kind: t(`movement.kinds.${kind}`) })}
      cancelText={t('common:actions.cancel')}
      confirmLoading={create.isPending}
      width={760}
      destroyOnHidden
    >
      <Form layout="horizontal" labelCol={{ span: 4 }}>
        <Form.Item label={t('movement.store')} required>
          <StorePicker value={storeId} onChange={setStoreId} aria-label={t('movement.store')} />
        </Form.Item>
        <Form.Item label={t('movement.kind')}>
          <Radio.Group
            value={kind}
            optionType="button"
            onChange={(e) => setKind(e.target.value as MovementKind)}
            options={(['receipt', 'return', 'adjustment', 'damage', 'expiry'] as const).map((k) => ({ value: k, label: t(`movement.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('movement.reason')} required={needsReason(kind)}>
          <Input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-label={t('movement.reason')} placeholder={t(`movement.reasonHints.${kind}`)} />
        </Form.Item>
      </Form>
      <Space direction="vertical" style={{ width: '100%' }}>
        {kind === 'adjustment' && <Alert type="info" showIcon message={t('movement.adjustmentHint')} />}
        <LinesEditor
          storeId={storeId}
          lines={lines}
          onChange={setLines}
          errors={errors}
          withCost={kind === 'receipt'}
          withExpiry={kind === 'receipt'}
        />
        {formError && <Alert type="error" showIcon message={formError} />}
      </Space>
    </Modal>
  );
}
