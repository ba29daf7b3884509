/**
 * Test helper: a throwaway Samba Active Directory domain controller on loopback — the real source
 * of PAC-bearing tickets (MIT KDCs issue no logon-information buffer). Provisioned into a temp
 * directory with only its KDC running, on free loopback ports, one user in one extra group and an
 * `HTTP/localhost` service account with AES keys; stopped by PID (and by the kernel, through
 * setpriv's parent-death signal, should this process die first). Samba's AD DC runs as root only.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreeLoopbackPort, isAlive, locate, waitForTcp } from '@sspkit/krb5-lab';

const run = promisify(execFile);

/** Debian's own interpreter: the samba Python modules are installed for it, not for pyenv's. */
const PYTHON = '/usr/bin/python3';

export interface SambaDc {
  readonly dir: string;
  readonly realm: string;
  /** NetBIOS domain name. */
  readonly domain: string;
  readonly kdcPort: number;
  pid: number;
  readonly keytab: string;
  readonly user: { readonly name: string; readonly password: string; readonly sid: string };
  readonly groupSid: string;
  readonly domainSid: string;
  /** KRB5_CONFIG and KRB5RCACHEDIR for this realm. */
  readonly env: Readonly<Record<string, string>>;
}

/** Why a Samba DC cannot be started here, or null when it can. */
export function sambaMissing(): string | null {
  if (process.getuid?.() !== 0) return 'a Samba AD DC runs as root only';
  for (const program of ['samba', 'samba-tool'])
    if (locate(program) === null) return `${program} not found (Debian packages samba, samba-ad-provision)`;
  try {
    execFileSync(PYTHON, ['-c', 'import samba.samdb, ldb'], { stdio: 'ignore' });
  } catch {
    return `${PYTHON} cannot import the samba modules (Debian package python3-samba)`;
  }
  return null;
}

// msDS-SupportedEncryptionTypes = AES128 | AES256; without it the exported keytab holds RC4 only.
const AES_ONLY = `
import sys, ldb
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm
lp = LoadParm(); lp.load(sys.argv[1])
db = SamDB(url=lp.samdb_url(), session_info=system_session(), lp=lp)
dn = db.search(base=db.domain_dn(), expression="(sAMAccountName=%s)" % sys.argv[2], attrs=[])[0].dn
m = ldb.Message(); m.dn = dn
m["e"] = ldb.MessageElement("24", ldb.FLAG_MOD_REPLACE, "msDS-SupportedEncryptionTypes")
db.modify(m)
`;

async function objectSid(conf: string, kind: 'user' | 'group', name: string): Promise<string> {
  const { stdout } = await run('samba-tool', [kind, 'show', name, '-s', conf, '--attributes=objectSid']);
  const sid = /^objectSid: (S-[\d-]+)$/m.exec(stdout)?.[1];
  if (sid === undefined) throw new Error(`no objectSid for ${kind} ${name}`);
  return sid;
}

