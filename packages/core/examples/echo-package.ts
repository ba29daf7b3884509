/**
 * A minimal, complete security package: one-leg handshake, HMAC-SHA-256 signatures with sequence
 * numbers. It is the example of the core README and is run by the core tests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  SecBufferType,
  SecPkgFlag,
  SecPkgInterfaceVersion,
  SecStatus,
  SECPKG_ID_NONE,
  findBuffer,
  writeBuffer,
} from '@sspkit/core';
import type {
  LsaSecHandle,
  LsaSecpkgFunctionTable,
  SecBufferDesc,
  SecpkgFunctionTable,
  SecpkgUserFunctionTable,
  SecurityPackageModule,
} from '@sspkit/core';

interface Ctx {
  key: Uint8Array;
  send: number;
  recv: number;
  user: string;
}

function mac(key: Uint8Array, seq: number, data: Uint8Array): Uint8Array {
  const seqBytes = new Uint8Array(4);
  new DataView(seqBytes.buffer).setUint32(0, seq);
  return createHmac('sha256', key).update(seqBytes).update(data).digest().subarray(0, 16);
}

/** A fresh instance: every registry that loads it gets its own handles, contexts and helpers. */
export function createEchoModule(): Required<SecurityPackageModule> {
  const contexts = new Map<LsaSecHandle, Ctx>();
  const credentials = new Set<LsaSecHandle>();
  let helpers: LsaSecpkgFunctionTable | undefined;
  let next = 1;

  const lsa: SecpkgFunctionTable = {
    initialize(_id, _params, functionTable) {
      helpers = functionTable;
      return SecStatus.SEC_E_OK;
    },
    getInfo: () => ({
      status: SecStatus.SEC_E_OK,
      packageInfo: {
        name: 'Echo',
        comment: 'Example package',
        capabilities: SecPkgFlag.INTEGRITY | SecPkgFlag.CONNECTION,
        version: 1,
        rpcId: SECPKG_ID_NONE,
        maxToken: 64,
      },
    }),
    acquireCredentialsHandle: () => {
      const handle = next++;
      credentials.add(handle);
      return { status: SecStatus.SEC_E_OK, credentialHandle: handle };
    },
    freeCredentialsHandle: (handle) =>
      credentials.delete(handle) ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_HANDLE,
    // Client: send 32 random bytes as the shared key (an example, not a secure protocol).
    initLsaModeContext(_cred, _ctx, _target, req, _rep, _input, output) {
      const token = output && findBuffer(output, SecBufferType.TOKEN);
      if (!token || !helpers) return { status: SecStatus.SEC_E_INVALID_TOKEN };
      const key = helpers.randomBytes(32);
      const st = writeBuffer(token, key, (req & 0x100) !== 0);
      if (st !== SecStatus.SEC_E_OK) return { status: st };
      const handle = next++;
      contexts.set(handle, { key, send: 0, recv: 0, user: 'client' });
      return { status: SecStatus.SEC_E_OK, newContextHandle: handle, contextAttributes: 0x10000 };
    },
    acceptLsaModeContext(_cred, _ctx, input) {
      const token = input && findBuffer(input, SecBufferType.TOKEN);
      if (!token || token.data.length !== 32) return { status: SecStatus.SEC_E_INVALID_TOKEN };
      const handle = next++;
      contexts.set(handle, { key: Uint8Array.from(token.data), send: 0, recv: 0, user: 'client' });
      return { status: SecStatus.SEC_E_OK, newContextHandle: handle, contextAttributes: 0x20000 };
    },
    deleteContext(handle) {
      contexts.get(handle)?.key.fill(0);
      return contexts.delete(handle) ? SecStatus.SEC_E_OK : SecStatus.SEC_E_INVALID_HANDLE;
    },
  };

  const user: SecpkgUserFunctionTable = {
    makeSignature(handle, _qop, message: SecBufferDesc, _seq) {
      const ctx = contexts.get(handle);
      const data = findBuffer(message, SecBufferType.DATA);
      const token = findBuffer(message, SecBufferType.TOKEN);
      if (!ctx) return SecStatus.SEC_E_INVALID_HANDLE;
      if (!data || !token) return SecStatus.SEC_E_INVALID_TOKEN;
      return writeBuffer(token, mac(ctx.key, ctx.send++, data.data), false);
    },
    verifySignature(handle, message, _seq) {
      const ctx = contexts.get(handle);
      const data = findBuffer(message, SecBufferType.DATA);
      const token = findBuffer(message, SecBufferType.TOKEN);
      if (!ctx) return SecStatus.SEC_E_INVALID_HANDLE;
      if (!data || !token || token.data.length !== 16) return SecStatus.SEC_E_INVALID_TOKEN;
      const ok = timingSafeEqual(mac(ctx.key, ctx.recv, data.data), token.data);
      if (!ok) return SecStatus.SEC_E_MESSAGE_ALTERED;
      ctx.recv++;
      return SecStatus.SEC_E_OK;
    },
    queryContextAttributes(handle, attribute) {
      if (!contexts.has(handle)) return { status: SecStatus.SEC_E_INVALID_HANDLE };
      if (attribute !== 0) return { status: SecStatus.SEC_E_UNSUPPORTED_FUNCTION };
      return {
        status: SecStatus.SEC_E_OK,
        buffer: { maxToken: 64, maxSignature: 16, blockSize: 0, securityTrailer: 16 },
      };
    },
  };

  return {
    // SpLsaModeInitialize: one package, table version SECPKG_INTERFACE_VERSION.
    spLsaModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [lsa],
    }),
    // SpUserModeInitialize: the user-mode half of the same package.
    spUserModeInitialize: () => ({
      status: SecStatus.SEC_E_OK,
      packageVersion: SecPkgInterfaceVersion.VERSION,
      tables: [user],
    }),
  };
}

const defaultInstance = createEchoModule();
/** SpLsaModeInitialize of a default instance, so the file itself is a package module. */
export const spLsaModeInitialize = defaultInstance.spLsaModeInitialize;
/** SpUserModeInitialize of the same instance. */
export const spUserModeInitialize = defaultInstance.spUserModeInitialize;
