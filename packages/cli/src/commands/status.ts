import { allStatuses, describeStatus, statusFromName } from '@sspkit/core';
import type { StatusInfo } from '@sspkit/core';

/** The `--json` shape of one status (stable). */
export interface StatusJson {
  value: number;
  hex: string;
  name: string;
  severity: 'success' | 'informational' | 'error';
  success: boolean;
  meaning: string;
}

function toJson(s: StatusInfo): StatusJson {
  return {
    value: s.value,
    hex: s.hex,
    name: s.name,
    severity: s.severity,
    success: s.severity !== 'error',
    meaning: s.meaning,
  };
}

/** Parses 0x80090308, 2148074248, -2146893048 or SEC_E_INVALID_TOKEN. */
export function parseStatus(text: string): number | undefined {
  const t = text.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return Number(t) >>> 0;
  if (/^-?\d+$/.test(t)) {
    const n = Number(t);
    return n >= -0x80000000 && n <= 0xffffffff ? n >>> 0 : undefined;
  }
  return statusFromName(t);
}

/** `sspkit status CODE|NAME [--json]` and `sspkit status --all [--json]`. */
export function statusCommand(
  code: string | undefined,
  options: { all?: boolean; json?: boolean },
  write: (s: string) => void,
): number {
  if (options.all) {
    const all = allStatuses();
    write(
      options.json
        ? JSON.stringify(all.map(toJson), null, 2)
        : all.map((s) => `${s.hex}  ${s.name.padEnd(36)}  ${s.meaning}`).join('\n'),
    );
    return 0;
  }
  if (code === undefined) {
    write('sspkit status: give a status code or name, or --all');
    return 2;
  }
  const value = parseStatus(code);
  if (value === undefined) {
    write(
      options.json
        ? JSON.stringify({ error: `unknown status: ${code}` })
        : `sspkit status: unknown status name "${code}"`,
    );
    return 2;
  }
  const s = describeStatus(value);
  write(options.json ? JSON.stringify(toJson(s), null, 2) : `${s.hex}  ${s.name}  (${s.severity})\n${s.meaning}`);
  return 0;
}
