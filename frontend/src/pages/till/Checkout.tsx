import { CloudUploadOutlined, DeleteOutlined, DisconnectOutlined, LogoutOutlined, WifiOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Descriptions, Divider, Drawer, Empty, Input, InputNumber, Modal, Segmented, Space, Table, Tag, Tooltip, Typography, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { newIdempotencyKey } from '../../api/idempotency';
import { ApiError, asApiError } from '../../api/problem';
import type { Member, PosOfflineBatchResult, StoredValueEntry, PosPricedCart, PosPricedLine, PosSaleInput, PosTill } from '../../api/types';
import { useSession } from '../../app/session';
import { useTimeZone } from '../../app/store-context';
import { Money } from '../../components/Money';
import { describeError } from '../../components/describe-error';
import { fenForApi, formatMoney } from '../../lib/money';
import { formatQuantity, parseQuantity } from '../../lib/quantity';
import { formatDateTime } from '../../lib/time';
import { uuidv7 } from '../../lib/uuidv7';
import { addScanned, cachedLookup, cartInput, emptyCart, localPrice, rememberLookup, rememberPrices, removeLine, setQty, type Cart } from './cart';
import { PayDialog } from './PayDialog';
import { createSale, isUnreachable, lookup, lookupMember, priceCart } from './queries';
import { changeDue, forApi, type Tender } from './tenders';
import { useApproval } from './ApprovalDialog';
import { MemberDialog, type TillMember } from './MemberDialog';
import { CloseShiftDialog, ReceiptDialog, ReturnDialog, VoidDialog, type LastSale } from './TillDialogs';
import { useOfflineQueue } from './useOfflineQueue';

type Dialog = null | 'member' | 'members' | 'coupon' | 'qty' | 'pay' | 'return' | 'void' | 'close' | 'queue';
type MemberBy = 'phone' | 'card' | 'qr';

interface Done {
  saleId: string | null;
  change: bigint;
  offlineText?: string;
  offlineNo?: string;
}

const lastSaleKey = (shiftId: string) => `chainstore.till.last_sale.${shiftId}`;

function loadLastSale(shiftId: string): LastSale | null {
  try {
    return JSON.parse(localStorage.getItem(lastSaleKey(shiftId)) ?? 'null') as LastSale | null;
  } catch {
    return null;
  }
}

/** offlineReceipt: the text of a receipt printed offline (the API prints the real one once uploaded). */
function offlineReceipt(no: string, priced: PosPricedCart, tenders: Tender[], soldAt: string, t: (k: string) => string): string {
  const rows = priced.lines.map((l) => `${l.name}\n  ${formatQuantity(l.qty, l.unit)} × ${formatMoney(l.unit_price)}    ${formatMoney(l.net)}`);
  const paid = tenders.map((x) => `${t(`pay.methods.${x.method}`)}  ${formatMoney(x.tendered)}`);
  return [no, soldAt, '-'.repeat(32), ...rows, '-'.repeat(32), `${t('cart.total')}  ${formatMoney(priced.payable)}`, ...paid, `${t('pay.change')}  ${formatMoney(changeDue(tenders))}`].join('\n');
}

/** Checkout: the till's sell screen — scan, cart, member, coupons, points, pay, receipt, returns, voids, the offline queue. */
export function Checkout({ storeId, till, startOffline, onShiftClosed }: { storeId: string; till: PosTill; startOffline: boolean; onShiftClosed: () => void }) {
  const { t, i18n } = useTranslation('till');
  const { me } = useSession();
  const withApproval = useApproval();
  const zone = useTimeZone();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const shift = till.shift as NonNullable<PosTill['shift']>;
  const english = i18n.language === 'en';

  const [cart, setCart] = useState<Cart>(emptyCart);
  const [priced, setPriced] = useState<PosPricedCart | null>(null);
  const [pricing, setPricing] = useState(false);
  const [offline, setOffline] = useState(startOffline);
  const [problem, setProblem] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [memberPreview, setMemberPreview] = useState<Member | null>(null);
  const [memberBy, setMemberBy] = useState<MemberBy>('phone');
  const [memberText, setMemberText] = useState('');
  const [couponText, setCouponText] = useState('');
  const [qtyText, setQtyText] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [payError, setPayError] = useState<unknown>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [lastSale, setLastSale] = useState<LastSale | null>(() => loadLastSale(shift.id));
  const scanRef = useRef<InputRef>(null);
  const [scanText, setScanText] = useState('');
  const attempt = useRef<{ id: string; key: string } | null>(null);
  const priceSeq = useRef(0);

  const onUploaded = useCallback(
    (results: PosOfflineBatchResult[]) => {
      const all = results.flatMap((r) => r.sales);
      const count = (s: string) => all.filter((x) => x.status === s).length;
      setOffline(false);
      void message.success(t('queue.uploaded', { accepted: count('accepted'), flagged: count('flagged'), rejected: count('rejected') }));
    },
    [message, t],
  );
  const queue = useOfflineQueue(storeId, till.register_id, till.offline_allowed, onUploaded);

  const focusScan = useCallback(() => setTimeout(() => scanRef.current?.focus(), 30), []);

  // ── pricing: the server prices the whole cart after every change ──
  const apply = useCallback(
    async (next: Cart, previous: Cart) => {
      setCart(next);
      setProblem(null);
      if (next.lines.length === 0) {
        setPriced(null);
        return;
      }
      const seq = (priceSeq.current += 1);
      setPricing(true);
      try {
        const answer = await priceCart(storeId, cartInput(next));
        if (seq !== priceSeq.current) return;
        setOffline(false);
        rememberPrices(storeId, answer);
        // A member found by phone, card or a one-time QR code is named by id from now on.
        if (answer.member && next.member && !next.member.id) {
          const byId = { ...next, member: { id: answer.member.id } };
          setCart(byId);
        }
        setPriced(answer);
      } catch (e) {
        if (seq !== priceSeq.current) return;
        if (isUnreachable(e) && till.offline_allowed) {
          setOffline(true);
          setPriced(localPrice(next, storeId));
          return;
        }
        setProblem(describeError(t, e));
        const code = asApiError(e).code;
        if (code === 'pos.member_not_found' || code === 'pos.member_frozen') {
          setMemberPreview(null);
          void apply({ ...next, member: null }, previous);
        } else if (code === 'pos.points_refused') {
          void apply({ ...next, pointsToUse: 0 }, previous);
        } else if (isUnreachable(e)) {
          setOffline(true);
        } else {
          setCart(previous);
        }
      } finally {
        if (seq === priceSeq.current) setPricing(false);
      }
    },
    [storeId, t, till.offline_allowed],
  );

  const scan = async (raw: string) => {
    const code = raw.trim();
    setScanText('');
    if (!code) return;
    let found = null;
    try {
      found = await lookup(storeId, code);
      rememberLookup(storeId, code, found);
      if (offline) setOffline(false);
    } catch (e) {
      if (isUnreachable(e) && till.offline_allowed) {
        setOffline(true);
        found = cachedLookup(storeId, code);
        if (!found) return setProblem(t('scan.offlineUnknown', { code }));
      } else if (asApiError(e).status === 404) {
        return setProblem(t('scan.notFound', { code }));
      } else {
        return setProblem(describeError(t, e));
      }
    }
    if (!found.data[0]) return setProblem(t('scan.notFound', { code }));
    const next = addScanned(cart, found);
    setSelected(next.lines.at(-1)?.key ?? null);
    await apply(next, cart);
  };

  const selectedLine = cart.lines.find((l) => l.key === selected) ?? cart.lines.at(-1);

  const removeSelected = () => {
    if (!selectedLine) return;
    void apply(removeLine(cart, selectedLine.key), cart);
    setSelected(null);
  };

  const changeQty = () => {
    if (!selectedLine) return;
    try {
      const qty = parseQuantity(qtyText);
      if (qty <= 0n) throw new Error('zero');
      if (!selectedLine.item.weighed && qty % 1000n !== 0n) return setProblem(t('cart.qtyWhole'));
      void apply(setQty(cart, selectedLine.key, Number(qty)), cart);
      setDialog(null);
      focusScan();
    } catch {
      setProblem(t('common:quantity.format'));
    }
  };

  const findMember = async () => {
    const text = memberText.trim();
    if (!text) return;
    const ref = memberBy === 'phone' ? { phone: text } : memberBy === 'card' ? { card: text } : { qr_token: text };
    setDialog(null);
    setMemberText('');
    focusScan();
    if (cart.lines.length > 0) {
      await apply({ ...cart, member: ref }, cart);
      return;
    }
    // An empty cart: find the member now, and name them by id when the cart is priced.
    try {
      const m = await lookupMember(storeId, memberBy === 'qr' ? { qr: text } : ref);
      setMemberPreview(m);
      setCart({ ...cart, member: { id: m.id } });
    } catch (e) {
      setProblem(describeError(t, e));
    }
  };

  // ── member services (F1): registered at the counter → this sale's member; money calls → the balance shown ──
  const onRegistered = (m: Member) => {
    void message.success(t('members.registered', { name: m.name || m.phone }));
    setMemberPreview(m);
    if (cart.lines.length > 0) void apply({ ...cart, member: { id: m.id } }, cart);
    else setCart({ ...cart, member: { id: m.id } });
  };

  const onBalance = (memberId: string, entry: StoredValueEntry) => {
    if (memberPreview?.id === memberId) {
      setMemberPreview({ ...memberPreview, balance_principal: entry.principal_after, balance_bonus: entry.bonus_after, balance: entry.principal_after + entry.bonus_after });
    }
    const current = priced?.member?.id ?? cart.member?.id;
    if (current === memberId && cart.lines.length > 0) void apply(cart, cart);
  };

  const dropMember = () => {
    setMemberPreview(null);
    void apply({ ...cart, member: null, pointsToUse: 0 }, cart);
  };

  const addCoupon = () => {
    const code = couponText.trim();
    setCouponText('');
    if (!code || cart.coupons.includes(code)) return;
    void apply({ ...cart, coupons: [...cart.coupons, code] }, cart);
  };

  const newSale = () => {
    setCart(emptyCart());
    setPriced(null);
    setProblem(null);
    setMemberPreview(null);
    setSelected(null);
    attempt.current = null;
    focusScan();
  };

  const openPay = () => {
    if (!priced || cart.lines.length === 0 || pricing) return;
    // One sale id and Idempotency-Key for this payment, kept for every retry.
    attempt.current ??= { id: uuidv7(), key: newIdempotencyKey() };
    setPayError(null);
    setDialog('pay');
  };

  const queueOffline = async (body: PosSaleInput, tenders: Tender[], payable: number) => {
    const seq = await queue.nextSeq();
    const soldAt = new Date().toISOString();
    await queue.enqueue({ ...body, shift_id: shift.id, sold_at: soldAt, offline_seq: seq, offline_total: payable });
    const no = `F${String(seq).padStart(6, '0')}`;
    setDone({ saleId: null, change: changeDue(tenders), offlineNo: no, offlineText: offlineReceipt(no, priced ?? localPrice(cart, storeId), tenders, formatDateTime(soldAt, zone), t) });
  };

  const submitSale = async (tenders: Tender[]) => {
    if (!priced || !attempt.current || submitting) return;
    const body: PosSaleInput = { id: attempt.current.id, ...cartInput(cart), tenders: forApi(tenders) };
    setSubmitting(true);
    setPayError(null);
    try {
      if (offline) {
        await queueOffline(body, tenders, priced.payable);
      } else {
        try {
          const key = attempt.current.key;
          const sale = await withApproval((approval) => createSale(storeId, { ...body, approval }, key));
          const last = { id: sale.id, receiptNo: sale.receipt_no, total: sale.total };
          localStorage.setItem(lastSaleKey(shift.id), JSON.stringify(last));
          setLastSale(last);
          setDone({ saleId: sale.id, change: BigInt(sale.change_given) });
        } catch (e) {
          // Unreachable: the sale is kept offline under the same id (if the API did record it, the upload says so).
          if (isUnreachable(e) && till.offline_allowed) {
            setOffline(true);
            await queueOffline(body, tenders, priced.payable);
          } else {
            throw e;
          }
        }
      }
      setDialog(null);
      setCart(emptyCart());
      setPriced(null);
      setMemberPreview(null);
      attempt.current = null;
    } catch (e) {
      setPayError(e);
    } finally {
      setSubmitting(false);
    }
  };

  // ── keyboard: F-keys work wherever the focus is ──
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const keys: Record<string, () => void> = {
        F1: () => setDialog('members'),
        F2: () => setDialog('member'),
        F3: () => setDialog('coupon'),
        F4: () => {
          if (selectedLine) {
            setQtyText(formatQuantity(selectedLine.qty));
            setDialog('qty');
          }
        },
        F6: () => setDialog('return'),
        F7: () => setDialog('void'),
        F8: removeSelected,
        F9: openPay,
        F10: newSale,
      };
      const action = keys[e.key];
      if (!action) return;
      e.preventDefault();
      if (dialog && dialog !== 'queue') return;
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    if (dialog === null && !done) focusScan();
  }, [dialog, done, focusScan]);

  const member = priced?.member ?? null;
  const tillMember: TillMember | null = member
    ? { id: member.id, name: member.name, phone: member.phone, balance: member.stored_value, cardNo: member.card_no || undefined }
    : memberPreview
      ? { id: memberPreview.id, name: memberPreview.name, phone: memberPreview.phone, balance: memberPreview.balance, cardNo: memberPreview.card?.number }
      : null;
  const columns = [
    { title: t('cart.no'), width: 36, render: (_: unknown, l: PosPricedLine) => l.line_no },
    {
      title: t('cart.item'),
      render: (_: unknown, l: PosPricedLine) => (
        <div>
          <div>{l.name}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {l.code} {l.barcode}
          </Typography.Text>
          {l.allocations.length > 0 && (
            <div>
              {l.allocations.map((a, i) => (
                <Tag key={i} color="red" style={{ marginTop: 2 }} data-testid="allocation">
                  {english ? a.label_en : a.label} −{formatMoney(a.amount)}
                </Tag>
              ))}
            </div>
          )}
        </div>
      ),
    },
    { title: t('cart.qty'), width: 80, align: 'right' as const, render: (_: unknown, l: PosPricedLine) => formatQuantity(l.qty, l.weighed ? l.unit : undefined) },
    { title: t('cart.listPrice'), width: 80, align: 'right' as const, render: (_: unknown, l: PosPricedLine) => <Money fen={l.list_price} /> },
    {
      title: t('cart.memberPrice'),
      width: 80,
      align: 'right' as const,
      render: (_: unknown, l: PosPricedLine) => (l.member_price == null ? '—' : <Money fen={l.member_price} />),
    },
    { title: t('cart.discount'), width: 80, align: 'right' as const, render: (_: unknown, l: PosPricedLine) => (l.discount ? <Money fen={-l.discount} /> : '—') },
    { title: t('cart.net'), width: 90, align: 'right' as const, render: (_: unknown, l: PosPricedLine) => <Typography.Text strong><Money fen={l.net} /></Typography.Text> },
    {
      title: '',
      width: 40,
      render: (_: unknown, l: PosPricedLine) => {
        const line = cart.lines[l.line_no - 1];
        return (
          <Tooltip title={t('cart.remove')}>
            <Button size="small" type="text" danger aria-label={`${t('cart.remove')} ${l.name}`} icon={<DeleteOutlined />} onClick={() => line && void apply(removeLine(cart, line.key), cart)} />
          </Tooltip>
        );
      },
    },
  ];

  const shortcut = (label: string, onClick: () => void, danger = false) => (
    <Button size="small" onClick={onClick} danger={danger}>
      {label}
    </Button>
  );

  return (
    <div className="till-screen">
      <header className="till-header">
        <Space size={12} wrap>
          <Typography.Text strong style={{ color: '#fff' }}>
            {t('menu.till')}
          </Typography.Text>
          <Tag>
            {t('common.register')} {till.code}
          </Tag>
          <Tag>
            {t('common.cashier')} {me.user.name}
          </Tag>
          <Tag>
            {t('common.businessDate')} {shift.business_date}
          </Tag>
          {offline ? (
            <Tag color="error" icon={<DisconnectOutlined />} data-testid="till-offline">
              {t('common.offline')}
            </Tag>
          ) : (
            <Tag color="success" icon={<WifiOutlined />} data-testid="till-online">
              {t('common.online')}
            </Tag>
          )}
          {till.offline_allowed && (
            <Badge count={queue.summary.pending} size="small">
              <Button size="small" icon={<CloudUploadOutlined />} onClick={() => setDialog('queue')} data-testid="queue-button">
                {t('queue.pending', { count: queue.summary.pending })}
              </Button>
            </Badge>
          )}
        </Space>
        <Space>
          <Button size="small" onClick={() => setDialog('close')}>
            {t('shift.close')}
          </Button>
          <Button size="small" icon={<LogoutOutlined />} onClick={() => navigate('/')}>
            {t('common.exit')}
          </Button>
        </Space>
      </header>

      {offline && <Alert type="warning" banner message={till.offline_allowed ? t('common.offlineHint') : t('common.offlineNotAllowed')} />}

      <main className="till-body">
        <section className="till-left">
          <Input
            ref={scanRef}
            size="large"
            autoFocus
            value={scanText}
            onChange={(e) => setScanText(e.target.value)}
            onPressEnter={() => void scan(scanText)}
            placeholder={t('scan.placeholder')}
            aria-label={t('scan.placeholder')}
            autoComplete="off"
            data-testid="scan-input"
          />
          {problem && <Alert type="error" showIcon closable onClose={() => setProblem(null)} message={problem} style={{ marginTop: 8 }} data-testid="till-problem" />}
          <Table<PosPricedLine>
            style={{ marginTop: 8 }}
            size="small"
            rowKey="line_no"
            pagination={false}
            loading={pricing && !priced}
            dataSource={priced?.lines ?? []}
            columns={columns}
            scroll={{ y: 'calc(100vh - 330px)' }}
            locale={{ emptyText: <Empty description={t('cart.empty')} /> }}
            rowClassName={(l) => (cart.lines[l.line_no - 1]?.key === selectedLine?.key ? 'till-row-selected' : '')}
            onRow={(l) => ({ onClick: () => setSelected(cart.lines[l.line_no - 1]?.key ?? null) })}
            data-testid="cart"
          />
          <Card size="small" title={t('cart.promotions')} style={{ marginTop: 8 }} data-testid="promotions">
            {priced?.promotions?.length ? (
              priced.promotions.map((p) => (
                <div key={`${p.promotion_id}-${p.coupon_id ?? ''}`}>
                  <Tag color="red">{english ? p.name_en : p.name}</Tag>
                  <Typography.Text type="secondary">{english ? p.explanation_en : p.explanation}</Typography.Text> <Money fen={-p.discount} />
                </div>
              ))
            ) : (
              <Typography.Text type="secondary">{offline && priced ? t('cart.localPrices') : t('cart.noPromotions')}</Typography.Text>
            )}
          </Card>
        </section>

        <aside className="till-right">
          <Card size="small" title={t('member.title')} extra={shortcut(t('keys.member'), () => setDialog('member'))} data-testid="member-card">
            {member ? (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('member.title')}>
                  {member.name} {member.phone}
                </Descriptions.Item>
                <Descriptions.Item label={t('member.tier')}>{member.tier_name || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('member.points')}>{member.points}</Descriptions.Item>
                <Descriptions.Item label={t('member.storedValue')}>
                  <Money fen={member.stored_value} />
                </Descriptions.Item>
              </Descriptions>
            ) : memberPreview ? (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('member.title')}>{memberPreview.name}</Descriptions.Item>
                <Descriptions.Item label={t('member.tier')}>{memberPreview.tier?.name ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('member.points')}>{memberPreview.points}</Descriptions.Item>
                <Descriptions.Item label={t('member.storedValue')}>
                  <Money fen={memberPreview.balance} />
                </Descriptions.Item>
              </Descriptions>
            ) : (
              <Typography.Text type="secondary">{t('member.none')}</Typography.Text>
            )}
            {member && !member.can_spend && <Alert type="warning" message={t('member.cannotSpend')} />}
            {member && (
              <Space style={{ marginTop: 4 }} wrap>
                <InputNumber
                  size="small"
                  min={0}
                  max={member.points}
                  step={100}
                  precision={0}
                  aria-label={t('member.pointsToUse')}
                  placeholder={t('member.pointsToUse')}
                  value={cart.pointsToUse || null}
                  onChange={(v) => void apply({ ...cart, pointsToUse: Number(v ?? 0) }, cart)}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('member.pointsHint', { value: formatMoney(member.point_value) })}
                </Typography.Text>
              </Space>
            )}
            {(member || memberPreview) && (
              <Button size="small" type="link" onClick={dropMember}>
                {t('member.remove')}
              </Button>
            )}
          </Card>

          <Card size="small" title={t('coupon.title')} extra={shortcut(t('keys.coupon'), () => setDialog('coupon'))} style={{ marginTop: 8 }}>
            {cart.coupons.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
            {cart.coupons.map((code) => {
              const state = priced?.coupons?.find((c) => c.code === code);
              return (
                <div key={code}>
                  <Tag
                    color={state?.used ? 'green' : 'default'}
                    closable
                    onClose={() => void apply({ ...cart, coupons: cart.coupons.filter((c) => c !== code) }, cart)}
                  >
                    {code} {state ? (state.used ? t('coupon.used') : t('coupon.notUsed')) : ''}
                  </Tag>
                  {state && !state.used && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {english ? state.reason_en : state.reason}
                    </Typography.Text>
                  )}
                </div>
              );
            })}
          </Card>

          <Card size="small" style={{ marginTop: 8 }} data-testid="totals">
            <div className="till-total-row">
              <span>{t('cart.gross')}</span>
              <Money fen={priced?.gross ?? 0} />
            </div>
            <div className="till-total-row">
              <span>{t('cart.discountTotal')}</span>
              <Money fen={-(priced?.discount ?? 0)} />
            </div>
            {priced?.rounding ? (
              <div className="till-total-row">
                <span>{t('cart.rounding')}</span>
                <Money fen={-priced.rounding} />
              </div>
            ) : null}
            {priced?.points_value ? (
              <div className="till-total-row">
                <span>{t('cart.pointsValue')}</span>
                <Money fen={-priced.points_value} />
              </div>
            ) : null}
            <Divider style={{ margin: '6px 0' }} />
            <div className="till-total-row till-payable">
              <span>{t('cart.payable')}</span>
              <span data-testid="payable">
                <Money fen={priced?.payable ?? 0} />
              </span>
            </div>
            {priced?.points_to_earn ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('cart.pointsToEarn', { points: priced.points_to_earn })}
              </Typography.Text>
            ) : null}
            <Button type="primary" size="large" block style={{ marginTop: 8 }} disabled={!priced || pricing} onClick={openPay} data-testid="pay-button">
              {t('keys.pay')}
            </Button>
          </Card>

          <div className="till-keys">
            {shortcut(t('keys.members'), () => setDialog('members'))}
            {shortcut(t('keys.qty'), () => {
              if (selectedLine) {
                setQtyText(formatQuantity(selectedLine.qty));
                setDialog('qty');
              }
            })}
            {shortcut(t('keys.voidLine'), removeSelected)}
            {shortcut(t('keys.returns'), () => setDialog('return'))}
            {shortcut(t('keys.voidLast'), () => setDialog('void'), true)}
            {shortcut(t('keys.newSale'), newSale)}
          </div>
        </aside>
      </main>

      <Modal open={dialog === 'member'} title={t('member.find')} onCancel={() => setDialog(null)} footer={null} destroyOnHidden>
        <Segmented<MemberBy>
          value={memberBy}
          onChange={setMemberBy}
          options={(['phone', 'card', 'qr'] as const).map((b) => ({ value: b, label: t(`member.by.${b}`) }))}
        />
        <Input
          autoFocus
          style={{ marginTop: 12 }}
          size="large"
          aria-label={t(`member.by.${memberBy}`)}
          placeholder={t('member.placeholder')}
          value={memberText}
          onChange={(e) => setMemberText(e.target.value)}
          onPressEnter={() => void findMember()}
          autoComplete="off"
        />
      </Modal>

      <Modal open={dialog === 'coupon'} title={t('coupon.title')} onCancel={() => setDialog(null)} footer={null} destroyOnHidden>
        <Input
          autoFocus
          size="large"
          aria-label={t('coupon.title')}
          placeholder={t('coupon.placeholder')}
          value={couponText}
          onChange={(e) => setCouponText(e.target.value)}
          onPressEnter={() => {
            addCoupon();
            setDialog(null);
          }}
          autoComplete="off"
        />
      </Modal>

      <Modal open={dialog === 'qty'} title={`${t('cart.editQty')} ${selectedLine?.item.name ?? ''}`} onCancel={() => setDialog(null)} onOk={changeQty} destroyOnHidden>
        <Input autoFocus size="large" aria-label={t('cart.qty')} value={qtyText} onChange={(e) => setQtyText(e.target.value)} onPressEnter={changeQty} inputMode="decimal" />
      </Modal>

      <PayDialog
        open={dialog === 'pay'}
        storeId={storeId}
        payable={BigInt(priced?.payable ?? 0)}
        member={member}
        offline={offline}
        submitting={submitting}
        error={payError}
        onSubmit={(tenders) => void submitSale(tenders)}
        onCancel={() => setDialog(null)}
      />

      <ReceiptDialog
        storeId={storeId}
        saleId={done?.saleId ?? null}
        offlineText={done?.offlineText}
        offlineNo={done?.offlineNo}
        change={done?.change ?? 0n}
        onClose={() => {
          setDone(null);
          focusScan();
        }}
      />

      <MemberDialog open={dialog === 'members'} storeId={storeId} member={tillMember} onRegistered={onRegistered} onBalance={onBalance} onClose={() => setDialog(null)} />

      <ReturnDialog open={dialog === 'return'} storeId={storeId} onClose={() => setDialog(null)} />

      <VoidDialog
        open={dialog === 'void'}
        storeId={storeId}
        last={lastSale}
        onClose={() => setDialog(null)}
        onVoided={() => {
          localStorage.removeItem(lastSaleKey(shift.id));
          setLastSale(null);
          setDialog(null);
        }}
      />

      <CloseShiftDialog
        open={dialog === 'close'}
        storeId={storeId}
        onCancel={() => setDialog(null)}
        onClosed={() => {
          setDialog(null);
          onShiftClosed();
        }}
      />

      <Drawer open={dialog === 'queue'} title={t('queue.title')} width={560} onClose={() => setDialog(null)}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text data-testid="queue-pending">{queue.summary.pending ? t('queue.pending', { count: queue.summary.pending }) : t('queue.none')}</Typography.Text>
          {queue.summary.lastError && <Alert type="error" message={t('queue.lastError', { error: describeError(t, new ApiError({ status: 0, code: queue.summary.lastError, title: queue.summary.lastError })) })} />}
          {queue.summary.lastUpload && (
            <Typography.Text type="secondary" data-testid="queue-result">
              {t('queue.result', {
                accepted: queue.summary.lastUpload.sales.filter((s) => s.status === 'accepted').length,
                flagged: queue.summary.lastUpload.sales.filter((s) => s.status === 'flagged').length,
                rejected: queue.summary.lastUpload.sales.filter((s) => s.status === 'rejected').length,
              })}
            </Typography.Text>
          )}
          <Button icon={<CloudUploadOutlined />} loading={queue.uploading} disabled={queue.summary.pending === 0} onClick={() => void queue.upload()}>
            {t('queue.upload')}
          </Button>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={[...queue.sales].reverse()}
            columns={[
              { title: t('queue.receiptNo'), render: (_, s) => s.receiptNo ?? `F${String(s.sale.offline_seq).padStart(6, '0')}` },
              { title: t('queue.soldAt'), render: (_, s) => formatDateTime(s.sale.sold_at ?? s.queuedAt, zone) },
              { title: t('queue.total'), render: (_, s) => <Money fen={fenForApi(BigInt(s.sale.offline_total ?? 0))} /> },
              { title: t('queue.status'), render: (_, s) => <Tag color={s.status === 'accepted' ? 'green' : s.status === 'pending' ? 'blue' : s.status === 'flagged' ? 'orange' : 'red'}>{t(`queue.statuses.${s.status}`)}</Tag> },
              { title: t('queue.flags'), render: (_, s) => (s.flags?.length ? s.flags.join(', ') : s.code ?? '') },
            ]}
          />
        </Space>
      </Drawer>
    </div>
  );
}
