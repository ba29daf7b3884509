/**
 * TLS channel bindings for Extended Protection: the `tls-server-end-point` binding (RFC 5929 §4) of
 * a server certificate, wrapped in the SEC_CHANNEL_BINDINGS structure (sspi.h) a caller puts in a
 * SECBUFFER_CHANNEL_BINDINGS buffer. Client and server compute the same bytes.
 */
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { concat, encodeSecChannelBindings } from '@sspkit/core';

const PREFIX = new TextEncoder().encode('tls-server-end-point:');

/**
 * Signature algorithm OIDs and the hash each names (RFC 3279, RFC 4055 §5, RFC 5758 §3.2), as
 * node:crypto names it; MD5 and SHA-1 are replaced by SHA-256 (RFC 5929 §4.1).
 */
const HASH_OF: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'sha256', // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': 'sha256', // sha1WithRSAEncryption
  '1.2.840.10040.4.3': 'sha256', // dsa-with-sha1
  '1.2.840.10045.4.1': 'sha256', // ecdsa-with-SHA1
  '1.2.840.113549.1.1.14': 'sha224', // sha224WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13': 'sha512', // sha512WithRSAEncryption
  '1.2.840.10045.4.3.1': 'sha224', // ecdsa-with-SHA224
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4': 'sha512', // ecdsa-with-SHA512
  '2.16.840.1.101.3.4.3.2': 'sha256', // dsa-with-sha256
};

/**
 * The certificate hash of RFC 5929 §4.1: the certificate's signature hash (SHA-256 when that is MD5
 * or SHA-1). Undefined when the signature algorithm names no single hash (Ed25519, RSA-PSS without a
 * readable hash): RFC 5929 leaves the binding undefined there, so none is claimed.
 */
export function tlsServerEndPoint(certificateDer: Uint8Array): Uint8Array | undefined {
  let oid: string;
  try {
    oid = AsnConvert.parse(certificateDer, Certificate).signatureAlgorithm.algorithm;
  } catch {
    return undefined;
  }
  // RSASSA-PSS names its hash in parameters; ed25519/ed448 have none: no binding is claimed for them.
  const nodeHash = HASH_OF[oid];
  if (nodeHash === undefined) return undefined;
  return new Uint8Array(createHash(nodeHash).update(certificateDer).digest());
}

/** SEC_CHANNEL_BINDINGS with no addresses and `tls-server-end-point:<hash>` as application data. */
export function secChannelBindings(endPointHash: Uint8Array): Uint8Array {
  return encodeSecChannelBindings({ applicationData: concat(PREFIX, endPointHash) });
}
