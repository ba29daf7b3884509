/**
 * Files and directories only this user can read or change. A lab runs as whoever starts it — often
 * root — next to other local users: every file it writes is created 0600 and every directory 0700
 * whatever the umask, nothing it reads or removes may be a symlink or belong to someone else, and
 * every directory above it must be one that no other user can rename or replace.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { LabToolError } from './tools.js';

/** This process's effective uid (the owner every private file must have). */
export function euid(): number {
  return process.geteuid?.() ?? 0;
}

const GROUP_OTHER = 0o077;
const GROUP_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

function mode(m: number): string {
  return `0${(m & 0o7777).toString(8)}`;
}

/**
 * Every directory from `path` up to `/` (symlinks resolved) is owned by root or this user, and
 * writable by nobody else unless sticky (where others cannot rename what they do not own). Returns
 * the resolved path. Without this, another user could swap a directory between a check and its use.
 */
export function checkTrustedPath(path: string): string {
  const real = realpathSync(path);
  const me = euid();
  for (let p = real; ; p = dirname(p)) {
    const st = lstatSync(p);
    if (st.uid !== 0 && st.uid !== me) {
      throw new LabToolError(`${p} belongs to uid ${st.uid}: a lab lives only under directories of root or uid ${me}`);
    }
    if ((st.mode & GROUP_OTHER_WRITE) !== 0 && (st.mode & STICKY) === 0) {
      throw new LabToolError(`${p} (mode ${mode(st.mode)}) is writable by other users: a lab cannot live under it`);
    }
    if (p === dirname(p)) return real;
  }
}

/** `path` is a real directory (not a symlink) of this user with mode 0700 (no group/other bits). */
export function checkPrivateDir(path: string): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new LabToolError(`${path} is not a directory (a symlink is never followed)`);
  }
  if (st.uid !== euid()) throw new LabToolError(`${path} belongs to uid ${st.uid}, not ${euid()}`);
  if ((st.mode & GROUP_OTHER) !== 0) throw new LabToolError(`${path} has mode ${mode(st.mode)}; it must be 0700`);
}

/** Creates `path` (and missing parents) as 0700 directories regardless of umask, then checks it. */
export function makePrivateDir(path: string): void {
  try {
    lstatSync(path);
  } catch {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // EEXIST from a race is an error on purpose: whoever made it first is checked below.
    mkdirSync(path, { mode: 0o700 });
    // mkdir's mode is masked by the umask, and a umask may also clear bits we need.
    const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    try {
      fchmodSync(fd, 0o700);
    } finally {
      closeSync(fd);
    }
  }
  checkPrivateDir(path);
}

/**
 * Writes `data` to `path` as a 0600 file of this user. The bytes go to a new file (O_EXCL,
 * O_NOFOLLOW, mode set on the descriptor so no umask widens it) renamed over `path`: an existing
 * `path` — even a symlink or a hard link to someone else's file — is replaced, never written through.
 */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    fchmodSync(fd, 0o600);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Reads a file that must be a regular file of this user, readable by nobody else, not a symlink. */
export function readPrivateFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new LabToolError(`${path} is not a regular file`);
    if (st.uid !== euid()) throw new LabToolError(`${path} belongs to uid ${st.uid}, not ${euid()}`);
    if ((st.mode & GROUP_OTHER) !== 0) throw new LabToolError(`${path} has mode ${mode(st.mode)}; it must be 0600`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
