/**
 * Drives Cyrus SASL's sample programs (sasl2-bin: sasl-sample-server / sasl-sample-client) as DIGEST-MD5
 * peers. They speak a line protocol on stdio: `S: <base64>` from the server, `C: <base64>` from the
 * client. stdbuf keeps their stdio line-buffered; a private SASL_CONF_PATH and sasldb keep /etc untouched.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const SERVER = '/usr/sbin/sasl-sample-server';
const CLIENT = '/usr/bin/sasl-sample-client';
const PLUGIN = '/usr/lib/x86_64-linux-gnu/sasl2/libdigestmd5.so';

/** Whether the sample programs and the DIGEST-MD5 plugin are installed (apt: sasl2-bin libsasl2-modules). */
export function cyrusAvailable(): boolean {
  return (
    existsSync(SERVER) && existsSync(CLIENT) && existsSync(PLUGIN) && spawnSync('stdbuf', ['--version']).status === 0
  );
}

/** A private sasldb with one user, and the config that points the sample server at it. */
export function makeSaslDir(realm: string, user: string, password: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'digest-sasl-'));
  const db = join(dir, 'sasldb2');
  const r = spawnSync('saslpasswd2', ['-f', db, '-p', '-c', '-u', realm, user], { input: `${password}\n` });
  if (r.status !== 0) throw new Error(`saslpasswd2 failed: ${r.stderr.toString()}`);
  writeFileSync(
    join(dir, 'sample.conf'),
    `sasldb_path: ${db}\npwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: DIGEST-MD5\n`,
  );
  return dir;
}

/** Removes a directory made by {@link makeSaslDir}. */
export function removeSaslDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** One running sample program. */
export class SamplePeer {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  #waiters: Array<() => void> = [];
  #exited = false;
  readonly transcript: string[] = [];

  constructor(program: 'server' | 'client', args: readonly string[], saslDir: string) {
    // detached: no controlling terminal, so the client's getpass() falls back to stdin.
    this.#child = spawn('stdbuf', ['-oL', '-eL', program === 'server' ? SERVER : CLIENT, ...args], {
      env: { ...process.env, SASL_CONF_PATH: saslDir },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const push = (line: string): void => {
      this.transcript.push(line);
      this.#lines.push(line);
      const w = this.#waiters;
      this.#waiters = [];
      for (const f of w) f();
    };
    if (this.#child.stdout !== null) createInterface({ input: this.#child.stdout }).on('line', push);
    if (this.#child.stderr !== null) createInterface({ input: this.#child.stderr }).on('line', (l) => push(`ERR ${l}`));
    this.#child.on('exit', () => {
      this.#exited = true;
      push('EXIT');
    });
  }

  /** Waits for the next line matching `re` (earlier lines are consumed); rejects after the timeout. */
  async expect(re: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#lines.length > 0) {
        const line = this.#lines.shift() ?? '';
        const m = re.exec(line);
        if (m !== null) return m;
        if (line === 'EXIT') throw new Error(`peer exited while waiting for ${re}: ${this.transcript.join(' | ')}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}: ${this.transcript.join(' | ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Next `S: `/`C: ` line from the peer, base64-decoded. */
  async receive(prefix: 'S' | 'C'): Promise<Buffer> {
    const m = await this.expect(new RegExp(`^${prefix}: ?(.*)$`));
    return Buffer.from(m[1] ?? '', 'base64');
  }

  /** Sends a `C: `/`S: ` line (base64 of `data`). */
  send(prefix: 'S' | 'C', data: Uint8Array): void {
    this.#child.stdin?.write(`${prefix}: ${Buffer.from(data).toString('base64')}\n`);
  }

  /** Writes a raw line (a password prompt answer). */
  writeLine(line: string): void {
    this.#child.stdin?.write(`${line}\n`);
  }

  /** Stops the program by its PID if it is still running. */
  stop(): void {
    if (!this.#exited && this.#child.pid !== undefined) {
      try {
        process.kill(this.#child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
}

/** A SASL buffer as sasl_encode writes it: 4-octet big-endian length, then the payload. */
export function frame(payload: Uint8Array): Buffer {
  const b = Buffer.alloc(4 + payload.length);
  b.writeUInt32BE(payload.length, 0);
  b.set(payload, 4);
  return b;
}

/** The payload of one sasl_encode buffer. */
export function unframe(buffer: Uint8Array): Buffer {
  const b = Buffer.from(buffer);
  const len = b.readUInt32BE(0);
  if (len !== b.length - 4) throw new Error(`bad SASL frame length ${len} for ${b.length - 4} octets`);
  return b.subarray(4);
}
