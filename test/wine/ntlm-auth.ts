/**
 * Samba's `ntlm_auth --helper-protocol=squid-2.5-ntlmssp`, driven the way Wine's secur32 drives it
 * for AcceptSecurityContext: `YR <NEGOTIATE>` answers `TT <CHALLENGE>`, `KK <AUTHENTICATE>` answers
 * `AF <user>` (authenticated) or `NA <reason>`. Lets a test prove the winbindd setup (winbind.ts) on
 * Linux alone, before any Wine process is involved.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export class NtlmAuthAcceptor {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #stderr = '';

  constructor(env: Readonly<Record<string, string>>) {
    this.#child = spawn('ntlm_auth', ['--helper-protocol=squid-2.5-ntlmssp'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...env },
    });
    this.#child.stderr.setEncoding('utf8').on('data', (d: string) => (this.#stderr += d));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** Sends one request line and returns the helper's answer (`TT ...`, `AF ...`, `NA ...`, `BH ...`). */
  async #ask(line: string): Promise<string> {
    this.#child.stdin.write(`${line}\n`);
    const next = await this.#lines.next();
    if (next.done === true) throw new Error(`ntlm_auth exited: ${this.#stderr}`);
    return next.value;
  }

  /** NEGOTIATE in, CHALLENGE out (throws with the helper's answer otherwise). */
  async challenge(negotiate: Uint8Array): Promise<Uint8Array> {
    const answer = await this.#ask(`YR ${Buffer.from(negotiate).toString('base64')}`);
    if (!answer.startsWith('TT ')) throw new Error(`ntlm_auth: ${answer} ${this.#stderr}`);
    return Uint8Array.from(Buffer.from(answer.slice(3), 'base64'));
  }

  /** AUTHENTICATE in; the helper's verdict line (`AF WINEHOST\alice`, `NA NT_STATUS_WRONG_PASSWORD`...). */
  authenticate(authenticate: Uint8Array): Promise<string> {
    return this.#ask(`KK ${Buffer.from(authenticate).toString('base64')}`);
  }

  close(): void {
    this.#child.kill();
  }
}
