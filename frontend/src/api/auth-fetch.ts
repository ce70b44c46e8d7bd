import type { TokenPair, TokenStore } from './tokens';

// The fetch every API call goes through: it adds the bearer token and, when
// the API answers 401, refreshes the session once and retries the request
// once. Concurrent 401s share one refresh; across tabs, a Web Lock keeps
// two tabs from spending the same refresh token (the API would take the
// second use for theft and revoke the session). A refresh the API refuses
// ends the session; a refresh that could not reach the server does not
// (the original 401 goes back to the caller). A request that brings its
// own Authorization (a manager's session doing one act at the till) is
// sent as it is: never the user's token, never a refresh of the user's
// session for it.

export interface AuthFetchOptions {
  tokens: TokenStore;
  /** Spends the refresh token; throws RefreshRefused when the API says no. */
  refresh: (refreshToken: string) => Promise<TokenPair>;
  /** Called once when the session is over (refresh refused). */
  onSessionEnded: () => void;
  fetch?: (request: Request) => Promise<Response>;
  locks?: Pick<LockManager, 'request'>;
}

/** RefreshRefused: the API answered the refresh with an error (token spent, revoked or unknown). */
export class RefreshRefused extends Error {
  constructor(readonly status: number) {
    super(`refresh refused (${status})`);
    this.name = 'RefreshRefused';
  }
}

// Sign-in and refresh answer 401 for bad credentials: never refresh for them.
const publicPaths = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/signup'];

export function createAuthFetch(opts: AuthFetchOptions): (request: Request) => Promise<Response> {
  const send = opts.fetch ?? ((r: Request) => globalThis.fetch(r));
  let refreshing: Promise<string | null> | null = null;

  const rotate = async (): Promise<string | null> => {
    const refreshToken = opts.tokens.refreshToken();
    // None: the session already ended (here, or in another tab, which the
    // console hears of through the storage event).
    if (!refreshToken) return null;
    try {
      const pair = await opts.refresh(refreshToken);
      opts.tokens.save(pair);
      return pair.access_token;
    } catch (e) {
      if (e instanceof RefreshRefused) {
        opts.tokens.clear();
        opts.onSessionEnded();
      }
      return null;
    }
  };

  const locked = async (): Promise<string | null> =>
    opts.locks ? await opts.locks.request('chainstore.refresh', rotate) : await rotate();

  const refreshOnce = (): Promise<string | null> => {
    if (!refreshing) {
      refreshing = locked().finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  };

  return async (request: Request): Promise<Response> => {
    if (request.headers.has('Authorization')) return send(request);
    const retry = request.clone();
    const sentToken = opts.tokens.accessToken();
    const response = await send(withBearer(request, sentToken));
    if (response.status !== 401 || publicPaths.includes(new URL(request.url).pathname)) return response;
    // Another call may have refreshed while this one was in flight.
    const current = opts.tokens.accessToken();
    const fresh = current && current !== sentToken ? current : await refreshOnce();
    if (!fresh) return response;
    return send(withBearer(retry, fresh));
  };
}

function withBearer(request: Request, token: string | null): Request {
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}
