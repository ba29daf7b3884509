/**
 * The gss-ntlmssp side of the NTLM benchmark: compiles gss_driver.c into a temp dir and runs it as
 * a separate process (NTLM inside gss-ntlmssp is unreliable inside Node, whose OpenSSL symbols the
 * plugin would bind to). The process is only ever busy while we wait for its answer, so the two
 * sides never compete for the CPU.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Timing } from './timing.js';

const SOURCE = new URL('./gss_driver.c', import.meta.url).pathname;
const PLUGIN = '/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so';
const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';

/** The three handshake tokens, as sent on the wire. */
export interface HandshakeSample {
  readonly negotiate: Uint8Array;
  readonly challenge: Uint8Array;
  readonly authenticate: Uint8Array;
}

/** One running gss_driver process with its initiator, acceptor and sealing context pair. */
export class GssDriver {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #dir: string;

  private constructor(proc: ChildProcessWithoutNullStreams, dir: string) {
    this.#proc = proc;
    this.#dir = dir;
    this.#lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  }

  /**
   * Compiles and starts the driver with `users` (DOMAIN:user:password lines) as its NTLM_USER_FILE
   * and a mech file that loads gss-ntlmssp alone. Returns the reason instead when that is impossible.
   */
  static async start(users: string, user: string, domain: string, password: string): Promise<GssDriver | string> {
    if (!existsSync(PLUGIN)) return `gss-ntlmssp not installed (${PLUGIN} missing; apt-get install gss-ntlmssp)`;
    if (!existsSync('/usr/include/gssapi/gssapi_ext.h')) return 'GSSAPI headers missing (apt-get install libkrb5-dev)';
    const dir = mkdtempSync(join(tmpdir(), 'sspkit-ntlm-bench-'));
    const binary = join(dir, 'gss_driver');
    const cc = spawnSync('cc', ['-O2', '-o', binary, SOURCE, '-lgssapi_krb5'], { encoding: 'utf8' });
    if (cc.error || cc.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      return `cannot compile gss_driver.c (${cc.error?.message ?? cc.stderr.trim()}; apt-get install gcc libkrb5-dev)`;
    }
    writeFileSync(join(dir, 'users'), users);
    // Only gss-ntlmssp: with other plugins listed, the mechglue would load (and time) them too.
    writeFileSync(join(dir, 'mech'), `gssntlmssp_v1 ${NTLMSSP_OID} ${PLUGIN}\n`);
    const proc = spawn(binary, [user, domain, password], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin',
        NTLM_USER_FILE: join(dir, 'users'),
        GSS_MECH_CONFIG: join(dir, 'mech'),
      },
    });
    proc.on('error', () => undefined); // a failed spawn shows up as the missing "ready" line below
    proc.stderr.resume(); // never let an unread stderr pipe stall the driver
    const driver = new GssDriver(proc, dir);
    const first = await driver.#answer();
    if (first !== 'ready') {
      driver.close();
      return `gss_driver did not start: ${first}`;
    }
    return driver;
  }

  async #answer(): Promise<string> {
    const next = await this.#lines.next();
    return next.done ? 'exited' : next.value;
  }

  async #timed(command: string): Promise<Timing> {
    this.#proc.stdin.write(`${command}\n`);
    const answer = await this.#answer();
    const m = /^ok (\d+) (\d+)$/.exec(answer);
    if (!m) throw new Error(`gss_driver ${command}: ${answer}`);
    return { wallNs: Number(m[1]), cpuNs: Number(m[2]) };
  }

  /** N full handshakes, contexts deleted after each. */
  handshakes(n: number): Promise<Timing> {
    return this.#timed(`hs ${n}`);
  }

  /** N gss_wrap (conf_req=1) + gss_unwrap round trips of `size` bytes. */
  seal(size: number, n: number): Promise<Timing> {
    return this.#timed(`seal ${size} ${n}`);
  }

  /** The tokens of one handshake, to show which protocol features the driver really used. */
  async sample(): Promise<HandshakeSample> {
    this.#proc.stdin.write('sample\n');
    const answer = await this.#answer();
    const parts = answer.split(' ');
    if (parts[0] !== 'ok' || parts.length !== 4) throw new Error(`gss_driver sample: ${answer}`);
    const [negotiate, challenge, authenticate] = parts.slice(1).map((h) => new Uint8Array(Buffer.from(h, 'hex')));
    return { negotiate: negotiate!, challenge: challenge!, authenticate: authenticate! };
  }

  /** Stops the process (by its own handle) and removes the temp dir. */
  close(): void {
    this.#proc.stdin.end();
    this.#proc.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** gss-ntlmssp's package version, for the report (dpkg's record; "unknown" elsewhere). */
export function gssNtlmsspVersion(): string {
  try {
    const status = readFileSync('/var/lib/dpkg/status', 'utf8');
    const m = /Package: gss-ntlmssp\n(?:[^\n]+\n)*?Version: ([^\n]+)/.exec(status);
    return m?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
