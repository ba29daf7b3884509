/**
 * AES through OpenSSL's EVP_CIPHER_CTX, called through koffi, for the RFC 4121 tokens sspkit makes
 * itself (src/lucid). A long-lived context per key and direction, updated in place: a call costs
 * ~0.14–0.16 µs at 96 bytes against ~0.7–1.2 µs for node:crypto's Cipher.update(), whose cost is
 * its output allocation and binding, not AES.
 *
 * Which OpenSSL: the process's own first. Node exports the OpenSSL it is built with (for addons;
 * Debian's nodejs links the system libcrypto.so.3 instead, which is then the same thing), and that
 * is the copy node:crypto uses. dlopen()ing the system libcrypto.so.3 into a Node that carries its
 * own binds most of the library's internal references to Node's copy (LD_DEBUG=bindings: 3,239 of
 * 3,377 with Node 20.20 on Debian 12), i.e. it would mix two OpenSSL builds in one context — what
 * made gss-ntlmssp unreliable inside Node (README). So libcrypto.so.3 is loaded only when the process
 * exports no OpenSSL. `SSPKIT_LIBCRYPTO` (read once) names another library, or `none` to keep
 * node:crypto. Loaded lazily; when nothing is usable the tokens use node:crypto (lucid/aes-engine.ts).
 */
import { firstUsable, loadKoffi } from './koffi.js';

type Ptr = bigint;

interface EvpFunctions {
  // EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)
  readonly EVP_CIPHER_CTX_new: () => Ptr | null;
  // void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *ctx) — cleanses the key schedule (OPENSSL_clear_free)
  readonly EVP_CIPHER_CTX_free: (ctx: Ptr) => void;
  // int EVP_CipherInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *type, ENGINE *impl,
  //   const unsigned char *key, const unsigned char *iv, int enc)
  readonly EVP_CipherInit_ex: (
    ctx: Ptr,
    type: Ptr,
    impl: null,
    key: Uint8Array,
    iv: Uint8Array | null,
    enc: number,
  ) => number;
  // int EVP_CIPHER_CTX_set_padding(EVP_CIPHER_CTX *ctx, int padding)
  readonly EVP_CIPHER_CTX_set_padding: (ctx: Ptr, padding: number) => number;
  // int EVP_CipherUpdate(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl, const unsigned char *in, int inl)
  readonly EVP_CipherUpdate: (ctx: Ptr, out: Uint8Array, outl: Int32Array, input: Uint8Array, inl: number) => number;
  // const EVP_CIPHER *EVP_aes_{128,256}_{cbc,ecb}(void)
  readonly ciphers: { readonly [name: string]: Ptr };
}

/** The process itself (dlopen(NULL)): the OpenSSL Node is linked with. */
const PROCESS = 'the process (the OpenSSL Node is linked with)';

let loaded: { fns: EvpFunctions; source: string } | { reason: string } | undefined;

function load(): { fns: EvpFunctions; source: string } | { reason: string } {
  if (loaded !== undefined) return loaded;
  const setting = process.env['SSPKIT_LIBCRYPTO'];
  if (setting === 'none') return (loaded = { reason: 'SSPKIT_LIBCRYPTO=none' });
  const k = loadKoffi();
  if ('error' in k) return (loaded = { reason: k.error });
  const { koffi } = k;
  const names = setting !== undefined && setting !== '' ? [setting] : [PROCESS, 'libcrypto.so.3'];
  const found = firstUsable(names, (name) => {
    const lib = koffi.load(name === PROCESS ? null : name);
    const version = lib.func('unsigned long OpenSSL_version_num(void)') as () => number | bigint;
    // EVP_CIPHER_CTX_new/free as used here: OpenSSL 1.1 and later.
    if (Number(version()) < 0x10100000) throw new Error('OpenSSL older than 1.1');
    const cipher = (fn: string): Ptr => {
      const p = (lib.func(`void *${fn}(void)`) as () => Ptr | null)();
      if (p === null) throw new Error(`${fn}() returned NULL`);
      return p;
    };
    const fns: EvpFunctions = {
      EVP_CIPHER_CTX_new: lib.func('void *EVP_CIPHER_CTX_new(void)') as EvpFunctions['EVP_CIPHER_CTX_new'],
      EVP_CIPHER_CTX_free: lib.func('void EVP_CIPHER_CTX_free(void *ctx)') as EvpFunctions['EVP_CIPHER_CTX_free'],
      EVP_CipherInit_ex: lib.func(
        'int EVP_CipherInit_ex(void *ctx, void *type, void *impl, const uint8_t *key, const uint8_t *iv, int enc)',
      ) as EvpFunctions['EVP_CipherInit_ex'],
      EVP_CIPHER_CTX_set_padding: lib.func(
        'int EVP_CIPHER_CTX_set_padding(void *ctx, int padding)',
      ) as EvpFunctions['EVP_CIPHER_CTX_set_padding'],
      EVP_CipherUpdate: lib.func(
        'int EVP_CipherUpdate(void *ctx, uint8_t *out, int *outl, const uint8_t *in, int inl)',
      ) as EvpFunctions['EVP_CipherUpdate'],
      ciphers: {
        'cbc-16': cipher('EVP_aes_128_cbc'),
        'cbc-32': cipher('EVP_aes_256_cbc'),
        'ecb-16': cipher('EVP_aes_128_ecb'),
        'ecb-32': cipher('EVP_aes_256_ecb'),
      },
    };
    return { fns, source: name };
  });
  return (loaded = 'value' in found ? found.value : { reason: `OpenSSL's EVP is not usable: ${found.reason}` });
}

