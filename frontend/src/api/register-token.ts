import type { operations } from './schema.gen';
import { ApiError } from './problem';

// A browser that is a till keeps its register's device credential
// (`device_token`, shown once when a manager registers the till) in
// localStorage, one per store, and sends it as X-Register-Token on every
// till call. This is the one place that reads and writes it: till calls
// take their header from registerHeader(storeId).
//
// Like the refresh token (tokens.ts), script in the page could read it;
// the credential alone does nothing without a signed-in user who may sell
// in the store, and a manager revokes it from the registers list.

type RegisterToken = operations['createPosSale']['parameters']['header']['X-Register-Token'];

const key = (storeId: string) => `chainstore.register_token.${storeId}`;

export const REGISTER_TOKEN_PATTERN = /^rgt_[A-Za-z0-9_-]{43}$/;

export function registerToken(storeId: string): string | null {
  return localStorage.getItem(key(storeId));
}

export function saveRegisterToken(storeId: string, token: string): void {
  localStorage.setItem(key(storeId), token.trim());
}

export function forgetRegisterToken(storeId: string): void {
  localStorage.removeItem(key(storeId));
}

/** registerHeader: the header of a till call; without a credential, the API's own 401 problem. */
export function registerHeader(storeId: string): { 'X-Register-Token': RegisterToken } {
  const token = registerToken(storeId);
  if (!token) {
    throw new ApiError({ status: 401, code: 'pos.register_unauthenticated', title: 'This browser is not registered as a till' });
  }
  return { 'X-Register-Token': token };
}
