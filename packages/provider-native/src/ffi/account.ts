/**
 * Local account lookup for a mapped principal (what gss_localname names): uid, primary gid and
 * supplementary groups from the system's user database (NSS), through libc. Synchronous and on
 * the main thread only (getpwnam/getgrgid use static storage), called once per token.
 */
import { gssLibrary } from './library.js';

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

function bind(): Libc {
  if (libc !== undefined) return libc;
  const { koffi } = gssLibrary();
  const lib = koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
  // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos; char *pw_dir; char *pw_shell; };
  const passwd = koffi.struct('passwd', {
    pw_name: 'const char *', pw_passwd: 'const char *', pw_uid: 'uint32_t', pw_gid: 'uint32_t',
    pw_gecos: 'const char *', pw_dir: 'const char *', pw_shell: 'const char *',
  });
  // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; };
  const group = koffi.struct('group', { gr_name: 'const char *', gr_passwd: 'const char *', gr_gid: 'uint32_t', gr_mem: 'void *' });
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

/** The local account named `name`, or null when the user database has none. */
export function lookupLocalAccount(name: string): LocalAccount | null {
  const c = bind();
  const ptr = c.getpwnam(name);
  if (ptr === null || ptr === 0n) return null;
  const pw = c.decodePasswd(ptr);
  let size = 64;
  let groups: number[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const buf = Buffer.alloc(size * 4);
    const count = Buffer.alloc(4);
    count.writeInt32LE(size, 0);
    const rc = c.getgrouplist(pw.pw_name, pw.pw_gid, buf, count);
    const n = count.readInt32LE(0);
    if (rc >= 0) {
      groups = Array.from({ length: n }, (_, i) => buf.readUInt32LE(i * 4));
      break;
    }
    size = Math.max(n, size * 2);
  }
  const groupNames = groups.flatMap((gid) => {
    const g = c.getgrgid(gid);
    return g === null || g === 0n ? [] : [c.decodeGroupName(g)];
  });
  return { name: pw.pw_name, uid: pw.pw_uid, gid: pw.pw_gid, groups, groupNames, home: pw.pw_dir, shell: pw.pw_shell };
}
