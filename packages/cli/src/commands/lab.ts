import { labDown, labList, labPublicInfo, labShellExports, labUp } from '@sspkit/krb5-lab';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { toJson } from '../format.js';
import { chooseLab, severalLabsMessage } from '../lab-pointer.js';

/** `sspkit lab up [--dir D] [--realm R] [--json]`: a throwaway MIT realm on a free loopback port. */
export async function labUpCommand(
  options: { dir?: string; realm?: string; json?: boolean },
  write: (s: string) => void,
): Promise<number> {
  const lab = await labUp({
    ...(options.dir !== undefined ? { dir: options.dir } : {}),
    ...(options.realm !== undefined ? { realm: options.realm } : {}),
    detached: true,
  });
  if (options.json) {
    write(toJson(labPublicInfo(lab)));
    return 0;
  }
  write(
    [
      `# sspkit lab: realm ${lab.realm}, KDC pid ${lab.pid} on 127.0.0.1:${lab.port}, in ${lab.dir}`,
      `# user ${lab.userPrincipal} (ccache ${lab.ccache}; password in ${lab.dir}/lab.json, mode 0600)`,
      `# service ${lab.servicePrincipal} (keytab ${lab.serviceKeytab})`,
      '# `sspkit handshake --package Kerberos` uses this lab; other programs: eval "$(sspkit lab up)"',
      labShellExports(lab),
    ].join('\n'),
  );
  return 0;
}

/**
 * `sspkit lab down [--dir D] [--json]`: stops the KDC by PID and removes the lab. Without `--dir`,
 * the one lab this user has running; with several, nothing is stopped and they are listed.
 */
export async function labDownCommand(
  options: { dir?: string; json?: boolean },
  write: (s: string) => void,
): Promise<number> {
  const choice = chooseLab(options.dir, true);
  if (!('dir' in choice)) {
    const error = 'none' in choice ? 'no lab running (give --dir)' : severalLabsMessage(choice.several, '--dir');
    write(options.json ? toJson({ ok: false, error }) : `sspkit lab down: ${error}`);
    return 2;
  }
  const known = labList().find((l) => l.dir === resolvedPath(choice.dir));
  try {
    await labDown(choice.dir);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    write(options.json ? toJson({ ok: false, dir: choice.dir, error }) : `sspkit lab down: ${error}`);
    return 1;
  }
  const { realm, pid } = known ?? { realm: undefined, pid: undefined };
  write(
    options.json
      ? toJson({ ok: true, dir: choice.dir, realm, pid })
      : `sspkit lab: stopped KDC ${pid ?? '?'} and removed ${choice.dir}`,
  );
  return 0;
}

/** `sspkit lab status [--json]`: this user's labs, each with whether its KDC runs. */
export function labStatusCommand(options: { json?: boolean }, write: (s: string) => void): number {
  const labs = labList();
  if (options.json) {
    write(toJson(labs.map(({ id: _id, ...rest }) => rest)));
    return 0;
  }
  if (labs.length === 0) {
    write('sspkit lab: no lab');
    return 0;
  }
  for (const l of labs) {
    const state = l.running ? `KDC pid ${l.pid} on 127.0.0.1:${l.port}` : 'KDC not running';
    write(`${l.dir}  realm ${l.realm}, ${state}, since ${l.created}`);
  }
  return 0;
}

function resolvedPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}