/** Whether AES goes through EVP (and whose), or why not (node:crypto is used then). Never throws. */
export function evpAvailability():
  { readonly available: true; readonly source: string } | { readonly available: false; readonly reason: string } {
  const s = load();
  return 'fns' in s ? { available: true, source: s.source } : { available: false, reason: s.reason };
}

let live = 0;

/** EVP_CIPHER_CTXs made and not yet freed, process-wide (three per AES key). */
export function liveEvpContexts(): number {
  return live;
}

/** What a forgotten engine's finaliser frees: its contexts, once. */
interface Held {
  ctxs: Ptr[] | null;
}

function freeHeld(fns: EvpFunctions, held: Held): void {
  if (held.ctxs === null) return;
  for (const c of held.ctxs) fns.EVP_CIPHER_CTX_free(c);
  live -= held.ctxs.length;
  held.ctxs = null;
}

let registry: FinalizationRegistry<Held> | undefined;
const ZERO_IV = new Uint8Array(16);

/** One AES key's encrypt-CBC, decrypt-CBC and decrypt-ECB contexts (the shape of lucid's AesEngine). */
class EvpAes {
  readonly inPlace = true;
  readonly #fns: EvpFunctions;
  readonly #held: Held;
  readonly #enc: Ptr;
  readonly #dec: Ptr;
  readonly #ecb: Ptr;
  readonly #outl = new Int32Array(2);
  readonly #block = Buffer.alloc(64).subarray(0, 16);

  constructor(fns: EvpFunctions, key: Uint8Array) {
    this.#fns = fns;
    const made: Ptr[] = [];
    this.#held = { ctxs: made };
    try {
      const make = (mode: 'cbc' | 'ecb', enc: number): Ptr => {
        const ctx = fns.EVP_CIPHER_CTX_new();
        if (ctx === null) throw new Error('EVP_CIPHER_CTX_new failed');
        made.push(ctx);
        live++;
        const type = fns.ciphers[`${mode}-${key.length}`];
        if (
          type === undefined ||
          fns.EVP_CipherInit_ex(ctx, type, null, key, mode === 'cbc' ? ZERO_IV : null, enc) !== 1
        )
          throw new Error('EVP_CipherInit_ex failed');
        // No padding: messages are whole blocks here, and a padding decryptor holds back the last one.
        fns.EVP_CIPHER_CTX_set_padding(ctx, 0);
        return ctx;
      };
      this.#enc = make('cbc', 1);
      this.#dec = make('cbc', 0);
      this.#ecb = make('ecb', 0);
    } catch (err) {
      freeHeld(fns, this.#held);
      throw err;
    }
    registry ??= new FinalizationRegistry((held) => freeHeld(fns, held));
    registry.register(this, this.#held, this);
  }

  #update(ctx: Ptr, out: Buffer, input: Buffer, n: number): void {
    if (this.#held.ctxs === null) throw new Error('the AES key was wiped');
    if (this.#fns.EVP_CipherUpdate(ctx, out, this.#outl, input, n) !== 1 || this.#outl[0] !== n)
      throw new Error('EVP_CipherUpdate failed');
  }

  encryptCbc(buf: Buffer, n: number): Buffer {
    this.#update(this.#enc, buf, buf, n);
    return buf;
  }

  decryptCbc(buf: Buffer, n: number): Buffer {
    this.#update(this.#dec, buf, buf, n);
    return buf;
  }

  decryptBlock(block: Buffer): Buffer {
    this.#update(this.#ecb, this.#block, block, 16);
    return this.#block;
  }

  free(): void {
    this.#block.fill(0);
    registry?.unregister(this);
    freeHeld(this.#fns, this.#held);
  }
}

/** A factory of EVP engines for lucid's AesCts, or null when EVP is not usable (see evpAvailability). */
export function evpAesEngine(): ((key: Uint8Array) => EvpAes) | null {
  const s = load();
  if (!('fns' in s)) return null;
  const { fns } = s;
  return (key) => new EvpAes(fns, key);
}
