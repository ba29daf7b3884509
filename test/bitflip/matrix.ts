/**
 * Test helper: the bit-flip and truncation matrix over a real handshake. Every leg's token that a
 * side receives is replaced, one at a time, by each single-bit flip and each truncation of the
 * genuine token, in a fresh pair of contexts that made the earlier legs for real. The statuses are
 * classified, never matched to one value: a tampered token may be refused with any error except
 * SEC_E_INTERNAL_ERROR (reserved for a fault of the package), and it must never be answered with
 * SEC_I_CONTINUE_NEEDED and nothing to send.
 *
 * A success after a flip is tolerated only when the flip cannot have changed what is authenticated:
 * the handshake must then complete on both sides with the same authenticated user (checked through
 * QuerySecurityContextToken). Each package's test says where such successes can come from.
 */
import { AscReq, IscReq, SecBufferType, SecPkgCred, SecStatus, secBuffer, secBufferDesc } from '@sspkit/core';
import type { AuthData, CredHandle, CtxtHandle, HandshakeResult, SspiDispatcher } from '@sspkit/core';

export interface MatrixOptions {
  readonly sspi: SspiDispatcher;
  readonly package: string;
  readonly client: { readonly authData: AuthData; readonly targetName: string; readonly requirements?: number };
  readonly server: { readonly authData?: AuthData; readonly requirements?: number };
  /** At most this many mutations per leg (evenly strided); all of them when absent. */
  readonly maxPerLeg?: number;
  /**
   * What a completed handshake settled on (a qop, a cipher, an algorithm), read before its contexts
   * are deleted: the report gives it for the genuine run and for each tolerated one.
   */
  readonly outcome?: (sspi: SspiDispatcher, run: { readonly tokens: readonly Uint8Array[] }) => string;
}

/** What one run saw on the mutated leg and after it. */
export interface Violation {
  readonly leg: number;
  readonly mutation: string;
  readonly problem: string;
}

export interface MatrixReport {
  /** Token lengths of the genuine handshake, in the order they were sent. */
  readonly legs: readonly number[];
  /** The genuine handshake's tokens the mutations were made from (offsets refer to them). */
  readonly genuine: readonly Uint8Array[];
  readonly runs: number;
  /** Mutations never applied: every retry's token was too short for them. */
  readonly skipped: number;
  /** Per leg, the mutations that still completed with the genuine user (tolerated). */
  readonly tolerated: readonly (readonly Tolerated[])[];
  /** With `outcome`: the genuine run's, and per leg each tolerated run's (in `tolerated`'s order). */
  readonly genuineOutcome?: string;
  readonly outcomes: readonly (readonly (string | undefined)[])[];
  readonly violations: readonly Violation[];
  /** Status → count over all mutated legs. */
  readonly statuses: ReadonlyMap<number, number>;
}

/** Undefined when the mutation would leave this run's token as it is (then the run is made again). */
type Mutate = (token: Uint8Array) => Uint8Array | undefined;

/** A tolerated mutation: a flipped bit (byte offset, bit, the genuine byte) or a truncation. */
export type Tolerated =
  | { readonly kind: 'flip'; readonly offset: number; readonly bit: number; readonly byte: number }
  | { readonly kind: 'truncate'; readonly length: number };

interface LegResult {
  readonly status: number;
  readonly output: number;
  /** Index of the token this leg received (-1: none). */
  readonly received: number;
}

interface Run {
  readonly tokens: Uint8Array[];
  readonly results: LegResult[];
  readonly user: string | undefined;
  readonly complete: boolean;
  readonly outcome?: string;
  /** The mutation did not apply to this run's token (it was too short for it). */
  readonly skipped?: boolean;
}

const MAX_LEGS = 8;
/** Fresh handshakes tried for a token of the genuine length before a mutation counts as skipped. */
const RETRIES = 20;
/** Genuine handshakes recorded to find the usual token lengths. */
const TYPICAL_SAMPLES = 9;
const S = SecStatus;

async function credential(
  sspi: SspiDispatcher,
  pkg: string,
  use: number,
  authData: AuthData | undefined,
): Promise<CredHandle> {
  const r = await sspi.acquireCredentialsHandle({
    package: pkg,
    credentialUse: use,
    ...(authData !== undefined ? { authData } : {}),
  });
  if (r.status !== S.SEC_E_OK || r.credential === undefined) throw new Error(`credential: ${r.status}`);
  return r.credential;
}

/**
 * One handshake; token `at` (in the order the sides sent them) goes through `mutate` before its
 * receiver gets it. A leg that continues without a token hands the turn over with no input (the
 * client's first leg of a server-first mechanism, Digest); COMPLETE_NEEDED is completed at once.
 */
