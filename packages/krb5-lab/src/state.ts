/** A lab's description, and its state file (`lab.json`) inside the lab's private directory. */
import { join, resolve } from 'node:path';
import { checkPrivateDir, writePrivateFile, readPrivateFile } from './private-fs.js';
import { saveRecord } from './registry.js';
import { LabToolError } from './tools.js';

/** Options for {@link labUp}; every field has a default. */
export interface LabOptions {
  /** Directory to create the realm in (must be empty or absent); default: a new temp dir. */
  readonly dir?: string;
  /** Realm name; default `SSPKIT.LAB`. */
  readonly realm?: string;
  /** User principal's short name; default `alice`. */
  readonly user?: string;
  /** The user's password; default: 24 random base64url characters. */
  readonly password?: string;
  /** Service principal (without realm); default `HTTP/localhost`. */
  readonly service?: string;
  /**
   * Keep the KDC running after this process exits (the CLI); default true. When false the KDC is
   * stopped by the kernel if this process dies without `labDown` (util-linux `setpriv`).
   */
  readonly detached?: boolean;
}

/** Everything a client of the lab needs: paths, principals and the environment to export. */
export interface Lab {
  /** Random id, recorded in this user's private lab records and in the KDC's environment. */
  readonly id: string;
  /** ISO time of `labUp`. */
  readonly created: string;
  readonly dir: string;
  readonly realm: string;
  readonly port: number;
  /** PID of the running krb5kdc (0 while stopped). */
  pid: number;
  readonly krb5Conf: string;
  readonly kdcConf: string;
  /** `alice@REALM`. */
  readonly userPrincipal: string;
  /** The user's password: secret, never print it. */
  readonly password: string;
  /** `HTTP/localhost@REALM`. */
  readonly servicePrincipal: string;
  /** Keytab holding the service principal's keys (path, no `FILE:` prefix). */
  readonly serviceKeytab: string;
  /**
   * The user's ccache (path, no `FILE:` prefix): a TGT at first; every client using it (it is
   * `KRB5CCNAME`) adds its service tickets. `labCopyCcache` copies a TGT-only one instead.
   */
  readonly ccache: string;
  /** Replay-cache directory, so the acceptor never writes to /var/tmp. */
  readonly rcacheDir: string;
  /** An empty mechanism file, keeping plugins such as gss-ntlmssp out of SPNEGO. */
  readonly mechConfig: string;
  /** Variables a client exports to use the lab (no secret among them). */
  readonly env: Readonly<Record<string, string>>;
}

export const STATE_FILE = 'lab.json';
/** The TGT-only ccache kept aside for labCopyCcache (never exported). */
export const TGT_CCACHE = 'tgt.ccache';

/** Saves the lab's state (mode 0600: it holds the throwaway password) and this user's record of it. */
export function saveState(lab: Lab): void {
  // Only into the lab's own private directory: a directory someone else controls gets nothing.
  checkPrivateDir(lab.dir);
  writePrivateFile(join(lab.dir, STATE_FILE), JSON.stringify(lab, null, 2));
  saveRecord({ id: lab.id, dir: lab.dir, realm: lab.realm, port: lab.port, pid: lab.pid, created: lab.created });
}

/**
 * Reads the state a lab saved in its directory. The directory must be a 0700 directory of this
 * user and lab.json a 0600 file of this user (no symlink): another user's planted state is refused.
 */
export function readLab(dir: string): Lab {
  const abs = resolve(dir);
  try {
    checkPrivateDir(abs);
    const lab = JSON.parse(readPrivateFile(join(abs, STATE_FILE))) as Partial<Lab>;
    if (typeof lab.id !== 'string' || typeof lab.dir !== 'string' || typeof lab.realm !== 'string') {
      throw new LabToolError(`${STATE_FILE} is not a lab's state`);
    }
    return lab as Lab;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new LabToolError(`${dir} holds no lab of this user`, why);
  }
}

/** The variables a program exports to use the lab; `KRB5CCNAME`/`KRB5_KTNAME` are its defaults. */
export function labEnvironment(lab: Omit<Lab, 'env'>): Record<string, string> {
  return {
    KRB5_CONFIG: lab.krb5Conf,
    KRB5_KDC_PROFILE: lab.kdcConf,
    KRB5CCNAME: `FILE:${lab.ccache}`,
    KRB5_KTNAME: `FILE:${lab.serviceKeytab}`,
    KRB5RCACHEDIR: lab.rcacheDir,
    GSS_MECH_CONFIG: lab.mechConfig,
  };
}

/** Exactly the lab's variables plus PATH/LANG, so inherited KRB5_* settings cannot leak in. */
export function toolEnv(lab: Lab): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...lab.env };
}
