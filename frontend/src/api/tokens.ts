// Where the session's tokens live, and why there.
//
// The access token (15 minutes) is kept in memory and mirrored to
// sessionStorage, so a reload of the tab keeps the user signed in while
// another tab or a closed browser does not inherit it. The refresh token
// (single use, rotated on every refresh) is in localStorage, so the
// session survives a browser restart and every tab shares the newest one.
//
// The trade-off: script running in the page (XSS) can read both. An
// httpOnly cookie would hide the refresh token, but the API takes it in
// the body and the console must then also defend against CSRF. What we
// rely on instead: the console's strict CSP (no inline or foreign
// scripts), short access tokens, and the API's rotation with reuse
// detection — a stolen refresh token used twice revokes the session.

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

const ACCESS_KEY = 'chainstore.access_token';
const REFRESH_KEY = 'chainstore.refresh_token';

export interface TokenStore {
  accessToken(): string | null;
  refreshToken(): string | null;
  save(pair: TokenPair): void;
  clear(): void;
}

/** browserTokens keeps the tokens as the comment above says. */
export function browserTokens(session: Storage = sessionStorage, local: Storage = localStorage): TokenStore {
  let access = session.getItem(ACCESS_KEY);
  return {
    accessToken: () => access,
    // Read every time: another tab may have rotated it.
    refreshToken: () => local.getItem(REFRESH_KEY),
    save(pair) {
      access = pair.access_token;
      session.setItem(ACCESS_KEY, pair.access_token);
      local.setItem(REFRESH_KEY, pair.refresh_token);
    },
    clear() {
      access = null;
      session.removeItem(ACCESS_KEY);
      local.removeItem(REFRESH_KEY);
    },
  };
}

/** isSignOutInAnotherTab: the storage event says another tab signed out (it removed the refresh token). */
export function isSignOutInAnotherTab(e: StorageEvent): boolean {
  return e.key === REFRESH_KEY && e.newValue === null;
}