/** Provisions and starts the DC (about 5 s). */
export async function sambaUp(): Promise<SambaDc> {
  const dir = mkdtempSync(join(tmpdir(), 'sspkit-samba-'));
  try {
    const realm = 'SSPKIT.AD';
    const domain = 'SSPKIT';
    const kdcPort = await findFreeLoopbackPort();
    let kpasswdPort = await findFreeLoopbackPort();
    while (kpasswdPort === kdcPort) kpasswdPort = await findFreeLoopbackPort();
    const runDir = join(dir, 'dc', 'run');
    await run('samba-tool', [
      'domain',
      'provision',
      `--targetdir=${join(dir, 'dc')}`,
      `--realm=${realm}`,
      `--domain=${domain}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      '--use-rfc2307',
      '--adminpass=Adm1n!Passw0rd-lab',
      '--host-name=dc1',
      '--host-ip=127.0.0.1',
      '--option=netbios name=DC1',
      '--option=interfaces=lo',
      '--option=bind interfaces only=yes',
      '--option=server services=kdc',
      `--option=krb5 port=${kdcPort}`,
      `--option=kpasswd port=${kpasswdPort}`,
      `--option=pid directory=${runDir}`,
      `--option=ncalrpc dir=${join(runDir, 'ncalrpc')}`,
      `--option=winbindd socket directory=${join(runDir, 'winbindd')}`,
      `--option=log file=${join(dir, 'dc', 'log.%m')}`,
      '--option=logging=file',
    ]);
    mkdirSync(runDir, { recursive: true });
    const conf = join(dir, 'dc', 'etc', 'smb.conf');
    // Accounts are written to the database directly, before the DC starts (no LDAP server runs).
    const user = { name: 'carol', password: 'Car0l!Passw0rd-lab' };
    await run('samba-tool', ['user', 'create', user.name, user.password, '-s', conf]);
    await run('samba-tool', ['group', 'add', 'sspkit-readers', '-s', conf]);
    await run('samba-tool', ['group', 'addmembers', 'sspkit-readers', user.name, '-s', conf]);
    await run('samba-tool', ['user', 'create', 'httpsvc', 'Svc!Passw0rd-lab-123', '-s', conf]);
    await run('samba-tool', ['spn', 'add', 'HTTP/localhost', 'httpsvc', '-s', conf]);
    await run(PYTHON, ['-c', AES_ONLY, conf, 'httpsvc']);
    const keytab = join(dir, 'http.keytab');
    await run('samba-tool', ['domain', 'exportkeytab', keytab, '--principal=HTTP/localhost', '-s', conf]);
    const userSid = await objectSid(conf, 'user', user.name);
    const groupSid = await objectSid(conf, 'group', 'sspkit-readers');
    const krb5Conf = join(dir, 'krb5.conf');
    writeFileSync(
      krb5Conf,
      [
        '[libdefaults]',
        `  default_realm = ${realm}`,
        '  dns_lookup_kdc = false',
        '  dns_lookup_realm = false',
        '  dns_canonicalize_hostname = false',
        '  rdns = false',
        '  udp_preference_limit = 1',
        '[realms]',
        `  ${realm} = {`,
        `    kdc = 127.0.0.1:${kdcPort}`,
        '  }',
        '[domain_realm]',
        `  localhost = ${realm}`,
        '',
      ].join('\n'),
    );
    const rcache = join(dir, 'rcache');
    mkdirSync(rcache, { mode: 0o700 });

    const samba = ['-i', '-M', 'single', '-s', conf];
    const setpriv = locate('setpriv');
    const child =
      setpriv === null
        ? spawn('samba', samba, { stdio: 'ignore' })
        : spawn(setpriv, ['--pdeathsig', 'TERM', '--', locate('samba') ?? 'samba', ...samba], { stdio: 'ignore' });
    if (child.pid === undefined) throw new Error('samba did not start');
    let exited = false;
    child.once('exit', () => (exited = true));
    child.unref();
    const dc: SambaDc = {
      dir,
      realm,
      domain,
      kdcPort,
      pid: child.pid,
      keytab,
      user: { ...user, sid: userSid },
      groupSid,
      domainSid: userSid.slice(0, userSid.lastIndexOf('-')),
      env: { KRB5_CONFIG: krb5Conf, KRB5RCACHEDIR: rcache },
    };
    try {
      await waitForTcp(kdcPort, 15_000, () => !exited);
    } catch (err) {
      await sambaDown(dc);
      throw err;
    }
    return dc;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Stops the DC by its PID and removes its directory. */
export async function sambaDown(dc: SambaDc | undefined): Promise<void> {
  if (dc === undefined) return;
  if (dc.pid !== 0) {
    try {
      process.kill(dc.pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && isAlive(dc.pid)) await new Promise((r) => setTimeout(r, 20));
      if (isAlive(dc.pid)) process.kill(dc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    dc.pid = 0;
  }
  rmSync(dc.dir, { recursive: true, force: true });
}
