/**
 * Local account lookup for a mapped principal (what gss_localname names): uid, primary gid and
 * supplementary groups from the system's user database (NSS), through libc. Two forms: a
 * synchronous one on the main thread (getpwnam/getgrgid use static storage), used when NSS only
 * reads local files (nss.ts), and one on worker threads with the reentrant getpwnam_r/getgrgid_r,
 * used when a lookup could wait on a directory server.
 */
import { gssLibrary } from './library.js';
import { sharedGate } from './queue.js';

/** A local account as the user database describes it. */
export interface LocalAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** Supplementary group ids, primary gid included (as getgrouplist reports them). */
  readonly groups: readonly number[];
  /** Names of those groups, where the database knows them. */
  readonly groupNames: readonly string[];
  readonly home: string;
  readonly shell: string;
}

interface Passwd {
  readonly pw_name: string;
  readonly pw_uid: number;
  readonly pw_gid: number;
  readonly pw_dir: string;
  readonly pw_shell: string;
}

interface Libc {
  getpwnam(name: string): bigint | null;
  getgrgid(gid: number): bigint | null;
  getgrouplist(user: string, group: number, groups: Buffer, ngroups: Buffer): number;
  decodePasswd(ptr: bigint): Passwd;
  decodeGroupName(ptr: bigint): string;
}

let libc: Libc | undefined;

interface AsyncLibc {
  getpwnam_r(name: string, pwd: Buffer, buf: Buffer, size: number, result: Buffer): Promise<number>;
  getgrouplist(user: string, group: number, groups: Buffer, ngroups: Buffer): Promise<number>;
  getgrgid_r(gid: number, grp: Buffer, buf: Buffer, size: number, result: Buffer): Promise<number>;
  decodePasswd(buf: Buffer): Passwd;
  decodeGroupName(buf: Buffer): string;
}

let asyncLibc: AsyncLibc | undefined;

/** sizeof(struct passwd) and sizeof(struct group) on LP64 Linux. */
const PASSWD_SIZE = 48;
const GROUP_SIZE = 32;
const ERANGE = 34;
/** Where the reentrant calls stop growing their string buffer. */
const MAX_RECORD_BUFFER = 1 << 20;

/**
 * The process's global symbol scope on Linux (dlopen(NULL)), where libc's lookups are found the
 * way the dynamic linker finds them for any program: after a preloaded interposer such as
 * nss_wrapper (LD_PRELOAD), which a handle on libc.so.6 itself would bypass.
 */
function processScope(koffi: ReturnType<typeof gssLibrary>['koffi']): ReturnType<typeof koffi.load> {
  return koffi.load(process.platform === 'darwin' ? 'libc.dylib' : null);
}

function bind(): Libc {
  if (libc !== undefined) return libc;
  const { koffi } = gssLibrary();
  const lib = processScope(koffi);
  // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos; char *pw_dir; char *pw_shell; };
  const passwd = koffi.struct('passwd', {
    pw_name: 'const char *',
    pw_passwd: 'const char *',
    pw_uid: 'uint32_t',
    pw_gid: 'uint32_t',
    pw_gecos: 'const char *',
    pw_dir: 'const char *',
    pw_shell: 'const char *',
  });
  // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; };
  const group = koffi.struct('group', {
    gr_name: 'const char *',
    gr_passwd: 'const char *',
    gr_gid: 'uint32_t',
    gr_mem: 'void *',
  });
  const getpwnam = lib.func('void *getpwnam(const char *name)');
  const getgrgid = lib.func('void *getgrgid(uint32_t gid)');
  const getgrouplist = lib.func('int getgrouplist(const char *user, uint32_t group, void *groups, void *ngroups)');
  libc = {
    getpwnam: (name) => getpwnam(name) as bigint | null,
    getgrgid: (gid) => getgrgid(gid) as bigint | null,
    getgrouplist: (user, g, groups, n) => getgrouplist(user, g, groups, n) as number,
    decodePasswd: (ptr) => koffi.decode(ptr, passwd) as Passwd,
    decodeGroupName: (ptr) => (koffi.decode(ptr, group) as { gr_name: string }).gr_name,
  };
  return libc;
}

