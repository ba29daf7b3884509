/** Test helper: starting the foreign peers (MIT gss-sample programs, python3-gssapi) with the lab's environment. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Lab } from '@sspkit/krb5-lab';

/** A running peer and everything it printed. */
export interface Peer {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Debian's interpreter: the one that sees python3-gssapi (a `python3` earlier on PATH may not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** The python peer script. */
export const PYTHON_PEER = join(import.meta.dirname, 'gss_peer.py');

/** Starts `file args` with only the lab's variables (plus PATH/LANG) in its environment. */
export function startPeer(
  lab: Lab,
  file: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Peer {
  const child = spawn(file, args, {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...lab.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves with the first stdout line matching `pattern` (e.g. the port a server printed). */
export async function waitForLine(peer: Peer, pattern: RegExp, timeoutMs = 10000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = peer.stdout().match(pattern);
    if (m) return m;
    if (peer.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`peer never printed ${String(pattern)}; stdout: ${peer.stdout()} stderr: ${peer.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A listener on a free 127.0.0.1 port and the first connection it accepts (for peers that connect to us). */
export async function listenOnce(): Promise<{ port: number; accepted: Promise<Socket>; close: () => void }> {
  const listener = createServer();
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  await new Promise<void>((resolve) => listener.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = listener.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, accepted, close: () => void listener.close() };
}
