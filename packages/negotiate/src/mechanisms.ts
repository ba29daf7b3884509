/**
 * Which GSS mechanism a registered package is. A package says so itself through GetExtendedInformation
 * (SecpkgGssInfo, class 1): the DER of its OID, as Windows' Negotiate asks its packages. Kerberos and
 * NTLM, whose OIDs are fixed by their specifications, are recognised by name when they do not.
 */
import { SecPkgExtendedInformationClass, SecPkgFlag, SecStatus } from '@sspkit/core';
import type { LocatedPackage, LsaSecpkgFunctionTable } from '@sspkit/core';
import { oid, parseOne } from '@sspkit/der';
import { MechOid } from './messages/oids.js';

/** SECPKG_GSS_INFO: EncodedId is the DER of the mechanism OID (tag, length, contents). */
export interface SecpkgGssInfo {
  readonly encodedId: Uint8Array;
}

const WELL_KNOWN: Readonly<Record<string, string>> = { kerberos: MechOid.kerberos, ntlm: MechOid.ntlm };

/** A package Negotiate can use: where it is and which OID it answers to. */
export interface Mechanism {
  readonly name: string;
  readonly oid: string;
  readonly located: LocatedPackage;
}

function oidFromDer(der: Uint8Array): string | undefined {
  const t = parseOne(der, 'SecpkgGssInfo.EncodedId');
  const o = t.ok ? oid(t.value, 'SecpkgGssInfo.EncodedId') : undefined;
  return o?.ok ? o.value : undefined;
}

/** The package's declared OID, or the well-known one for its name. */
export function declaredOid(located: LocatedPackage): string | undefined {
  const ext = located.functionTable.getExtendedInformation;
  if (ext) {
    try {
      const r = ext(SecPkgExtendedInformationClass.GssInfo);
      const info = r.information as Partial<SecpkgGssInfo> | undefined;
      if (r.status === SecStatus.SEC_E_OK && info?.encodedId instanceof Uint8Array) {
        const oid = oidFromDer(info.encodedId);
        if (oid !== undefined) return oid;
      }
    } catch {
      // A package that throws here declares nothing; the name decides.
    }
  }
  return WELL_KNOWN[located.info.name.toLowerCase()];
}

/**
 * Resolves package names to mechanisms through the LSA's locatePackage. A name that is not
 * registered, not NEGOTIABLE ([MS-SPNG] §3.1.5: only negotiable packages take part) or has no OID is
 * left out, with the reason.
 */
export function resolveMechanisms(
  helpers: LsaSecpkgFunctionTable,
  names: readonly string[],
  self: string,
): { mechs: Mechanism[]; skipped: string[] } {
  const mechs: Mechanism[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    if (name.toLowerCase() === self.toLowerCase()) continue;
    const located = helpers.locatePackage(name);
    if (!located) {
      skipped.push(`${name}: not registered`);
      continue;
    }
    if ((located.info.capabilities & SecPkgFlag.NEGOTIABLE) === 0) {
      skipped.push(`${name}: not negotiable`);
      continue;
    }
    const oid = declaredOid(located);
    if (oid === undefined) {
      skipped.push(`${name}: declares no GSS mechanism OID`);
      continue;
    }
    mechs.push({ name: located.info.name, oid, located });
  }
  return { mechs, skipped };
}
