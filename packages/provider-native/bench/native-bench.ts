/**
 * Benchmark of the native packages against a C program making the same GSSAPI calls, all against
 * one throwaway KDC. Run: `tsx packages/provider-native/bench/native-bench.ts` (or call
 * `runNativeBench()` from the workspace bench script). Prints rates and ratios; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AscReq, IscReq, clientContext, createSspi, runHandshake, serverContext } from '@sspkit/core';
import { labDown, labUp } from '@sspkit/krb5-lab';
import type { Lab } from '@sspkit/krb5-lab';
import {
  acceptSecContext, acquireCredFrom, GssFlag, importName, initSecContext, IovType, kerberosModule, NativeHandle, unwrap, unwrapIov, wrap,
  wrapIov, wrapIovLength,
} from '../src/index.js';

/** One measured line. */
export interface BenchLine {
  readonly name: string;
  readonly ours: number;
  readonly baseline?: number;
  readonly unit: string;
}

const FLAGS = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;

async function ffiHandshake(cred: NativeHandle, server: NativeHandle, target: NativeHandle): Promise<void> {
  const ctx = new NativeHandle('context');
  const sctx = new NativeHandle('context');
  try {
    const a = await initSecContext({ cred, ctx, target, mech: 'krb5', flags: FLAGS, input: null });
    const b = acceptSecContext({ cred: server, ctx: sctx, input: a.output });
    b.source?.release();
    await initSecContext({ cred, ctx, target, mech: 'krb5', flags: FLAGS, input: b.output });
  } finally {
    ctx.release();
    sctx.release();
  }
}

async function rate(n: number, fn: () => Promise<void> | void): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function buildC(lab: Lab): string | undefined {
  const out = join(lab.dir, 'gss-bench');
  try {
    execFileSync('gcc', ['-O2', '-o', out, join(import.meta.dirname, 'gss-bench.c'), '-lgssapi_krb5'], { stdio: 'pipe' });
    return out;
  } catch {
    return undefined;
  }
}

function runC(bin: string | undefined, lab: Lab, args: string[]): number | undefined {
  if (bin === undefined) return undefined;
  const env = { PATH: process.env['PATH'] ?? '', ...lab.env };
  return Number(execFileSync(bin, args, { env }).toString().trim());
}

