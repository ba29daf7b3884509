/**
 * Drives test/ntlm/gss_peer.py (gss-ntlmssp through python3-gssapi) in a separate process: NTLM in
 * gss-ntlmssp is unreliable inside Node (its OpenSSL symbols bind to Node's), so the peer never
 * shares our address space. One JSON request per line, one answer per line.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./gss_peer.py', import.meta.url).pathname;

/** True when Debian's gss-ntlmssp and python3-gssapi are installed. */
export function gssNtlmsspAvailable(): boolean {
  return (
    existsSync(PYTHON) &&
    existsSync('/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so') &&
    existsSync('/usr/lib/python3/dist-packages/gssapi')
  );
}

/** An answer from the peer. */
export interface PeerAnswer {
  readonly token?: string | null;
  readonly complete?: boolean;
  readonly user?: string;
  readonly data?: string;
  readonly mic?: string;
  readonly ok?: boolean;
  readonly error?: string;
}

/** One gss-ntlmssp process (initiator or acceptor). */
export class GssPeer {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #dir: string;

  private constructor(args: string[], users: string) {
    this.#dir = mkdtempSync(join(tmpdir(), 'sspkit-ntlm-'));
    const userFile = join(this.#dir, 'users');
    writeFileSync(userFile, users);
    this.#proc = spawn(PYTHON, [SCRIPT, ...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin', NTLM_USER_FILE: userFile },
    });
    this.#lines = createInterface({ input: this.#proc.stdout })[Symbol.asyncIterator]();
  }

  /** An acceptor knowing the given `DOMAIN:user:password` lines. */
  static acceptor(users: string): GssPeer {
    return new GssPeer(['accept'], users);
  }

  /** An initiator with password credentials. */
  static initiator(user: string, domain: string, password: string): GssPeer {
    return new GssPeer(['init', user, domain, password], '');
  }

  /** Sends one request and waits for its answer. */
  async call(req: Record<string, string | null | undefined>): Promise<PeerAnswer> {
    this.#proc.stdin.write(`${JSON.stringify(req)}\n`);
    const next = await this.#lines.next();
    if (next.done) throw new Error('gss peer exited');
    return JSON.parse(next.value) as PeerAnswer;
  }

  /** Stops the process (by its own PID) and removes its files. */
  close(): void {
    this.#proc.stdin.end();
    this.#proc.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Base64 helpers for the JSON protocol. */
export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
export const unb64 = (s: string | null | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'base64'));
