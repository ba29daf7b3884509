/**
 * A context's RFC 4121 keys: the context key and the acceptor's subkey (RFC 4121 §2), and the
 * per-usage keys derived from them on first use, held until the context is deleted and then wiped.
 */
import type { LucidKey } from '../ffi/index.js';
import { nodeAesEngine } from './aes-engine.js';
import type { AesEngineFactory } from './aes-engine.js';
import { profileOf } from './enctypes.js';
import type { UsageKeys } from './enctypes.js';

/** RFC 4121 §2: key usage numbers. */
export const KeyUsage = {
  ACCEPTOR_SEAL: 22,
  ACCEPTOR_SIGN: 23,
  INITIATOR_SEAL: 24,
  INITIATOR_SIGN: 25,
} as const;

export class ContextKeys {
  readonly #ctxKey: LucidKey;
  readonly #acceptorSubkey: LucidKey | null;
  /** Derived keys by base (0: context key, 1: acceptor subkey) and usage. */
  readonly #derived = new Map<number, UsageKeys>();
  readonly #engine: AesEngineFactory;
  #wiped = false;

  private constructor(ctxKey: LucidKey, acceptorSubkey: LucidKey | null, engine: AesEngineFactory) {
    this.#ctxKey = ctxKey;
    this.#acceptorSubkey = acceptorSubkey;
    this.#engine = engine;
  }

  /**
   * The keys, when every one has an enctype sspkit implements; otherwise null (and nothing kept).
   * `engine` makes the AES contexts of the derived keys (node:crypto unless told).
   */
  static of(
    ctxKey: LucidKey | null,
    acceptorSubkey: LucidKey | null,
    engine: AesEngineFactory = nodeAesEngine,
  ): ContextKeys | null {
    const usable = (k: LucidKey | null): boolean => k !== null && profileOf(k.enctype)?.keyLength === k.key.length;
    if (!usable(ctxKey) || (acceptorSubkey !== null && !usable(acceptorSubkey))) return null;
    return new ContextKeys(ctxKey!, acceptorSubkey, engine);
  }

  get haveAcceptorSubkey(): boolean {
    return this.#acceptorSubkey !== null;
  }

  /** The keys for `usage` under the acceptor subkey (when asked and present) or the context key. */
  keys(usage: number, acceptorSubkey: boolean): UsageKeys {
    if (this.#wiped) throw new Error('the context was deleted: its keys are wiped');
    const sub = acceptorSubkey && this.#acceptorSubkey !== null;
    const id = (sub ? 100 : 0) + usage;
    let k = this.#derived.get(id);
    if (k === undefined) {
      const base = sub ? this.#acceptorSubkey : this.#ctxKey;
      k = profileOf(base.enctype)!.derive(base.key, usage, this.#engine);
      this.#derived.set(id, k);
    }
    return k;
  }

  /** The enctype of the key a sender would use. */
  get sendEnctype(): number {
    return (this.#acceptorSubkey ?? this.#ctxKey).enctype;
  }

  wipe(): void {
    this.#wiped = true;
    for (const k of this.#derived.values()) k.wipe();
    this.#derived.clear();
    this.#ctxKey.key.fill(0);
    this.#acceptorSubkey?.key.fill(0);
  }
}
