/**
 * Whether the system's user database answers without waiting on a network: the sources
 * /etc/nsswitch.conf names for `passwd` and `group`. `files`, `db`, `altfiles` and `extrausers`
 * read local files; `systemd` asks a local service (systemd-userdbd) over a socket. Anything else
 * (`sss`, `ldap`, `nis`, `winbind`, `compat` with its NIS entries, an unknown module) may wait on a
 * directory server, so lookups then run on a worker thread (account.ts).
 */
import { readFileSync, statSync } from 'node:fs';

const LOCAL_SOURCES = new Set(['files', 'db', 'altfiles', 'extrausers', 'systemd']);

/** The sources one database line names, action items (`[NOTFOUND=return]`) left out. */
export function nssSources(conf: string, database: string): string[] | null {
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() !== database) continue;
    return line
      .slice(colon + 1)
      .replace(/\[[^\]]*\]/g, ' ')
      .split(/\s+/)
      .filter((s) => s !== '');
  }
  return null;
}

/** True when both `passwd` and `group` use only local sources (a missing line means `files`). */
export function nssIsLocal(conf: string): boolean {
  return ['passwd', 'group'].every((db) => (nssSources(conf, db) ?? ['files']).every((s) => LOCAL_SOURCES.has(s)));
}

let configPath = '/etc/nsswitch.conf';
let cached: { readonly path: string; readonly mtimeMs: number; readonly local: boolean; checkedAt: number } | undefined;
/** How long an answer stands before the file's mtime is looked at again (accepts are a hot path). */
const RECHECK_MS = 1000;

/** Whether account lookups stay local (re-read when the file changes; no file means `files`). */
export function accountLookupIsLocal(): boolean {
  const now = Date.now();
  if (cached?.path === configPath && now - cached.checkedAt < RECHECK_MS) return cached.local;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(configPath).mtimeMs;
  } catch {
    mtimeMs = -1;
  }
  if (cached?.path !== configPath || cached.mtimeMs !== mtimeMs) {
    let local = true;
    if (mtimeMs >= 0) {
      try {
        local = nssIsLocal(readFileSync(configPath, 'utf8'));
      } catch {
        local = false;
      }
    }
    cached = { path: configPath, mtimeMs, local, checkedAt: now };
  }
  cached.checkedAt = now;
  return cached.local;
}

/** Tests only: classify another nsswitch.conf (glibc itself keeps reading the system's). */
export function useNssConfigForTests(path: string | undefined): void {
  configPath = path ?? '/etc/nsswitch.conf';
  cached = undefined;
}
