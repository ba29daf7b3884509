import { labDown, labPublicInfo, labShellExports, labUp, readLab } from '@sspkit/krb5-lab';
import { toJson } from '../format.js';
import { currentLabDir, forgetLab, rememberLab } from '../lab-pointer.js';

/** `sspkit lab up [--dir D] [--realm R] [--json]`: a throwaway MIT realm on a free loopback port. */
export async function labUpCommand(options: { dir?: string; realm?: string; json?: boolean }, write: (s: string) => void): Promise<number> {
  const lab = await labUp({ ...(options.dir !== undefined ? { dir: options.dir } : {}), ...(options.realm !== undefined ? { realm: options.realm } : {}), detached: true });
  rememberLab(lab.dir);
  if (options.json) {
    write(toJson(labPublicInfo(lab)));
    return 0;
  }
  write(
    [
      `# sspkit lab: realm ${lab.realm}, KDC pid ${lab.pid} on 127.0.0.1:${lab.port}, in ${lab.dir}`,
      `# user ${lab.userPrincipal} (TGT in ${lab.ccache}; password in ${lab.dir}/lab.json, mode 0600)`,
      `# service ${lab.servicePrincipal} (keytab ${lab.serviceKeytab})`,
      '# `sspkit handshake --package Kerberos` uses this lab; other programs: eval "$(sspkit lab up)"',
      labShellExports(lab),
    ].join('\n'),
  );
  return 0;
}

/** `sspkit lab down [--dir D] [--json]`: stops the KDC by PID and removes the lab. */
export async function labDownCommand(options: { dir?: string; json?: boolean }, write: (s: string) => void): Promise<number> {
  const dir = currentLabDir(options.dir);
  if (!dir) {
    write(options.json ? toJson({ ok: false, error: 'no lab running (give --dir)' }) : 'sspkit lab down: no lab running (give --dir)');
    return 2;
  }
  const lab = readLab(dir);
  const { pid, realm } = lab;
  await labDown(lab);
  forgetLab(dir);
  write(options.json ? toJson({ ok: true, dir, realm, pid }) : `sspkit lab: stopped KDC ${pid} and removed ${dir}`);
  return 0;
}
