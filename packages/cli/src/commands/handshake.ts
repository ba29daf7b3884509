import {
  AscReq,
  AscRet,
  IscReq,
  IscRet,
  SecPkgAttrExtra,
  SecStatus,
  clientContext,
  flagNames,
  formatStatus,
  isSspiError,
  runHandshake,
  serverContext,
  statusName,
} from '@sspkit/core';
import type { AccessToken, ClientContext, LegRecord, ServerContext } from '@sspkit/core';
import type { HandshakeInputs } from '../catalog.js';
import { table, toJson } from '../format.js';
import type { LoadedSspi } from '../load.js';

/** One leg in `--json` output. */
export interface LegJson {
  side: 'client' | 'server';
  status: string;
  statusCode: string;
  inputBytes: number;
  outputBytes: number;
  completeAuthToken?: { status: string; statusCode: string };
}

/** A message-protection round trip in `--json` output. */
export interface RoundTripJson {
  status: string;
  statusCode: string;
  bytes?: number;
  hidesPlaintext?: boolean;
}

/** The `--json` shape of `sspkit handshake` (stable; documented in the CLI README). */
export interface HandshakeJson {
  ok: boolean;
  package: string;
  target: string;
  user: string | undefined;
  legs: LegJson[];
  /** The package a negotiating package (Negotiate) chose, from SECPKG_ATTR_NEGOTIATION_PACKAGE. */
  negotiated?: string;
  client?: { flags: number; flagNames: string[] };
  server?: { flags: number; flagNames: string[] };
  token?: AccessToken | { status: string; statusCode: string };
  signature?: RoundTripJson;
  encryption?: RoundTripJson;
  error?: { status: string; statusCode: string; operation: string | undefined };
}

const enc = new TextEncoder();
const CLIENT_REQ =
  IscReq.MUTUAL_AUTH |
  IscReq.REPLAY_DETECT |
  IscReq.SEQUENCE_DETECT |
  IscReq.CONFIDENTIALITY |
  IscReq.INTEGRITY |
  IscReq.CONNECTION;
const SERVER_REQ =
  AscReq.REPLAY_DETECT | AscReq.SEQUENCE_DETECT | AscReq.CONFIDENTIALITY | AscReq.INTEGRITY | AscReq.CONNECTION;

function statusJson(status: number): { status: string; statusCode: string } {
  return { status: statusName(status), statusCode: formatStatus(status) };
}

function legJson(l: LegRecord): LegJson {
  const out: LegJson = {
    side: l.side,
    ...statusJson(l.status),
    inputBytes: l.inputLength,
    outputBytes: l.outputLength,
  };
  if (l.completeAuthToken) out.completeAuthToken = statusJson(l.completeAuthToken.status);
  return out;
}

function attempt<T>(fn: () => T): { value: T } | { status: number } {
  try {
    return { value: fn() };
  } catch (e) {
    if (isSspiError(e)) return { status: e.status };
    throw e;
  }
}

/** Runs client and server in this process through the dispatcher and reports every step. */
export async function runHandshakeReport(
  loaded: LoadedSspi,
  packageName: string,
  inputs: HandshakeInputs,
): Promise<HandshakeJson> {
  const info = loaded.sspi.querySecurityPackageInfo(packageName).packageInfo;
  const name = info?.name ?? packageName;
  const entry = loaded.entries.find((e) => e.name.toLowerCase() === name.toLowerCase());
  const creds = entry
    ? entry.credentials(inputs)
    : {
        ...(inputs.user !== undefined
          ? { client: { user: inputs.user, domain: inputs.domain ?? '', password: inputs.password ?? '' } }
          : {}),
        target: inputs.target ?? 'host/localhost',
      };
  const report: HandshakeJson = {
    ok: false,
    package: name,
    target: creds.target,
    user: (creds.client as { user?: string } | undefined)?.user,
    legs: [],
  };
  let client: ClientContext | undefined;
  let server: ServerContext | undefined;
  try {
    client = await clientContext(loaded.sspi, {
      package: name,
      targetName: creds.target,
      requirements: (CLIENT_REQ | (entry?.clientReq ?? 0)) >>> 0,
      ...(creds.client ? { authData: creds.client } : {}),
    });
    server = await serverContext(loaded.sspi, {
      package: name,
      requirements: (SERVER_REQ | (entry?.serverReq ?? 0)) >>> 0,
      ...(creds.server ? { authData: creds.server } : {}),
    });
    try {
      await runHandshake(client, server);
    } finally {
      report.legs = interleave(client.legs, server.legs).map(legJson);
    }
    const chosen = loaded.sspi.queryContextAttributes(server.handle!, SecPkgAttrExtra.NEGOTIATION_PACKAGE);
    const chosenName = (chosen.buffer as { packageInfo?: { name?: unknown } } | undefined)?.packageInfo?.name;
    if (chosen.status === SecStatus.SEC_E_OK && typeof chosenName === 'string') report.negotiated = chosenName;
    report.client = { flags: client.contextAttributes, flagNames: flagNames(IscRet, client.contextAttributes) };
    report.server = { flags: server.contextAttributes, flagNames: flagNames(AscRet, server.contextAttributes) };
    const token = attempt(() => server!.token());
    report.token = 'value' in token ? token.value : statusJson(token.status);

    const data = enc.encode('sspkit round trip: the quick brown fox');
    const sig = attempt(() => {
      const s = client!.sign(data);
      server!.verify(data, s);
      return s.length;
    });
    report.signature =
      'value' in sig ? { ...statusJson(SecStatus.SEC_E_OK), bytes: sig.value } : statusJson(sig.status);
    const seal = attempt(() => {
      const sealed = client!.encrypt(data);
      const hides = !Buffer.from(sealed.data).includes(Buffer.from('quick brown fox'));
      const back = server!.decrypt(sealed);
      const reply = client!.decrypt(server!.encrypt(back));
      if (Buffer.compare(Buffer.from(reply), Buffer.from(data)) !== 0) throw new Error('round trip changed the data');
      return { bytes: sealed.token.length, hides };
    });
    report.encryption =
      'value' in seal
        ? { ...statusJson(SecStatus.SEC_E_OK), bytes: seal.value.bytes, hidesPlaintext: seal.value.hides }
        : statusJson(seal.status);
    // A package without message protection (SEC_E_UNSUPPORTED_FUNCTION) has nothing to round-trip;
    // any other failure of a round trip is a failed run.
    const fine = (st: number | undefined): boolean => st === undefined || st === SecStatus.SEC_E_UNSUPPORTED_FUNCTION;
    report.ok = fine('status' in sig ? sig.status : undefined) && fine('status' in seal ? seal.status : undefined);
  } catch (e) {
    if (!isSspiError(e)) throw e;
    report.error = { ...statusJson(e.status), operation: e.operation };
  } finally {
    client?.dispose();
    server?.dispose();
  }
  return report;
}

