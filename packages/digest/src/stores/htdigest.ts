/**
 * Apache `htdigest` files (`user:realm:HA1`, HA1 = MD5(user:realm:password) in hex) and, optionally,
 * Apache group files (`group: user1 user2`), read into a {@link MemoryUserStore}. Such users can
 * answer MD5 and MD5-sess challenges only, since the file keeps the MD5 hash alone.
 */
import { readFileSync } from 'node:fs';
import { DigestError, DigestErrorCode } from '../errors.js';
import { MemoryUserStore } from './memory-user-store.js';
import type { DigestUser } from './user-store.js';

/** Parses htdigest text; throws a DigestError naming the bad line (never its content). */
export function parseHtdigest(text: string): DigestUser[] {
  const users: DigestUser[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const parts = line.split(':');
    const [username, realm, ha1] = parts;
    if (
      parts.length !== 3 ||
      username === undefined ||
      realm === undefined ||
      ha1 === undefined ||
      username === '' ||
      !/^[0-9a-fA-F]{32}$/.test(ha1)
    ) {
      throw new DigestError(DigestErrorCode.IllegalMessage, `htdigest line ${i + 1} is not user:realm:32-hex-digits`);
    }
    users.push({ username, realm, ha1: { MD5: ha1.toLowerCase() } });
  });
  return users;
}

/** Parses an Apache group file into user → groups. */
export function parseGroupFile(text: string): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([^:#\s][^:]*):(.*)$/.exec(line);
    if (m === null) continue;
    const group = (m[1] ?? '').trim();
    for (const user of (m[2] ?? '').split(/\s+/).filter((u) => u.length > 0)) {
      const list = byUser.get(user) ?? [];
      list.push(group);
      byUser.set(user, list);
    }
  }
  return byUser;
}

/** Formats one htdigest line (what `htdigest -c file realm user` writes). */
export function formatHtdigestLine(username: string, realm: string, ha1: string): string {
  return `${username}:${realm}:${ha1}`;
}

/** Loads an htdigest file (and optional group file) into a new in-memory store. */
export function loadHtdigestStore(htdigestPath: string, groupFilePath?: string): MemoryUserStore {
  const groups =
    groupFilePath !== undefined ? parseGroupFile(readFileSync(groupFilePath, 'utf8')) : new Map<string, string[]>();
  const store = new MemoryUserStore();
  for (const user of parseHtdigest(readFileSync(htdigestPath, 'utf8'))) {
    const g = groups.get(user.username);
    store.add(g !== undefined ? { ...user, groups: g } : user);
  }
  return store;
}
