import { useSession } from '../app/session';
import { formatMoney, type Fen } from '../lib/money';

/** Money shows minor units in the chain's currency ("¥1,234.56"), right-aligned figures. */
export function Money({ fen, currency }: { fen: Fen; currency?: string }) {
  const { me } = useSession();
  return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatMoney(fen, currency ?? me.tenant.currency)}</span>;
}