function interleave(a: readonly LegRecord[], b: readonly LegRecord[]): LegRecord[] {
  const out: LegRecord[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) out.push(a[i]!);
    if (b[i]) out.push(b[i]!);
  }
  return out;
}

/** Formats the report for people. */
export function formatHandshake(r: HandshakeJson): string {
  const lines: string[] = [
    `Handshake: package ${r.package}, target ${r.target}${r.user ? `, user ${r.user}` : ''}`,
    '',
  ];
  lines.push(
    table(
      ['#', 'side', 'status', 'in', 'out', 'CompleteAuthToken'],
      r.legs.map((l, i) => [
        String(i + 1),
        l.side,
        `${l.status} ${l.statusCode}`,
        `${l.inputBytes} B`,
        `${l.outputBytes} B`,
        l.completeAuthToken ? l.completeAuthToken.status : '',
      ]),
    ),
    '',
  );
  if (r.error) {
    lines.push(`FAILED: ${r.error.operation ?? 'handshake'} returned ${r.error.status} ${r.error.statusCode}`);
    return lines.join('\n');
  }
  if (r.negotiated !== undefined) lines.push(`negotiated package: ${r.negotiated}`);
  lines.push(`client context flags: ${r.client!.flagNames.join(', ') || '(none)'}`);
  lines.push(`server context flags: ${r.server!.flagNames.join(', ') || '(none)'}`);
  const t = r.token!;
  lines.push(
    'authenticationPackage' in t
      ? `QuerySecurityContextToken: ${t.domain && !t.user.includes('@') ? `${t.domain}\\` : ''}${t.user}${t.groups.length ? ` (groups: ${t.groups.join(', ')})` : ''}`
      : `QuerySecurityContextToken: ${t.status} ${t.statusCode}`,
  );
  lines.push(
    `MakeSignature → VerifySignature: ${r.signature!.status}${r.signature!.bytes !== undefined ? ` (signature ${r.signature!.bytes} B)` : ''}`,
  );
  lines.push(
    `EncryptMessage → DecryptMessage, both ways: ${r.encryption!.status}${r.encryption!.bytes !== undefined ? ` (trailer ${r.encryption!.bytes} B, ciphertext ${r.encryption!.hidesPlaintext ? 'hides' : 'SHOWS'} the plaintext)` : ''}`,
  );
  return lines.join('\n');
}

/** `sspkit handshake`. Exit 0 when every step succeeded, 1 when an SSPI call failed. */
export async function handshakeCommand(
  loaded: LoadedSspi,
  options: HandshakeInputs & { package?: string; json?: boolean },
  write: (s: string) => void,
): Promise<number> {
  const name = options.package ?? 'Mock';
  if (!loaded.sspi.querySecurityPackageInfo(name).packageInfo) {
    const known = loaded.sspi
      .enumerateSecurityPackages()
      .packages.map((p) => p.name)
      .join(', ');
    const why = loaded.unavailable.find((u) => u.name.toLowerCase() === name.toLowerCase());
    write(
      options.json
        ? toJson({
            ok: false,
            package: name,
            error: { ...statusJson(SecStatus.SEC_E_SECPKG_NOT_FOUND), operation: 'QuerySecurityPackageInfo' },
          })
        : `sspkit handshake: no package "${name}" (${why ? why.reason : `known: ${known}`})`,
    );
    return 1;
  }
  const report = await runHandshakeReport(loaded, name, options);
  write(options.json ? toJson(report) : formatHandshake(report));
  return report.ok ? 0 : 1;
}
