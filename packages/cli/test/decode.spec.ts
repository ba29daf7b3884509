import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeCommand } from '@sspkit/cli';
import type { Explanation } from '@sspkit/decode';

const rec = JSON.parse(readFileSync(new URL('../../decode/test/fixtures/tokens.json', import.meta.url), 'utf8')) as {
  Kerberos: string[];
  NTLM: string[];
  keytab: string;
};

function run(
  input: string | Uint8Array,
  options: { json?: boolean; keytab?: string } = {},
): { code: number; out: string } {
  const out: string[] = [];
  const code = decodeCommand(input, options, (s) => out.push(s));
  return { code, out: out.join('\n') };
}

describe('sspkit decode', () => {
  it('prints JSON (schema sspkit.decode/1) and exits 0 when everything decoded', () => {
    const r = run(`Authorization: NTLM ${rec.NTLM[2]}`, { json: true });
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out) as Explanation;
    expect(e).toMatchObject({
      schema: 'sspkit.decode/1',
      input: { form: 'header', header: 'Authorization', scheme: 'NTLM' },
    });
    expect(e.tokens[0]?.kind).toBe('ntlm');
  });

  it('decrypts with --keytab; exits 2 on an unreadable or invalid keytab', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspkit-decode-'));
    try {
      const kt = join(dir, 'http.keytab');
      writeFileSync(kt, Buffer.from(rec.keytab, 'base64'));
      const r = run(rec.Kerberos[0]!, { keytab: `FILE:${kt}` });
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/cname: alice/);
      expect(run(rec.Kerberos[0]!, { keytab: join(dir, 'missing') })).toMatchObject({
        code: 2,
        out: expect.stringMatching(/ENOENT/),
      });
      writeFileSync(join(dir, 'bad'), 'not a keytab');
      expect(run(rec.Kerberos[0]!, { keytab: join(dir, 'bad') }).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 and says where it stopped on a truncated token, printing what came before', () => {
    const cut = Buffer.from(rec.Kerberos[0]!, 'base64').subarray(0, 300).toString('base64');
    const r = run(cut);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/stopped at byte \d+/);
  });

  it('reads the token from standard input as the installed command (`-`)', () => {
    const bin = fileURLToPath(new URL('../bin/sspkit.mjs', import.meta.url));
    const raw = Buffer.from(rec.NTLM[0]!, 'base64');
    const r = spawnSync(process.execPath, [bin, 'decode', '-', '--json'], { input: raw, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Explanation).input.form).toBe('raw');
    const garbage = spawnSync(process.execPath, [bin, 'decode'], {
      input: Buffer.from([0x60, 0x82, 0xff]),
      encoding: 'utf8',
    });
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toBe('');
  });
});