async function run(
  o: MatrixOptions,
  creds: { client: CredHandle; server: CredHandle },
  at: number,
  mutate: Mutate | undefined,
): Promise<Run> {
  const tokens: Uint8Array[] = [];
  const results: LegResult[] = [];
  const ctx: { client?: CtxtHandle; server?: CtxtHandle } = {};
  const done = { client: false, server: false };
  let turn: 'client' | 'server' = 'client';
  let input: Uint8Array | undefined;
  try {
    for (let step = 0; step < MAX_LEGS && !done[turn]; step++) {
      const received = input === undefined ? -1 : tokens.length - 1;
      if (input !== undefined && mutate !== undefined && received === at) {
        input = mutate(input);
        if (input === undefined) return { tokens, results, user: undefined, complete: false, skipped: true };
      }
      const out = secBufferDesc(secBuffer(SecBufferType.TOKEN));
      const inDesc = input === undefined ? {} : { input: secBufferDesc(secBuffer(SecBufferType.TOKEN, input)) };
      const current = ctx[turn];
      const r: HandshakeResult =
        turn === 'client'
          ? await o.sspi.initializeSecurityContext({
              credential: creds.client,
              ...(current ? { context: current } : {}),
              targetName: o.client.targetName,
              contextReq: ((o.client.requirements ?? 0) | IscReq.ALLOCATE_MEMORY) >>> 0,
              ...inDesc,
              output: out,
            })
          : await o.sspi.acceptSecurityContext({
              credential: creds.server,
              ...(current ? { context: current } : {}),
              contextReq: ((o.server.requirements ?? 0) | AscReq.ALLOCATE_MEMORY) >>> 0,
              ...inDesc,
              output: out,
            });
      if (r.context !== undefined) ctx[turn] = r.context;
      let status = r.status >>> 0;
      if ((status === S.SEC_I_COMPLETE_NEEDED || status === S.SEC_I_COMPLETE_AND_CONTINUE) && r.context) {
        const completed = await o.sspi.completeAuthToken(r.context, out);
        if (completed !== S.SEC_E_OK) status = completed >>> 0;
        else status = status === S.SEC_I_COMPLETE_NEEDED ? S.SEC_E_OK : S.SEC_I_CONTINUE_NEEDED;
      }
      const produced = out.buffers[0]?.data ?? new Uint8Array(0);
      results.push({ status, output: produced.length, received });
      if ((status | 0) < 0) break;
      if (status === S.SEC_E_OK) done[turn] = true;
      input = produced.length > 0 ? Uint8Array.from(produced) : undefined;
      if (input !== undefined) tokens.push(input);
      else if (status === S.SEC_E_OK) break;
      turn = turn === 'client' ? 'server' : 'client';
    }
    const user = done.server && ctx.server ? o.sspi.querySecurityContextToken(ctx.server).token?.user : undefined;
    const complete = done.client && done.server;
    const outcome = complete && o.outcome ? o.outcome(o.sspi, { tokens }) : undefined;
    return { tokens, results, user, complete, ...(outcome !== undefined ? { outcome } : {}) };
  } finally {
    if (ctx.client !== undefined) o.sspi.deleteSecurityContext(ctx.client);
    if (ctx.server !== undefined) o.sspi.deleteSecurityContext(ctx.server);
  }
}

interface Mutation {
  readonly name: string;
  readonly what: Tolerated;
  readonly mutate: Mutate;
}

/**
 * Every flip and truncation of `token`. A fresh handshake's token can be a byte shorter than the
 * recorded one (the DER of a random sequence number or of microseconds, RFC 4120 §5.5.2), so a flip
 * past its end or a "truncation" to its whole length would change nothing: such a mutation is not
 * applied (the run is made again), and never passes for a tolerated one.
 */
