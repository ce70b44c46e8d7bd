import { describe, expect, it, vi } from 'vitest';
import { RefreshRefused, createAuthFetch } from './auth-fetch';
import type { TokenPair, TokenStore } from './tokens';

function memoryTokens(access: string | null, refresh: string | null): TokenStore {
  return {
    accessToken: () => access,
    refreshToken: () => refresh,
    save: (pair: TokenPair) => {
      access = pair.access_token;
      refresh = pair.refresh_token;
    },
    clear: () => {
      access = null;
      refresh = null;
    },
  };
}

/** An API that accepts only `valid` as the bearer token, answering after a tick. */
function api(valid: () => string) {
  const seen: string[] = [];
  const fetch = vi.fn(async (request: Request) => {
    const auth = request.headers.get('Authorization') ?? '';
    seen.push(`${new URL(request.url).pathname} ${auth}`);
    await new Promise((r) => setTimeout(r, 5));
    if (auth !== `Bearer ${valid()}`) return new Response('{"code":"auth.unauthenticated"}', { status: 401 });
    return new Response(JSON.stringify({ body: await request.text() }), { status: 200 });
  });
  return { fetch, seen };
}

describe('createAuthFetch', () => {
  it('adds the bearer token', async () => {
    const server = api(() => 'A1');
    const authFetch = createAuthFetch({ tokens: memoryTokens('A1', 'R1'), refresh: vi.fn(), onSessionEnded: vi.fn(), fetch: server.fetch });
    const response = await authFetch(new Request('http://console.test/api/v1/me'));
    expect(response.status).toBe(200);
    expect(server.seen).toEqual(['/api/v1/me Bearer A1']);
  });

  it('sends a request with its own Authorization as it is, and never refreshes for it', async () => {
    const server = api(() => 'A1');
    const refresh = vi.fn();
    const authFetch = createAuthFetch({ tokens: memoryTokens('A1', 'R1'), refresh, onSessionEnded: vi.fn(), fetch: server.fetch });
    const ok = await authFetch(new Request('http://console.test/api/v1/me', { headers: { Authorization: 'Bearer A1' } }));
    const refused = await authFetch(new Request('http://console.test/api/v1/me', { headers: { Authorization: 'Bearer MANAGER' } }));
    expect([ok.status, refused.status]).toEqual([200, 401]);
    expect(server.seen).toEqual(['/api/v1/me Bearer A1', '/api/v1/me Bearer MANAGER']);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('shares one refresh among concurrent 401s and retries each once with the new token', async () => {
    let valid = 'A2';
    const server = api(() => valid);
    const refresh = vi.fn(async (rt: string) => {
      expect(rt).toBe('R1');
      await new Promise((r) => setTimeout(r, 10));
      return { access_token: 'A2', refresh_token: 'R2' };
    });
    const tokens = memoryTokens('A1-expired', 'R1');
    const onSessionEnded = vi.fn();
    const authFetch = createAuthFetch({ tokens, refresh, onSessionEnded, fetch: server.fetch });

    const responses = await Promise.all(
      ['a', 'b', 'c'].map((body) => authFetch(new Request('http://console.test/api/v1/stores', { method: 'POST', body }))),
    );

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    // The retried POSTs still carry their bodies.
    expect(await Promise.all(responses.map((r) => r.json()))).toEqual([{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    expect(tokens.accessToken()).toBe('A2');
    expect(tokens.refreshToken()).toBe('R2');
    expect(onSessionEnded).not.toHaveBeenCalled();
    valid = 'A3'; // a later 401 refreshes again
    refresh.mockResolvedValueOnce({ access_token: 'A3', refresh_token: 'R3' });
    tokens.save({ access_token: 'A2', refresh_token: 'R1' });
    expect((await authFetch(new Request('http://console.test/api/v1/me'))).status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('uses a token another call refreshed meanwhile instead of refreshing again', async () => {
    const server = api(() => 'A2');
    const tokens = memoryTokens('A1', 'R1');
    const refresh = vi.fn();
    const authFetch = createAuthFetch({
      tokens,
      refresh,
      onSessionEnded: vi.fn(),
      fetch: async (request) => {
        const response = await server.fetch(request);
        tokens.save({ access_token: 'A2', refresh_token: 'R2' }); // refreshed while in flight
        return response;
      },
    });
    expect((await authFetch(new Request('http://console.test/api/v1/me'))).status).toBe(200);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('ends the session once when the refresh is refused, and hands back the 401', async () => {
    const server = api(() => 'never');
    const tokens = memoryTokens('A1', 'R1');
    const onSessionEnded = vi.fn();
    const refresh = vi.fn(async () => {
      throw new RefreshRefused(401);
    });
    const authFetch = createAuthFetch({ tokens, refresh, onSessionEnded, fetch: server.fetch });
    const responses = await Promise.all([1, 2].map(() => authFetch(new Request('http://console.test/api/v1/me'))));
    expect(responses.map((r) => r.status)).toEqual([401, 401]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(tokens.refreshToken()).toBeNull();
  });

  it('keeps the session when the refresh could not reach the server', async () => {
    const server = api(() => 'never');
    const tokens = memoryTokens('A1', 'R1');
    const onSessionEnded = vi.fn();
    const authFetch = createAuthFetch({
      tokens,
      refresh: async () => {
        throw new TypeError('Failed to fetch');
      },
      onSessionEnded,
      fetch: server.fetch,
    });
    expect((await authFetch(new Request('http://console.test/api/v1/me'))).status).toBe(401);
    expect(onSessionEnded).not.toHaveBeenCalled();
    expect(tokens.refreshToken()).toBe('R1');
  });

  it('never refreshes for a refused sign-in', async () => {
    const server = api(() => 'never');
    const refresh = vi.fn();
    const authFetch = createAuthFetch({ tokens: memoryTokens(null, 'R1'), refresh, onSessionEnded: vi.fn(), fetch: server.fetch });
    const response = await authFetch(new Request('http://console.test/api/v1/auth/login', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(401);
    expect(refresh).not.toHaveBeenCalled();
  });
});
