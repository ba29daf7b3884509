/**
 * What QuerySecurityContextToken shows of a PAC's logon information ([MS-PAC] 2.5), decoded once
 * per distinct buffer. A client reuses its service ticket for the ticket's lifetime, so every new
 * connection presents the same PAC bytes again; decoding the NDR buffer costs tens of µs a token.
 * The memo is keyed by the exact bytes the library authenticated: the same bytes always decode to
 * the same answer, so nothing in it can go stale. Bounded (least recently used goes first).
 */
import { decodeLogonInfo, PacDecodeError } from './logon-info.js';

/** The fields of a decoded KERB_VALIDATION_INFO that the token carries. */
export interface LogonSummary {
  readonly userSid: string | null;
  readonly groupSids: readonly string[];
  readonly effectiveName: string;
  readonly fullName: string;
  readonly logonDomainName: string;
  readonly logonServer: string;
}

/** The summary, or why the buffer could not be decoded. */
export type LogonResult = { readonly info: LogonSummary } | { readonly error: string };

/** Distinct PACs kept: a few hundred users' tickets in a ticket lifetime's working set. */
const MAX_ENTRIES = 256;
const memo = new Map<string, LogonResult>();

function decode(raw: Buffer): LogonResult {
  try {
    const k = decodeLogonInfo(raw);
    const info: LogonSummary = Object.freeze({
      userSid: k.userSid,
      groupSids: Object.freeze([...k.groupSids]),
      effectiveName: k.effectiveName,
      fullName: k.fullName,
      logonDomainName: k.logonDomainName,
      logonServer: k.logonServer,
    });
    return Object.freeze({ info });
  } catch (err) {
    if (err instanceof PacDecodeError) return Object.freeze({ error: err.message });
    throw err;
  }
}

/** The token's view of a `urn:mspac:logon-info` value (results are frozen and shared). */
export function logonSummary(raw: Buffer): LogonResult {
  // latin1 maps each byte to one char: an exact, cheap key for a buffer of a few KB.
  const key = raw.toString('latin1');
  const hit = memo.get(key);
  if (hit !== undefined) {
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const result = decode(raw);
  if (memo.size >= MAX_ENTRIES) {
    const oldest = memo.keys().next();
    if (oldest.done !== true) memo.delete(oldest.value);
  }
  memo.set(key, result);
  return result;
}
