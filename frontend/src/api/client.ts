import createClient from 'openapi-fetch';
import { RefreshRefused, createAuthFetch } from './auth-fetch';
import { networkError, toApiError } from './problem';
import type { paths } from './schema.gen';
import { browserTokens, type TokenPair } from './tokens';

// The console's one HTTP layer: the client generated from api/openapi.yaml
// (src/api/schema.gen.ts, `make openapi-client`) over the fetch that adds
// the bearer token and refreshes the session. Pages call
// `unwrap(api.GET('/api/v1/stores', …))` inside TanStack Query hooks.

export const tokens = browserTokens();

const sessionEndedListeners = new Set<() => void>();

/** onSessionEnded: run fn when the session ends (refresh refused); returns the unsubscribe. */
export function onSessionEnded(fn: () => void): () => void {
  sessionEndedListeners.add(fn);
  return () => sessionEndedListeners.delete(fn);
}

async function refresh(refreshToken: string): Promise<TokenPair> {
  const response = await fetch('/api/v1/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  if (!response.ok) throw new RefreshRefused(response.status);
  return (await response.json()) as TokenPair;
}

export const api = createClient<paths>({
  fetch: createAuthFetch({
    tokens,
    refresh,
    onSessionEnded: () => sessionEndedListeners.forEach((fn) => fn()),
    locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
  }),
});

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * unwrap awaits an openapi-fetch call and returns its data, or throws an
 * ApiError (problem+json, or a stand-in when the server was unreachable).
 */
export async function unwrap<D>(call: Promise<Answer<D>>): Promise<D> {
  let answer: Answer<D>;
  try {
    answer = await call;
  } catch (e) {
    throw networkError(e);
  }
  if (!answer.response.ok) throw toApiError(answer.response, answer.error);
  return answer.data as D;
}
