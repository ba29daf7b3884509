/**
 * Drives test/negotiate/spnego_peer.py (MIT SPNEGO through python3-gssapi, Kerberos and/or
 * gss-ntlmssp inside) in a process of its own: gss-ntlmssp is unreliable inside Node (its OpenSSL
 * symbols bind to Node's). One JSON request per line, one answer per line.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Lab } from '@sspkit/krb5-lab';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./spnego_peer.py', import.meta.url).pathname;
/** gss-ntlmssp's registration as Debian installs it. */
const NTLMSSP_MECH_CONF = '/etc/gss/mech.d/mech.ntlmssp.conf';

/** True when python3-gssapi and gss-ntlmssp are installed. */
export function spnegoPeerAvailable(): boolean {
  return existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/gssapi') && existsSync(NTLMSSP_MECH_CONF);
}

export interface PeerAnswer {
  readonly token?: string | null;
  readonly complete?: boolean;
  readonly mech?: string;
  readonly initiator?: string;
  readonly data?: string;
  readonly encrypted?: boolean;
  readonly mic?: string;
  readonly ok?: boolean;
  readonly error?: string;
}

/** Which mechanisms the peer's credential may negotiate, in order. */
export type PeerMechs = 'krb5' | 'ntlm' | 'krb5,ntlm' | 'ntlm,krb5';

export class SpnegoPeer {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #dir: string;

  private constructor(lab: Lab, args: string[], users: string) {
    this.#dir = mkdtempSync(join(tmpdir(), 'sspkit-spnego-'));
    const userFile = join(this.#dir, 'users');
    writeFileSync(userFile, users);
    // The lab hides gss-ntlmssp behind an empty mechanism file; this peer needs it registered.
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin',
      LANG: 'C',
      ...lab.env,
      GSS_MECH_CONFIG: NTLMSSP_MECH_CONF,
      NTLM_USER_FILE: userFile,
    };
    this.#proc = spawn(PYTHON, [SCRIPT, ...args], { env });
    this.#lines = createInterface({ input: this.#proc.stdout })[Symbol.asyncIterator]();
  }

  /** An acceptor (the lab's keytab; NTLM accounts as `DOMAIN:user:password` lines). */
  static acceptor(lab: Lab, mechs: PeerMechs, users = ''): SpnegoPeer {
    return new SpnegoPeer(lab, ['accept', mechs], users);
  }

  /** An initiator for `service@host`, with the lab's ccache or NTLM password credentials. */
  static initiator(
    lab: Lab,
    mechs: PeerMechs,
    target: string,
    ntlm?: { user: string; domain: string; password: string },
  ): SpnegoPeer {
    const extra = ntlm ? [ntlm.user, ntlm.domain, ntlm.password] : [];
    return new SpnegoPeer(lab, ['init', mechs, target, ...extra], '');
  }

  async call(req: Record<string, string | null | undefined>): Promise<PeerAnswer> {
    this.#proc.stdin.write(`${JSON.stringify(req)}\n`);
    const next = await this.#lines.next();
    if (next.done) throw new Error('spnego peer exited');
    return JSON.parse(next.value) as PeerAnswer;
  }

  /** Stops the process (by its own PID) and removes its files. */
  close(): void {
    this.#proc.stdin.end();
    this.#proc.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
export const unb64 = (s: string | null | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'base64'));
