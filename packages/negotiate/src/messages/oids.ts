/**
 * GSS mechanism OIDs by name. Dotted strings are the one representation used across the package:
 * they compare with ===, print in logs and map to the registry's declared package OIDs.
 */
export const MechOid = {
  /** SPNEGO itself (RFC 4178 §3.1, 1.3.6.1.5.5.2). */
  spnego: '1.3.6.1.5.5.2',
  /** Kerberos V5 (RFC 4121 / RFC 1964). */
  kerberos: '1.2.840.113554.1.2.2',
  /**
   * The Kerberos OID as Windows 2000 mis-encoded it ([MS-SPNG] §3.1.5.2: "1.2.840.48018.1.2.2");
   * Windows still lists it first, and acceptors treat it as Kerberos.
   */
  kerberosMicrosoft: '1.2.840.48018.1.2.2',
  /** Kerberos user-to-user (RFC 4121 §4.1 / draft-ietf-cat-user2user). */
  kerberosUser2User: '1.2.840.113554.1.2.2.3',
  /** NTLMSSP as a GSS mechanism ([MS-NLMP] §1.9, [MS-SPNG] §1.9). */
  ntlm: '1.3.6.1.4.1.311.2.2.10',
  /** NEGOEX ([MS-NEGOEX] §1.9); recognised by name only, not implemented. */
  negoex: '1.3.6.1.4.1.311.2.2.30',
} as const;

/** One of the well-known mechanism names. */
export type MechName = keyof typeof MechOid;

const BY_OID: ReadonlyMap<string, MechName> = new Map(
  (Object.entries(MechOid) as [MechName, string][]).map(([name, oid]) => [oid, name]),
);

/** The well-known name of an OID, or undefined for any other mechanism. */
export function mechName(oid: string): MechName | undefined {
  return BY_OID.get(oid);
}

/** True for both Kerberos OIDs ([MS-SPNG] §3.1.5.2: the two are one mechanism). */
export function isKerberosOid(oid: string): boolean {
  return oid === MechOid.kerberos || oid === MechOid.kerberosMicrosoft;
}
