/** Test helper: runs a client program (curl, python3) asynchronously, so the server in this process keeps answering. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProgramResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runProgram(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
  cwd?: string,
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      ...(cwd !== undefined ? { cwd } : {}),
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export const PYTHON_CLIENT = join(import.meta.dirname, 'http_client.py');

/**
 * An OPENSSL_CONF enabling OpenSSL 3's legacy provider, for python3-ntlm-auth's hashlib.new('md4')
 * (MD4 left the default provider). Only the Python process gets it.
 */
export function legacyOpensslConf(dir: string): string {
  const file = join(dir, 'openssl-legacy.cnf');
  writeFileSync(
    file,
    [
      'openssl_conf = openssl_init',
      '[openssl_init]',
      'providers = provider_sect',
      '[provider_sect]',
      'default = default_sect',
      'legacy = legacy_sect',
      '[default_sect]',
      'activate = 1',
      '[legacy_sect]',
      'activate = 1',
      '',
    ].join('\n'),
  );
  return file;
}

/** Parses the python client's JSON lines. */
export function pythonReplies(stdout: string): {
  status: number;
  body: string;
  history: number[];
  www_authenticate: string | null;
  authentication_info: string | null;
}[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map(
      (l) =>
        JSON.parse(l) as {
          status: number;
          body: string;
          history: number[];
          www_authenticate: string | null;
          authentication_info: string | null;
        },
    );
}
