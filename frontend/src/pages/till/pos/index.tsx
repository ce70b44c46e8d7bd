import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Result, Select, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { newIdempotencyKey } from '../../../api/idempotency';
import { asApiError } from '../../../api/problem';
import { forgetRegisterToken, registerToken } from '../../../api/register-token';
import { useSession } from '../../../app/session';
import { useCurrentStore } from '../../../app/store-context';
import { ErrorResult } from '../../../components/ErrorResult';
import { useShowError } from '../../../components/useShowError';
import { fenForApi, parseYuan } from '../../../lib/money';
import { Checkout } from '../Checkout';
import { cachedTill, isUnreachable, openShift, rememberTill, tillKeys, useTill, useTillStores } from '../queries';
import { ApprovalProvider } from '../ApprovalDialog';
import { RegisterSetup } from '../RegisterSetup';
import '../till.css';

/** The till (收银台) at /pos: full screen, in the header's store (or one chosen here). */
export default function TillPage() {
  const { storeId, setStoreId } = useCurrentStore();
  if (!storeId) return <StorePicker onPick={setStoreId} />;
  return <TillGate key={storeId} storeId={storeId} />;
}

function StorePicker({ onPick }: { onPick: (id: string) => void }) {
  const { t } = useTranslation('till');
  const stores = useTillStores(true);
  const navigate = useNavigate();
  if (stores.error) return <ErrorResult error={stores.error} onRetry={() => void stores.refetch()} />;
  return (
    <Result
      status="info"
      title={t('store.title')}
      subTitle={t('store.hint')}
      extra={
        <Space>
          <Select
            style={{ width: 280 }}
            loading={stores.isLoading}
            showSearch
            optionFilterProp="label"
            placeholder={t('store.placeholder')}
            aria-label={t('store.placeholder')}
            options={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            onChange={onPick}
          />
          <Button onClick={() => navigate('/')}>{t('common.exit')}</Button>
        </Space>
      }
    />
  );
}

/** TillGate: the register this browser proves, then its shift, then the sell screen. */
function TillGate({ storeId }: { storeId: string }) {
  const { t } = useTranslation('till');
  const { me } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [token, setToken] = useState(() => registerToken(storeId));
  const till = useTill(storeId, token !== null);

  const forget = () => {
    forgetRegisterToken(storeId);
    rememberTill(storeId, null);
    queryClient.removeQueries({ queryKey: tillKeys.till(storeId) });
    setToken(null);
  };
  const saved = () => {
    setToken(registerToken(storeId));
    void queryClient.invalidateQueries({ queryKey: tillKeys.till(storeId) });
  };

  if (!token) return <RegisterSetup storeId={storeId} onSaved={saved} />;
  if (till.isLoading) return <Spin fullscreen spinning />;

  if (till.error) {
    const e = asApiError(till.error);
    if (e.code === 'pos.register_unauthenticated') {
      return (
        <RegisterSetup
          storeId={storeId}
          problem={t('register.invalid')}
          onSaved={() => {
            rememberTill(storeId, null);
            saved();
          }}
        />
      );
    }
    if (e.code === 'pos.register_revoked') {
      return <Result status="warning" title={t('register.revoked')} extra={<Button onClick={forget}>{t('register.forget')}</Button>} />;
    }
    if (isUnreachable(e)) {
      // Offline: a register allowed to sell offline goes on in the shift it knew.
      const known = cachedTill(storeId);
      if (known?.offline_allowed && known.shift && known.shift.cashier_id === me.user.id) {
        return (
          <ApprovalProvider>
            <Checkout storeId={storeId} till={known} startOffline onShiftClosed={() => void till.refetch()} />
          </ApprovalProvider>
        );
      }
      return <Result status="warning" title={t('common.offlineNotAllowed')} extra={<Button onClick={() => void till.refetch()}>{t('common:actions.retry')}</Button>} />;
    }
    return <ErrorResult error={e} onRetry={() => void till.refetch()} />;
  }

  const data = till.data;
  if (!data) return null;
  if (!data.shift) return <OpenShift storeId={storeId} code={data.code} onOpened={() => void till.refetch()} onExit={() => navigate('/')} />;
  if (data.shift.cashier_id !== me.user.id) {
    return <Result status="warning" title={t('shift.otherCashier')} extra={<Button onClick={() => navigate('/')}>{t('common.exit')}</Button>} />;
  }
  return (
    <ApprovalProvider>
      <Checkout key={data.shift.id} storeId={storeId} till={data} startOffline={false} onShiftClosed={() => void till.refetch()} />
    </ApprovalProvider>
  );
}

function OpenShift({ storeId, code, onOpened, onExit }: { storeId: string; code: string; onOpened: () => void; onExit: () => void }) {
  const { t } = useTranslation('till');
  const { message } = App.useApp();
  const showError = useShowError();
  const [form] = Form.useForm<{ opening_float: string }>();
  const [key] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);

  const open = async ({ opening_float }: { opening_float: string }) => {
    setBusy(true);
    try {
      await openShift(storeId, fenForApi(parseYuan(opening_float)), key);
      void message.success(t('shift.opened'));
      onOpened();
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 440, margin: '64px auto' }}>
      <Card title={`${t('shift.openTitle')} · ${t('common.register')} ${code}`} extra={<Button onClick={onExit}>{t('common.exit')}</Button>}>
        <Typography.Paragraph type="secondary">{t('shift.openHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={(v) => void open(v)} initialValues={{ opening_float: '0.00' }}>
          <Form.Item
            name="opening_float"
            label={t('shift.float')}
            rules={[
              {
                validator: async (_, v: string) => {
                  try {
                    if (parseYuan(v ?? '') < 0n) throw new Error();
                  } catch (e) {
                    throw new Error(t(`common:money.${(e as { reason?: string }).reason ?? 'format'}`));
                  }
                },
              },
            ]}
          >
            <Input autoFocus size="large" inputMode="decimal" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block size="large">
            {t('shift.open')}
          </Button>
        </Form>
        <Alert style={{ marginTop: 16 }} type="info" message={t('shift.closeHint')} />
      </Card>
    </div>
  );
}
