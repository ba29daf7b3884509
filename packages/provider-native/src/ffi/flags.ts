/** GSS_C_*_FLAG context flags (RFC 2744 §3.9.2 and MIT gssapi.h). */
export const GssFlag = {
  DELEG: 1,
  MUTUAL: 2,
  REPLAY: 4,
  SEQUENCE: 8,
  CONF: 16,
  INTEG: 32,
  ANON: 64,
  PROT_READY: 128,
  TRANS: 256,
  DELEG_POLICY: 32768,
  DCE_STYLE: 0x1000,
  IDENTIFY: 0x2000,
  EXTENDED_ERROR: 0x4000,
  CHANNEL_BOUND: 0x800,
} as const;
