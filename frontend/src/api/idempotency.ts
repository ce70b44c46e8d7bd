import { useCallback, useRef } from 'react';

// POSTs that create something take an Idempotency-Key (Stripe's
// semantics): a retry with the same key and body replays the first answer
// instead of creating twice. A form keeps one key while it is open —
// double clicks and retries after a network error reuse it — and takes a
// new one after a success.

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function useIdempotencyKey(): { key: () => string; rotate: () => void } {
  const current = useRef(newIdempotencyKey());
  const key = useCallback(() => current.current, []);
  const rotate = useCallback(() => {
    current.current = newIdempotencyKey();
  }, []);
  return { key, rotate };
}
