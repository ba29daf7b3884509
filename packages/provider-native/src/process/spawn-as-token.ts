/**
 * Starting a child process as the user a server-side token names: what a Windows server does with
 * CreateProcessAsUser after QuerySecurityContextToken. Node's own `spawn({ uid, gid })` drops all
 * supplementary groups, so the switch is made by util-linux `setpriv`, which sets the real and
 * effective uid/gid and the exact group list before exec. It needs root (CAP_SETUID/CAP_SETGID);
 * without it the helper refuses with SEC_E_NO_IMPERSONATION instead of starting anything.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { SecStatus, SspiError } from '@sspkit/core';
import type { AccessToken } from '@sspkit/core';
import { lookupLocalAccount } from '../ffi/index.js';
import { firstUserUid, isSystemAccount } from './system-accounts.js';

/** spawn's options, plus the opt-in for root and system accounts. */
export interface SpawnAsTokenOptions extends SpawnOptions {
  /**
   * Start the child even when the token's account is root or a system account (uid below UID_MIN
   * of /etc/login.defs). Default false: such a token is refused with SEC_E_NO_IMPERSONATION.
   */
  readonly allowSystemAccounts?: boolean;
}

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'];

function setprivPath(): string | undefined {
  for (const p of SETPRIV_CANDIDATES) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // try the next
    }
  }
  return undefined;
}

/** Whether this process may start children as other users, and why not when it may not. */
export function canSpawnAsOtherUsers():
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string } {
  if (process.platform !== 'linux') return { allowed: false, reason: 'only implemented on Linux' };
  if (process.geteuid?.() !== 0)
    return { allowed: false, reason: 'switching user needs root (CAP_SETUID and CAP_SETGID)' };
  if (setprivPath() === undefined) return { allowed: false, reason: 'setpriv (util-linux) is not installed' };
  return { allowed: true };
}

/**
 * Spawns `command` as the token's local account (uid, primary gid, supplementary groups), with
 * HOME/USER/LOGNAME set for that account. Throws SspiError(SEC_E_NO_IMPERSONATION) when the token
 * maps to no local account, names root or a system account (unless `allowSystemAccounts`), or this
 * process lacks the privilege.
 */
export function spawnAsToken(
  token: AccessToken,
  command: string,
  args: readonly string[] = [],
  spawnOptions: SpawnAsTokenOptions = {},
): ChildProcess {
  const { allowSystemAccounts = false, ...options } = spawnOptions;
  const account = token.localAccount;
  if (account === undefined) {
    const why = token.attributes?.['localAccountRefused'];
    const detail = `${token.user} maps to no local account${typeof why === 'string' ? ` (refused: ${why})` : ''}`;
    throw new SspiError(SecStatus.SEC_E_NO_IMPERSONATION, 'spawnAsToken', { detail });
  }
  // Checked here as well as in the token: a token may come from another package or be built by hand.
  if (!Number.isSafeInteger(account.uid) || account.uid < 0 || !Number.isSafeInteger(account.gid) || account.gid < 0) {
    throw new SspiError(SecStatus.SEC_E_NO_IMPERSONATION, 'spawnAsToken', {
      detail: "the token's uid or gid is not a valid id",
    });
  }
  if (isSystemAccount(account.uid) && !allowSystemAccounts) {
    const detail =
      `${account.name} (uid ${account.uid}) is root or a system account (below UID_MIN ${firstUserUid()}); ` +
      'pass allowSystemAccounts to allow it';
    throw new SspiError(SecStatus.SEC_E_NO_IMPERSONATION, 'spawnAsToken', { detail });
  }
  const can = canSpawnAsOtherUsers();
  if (!can.allowed) throw new SspiError(SecStatus.SEC_E_NO_IMPERSONATION, 'spawnAsToken', { detail: can.reason });
  // The token carries the home directory (looked up with the account, off the main thread where
  // the user database may wait on a network); a token made elsewhere is looked up here.
  const given = token.attributes?.['localHome'];
  const home = typeof given === 'string' ? given : lookupLocalAccount(account.name)?.home;
  const groups = account.groups.length > 0 ? ['--groups', account.groups.join(',')] : ['--clear-groups'];
  const env = {
    ...(options.env ?? {}),
    HOME: home ?? '/',
    USER: account.name,
    LOGNAME: account.name,
    PATH: options.env?.['PATH'] ?? process.env['PATH'] ?? '/usr/bin:/bin',
  };
  const setpriv = setprivPath() ?? 'setpriv';
  return spawn(
    setpriv,
    ['--reuid', String(account.uid), '--regid', String(account.gid), ...groups, '--', command, ...args],
    { ...options, env },
  );
}
