// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, the version (7), 12
// bits of rand_a, the variant (10) and 62 random bits. The till makes the
// ids of its sales, payments, returns and offline batches itself, so a
// retry, or an upload of what it sold offline, names the same thing.
//
// Monotonic within this page (RFC 9562 §6.2, method 1): ids made in the
// same millisecond count up in rand_a, and a clock that steps back keeps
// the last timestamp, so ids sort in the order they were made.

type Random = (bytes: Uint8Array) => Uint8Array;

const defaultRandom: Random = (bytes) => crypto.getRandomValues(bytes);

export interface UuidV7Generator {
  (): string;
}

/** createUuidV7 makes a generator with its own clock and randomness (tests pass fixed ones). */
export function createUuidV7(now: () => number = Date.now, random: Random = defaultRandom): UuidV7Generator {
  let lastMs = -1;
  let counter = 0; // 12 bits, rand_a

  return () => {
    let ms = Math.floor(now());
    if (ms > lastMs) {
      lastMs = ms;
      // Start the counter in the lower half so a burst has room to count up.
      counter = (random(new Uint8Array(2))[0] ?? 0) & 0x7ff;
    } else {
      ms = lastMs;
      counter += 1;
      if (counter > 0xfff) {
        // rand_a is spent for this millisecond: borrow the next one.
        lastMs += 1;
        ms = lastMs;
        counter = 0;
      }
    }
    const bytes = random(new Uint8Array(16));
    // 48-bit big-endian timestamp, without bit operators (they are 32-bit).
    let t = ms;
    for (let i = 5; i >= 0; i -= 1) {
      bytes[i] = t % 256;
      t = Math.floor(t / 256);
    }
    bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

/** uuidv7: a new UUIDv7 from this page's one generator. */
export const uuidv7: UuidV7Generator = createUuidV7();

/** uuidV7Time: the Unix milliseconds a UUIDv7 carries. */
export function uuidV7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}
