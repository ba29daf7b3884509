/**
 * A throwaway Apache httpd on a free loopback port protecting `/` with mod_auth_gssapi (Negotiate,
 * Kerberos from a lab keytab) and, optionally, serving https with a self-signed certificate. Private
 * config, copies of the keytab and krb5.conf readable by Apache's workers, started in the foreground
 * and stopped by its PID. Nothing under /etc is touched.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@sspkit/krb5-lab';
import { findFreeLoopbackPort, waitForTcp } from '@sspkit/krb5-lab';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

export function gssapiApacheMissing(): string | null {
  if (!existsSync(APACHE)) return 'apache2 missing (apt-get install apache2)';
  if (!existsSync(join(MODULES, 'mod_auth_gssapi.so')))
    return 'mod_auth_gssapi missing (apt-get install libapache2-mod-auth-gssapi)';
  return null;
}

export interface GssapiApache {
  readonly port: number;
  readonly tls: boolean;
  errorLog(): string;
  stop(): Promise<void>;
}

/** NTLM through gss-ntlmssp instead of Kerberos: its users (`DOMAIN:user:password` lines, NTLM_USER_FILE). */
export interface NtlmsspOptions {
  readonly users: readonly { readonly domain: string; readonly user: string; readonly password: string }[];
}

/**
 * Starts Apache with Negotiate for the lab's HTTP/localhost keytab (krb5 only), or with `ntlmssp`
 * NTLM inside Negotiate through gss-ntlmssp, connection-bound (its handshake spans requests).
 */
export async function startGssapiApache(
  lab: Lab,
  tls?: { key: string; cert: string },
  ntlmssp?: NtlmsspOptions,
): Promise<GssapiApache> {
  const dir = mkdtempSync(join(tmpdir(), 'sspkit-apache-gssapi-'));
  const docs = join(dir, 'htdocs');
  mkdirSync(docs);
  mkdirSync(join(dir, 'rcache'));
  writeFileSync(join(docs, 'index.html'), 'apache gssapi index\n');
  if (ntlmssp !== undefined)
    writeFileSync(join(dir, 'ntlm-users'), ntlmssp.users.map((u) => `${u.domain}:${u.user}:${u.password}\n`).join(''));
  copyFileSync(lab.serviceKeytab, join(dir, 'http.keytab'));
  copyFileSync(lab.krb5Conf, join(dir, 'krb5.conf'));
  if (tls !== undefined) {
    writeFileSync(join(dir, 'server.key'), tls.key);
    writeFileSync(join(dir, 'server.crt'), tls.cert);
  }
  const port = await findFreeLoopbackPort();
  const ssl =
    tls === undefined
      ? ''
      : `LoadModule ssl_module ${MODULES}/mod_ssl.so
SSLEngine on
SSLCertificateFile ${dir}/server.crt
SSLCertificateKeyFile ${dir}/server.key
SSLSessionCache none
`;
  const conf = `
ServerRoot ${dir}
ServerName localhost
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn auth_gssapi:info
User www-data
Group www-data
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule auth_gssapi_module ${MODULES}/mod_auth_gssapi.so
${ssl}
DocumentRoot ${docs}
KeepAlive On
MaxKeepAliveRequests 100000
<Location />
  AuthType GSSAPI
  AuthName "sspkit"
${ntlmssp !== undefined ? '' : `  GssapiCredStore keytab:${dir}/http.keytab\n`}  GssapiAllowedMech ${ntlmssp !== undefined ? 'ntlmssp' : 'krb5'}
  GssapiConnectionBound ${ntlmssp !== undefined ? 'On' : 'Off'}
  GssapiBasicAuth Off
  Require valid-user
</Location>
`;
  writeFileSync(join(dir, 'httpd.conf'), conf);
  // The workers run as www-data and must read the keytab, krb5.conf and documents; the replay cache is theirs.
  for (const p of [dir, docs]) chmodSync(p, 0o755);
  for (const f of ['http.keytab', 'krb5.conf', ...(ntlmssp !== undefined ? ['ntlm-users'] : [])])
    chmodSync(join(dir, f), 0o644);
  chmodSync(join(dir, 'rcache'), 0o1777);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KRB5_CONFIG: join(dir, 'krb5.conf'),
    KRB5RCACHEDIR: join(dir, 'rcache'),
    KRB5_KTNAME: join(dir, 'http.keytab'),
  };
  // Kerberos alone: an empty mechanism list keeps gss-ntlmssp out. NTLM: the system's list (it names
  // gss-ntlmssp) and the users file.
  if (ntlmssp === undefined) env['GSS_MECH_CONFIG'] = lab.mechConfig;
  else {
    delete env['GSS_MECH_CONFIG'];
    env['NTLM_USER_FILE'] = join(dir, 'ntlm-users');
  }
  const child = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    await waitForTcp(port, 10_000, () => child.exitCode === null);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${String(e)}: ${stderr}`);
  }
  return {
    port,
    tls: tls !== undefined,
    errorLog: () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.pid === undefined) return done();
        child.once('exit', done);
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}
