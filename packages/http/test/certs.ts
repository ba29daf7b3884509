/** Throwaway certificates for the TLS tests, from `openssl req` (node:crypto cannot make X.509). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

/** A self-signed certificate for localhost signed with `digest` (sha1, sha256, sha384 …) over `keyType`. */
export function makeCertificate(digest: string, keyType: 'rsa' | 'ec' = 'ec'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sspkit-http-cert-'));
  try {
    const newkey =
      keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        ...newkey,
        `-${digest}`,
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'k'),
        '-out',
        join(dir, 'c'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'k'), 'utf8'), cert: readFileSync(join(dir, 'c'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
