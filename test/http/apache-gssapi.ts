/**
 * A throwaway Apache httpd on a free loopback port protecting `/` with mod_auth_gssapi (Negotiate,
 * Kerberos from a lab keytab) and, optionally, serving https with a self-signed certificate. Private
 * config, copies of the keytab and krb5.conf readable by Apache's workers, started in the foreground
 * and stopped by its PID. Nothing under /etc is touched.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@sspkit/krb5-lab';
import { findFreeLoopbackPort, waitForTcp } from '@sspkit/krb5-lab';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

export function gssapiApacheMissing(): string | null {
  if (!existsSync(APACHE)) return 'apache2 missing (apt-get install apache2)';
  if (!existsSync(join(MODULES, 'mod_auth_gssapi.so'))) return 'mod_auth_gssapi missing (apt-get install libapache2-mod-auth-gssapi)';
  return null;
}

export interface GssapiApache {
  readonly port: number;
  readonly tls: boolean;
  errorLog(): string;
  stop(): Promise<void>;
}

/** Starts Apache with Negotiate (krb5 only) for the lab's HTTP/localhost keytab. */
export async function startGssapiApache(lab: Lab, tls?: { key: string; cert: string }): Promise<GssapiApache> {
  const dir = mkdtempSync(join(tmpdir(), 'sspkit-apache-gssapi-'));
  const docs = join(dir, 'htdocs');
  mkdirSync(docs);
  mkdirSync(join(dir, 'rcache'));
  writeFileSync(join(docs, 'index.html'), 'apache gssapi index\n');
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
  GssapiCredStore keytab:${dir}/http.keytab
  GssapiAllowedMech krb5
  GssapiBasicAuth Off
  Require valid-user
</Location>
`;
  writeFileSync(join(dir, 'httpd.conf'), conf);
  // The workers run as www-data and must read the keytab, krb5.conf and documents; the replay cache is theirs.
  for (const p of [dir, docs]) chmodSync(p, 0o755);
  for (const f of ['http.keytab', 'krb5.conf']) chmodSync(join(dir, f), 0o644);
  chmodSync(join(dir, 'rcache'), 0o1777);
  const env = { ...process.env, KRB5_CONFIG: join(dir, 'krb5.conf'), KRB5RCACHEDIR: join(dir, 'rcache'), KRB5_KTNAME: join(dir, 'http.keytab'), GSS_MECH_CONFIG: lab.mechConfig };
  const child = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'], env });
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
