/**
 * Object identifiers. Library OIDs come from the variables libgssapi_krb5 exports (each symbol is
 * the address of a `gss_OID` variable, decoded once). SPNEGO's OID is not exported by MIT, so it and
 * the one-element mechanism sets live in memory allocated once and never freed: the library keeps
 * pointers to OIDs it is given, so they must not move or die.
 */
import type { Koffi } from './koffi.js';

/** Native addresses of `gss_OID_desc` values and single-mechanism `gss_OID_set_desc` values. */
export interface GssOids {
  readonly ntHostbasedService: bigint;
  readonly ntUserName: bigint;
  readonly ntKrb5Principal: bigint;
  readonly ntExportName: bigint;
  readonly mechKrb5: bigint;
  readonly mechSpnego: bigint;
  readonly inqSspiSessionKey: bigint;
  /** GSS_KRB5_EXPORT_LUCID_SEC_CONTEXT_OID with version 1 appended (MIT gssapi_krb5.h). */
  readonly exportLucidV1: bigint;
  readonly setKrb5: bigint;
  readonly setSpnego: bigint;
}

/** DER contents (without tag and length) of the OIDs sspkit builds itself. RFC 4178 §3: 1.3.6.1.5.5.2. */
const SPNEGO_OID = Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x05, 0x02);
/** 1.2.840.113554.1.2.2.5.6.1: MIT's lucid-context export request, structure version 1. */
const EXPORT_LUCID_V1_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x06, 0x01);

type LibraryHandle = ReturnType<Koffi['load']>;

/** Reads the exported OID variables and builds the stable OIDs and sets. */
export function resolveOids(koffi: Koffi, lib: LibraryHandle): GssOids {
  const exported = (symbol: string): bigint => {
    const value: unknown = koffi.decode(lib.symbol(symbol), 'void *');
    if (typeof value !== 'bigint' || value === 0n) throw new Error(`exported OID ${symbol} is NULL`);
    return value;
  };
  const mechKrb5 = exported('gss_mech_krb5');
  const mechSpnego = stableOid(koffi, SPNEGO_OID);
  return {
    ntHostbasedService: exported('GSS_C_NT_HOSTBASED_SERVICE'),
    ntUserName: exported('GSS_C_NT_USER_NAME'),
    ntKrb5Principal: exported('GSS_KRB5_NT_PRINCIPAL_NAME'),
    ntExportName: exported('GSS_C_NT_EXPORT_NAME'),
    mechKrb5,
    mechSpnego,
    inqSspiSessionKey: exported('GSS_C_INQ_SSPI_SESSION_KEY'),
    exportLucidV1: stableOid(koffi, EXPORT_LUCID_V1_OID),
    setKrb5: stableOidSet(koffi, mechKrb5),
    setSpnego: stableOidSet(koffi, mechSpnego),
  };
}

function stableOid(koffi: Koffi, der: Uint8Array): bigint {
  const elements = koffi.alloc('uint8_t', der.length) as bigint;
  koffi.encode(elements, koffi.array('uint8_t', der.length), Array.from(der));
  const desc = koffi.alloc('gss_OID_desc', 1) as bigint;
  koffi.encode(desc, 'gss_OID_desc', { length: der.length, elements });
  return desc;
}

// gss_OID_set_desc.elements points at an array of gss_OID_desc; a set of one can point at the OID itself.
function stableOidSet(koffi: Koffi, oid: bigint): bigint {
  const set = koffi.alloc('gss_OID_set_desc', 1) as bigint;
  koffi.encode(set, 'gss_OID_set_desc', { count: 1, elements: oid });
  return set;
}

/** Dotted form of an OID's DER contents (X.690 §8.19). */
export function oidToDotted(der: Uint8Array): string {
  if (der.length === 0) return '';
  const first = der[0] ?? 0;
  const arcs: number[] = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (let i = 1; i < der.length; i++) {
    const byte = der[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}
