/**
 * The nonce-count store under pressure (issue 18 §5): with the default 100 000 entries and 6 min
 * retention (5 min nonce lifetime + 60 s skew), about 280 new clients/s fill it. Simulated on a fake
 * clock, side by side: `refuse-new` (the old behaviour: every new client gets stale=true until entries
 * expire) against `expire-oldest` (the default: the oldest nonce is retired early and refused for good).
 * Each simulated client answers a fresh nonce, then sends a second request 30 s later on it. Also: the
 * cost of one record() and the heap per remembered nonce. Nothing is asserted.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryNonceCountStore } from '../src/index.js';
import { nonceCountKey } from '../src/stores/count-key.js';

const LIFETIME = 300_000;
const RETAIN = LIFETIME + 60_000;
const SECONDS = 600;

function simulate(whenFull: 'refuse-new' | 'expire-oldest', perSecond: number) {
  let now = 0;
  const store = new MemoryNonceCountStore({ now: () => now, whenFull });
  const clients = perSecond * SECONDS;
  const later = perSecond * 30;
  const keys: string[] = [];
  let newServed = 0;
  let newRefused = 0;
  let laterServed = 0;
  let laterStale = 0;
  let replays = 0;
  const t0 = performance.now();
  for (let i = 0; i < clients; i++) {
    now = (i * 1000) / perSecond;
    // Plain keys: the simulation is about the store's policy (the digest key costs ≈ 1 µs more).
    const key = `k${i}`;
    keys.push(key);
    if (store.record(key, 1, now + RETAIN) === 'fresh') newServed++;
    else newRefused++;
    const j = i - later;
    const old = keys[j];
    if (old !== undefined) {
      const issued = (j * 1000) / perSecond;
      const v = store.record(old, 2, issued + RETAIN);
      if (v === 'fresh') laterServed++;
      else if (v === 'full') laterStale++;
      // A replay of the client's first count must never be fresh.
      if (store.record(old, 1, issued + RETAIN) === 'fresh') replays++;
    }
  }
  const ms = performance.now() - t0;
  return {
    newServed,
    newRefused,
    laterServed,
    laterStale,
    replays,
    nsPerRecord: (ms * 1e6) / (clients * 3),
    size: store.size,
  };
}

function heapPerEntry(): number {
  // tsx may not pass --expose-gc through; ask V8 for gc directly.
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = new MemoryNonceCountStore({ now: () => 0 });
  for (let i = 0; i < 100_000; i++) store.record(nonceCountKey(`n-${i}`, 'u', 'r'), 1, 1e12);
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / store.size;
  return bytes;
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${SECONDS} simulated s, store default 100 000 entries, retention ${RETAIN / 1000} s`,
);
for (const perSecond of [200, 400, 1000, 4000]) {
  for (const policy of ['refuse-new', 'expire-oldest'] as const) {
    const r = simulate(policy, perSecond);
    const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, a + b)).toFixed(1)}%`;
    console.log(
      `${String(perSecond).padStart(5)} new clients/s ${policy.padEnd(13)} new served ${pct(r.newServed, r.newRefused).padStart(6)}, ` +
        `30 s later served ${pct(r.laterServed, r.laterStale).padStart(6)} (stale ${r.laterStale}), replays accepted ${r.replays}, ` +
        `${Math.round(r.nsPerRecord)} ns/record`,
    );
  }
}
console.log(
  `heap per remembered nonce (16-octet key as 22 base64url chars, entry, heap item): ≈ ${Math.round(heapPerEntry())} bytes`,
);
