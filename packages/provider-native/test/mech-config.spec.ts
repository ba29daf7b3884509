import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excludeNtlmsspPlugin, withoutNtlmssp } from '../src/ffi/mech-config.js';

const NTLMSSP = 'gssntlmssp_v1\t\t1.3.6.1.4.1.311.2.2.10\t        /usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so';
const PROXY = 'gssproxy_v1  2.16.840.1.113730.3.8.15.1  /usr/lib64/gssproxy/proxymech.so  <interposer>';

describe('gss-ntlmssp left out of the mechanism list', () => {
  it('drops only the NTLMSSP line (comments and other plugins stay)', () => {
    const out = withoutNtlmssp(['# a comment', `${NTLMSSP}\n${PROXY}`]);
    expect(out).toBeDefined();
    expect(out).not.toContain('1.3.6.1.4.1.311.2.2.10');
    expect(out).toContain(PROXY);
    expect(withoutNtlmssp([PROXY])).toBeUndefined();
  });

  it('points GSS_MECH_CONFIG at a private copy, only when the system names the plugin and the caller set nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'mech-config-'));
    try {
      const dir = join(root, 'mech.d');
      mkdirSync(dir);
      writeFileSync(join(dir, 'mech.ntlmssp.conf'), `${NTLMSSP}\n`);
      writeFileSync(join(dir, 'proxy.conf'), `${PROXY}\n`);
      const env: NodeJS.ProcessEnv = {};
      const path = excludeNtlmsspPlugin(env, dir, join(root, 'mech'));
      expect(env['GSS_MECH_CONFIG']).toBe(path);
      const text = readFileSync(path!, 'utf8');
      expect(text).toContain(PROXY);
      expect(text).not.toContain('gssntlmssp.so');
      const set: NodeJS.ProcessEnv = { GSS_MECH_CONFIG: '/etc/my-mechs' };
      expect(excludeNtlmsspPlugin(set, dir, join(root, 'mech'))).toBeUndefined();
      expect(set['GSS_MECH_CONFIG']).toBe('/etc/my-mechs');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