/** Runs every measurement and returns the lines (also printed). */
export async function runNativeBench(print = true): Promise<BenchLine[]> {
  const lab = await labUp({ detached: false });
  for (const [k, v] of Object.entries(lab.env)) process.env[k] = v;
  const lines: BenchLine[] = [];
  try {
    const c = buildC(lab);
    const server = (await acquireCredFrom({ usage: 'ACCEPT', mech: 'krb5', store: { keytab: `FILE:${lab.serviceKeytab}` } })).cred;
    const cached = join(lab.dir, 'bench.ccache');
    copyFileSync(lab.ccache, cached);
    const cred = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${cached}` } })).cred;
    const target = importName('HTTP@localhost', 'hostbased');
    await rate(200, () => ffiHandshake(cred, server, target));

    const cHandshake = runC(c, lab, ['handshake', '2000', lab.serviceKeytab, cached]);
    lines.push({ name: 'handshake, cached ticket (FFI)', ours: await rate(2000, () => ffiHandshake(cred, server, target)), ...(cHandshake !== undefined ? { baseline: cHandshake } : {}), unit: '/s' });

    const sspi = await createSspi({ modules: [kerberosModule] });
    const viaDispatcher = async (): Promise<void> => {
      const cl = await clientContext(sspi, { package: 'Kerberos', authData: { ccache: cached }, targetName: 'HTTP/localhost', requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY });
      const sv = await serverContext(sspi, { package: 'Kerberos', authData: { keytab: lab.serviceKeytab }, requirements: AscReq.CONNECTION });
      await runHandshake(cl, sv);
      cl.dispose();
      sv.dispose();
    };
    lines.push({ name: 'handshake, cached ticket (dispatcher, incl. ACH)', ours: await rate(1000, viaDispatcher), unit: '/s' });
    // Credentials acquired once, as a server or a long-lived client does: the client's first leg
    // then runs inline (its ticket is known to be cached) and only the library's work remains.
    const clientCred = (await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: 2, authData: { ccache: cached } })).credential!;
    const serverCred = (await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: 1, authData: { keytab: lab.serviceKeytab } })).credential!;
    const reused = async (): Promise<void> => {
      const cl = await clientContext(sspi, { package: 'Kerberos', credential: clientCred, targetName: 'HTTP/localhost', requirements: IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY });
      const sv = await serverContext(sspi, { package: 'Kerberos', credential: serverCred, requirements: AscReq.CONNECTION });
      await runHandshake(cl, sv);
      cl.dispose();
      sv.dispose();
    };
    await rate(200, reused);
    // Alternating rounds, best of each: the machine is shared, so a single pair of runs can land
    // on different load.
    let bestOurs = 0;
    let bestC: number | undefined;
    for (let round = 0; round < 4; round++) {
      const cr = runC(c, lab, ['handshake', '1000', lab.serviceKeytab, cached]);
      if (cr !== undefined) bestC = Math.max(bestC ?? 0, cr);
      bestOurs = Math.max(bestOurs, await rate(1000, reused));
    }
    lines.push({ name: 'handshake, cached ticket (dispatcher, reused creds)', ours: bestOurs, ...(bestC !== undefined ? { baseline: bestC } : {}), unit: '/s' });
    sspi.freeCredentialsHandle(clientCred);
    sspi.freeCredentialsHandle(serverCred);

    const fresh = join(lab.dir, 'fresh.ccache');
    const kdcRound = async (): Promise<void> => {
      copyFileSync(lab.ccache, fresh);
      const c1 = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${fresh}` } })).cred;
      try {
        await ffiHandshake(c1, server, target);
      } finally {
        c1.release();
      }
    };
    const cKdc = runC(c, lab, ['handshake-kdc', '300', lab.serviceKeytab, lab.ccache]);
    lines.push({ name: 'handshake, KDC round trip (FFI)', ours: await rate(300, kdcRound), ...(cKdc !== undefined ? { baseline: cKdc } : {}), unit: '/s' });

    const ctx = new NativeHandle('context');
    const sctx = new NativeHandle('context');
    const a = await initSecContext({ cred, ctx, target, mech: 'krb5', flags: FLAGS, input: null });
    const b = acceptSecContext({ cred: server, ctx: sctx, input: a.output });
    b.source?.release();
    await initSecContext({ cred, ctx, target, mech: 'krb5', flags: FLAGS, input: b.output });
    for (const [size, n] of [[64, 100_000], [65536, 5000]] as const) {
      const msg = Buffer.alloc(size, 7);
      const once = (): void => {
        unwrap(sctx.ptr, wrap(ctx.ptr, true, 0, msg).token);
      };
      await rate(1000, once);
      const baseline = runC(c, lab, ['wrap', String(size), String(n), lab.serviceKeytab, cached]);
      lines.push({ name: `wrap+unwrap ${size} B (FFI, gss_wrap)`, ours: await rate(n, once), ...(baseline !== undefined ? { baseline } : {}), unit: '/s' });
      // The EncryptMessage path: in place, header sized once, nothing allocated by the library.
      const header = Buffer.alloc(wrapIovLength(ctx.ptr, true, 0, [
        { type: IovType.HEADER, data: Buffer.alloc(0) }, { type: IovType.DATA, data: msg }, { type: IovType.PADDING, data: Buffer.alloc(0) },
      ])[0] ?? 0);
      const data = Buffer.from(msg);
      const padding = Buffer.alloc(0);
      const inPlace = (): void => {
        wrapIov(ctx.ptr, true, 0, [{ type: IovType.HEADER, data: header }, { type: IovType.DATA, data }, { type: IovType.PADDING, data: padding }]);
        unwrapIov(sctx.ptr, [{ type: IovType.HEADER, data: header }, { type: IovType.DATA, data }, { type: IovType.PADDING, data: padding }]);
      };
      await rate(1000, inPlace);
      lines.push({ name: `wrap+unwrap ${size} B (FFI, in-place IOV)`, ours: await rate(n, inPlace), ...(baseline !== undefined ? { baseline } : {}), unit: '/s' });
    }

    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const msg = Buffer.alloc(64, 1);
    for (let i = 0; i < 20_000; i++) unwrap(sctx.ptr, wrap(ctx.ptr, true, 0, msg).token);
    gc();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 100_000; i++) unwrap(sctx.ptr, wrap(ctx.ptr, true, 0, msg).token);
    gc();
    lines.push({ name: 'RSS growth over 100,000 wrap+unwrap', ours: (process.memoryUsage().rss - before) / 1024 / 1024, unit: 'MiB' });
    ctx.release();
    sctx.release();

    // The ccache copies are made first: the measured window holds only GSS work.
    const paths = Array.from({ length: 200 }, (_, i) => join(lab.dir, `conc-${i}.ccache`));
    for (const p of paths) copyFileSync(lab.ccache, p);
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    await Promise.all(
      paths.map(async (path) => {
        const c1 = (await acquireCredFrom({ usage: 'INITIATE', mech: 'krb5', store: { ccache: `FILE:${path}` } })).cred;
        try {
          await ffiHandshake(c1, server, target);
        } finally {
          c1.release();
        }
      }),
    );
    histogram.disable();
    lines.push({ name: 'event-loop delay p99, 200 concurrent KDC handshakes (FFI)', ours: histogram.percentile(99) / 1e6, unit: 'ms' });

    // The same through the dispatcher, whose adapter moves accept and later init legs to worker
    // threads while other native calls are in flight.
    const serverCred2 = (await sspi.acquireCredentialsHandle({ package: 'Kerberos', credentialUse: 1, authData: { keytab: lab.serviceKeytab } })).credential!;
    const paths2 = Array.from({ length: 200 }, (_, i) => join(lab.dir, `disp-${i}.ccache`));
    for (const p of paths2) copyFileSync(lab.ccache, p);
    const histogram2 = monitorEventLoopDelay({ resolution: 1 });
    histogram2.enable();
    await Promise.all(
      paths2.map(async (path) => {
        const cl = await clientContext(sspi, { package: 'Kerberos', authData: { ccache: path }, targetName: 'HTTP/localhost', requirements: IscReq.MUTUAL_AUTH });
        const sv = await serverContext(sspi, { package: 'Kerberos', credential: serverCred2, requirements: AscReq.CONNECTION });
        await runHandshake(cl, sv);
        cl.dispose();
        sv.dispose();
      }),
    );
    histogram2.disable();
    sspi.freeCredentialsHandle(serverCred2);
    lines.push({ name: 'event-loop delay p99, 200 concurrent KDC handshakes (dispatcher)', ours: histogram2.percentile(99) / 1e6, unit: 'ms' });
    cred.release();
    server.release();
    target.release();
  } finally {
    await labDown(lab);
  }
  if (print) {
    for (const l of lines) {
      const ratio = l.baseline !== undefined && l.baseline > 0 ? `  (${(l.ours / l.baseline).toFixed(2)}× C at ${l.baseline.toFixed(0)}${l.unit})` : '';
      console.log(`${l.name.padEnd(52)} ${l.ours.toFixed(l.unit === '/s' ? 0 : 2)}${l.unit}${ratio}`);
    }
  }
  return lines;
}

if (process.argv[1] !== undefined && existsSync(process.argv[1]) && import.meta.filename === process.argv[1]) {
  await runNativeBench();
}
