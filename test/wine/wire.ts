/**
 * The session both sides of a Wine interop test run over loopback TCP, written once against core's
 * convenience contexts so the same code runs on Linux (sspkit's TypeScript or native packages) and
 * under Windows Node (the Windows provider, bundled by the harness). It is the protocol of
 * test/native/gss_peer.py, so a python3-gssapi peer can stand on either side:
 *
 * Frames: a 4-byte big-endian length and the bytes (test/native/framing.ts, plain dialect).
 *   1. Handshake: the initiator sends a token; the acceptor answers every token with one frame
 *      (possibly empty) until it is complete; the initiator stops once complete with nothing to send.
 *   2. initiator → sealed(`ping from <name>`); acceptor → sealed(`echo:` + the plaintext).
 *   3. initiator → message, then its signature; acceptor verifies → signature over `ack:` + message.
 *   (`signFirst`: 3 before 2.)
 *
 * A sealed frame is EncryptMessage's TOKEN, DATA and PADDING joined (for Kerberos, an RFC 4121 wrap
 * token a GSS-API peer unwraps). The opener splits it back at the package's security trailer size
 * (NTLM: the 16-byte MS-NLMP 2.2.2.9 signature first), or hands it whole to DecryptMessage as one
 * SECBUFFER_STREAM (Kerberos: a GSS-API wrap token has no fixed split).
 *
 * A per-message failure does not end the session: it is recorded with the status's name (so a test
 * asserts a peer's documented defect exactly), and an empty frame stands for a message that could not
 * be made. The handshake's failure ends it.
 */
