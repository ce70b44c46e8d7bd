import { useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import type { Store } from '../api/types';
import { useSession } from './session';

// The store the console works in, chosen in the header's switcher:
// null means "every store I may see" (HQ, or a franchisee's stores). It is
// kept per user and chain in localStorage. Pages with a store context
// (staff of a store now; stock, tills and the like later) read
// useCurrentStore(); times show in useTimeZone().

interface StoreContextValue {
  storeId: string | null;
  store: Store | undefined;
  setStoreId: (id: string | null) => void;
  /** canSwitch: the user works in more than one store. */
  canSwitch: boolean;
}

const StoreContext = createContext<StoreContextValue | null>(null);

export function StoreProvider({ children }: { children: ReactNode }) {
  const { me, access } = useSession();
  const storageKey = `chainstore.store.${me.tenant.id}.${me.user.id}`;
  const canSwitch = access['stores.read'] && (me.chain_wide || me.stores.length > 1);

  const [storeId, setStoreIdState] = useState<string | null>(() => {
    const saved = localStorage.getItem(storageKey);
    if (saved && (me.chain_wide || me.stores.includes(saved))) return saved;
    return !me.chain_wide && me.stores.length === 1 ? (me.stores[0] ?? null) : null;
  });

  const setStoreId = useCallback(
    (id: string | null) => {
      if (id) localStorage.setItem(storageKey, id);
      else localStorage.removeItem(storageKey);
      setStoreIdState(id);
    },
    [storageKey],
  );

  const store = useQuery({
    queryKey: ['stores', 'detail', storeId],
    queryFn: () => unwrap(api.GET('/api/v1/stores/{id}', { params: { path: { id: storeId ?? '' } } })),
    enabled: storeId !== null && access['stores.read'],
  });

  const value = useMemo(() => ({ storeId, store: store.data, setStoreId, canSwitch }), [storeId, store.data, setStoreId, canSwitch]);
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

export function useCurrentStore(): StoreContextValue {
  const value = useContext(StoreContext);
  if (!value) throw new Error('useCurrentStore outside <StoreProvider>');
  return value;
}

/** useTimeZone: the current store's zone, else the chain's. */
export function useTimeZone(): string {
  const { me } = useSession();
  return useCurrentStore().store?.time_zone || me.tenant.time_zone;
}
