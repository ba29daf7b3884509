/**
 * A throw-away Apache httpd with mod_auth_digest on a free loopback port: private config, htdigest file
 * written by the test, started in the foreground and stopped by its PID. Nothing under /etc is touched.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatHtdigestLine, lookupAlgorithm, userRealmPasswordHash } from '@sspkit/digest';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

/** Whether Apache with mod_auth_digest is installed (apt: apache2). */
export function apacheAvailable(): boolean {
  return (
    existsSync(APACHE) && existsSync(join(MODULES, 'mod_auth_digest.so')) && spawnSync(APACHE, ['-v']).status === 0
  );
}

/** A free TCP port on 127.0.0.1 (bound and released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`apache2 exited with ${child.exitCode}`));
        return;
      }
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error('apache2 did not start listening'));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** A running Apache. */
export interface ApacheServer {
  readonly port: number;
  readonly dir: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** Starts Apache protecting `/` with Digest for the given users (passwords hashed into htdigest). */
export async function startApache(
  realm: string,
  users: ReadonlyArray<{ username: string; password: string }>,
  nonceLifetimeSeconds = 300,
): Promise<ApacheServer> {
  const dir = mkdtempSync(join(tmpdir(), 'digest-apache-'));
  const docs = join(dir, 'htdocs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'index.html'), 'apache index\n');
  writeFileSync(join(docs, 'second.txt'), 'apache second\n');
  const md5 = lookupAlgorithm('MD5');
  if (md5 === undefined) throw new Error('MD5 missing from the algorithm table');
  writeFileSync(
    join(dir, 'htdigest'),
    users
      .map((u) => formatHtdigestLine(u.username, realm, userRealmPasswordHash(md5, u.username, realm, u.password)))
      .join('\n') + '\n',
  );
  const port = await freePort();
  const conf = `
ServerRoot ${dir}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn auth_digest:info
User www-data
Group www-data
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authn_file_module ${MODULES}/mod_authn_file.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule auth_digest_module ${MODULES}/mod_auth_digest.so
DocumentRoot ${docs}
KeepAlive On
MaxKeepAliveRequests 1000
AuthDigestShmemSize 65536
<Location />
  AuthType Digest
  AuthName "${realm}"
  AuthDigestProvider file
  AuthUserFile ${dir}/htdigest
  AuthDigestQop auth
  AuthDigestNonceLifetime ${nonceLifetimeSeconds}
  Require valid-user
</Location>
`;
  writeFileSync(join(dir, 'httpd.conf'), conf);
  // The worker processes run as www-data and must read the files.
  for (const p of [dir, docs]) chmodSync(p, 0o755);
  const child = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    await waitForPort(port, child, 10_000);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${String(e)}: ${stderr}`);
  }
  return {
    port,
    dir,
    errorLog: () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.pid === undefined) {
          rmSync(dir, { recursive: true, force: true });
          resolve();
          return;
        }
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        // Stop by PID: the foreground parent takes its workers down with it.
        process.kill(child.pid, 'SIGTERM');
      }),
  };
}