function mutations(token: Uint8Array, max: number | undefined): Mutation[] {
  const length = token.length;
  const all: Mutation[] = [];
  for (let bit = 0; bit < length * 8; bit++) {
    all.push({
      name: `flip byte ${bit >> 3} bit ${bit & 7}`,
      what: { kind: 'flip', offset: bit >> 3, bit: bit & 7, byte: token[bit >> 3] ?? 0 },
      mutate: (t) => {
        if (bit >> 3 >= t.length) return undefined;
        const c = Uint8Array.from(t);
        c[bit >> 3] = (c[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        return c;
      },
    });
  }
  // Length 0 is no token at all; it is covered by the packages' own tests (SEC_E_INVALID_TOKEN).
  for (let n = 1; n < length; n++) {
    all.push({
      name: `truncate to ${n}`,
      what: { kind: 'truncate', length: n },
      mutate: (t) => (n < t.length ? t.subarray(0, n) : undefined),
    });
  }
  if (max === undefined || all.length <= max) return all;
  const stride = all.length / max;
  return Array.from({ length: max }, (_, i) => all[Math.floor(i * stride)]!);
}

/**
 * A genuine handshake whose tokens have the usual lengths: the first of several recorded whose
 * lengths are the most frequent, so that most fresh runs match it (see `mutations`).
 */
async function typicalHandshake(
  o: MatrixOptions,
  creds: { client: CredHandle; server: CredHandle },
): Promise<Run & { user: string }> {
  const recorded: (Run & { user: string })[] = [];
  for (let i = 0; i < TYPICAL_SAMPLES; i++) {
    const r = await run(o, creds, -1, undefined);
    if (!r.complete || r.user === undefined) {
      throw new Error(`the genuine handshake did not complete: ${JSON.stringify(r.results)}`);
    }
    recorded.push({ ...r, user: r.user });
  }
  const shape = (r: Run): string => r.tokens.map((t) => t.length).join(',');
  const count = (r: Run): number => recorded.filter((x) => shape(x) === shape(r)).length;
  return recorded.reduce((best, r) => (count(r) > count(best) ? r : best));
}

/** Runs the matrix over every received leg of the package's handshake. */
export async function bitflipMatrix(o: MatrixOptions): Promise<MatrixReport> {
  const creds = {
    client: await credential(o.sspi, o.package, SecPkgCred.OUTBOUND, o.client.authData),
    server: await credential(o.sspi, o.package, SecPkgCred.INBOUND, o.server.authData),
  };
  try {
    const genuine = await typicalHandshake(o, creds);
    const violations: Violation[] = [];
    const tolerated: Tolerated[][] = [];
    const outcomes: (string | undefined)[][] = [];
    const statuses = new Map<number, number>();
    let runs = 0;
    let skipped = 0;
    for (let leg = 0; leg < genuine.tokens.length; leg++) {
      tolerated.push([]);
      outcomes.push([]);
      for (const m of mutations(genuine.tokens[leg]!, o.maxPerLeg)) {
        runs++;
        let r = await run(o, creds, leg, m.mutate);
        for (let again = 0; r.skipped === true && again < RETRIES; again++) r = await run(o, creds, leg, m.mutate);
        if (r.skipped === true) {
          skipped++;
          continue;
        }
        const problem = judge(r, leg, genuine.user);
        const seen = r.results.find((x) => x.received === leg)?.status;
        if (seen !== undefined) statuses.set(seen, (statuses.get(seen) ?? 0) + 1);
        if (problem === 'tolerated') {
          tolerated[leg]!.push(m.what);
          outcomes[leg]!.push(r.outcome);
        } else if (problem !== undefined) violations.push({ leg, mutation: m.name, problem });
      }
    }
    return {
      ...(genuine.outcome !== undefined ? { genuineOutcome: genuine.outcome } : {}),
      outcomes,
      legs: genuine.tokens.map((t) => t.length),
      genuine: genuine.tokens,
      runs,
      skipped,
      tolerated,
      violations,
      statuses,
    };
  } finally {
    o.sspi.freeCredentialsHandle(creds.client);
    o.sspi.freeCredentialsHandle(creds.server);
  }
}

/**
 * The verdict on one mutated run (undefined: refused cleanly; 'tolerated': completed as the genuine
 * user; anything else: the violation). Every leg from the one that received token `at` is judged.
 */
function judge(r: Run, at: number, user: string): string | undefined {
  const from = r.results.findIndex((x) => x.received === at);
  if (from < 0) return `token ${at} was never delivered (${JSON.stringify(r.results)})`;
  for (let i = from; i < r.results.length; i++) {
    const { status, output } = r.results[i]!;
    if (status === S.SEC_E_INTERNAL_ERROR) return `leg ${i}: SEC_E_INTERNAL_ERROR`;
    // The package is there: a token naming another mechanism is a bad token, not a missing package.
    if (status === S.SEC_E_SECPKG_NOT_FOUND) return `leg ${i}: SEC_E_SECPKG_NOT_FOUND`;
    if (status === S.SEC_I_CONTINUE_NEEDED && output === 0) return `leg ${i}: continue with no token`;
    if (status === S.SEC_E_INVALID_HANDLE) return `leg ${i}: SEC_E_INVALID_HANDLE after a continue`;
  }
  const last = r.results[r.results.length - 1];
  if (last === undefined || (last.status | 0) < 0) return undefined;
  if (!r.complete) return `ended in success without completing (${JSON.stringify(r.results)})`;
  return r.user === user ? 'tolerated' : `completed as ${String(r.user)} instead of ${user}`;
}
