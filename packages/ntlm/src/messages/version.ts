/** VERSION structure (MS-NLMP §2.2.2.10); informational only, never used for security decisions. */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  /** NTLMRevisionCurrent; 15 (NTLMSSP_REVISION_W2K3) in every current implementation. */
  readonly revision: number;
}

/** The version this package advertises (Windows 10 / Server 2016+ numbering, revision 15). */
export const OUR_VERSION: Version = { major: 10, minor: 0, build: 20348, revision: 15 };

/** Encodes a VERSION into 8 bytes. */
export function encodeVersion(v: Version): Uint8Array {
  const b = new Uint8Array(8);
  b[0] = v.major;
  b[1] = v.minor;
  new DataView(b.buffer).setUint16(2, v.build, true);
  b[7] = v.revision;
  return b;
}

/** Decodes the 8 bytes at `at`. */
export function decodeVersion(buf: Uint8Array, at: number): Version {
  return {
    major: buf[at] ?? 0,
    minor: buf[at + 1] ?? 0,
    build: (buf[at + 2] ?? 0) | ((buf[at + 3] ?? 0) << 8),
    revision: buf[at + 7] ?? 0,
  };
}
