import { Alert, Form, Input, Modal, Typography } from 'antd';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { asApiError, type ApiError } from '../../api/problem';
import type { PosApproval } from '../../api/types';
import { useSession } from '../../app/session';
import { describeError } from '../../components/describe-error';
import { endApproverSession, signInApprover } from './queries';

// A manager's consent at the till. When the API answers
// pos.approval_required (a return above the chain's limit, a price
// override beyond the cashier's, a void by a cashier without pos:void),
// useApproval() opens this dialog: the manager signs in on the till, the
// till resends the same request (same id and Idempotency-Key: a refused
// request was never recorded) with `approval: {token}`, and the manager's
// session is ended again. A refused approval (pos.approval_denied) keeps
// the dialog open with the reason; cancelling answers the original error.

type Ask = (reason: string, denied?: string) => Promise<PosApproval | null>;
/** Asker: ask opens the dialog (or, after a refusal, keeps it open); done closes it once the resent request settled. */
interface Asker {
  ask: Ask;
  done: () => void;
  /** endSession signs the manager out again once the resent request settled. */
  endSession: EndSession;
}
const AskContext = createContext<Asker | null>(null);

/** SignIn: the manager's credentials → their access token (the real one signs in at /auth/login). */
export type SignIn = (login: string, password: string) => Promise<string>;
/** EndSession: ends the manager's session of that token (the real one posts /auth/logout). */
export type EndSession = (token: string) => Promise<void>;

interface Pending {
  reason: string;
  denied: string | null;
  resolve: (a: PosApproval | null) => void;
}

// signIn and endSession default to the API; a test passes its own rather than mock
// ./queries, which Vitest's shared module cache (isolate: false) would not reliably replace.
export function ApprovalProvider({ children, signIn, endSession = endApproverSession }: { children: ReactNode; signIn?: SignIn; endSession?: EndSession }) {
  const { t } = useTranslation('till');
  const { me } = useSession();
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [form] = Form.useForm<{ login: string; password: string }>();
  const slug = me.tenant.slug;
  const login = useCallback<SignIn>((l, p) => (signIn ? signIn(l, p) : signInApprover(slug, l, p)), [signIn, slug]);

  const asker = useMemo<Asker>(
    () => ({
      ask: (reason, denied) =>
        new Promise((resolve) => {
          form.resetFields();
          setFailure(null);
          setBusy(false);
          setPending({ reason, denied: denied ?? null, resolve });
        }),
      done: () => {
        setBusy(false);
        setPending(null);
      },
      endSession,
    }),
    [form, endSession],
  );

  const submit = async () => {
    let v: { login: string; password: string };
    try {
      v = await form.validateFields();
    } catch {
      return; // the fields show what is missing
    }
    setBusy(true);
    setFailure(null);
    let token: string;
    try {
      token = await login(v.login.trim(), v.password);
    } catch (e) {
      setFailure(describeError(t, asApiError(e)));
      setBusy(false);
      return;
    }
    // Stays open (busy) while the request is sent again: done() or another ask() follows.
    pending?.resolve({ token });
  };

  return (
    <AskContext.Provider value={asker}>
      {children}
      <Modal
        open={pending !== null}
        title={t('approval.title')}
        okText={t('approval.submit')}
        cancelText={t('common:actions.cancel')}
        confirmLoading={busy}
        onOk={() => void submit()}
        onCancel={() => {
          if (busy) return;
          pending?.resolve(null);
          setPending(null);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('approval.why')}</Typography.Paragraph>
        {pending?.reason && <Typography.Paragraph type="secondary">{pending.reason}</Typography.Paragraph>}
        {(failure ?? pending?.denied) && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure ?? pending?.denied} />}
        <Form form={form} layout="vertical" onFinish={() => void submit()}>
          <Form.Item name="login" label={t('approval.login')} rules={[{ required: true, whitespace: true }]}>
            <Input autoFocus placeholder={t('approval.loginHint')} autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t('approval.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="off" onPressEnter={() => void submit()} />
          </Form.Item>
        </Form>
      </Modal>
    </AskContext.Provider>
  );
}

/** ApprovalRule: which refusal asks for a manager, and which answer to the resent request means the manager was refused. */
export interface ApprovalRule {
  needs: (e: ApiError) => boolean;
  denied: (e: ApiError) => boolean;
}

/** posApproval: the POS's calls take `approval` in their body and say pos.approval_required / pos.approval_denied. */
export const posApproval: ApprovalRule = {
  needs: (e) => e.code === 'pos.approval_required',
  denied: (e) => e.code === 'pos.approval_denied',
};

/**
 * managerSession: the members module's till calls that give money back
 * (stored-value refund, cash-out) take no `approval`; without pos:refund
 * they are 403 auth.forbidden. The manager's session then sends the call
 * itself (send gets `{token}` and sends it as the bearer), so the act is
 * the manager's and audited as theirs; a manager who lacks pos:refund too
 * is refused the same way and may try again.
 */
export const managerSession: ApprovalRule = {
  needs: (e) => e.status === 403 && e.code === 'auth.forbidden',
  denied: (e) => e.status === 403 && e.code === 'auth.forbidden',
};

/**
 * useApproval returns withApproval(send): send() once; when the API wants
 * a manager (rule.needs), ask for one and send(approval) again, as often
 * as the manager is refused (rule.denied) and tries again. Other errors,
 * and a cancelled dialog, throw.
 */
export function useApproval(rule: ApprovalRule = posApproval): <T>(send: (approval?: PosApproval) => Promise<T>) => Promise<T> {
  const asker = useContext(AskContext);
  const { t } = useTranslation('till');
  return useCallback(
    async <T,>(send: (approval?: PosApproval) => Promise<T>): Promise<T> => {
      try {
        return await send();
      } catch (first) {
        const e = asApiError(first);
        const open = asker;
        if (!rule.needs(e) || !open) throw first;
        const reason = e.detail ?? '';
        let denied: string | undefined;
        for (;;) {
          const approval = await open.ask(reason, denied);
          if (!approval) throw first;
          try {
            const answer = await send(approval);
            open.done();
            return answer;
          } catch (again) {
            const d = asApiError(again);
            if (!rule.denied(d)) {
              open.done();
              throw again;
            }
            denied = t('approval.denied', { detail: d.detail ?? describeError(t, d) });
          } finally {
            if (approval.token) void open.endSession(approval.token);
          }
        }
      }
    },
    [asker, rule, t],
  );
}
