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
export function canSpawnAsOtherUsers(): { readonly allowed: true } | { readonly allowed: false; readonly reason: string } {
  if (process.platform !== 'linux') return { allowed: false, reason: 'only implemented on Linux' };
  if (process.geteuid?.() !== 0) return { allowed: false, reason: 'switching user needs root (CAP_SETUID and CAP_SETGID)' };
  if (setprivPath() === undefined) return { allowed: false, reason: 'setpriv (util-linux) is not installed' };
  return { allowed: true };
}

/**
 * Spawns `command` as the token's local account (uid, primary gid, supplementary groups), with
 * HOME/USER/LOGNAME set for that account. Throws SspiError(SEC_E_NO_IMPERSONATION) when the token
 * maps to no local account or this process lacks the privilege.
 */
export function spawnAsToken(token: AccessToken, command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  const account = token.localAccount;
  if (account === undefined) {
    throw new SspiError(SecStatus.SEC_E_NO_IMPERSONATION, 'spawnAsToken', { detail: `${token.user} maps to no local account` });
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
