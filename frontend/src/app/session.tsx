import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Spin } from 'antd';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, onSessionEnded, tokens, unwrap } from '../api/client';
import { isSignOutInAnotherTab } from '../api/tokens';
import type { Me } from '../api/types';
import { ErrorResult } from '../components/ErrorResult';
import { computeAccess, type AccessKey, type AccessMap } from './access';

// The signed-in session: GET /me once, and what it allows. Everything
// under the console layout reads it through useSession()/useAccess().

interface Session {
  me: Me;
  access: AccessMap;
}

const SessionContext = createContext<Session | null>(null);

export const meQueryKey = ['me'] as const;

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

/** useAccess: the access map and can(key), for buttons and links. */
export function useAccess(): AccessMap & { can: (key: AccessKey) => boolean } {
  const { access } = useSession();
  return useMemo(() => ({ ...access, can: (key: AccessKey) => access[key] }), [access]);
}

/** Access renders its children only when the key holds (or `fallback`). */
export function Access({ to, children, fallback = null }: { to: AccessKey; children: ReactNode; fallback?: ReactNode }) {
  return <>{useAccess().can(to) ? children : fallback}</>;
}

/**
 * SessionProvider loads /me for a signed-in browser and sends anyone else
 * to the sign-in page, remembering where they were going. When the
 * session ends (refresh refused, or signed out in another tab) every
 * cached answer is dropped and the sign-in page shows.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signedIn = tokens.refreshToken() !== null;
  const me = useQuery({ queryKey: meQueryKey, queryFn: () => unwrap(api.GET('/api/v1/me')), enabled: signedIn, staleTime: 60_000 });

  useEffect(() => {
    const end = () => {
      queryClient.clear();
      navigate('/login', { replace: true });
    };
    const onStorage = (e: StorageEvent) => {
      if (isSignOutInAnotherTab(e)) {
        tokens.clear();
        end();
      }
    };
    window.addEventListener('storage', onStorage);
    const unsubscribe = onSessionEnded(end);
    return () => {
      window.removeEventListener('storage', onStorage);
      unsubscribe();
    };
  }, [navigate, queryClient]);

  const session = useMemo(() => (me.data ? { me: me.data, access: computeAccess(me.data) } : null), [me.data]);

  if (!signedIn) {
    const from = location.pathname + location.search;
    return <Navigate to={from === '/' ? '/login' : `/login?from=${encodeURIComponent(from)}`} replace />;
  }
  if (me.error) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!session) return <Spin fullscreen spinning />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
