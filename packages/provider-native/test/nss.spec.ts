import { describe, expect, it } from 'vitest';
import { nssIsLocal, nssSources } from '../src/ffi/nss.js';

describe('nsswitch.conf classification', () => {
  it('reads the sources of a database, without comments and action items', () => {
    const conf =
      '# comment\npasswd:  files [NOTFOUND=return] sss # trailing\ngroup:\tfiles systemd\nhosts: files dns\n';
    expect(nssSources(conf, 'passwd')).toEqual(['files', 'sss']);
    expect(nssSources(conf, 'group')).toEqual(['files', 'systemd']);
    expect(nssSources(conf, 'shadow')).toBeNull();
  });

  it('is local only when passwd and group both use local sources', () => {
    expect(nssIsLocal('passwd: files systemd\ngroup: files systemd\n')).toBe(true);
    expect(nssIsLocal('passwd: files\n')).toBe(true); // group missing: glibc's default, files
    expect(nssIsLocal('passwd: files sss\ngroup: files sss\n')).toBe(false);
    expect(nssIsLocal('passwd: files\ngroup: files ldap\n')).toBe(false);
    expect(nssIsLocal('passwd: compat\ngroup: compat\n')).toBe(false); // NIS entries possible
    expect(nssIsLocal('passwd: files winbind\ngroup: files\n')).toBe(false);
    expect(nssIsLocal('passwd: files frobnicate\ngroup: files\n')).toBe(false); // unknown: may wait
    expect(nssIsLocal('')).toBe(true);
  });
});