import { SecBufferType, isSspiError, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { ClientContext, ServerContext } from '@sspkit/core';
import type { FramedSocket } from '../native/framing.js';

/** How a received sealed frame is handed to DecryptMessage. */
export type SealedLayout = 'split' | 'stream';

export interface SessionOptions {
  /** Put in the initiator's ping (`ping from <name>`). */
  readonly name: string;
  /** Default 'split' (NTLM); Kerberos and Negotiate over Kerberos need 'stream'. */
  readonly layout?: SealedLayout;
  /**
   * Steps 3 before 2 (both sides must agree; gss_peer.py never does): with Kerberos a message one
   * side cannot open leaves a gap in the other's sequence (RFC 4121 4.2.6), so signatures are
   * checked first where sealing is known to fail.
   */
  readonly signFirst?: boolean;
  /**
   * How this side joins EncryptMessage's buffers into a sealed frame: TOKEN ‖ DATA ‖ PADDING (the
   * default: the Windows in-place layout, an RFC 4121 wrap token) or DATA ‖ TOKEN (`data-first`:
   * Wine 8's Kerberos makes one gss_wrap token and hands its first DATA-length bytes back as DATA and
   * the rest as TOKEN, so only this order is a wrap token; see test/wine/README.md).
   */
  readonly join?: 'token-first' | 'data-first';
}

/** One per-message step as this side saw it. */
export interface MessageStep {
  readonly step: 'seal' | 'open' | 'sign' | 'verify';
  /** The status's name (`SEC_E_OK`, `SEC_E_MESSAGE_ALTERED`...). */
  readonly status: string;
  /** The plaintext opened or verified, when it was. */
  readonly text?: string;
  /** seal: the lengths EncryptMessage left in TOKEN, DATA and PADDING (what the peer receives joined). */
  readonly lengths?: readonly [number, number, number];
}

/** What one side of a session reports (JSON: a Windows script passes it to writeResult). */
export interface SessionReport {
  readonly side: 'initiator' | 'acceptor';
  /** Whether this side's handshake completed. */
  readonly complete: boolean;
  /** Each leg's status name, in order. */
  readonly legs: readonly string[];
  /** The handshake's failure (status name and message), or why the message steps stopped. */
  readonly error?: string;
  /** The acceptor's authenticated client (QuerySecurityContextToken's user and domain), if known. */
  readonly user?: string;
  readonly domain?: string;
  readonly messages: readonly MessageStep[];
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/**
 * A received frame as a plain Uint8Array of its own. sspkit's NTLM acceptor once "copied" its input
 * with `slice()`, a view on a Node Buffer, and zeroed the MIC inside the caller's frame; that is fixed
 * (packages/ntlm/test/buffer-inputs.spec.ts), and the copy keeps a frame independent of the socket's.
 */
async function recv(conn: FramedSocket): Promise<Uint8Array> {
  return Uint8Array.from((await conn.recv()).data);
}
const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

function failure(err: unknown): string {
  if (isSspiError(err)) return statusName(err.status);
  throw err;
}

function seal(
  ctx: ClientContext | ServerContext,
  message: Uint8Array,
  steps: MessageStep[],
  join: SessionOptions['join'] = 'token-first',
): Buffer {
  try {
    const sealed = ctx.encrypt(message);
    const lengths = [sealed.token.length, sealed.data.length, sealed.padding.length] as const;
    steps.push({ step: 'seal', status: 'SEC_E_OK', lengths });
    if (join === 'data-first') return Buffer.concat([sealed.data, sealed.token]);
    return Buffer.concat([sealed.token, sealed.data, sealed.padding]);
  } catch (err) {
    steps.push({ step: 'seal', status: failure(err) });
    return Buffer.alloc(0);
  }
}

function open(
  ctx: ClientContext | ServerContext,
  frame: Uint8Array,
  layout: SealedLayout,
  steps: MessageStep[],
): Buffer | undefined {
  try {
    let plain: Uint8Array;
    if (layout === 'split') {
      const cut = ctx.sizes.securityTrailer;
      plain = ctx.decrypt({ token: frame.subarray(0, cut), data: frame.subarray(cut), padding: new Uint8Array(0) });
    } else {
      const data = secBuffer(SecBufferType.DATA);
      const desc = secBufferDesc(secBuffer(SecBufferType.STREAM, Uint8Array.from(frame)), data);
      const status = ctx.sspi.decryptMessage(ctx.handle!, desc, 0);
      if (statusName(status) !== 'SEC_E_OK') {
        steps.push({ step: 'open', status: statusName(status) });
        return undefined;
      }
      plain = data.data;
    }
    steps.push({ step: 'open', status: 'SEC_E_OK', text: text(plain) });
    return Buffer.from(plain);
  } catch (err) {
    steps.push({ step: 'open', status: failure(err) });
    return undefined;
  }
}

function sign(ctx: ClientContext | ServerContext, message: Uint8Array, steps: MessageStep[]): Buffer {
  try {
    const signature = ctx.sign(message);
    steps.push({ step: 'sign', status: 'SEC_E_OK' });
    return Buffer.from(signature);
  } catch (err) {
    steps.push({ step: 'sign', status: failure(err) });
    return Buffer.alloc(0);
  }
}

function verify(ctx: ClientContext | ServerContext, message: Uint8Array, sig: Uint8Array, steps: MessageStep[]): void {
  try {
    ctx.verify(message, sig);
    steps.push({ step: 'verify', status: 'SEC_E_OK', text: text(message) });
  } catch (err) {
    steps.push({ step: 'verify', status: failure(err) });
  }
}

const legNames = (ctx: ClientContext | ServerContext): string[] => ctx.legs.map((l) => l.statusName);

/** The initiator's side of the session (see the file comment). */
export async function initiatorSession(
  ctx: ClientContext,
  conn: FramedSocket,
  options: SessionOptions,
): Promise<SessionReport> {
  const messages: MessageStep[] = [];
  try {
    let out = await ctx.step();
    for (let i = 0; i < 16; i++) {
      if (ctx.complete && out === undefined) break;
      conn.send(out ?? new Uint8Array(0));
      const reply = await recv(conn);
      if (ctx.complete) break;
      out = await ctx.step(reply.length > 0 ? reply : undefined);
    }
  } catch (err) {
    return { side: 'initiator', complete: false, legs: legNames(ctx), error: describe(err), messages };
  }
  const layout = options.layout ?? 'split';
  const sealed = async (): Promise<void> => {
    conn.send(seal(ctx, bytes(`ping from ${options.name}`), messages, options.join));
    open(ctx, await recv(conn), layout, messages);
  };
  const signed = async (): Promise<void> => {
    const message = bytes(`signed by ${options.name}`);
    conn.send(message);
    conn.send(sign(ctx, message, messages));
    verify(ctx, Buffer.concat([bytes('ack:'), message]), await recv(conn), messages);
  };
  const error = await messagePhase(options.signFirst === true ? [signed, sealed] : [sealed, signed]);
  return { side: 'initiator', complete: true, legs: legNames(ctx), ...(error ? { error } : {}), messages };
}

/** Runs the message steps in order; a dropped connection ends them, reported (the handshake stands). */
async function messagePhase(steps: Array<() => Promise<void>>): Promise<string | undefined> {
  try {
    for (const step of steps) await step();
    return undefined;
  } catch (err) {
    return describe(err);
  }
}

/** The acceptor's side of the session (see the file comment). */
export async function acceptorSession(
  ctx: ServerContext,
  conn: FramedSocket,
  options: Omit<SessionOptions, 'name'> = {},
): Promise<SessionReport> {
  const messages: MessageStep[] = [];
  try {
    for (let i = 0; i < 16 && !ctx.complete; i++) {
      const token = await recv(conn);
      const out = await ctx.step(token);
      conn.send(out ?? new Uint8Array(0));
    }
    if (!ctx.complete) throw new Error('handshake did not finish in 16 legs');
  } catch (err) {
    conn.close();
    return { side: 'acceptor', complete: false, legs: legNames(ctx), error: describe(err), messages };
  }
  const layout = options.layout ?? 'split';
  const sealed = async (): Promise<void> => {
    const ping = open(ctx, await recv(conn), layout, messages);
    conn.send(seal(ctx, Buffer.concat([bytes('echo:'), ping ?? Buffer.alloc(0)]), messages, options.join));
  };
  const signed = async (): Promise<void> => {
    const message = await recv(conn);
    verify(ctx, message, await recv(conn), messages);
    conn.send(sign(ctx, Buffer.concat([bytes('ack:'), message]), messages));
  };
  const error = await messagePhase(options.signFirst === true ? [signed, sealed] : [sealed, signed]);
  const user = clientUser(ctx);
  return { side: 'acceptor', complete: true, legs: legNames(ctx), ...user, ...(error ? { error } : {}), messages };
}

function clientUser(ctx: ServerContext): { user?: string; domain?: string } {
  try {
    const token = ctx.token();
    return { user: token.user, ...(token.domain === undefined ? {} : { domain: token.domain }) };
  } catch {
    return {};
  }
}

function describe(err: unknown): string {
  if (isSspiError(err)) {
    const cause = err.cause instanceof Error ? err.cause.message : typeof err.cause === 'string' ? err.cause : '';
    return `${statusName(err.status)}: ${err.message}${cause === '' ? '' : ` (${cause})`}`;
  }
  return err instanceof Error ? err.message : String(err);
}
