/**
 * The labs this user started, kept in a private per-user directory: `$XDG_RUNTIME_DIR/sspkit/labs`
 * when that variable is set, else `$XDG_STATE_HOME/sspkit/labs` (`~/.local/state/sspkit/labs`).
 * One file per lab (`<id>.json`: id, directory, realm, port, KDC pid), so labs in several
 * directories are tracked side by side and no lab overwrites another's record. Nothing here is
 * shared between users: a record is only trusted from a 0700 directory and a 0600 file of this
 * user, never through a symlink.
 */
import { readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { checkPrivateDir, checkTrustedPath, makePrivateDir, readPrivateFile, writePrivateFile } from './private-fs.js';
import { LabToolError } from './tools.js';

/** What the private state says about one lab (no secret). */
export interface LabRecord {
  /** Random id; also in the lab's lab.json and in its KDC's environment (`SSPKIT_LAB_ID`). */
  readonly id: string;
  readonly dir: string;
  readonly realm: string;
  readonly port: number;
  /** PID of its KDC when last started (0 while stopped). */
  readonly pid: number;
  /** ISO time of `labUp`. */
  readonly created: string;
}

const ID = /^[A-Za-z0-9_-]{16,64}$/;

/** The directory holding this user's lab records (not created). */
export function labStateDir(): string {
  const runtime = process.env['XDG_RUNTIME_DIR'];
  if (runtime !== undefined && isAbsolute(runtime)) return join(runtime, 'sspkit', 'labs');
  const state = process.env['XDG_STATE_HOME'];
  const base = state !== undefined && isAbsolute(state) ? state : join(homedir(), '.local', 'state');
  return join(base, 'sspkit', 'labs');
}

function recordPath(id: string): string {
  if (!ID.test(id)) throw new LabToolError(`invalid lab id ${JSON.stringify(id)}`);
  return join(labStateDir(), `${id}.json`);
}

/** Saves (or updates) a lab's record. */
export function saveRecord(record: LabRecord): void {
  const dir = labStateDir();
  makePrivateDir(join(dir, '..'));
  makePrivateDir(dir);
  checkTrustedPath(dir);
  writePrivateFile(recordPath(record.id), JSON.stringify(record, null, 2));
}

/** Removes a lab's record (absent is fine). */
export function dropRecord(id: string): void {
  rmSync(recordPath(id), { force: true });
}

function parseRecord(text: string, id: string): LabRecord | undefined {
  const r = JSON.parse(text) as Partial<LabRecord>;
  if (r.id !== id || typeof r.dir !== 'string' || typeof r.realm !== 'string' || typeof r.port !== 'number') {
    return undefined;
  }
  const pid = typeof r.pid === 'number' ? r.pid : 0;
  return { id, dir: r.dir, realm: r.realm, port: r.port, pid, created: String(r.created ?? '') };
}

/** Every record of this user, oldest first; a record that cannot be trusted or parsed is skipped. */
export function listRecords(): LabRecord[] {
  const dir = labStateDir();
  let names: string[];
  try {
    checkPrivateDir(dir);
    checkTrustedPath(dir);
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records: LabRecord[] = [];
  for (const name of names) {
    const id = name.endsWith('.json') ? name.slice(0, -5) : '';
    if (!ID.test(id)) continue;
    try {
      const r = parseRecord(readPrivateFile(join(dir, name)), id);
      if (r !== undefined) records.push(r);
    } catch {
      // not a record of this user (wrong owner, mode, symlink) or not JSON: never trusted
    }
  }
  return records.sort((a, b) => a.created.localeCompare(b.created));
}

/** The record of the lab in `dir` (an absolute, resolved path), if this user started one there. */
export function findRecord(dir: string): LabRecord | undefined {
  return listRecords().find((r) => r.dir === dir);
}