function bindAsync(): AsyncLibc {
  if (asyncLibc !== undefined) return asyncLibc;
  const { koffi } = gssLibrary();
  bind();
  const lib = processScope(koffi);
  const getpwnamR = lib.func('int getpwnam_r(const char *name, void *pwd, void *buf, size_t buflen, void *result)');
  const getgrouplist = lib.func('int getgrouplist(const char *user, uint32_t group, void *groups, void *ngroups)');
  const getgrgidR = lib.func('int getgrgid_r(uint32_t gid, void *grp, void *buf, size_t buflen, void *result)');
  const call = (fn: typeof getpwnamR, ...args: unknown[]): Promise<number> =>
    sharedGate().run((done) => void fn.async(...args, done));
  asyncLibc = {
    getpwnam_r: (name, pwd, buf, size, result) => call(getpwnamR, name, pwd, buf, size, result),
    getgrouplist: (user, g, groups, n) => call(getgrouplist, user, g, groups, n),
    getgrgid_r: (gid, grp, buf, size, result) => call(getgrgidR, gid, grp, buf, size, result),
    decodePasswd: (b) => koffi.decode(b, 'passwd') as Passwd,
    decodeGroupName: (b) => (koffi.decode(b, 'group') as { gr_name: string }).gr_name,
  };
  return asyncLibc;
}

/**
 * A reentrant `*_r` lookup on a worker thread, its string buffer grown on ERANGE. Returns the
 * record buffer (decoded by the caller while `buf` is still referenced) or null for "no entry".
 */
async function reentrant(
  size: number,
  call: (rec: Buffer, buf: Buffer, result: Buffer) => Promise<number>,
  decode: (rec: Buffer) => void,
): Promise<boolean> {
  for (let len = 1024; len <= MAX_RECORD_BUFFER; len *= 4) {
    const rec = Buffer.alloc(size);
    const buf = Buffer.alloc(len);
    const result = Buffer.alloc(8);
    const rc = await call(rec, buf, result);
    if (rc === ERANGE) continue;
    if (rc !== 0 || result.readBigUInt64LE(0) === 0n) return false;
    decode(rec);
    // `rec` points into `buf`: both stay referenced until the strings are copied out above.
    return buf.length > 0;
  }
  return false;
}

/**
 * getgrouplist's grow-and-retry, shared by both lookups: each step yields the buffers to call it
 * with and receives its return code; the result is the group ids (none after four short buffers).
 */
function* groupListAttempts(): Generator<{ readonly buf: Buffer; readonly count: Buffer }, number[], number> {
  let size = 64;
  for (let attempt = 0; attempt < 4; attempt++) {
    const buf = Buffer.alloc(size * 4);
    const count = Buffer.alloc(4);
    count.writeInt32LE(size, 0);
    const rc = yield { buf, count };
    const n = count.readInt32LE(0);
    if (rc >= 0) return Array.from({ length: n }, (_, i) => buf.readUInt32LE(i * 4));
    size = Math.max(n, size * 2);
  }
  return [];
}

/** {@link lookupLocalAccount} on worker threads: for a user database that may wait on a network. */
export async function lookupLocalAccountAsync(name: string): Promise<LocalAccount | null> {
  const c = bindAsync();
  let pw: Passwd | undefined;
  const found = await reentrant(
    PASSWD_SIZE,
    (rec, buf, result) => c.getpwnam_r(name, rec, buf, buf.length, result),
    (rec) => (pw = c.decodePasswd(rec)),
  );
  if (!found || pw === undefined) return null;
  const user = pw;
  const attempts = groupListAttempts();
  let step = attempts.next();
  while (step.done !== true)
    step = attempts.next(await c.getgrouplist(user.pw_name, user.pw_gid, step.value.buf, step.value.count));
  const groups = step.value;
  const names = await Promise.all(
    groups.map(async (gid) => {
      let groupName: string | undefined;
      await reentrant(
        GROUP_SIZE,
        (rec, buf, result) => c.getgrgid_r(gid, rec, buf, buf.length, result),
        (rec) => (groupName = c.decodeGroupName(rec)),
      );
      return groupName;
    }),
  );
  const groupNames = names.filter((n): n is string => n !== undefined);
  return {
    name: user.pw_name,
    uid: user.pw_uid,
    gid: user.pw_gid,
    groups,
    groupNames,
    home: user.pw_dir,
    shell: user.pw_shell,
  };
}

/** The local account named `name`, or null when the user database has none. */
export function lookupLocalAccount(name: string): LocalAccount | null {
  const c = bind();
  const ptr = c.getpwnam(name);
  if (ptr === null || ptr === 0n) return null;
  const pw = c.decodePasswd(ptr);
  const attempts = groupListAttempts();
  let step = attempts.next();
  while (step.done !== true)
    step = attempts.next(c.getgrouplist(pw.pw_name, pw.pw_gid, step.value.buf, step.value.count));
  const groups = step.value;
  const groupNames = groups.flatMap((gid) => {
    const g = c.getgrgid(gid);
    return g === null || g === 0n ? [] : [c.decodeGroupName(g)];
  });
  return { name: pw.pw_name, uid: pw.pw_uid, gid: pw.pw_gid, groups, groupNames, home: pw.pw_dir, shell: pw.pw_shell };
}
