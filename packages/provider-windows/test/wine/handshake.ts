/** Shared by the in-Windows scripts: a client↔server handshake through the dispatcher, leg by leg. */
import { AscReq, DataRep, IscReq, SecBufferType, SecStatus, secBuffer, secBufferDesc, statusName } from '@sspkit/core';
import type { CredHandle, CtxtHandle, SspiDispatcher } from '@sspkit/core';

export const CLIENT_REQ = IscReq.MUTUAL_AUTH | IscReq.CONFIDENTIALITY | IscReq.INTEGRITY | IscReq.SEQUENCE_DETECT;
export const SERVER_REQ = AscReq.MUTUAL_AUTH | AscReq.CONFIDENTIALITY | AscReq.INTEGRITY | AscReq.SEQUENCE_DETECT;

/** What a handshake did: each leg's status and token size, and the two contexts. */
export interface Handshake {
  readonly legs: { side: 'client' | 'server'; status: string; bytes: number; cause?: string }[];
  readonly ok: boolean;
  readonly client?: CtxtHandle;
  readonly server?: CtxtHandle;
}

/**
 * Runs ISC/ASC until both are done or one fails. `allocate`: the package allocates the output token
 * (*_REQ_ALLOCATE_MEMORY); otherwise each output buffer is caller-sized at `maxToken` bytes.
 */
export async function handshake(
  sspi: SspiDispatcher,
  clientCred: CredHandle,
  serverCred: CredHandle,
  target: string,
  options: { allocate: boolean; maxToken: number },
): Promise<Handshake> {
  const legs: Handshake['legs'] = [];
  const out = (): ReturnType<typeof secBuffer> =>
    secBuffer(SecBufferType.TOKEN, options.allocate ? new Uint8Array(0) : new Uint8Array(options.maxToken));
  const creq = CLIENT_REQ | (options.allocate ? IscReq.ALLOCATE_MEMORY : 0);
  const sreq = SERVER_REQ | (options.allocate ? AscReq.ALLOCATE_MEMORY : 0);
  let client: CtxtHandle | undefined;
  let server: CtxtHandle | undefined;
  let token: Uint8Array | undefined;
  let clientDone = false;
  let serverDone = false;
  for (let i = 0; i < 8 && !(clientDone && serverDone); i++) {
    if (!clientDone) {
      const o = out();
      const r = await sspi.initializeSecurityContext({
        credential: clientCred,
        ...(client ? { context: client } : {}),
        targetName: target,
        contextReq: creq,
        targetDataRep: DataRep.SECURITY_NATIVE_DREP,
        ...(token ? { input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)) } : {}),
        output: secBufferDesc(o),
      });
      legs.push({ side: 'client', status: statusName(r.status), bytes: o.data.length, ...cause(r.cause) });
      if (r.context) client = r.context;
      if (r.status !== SecStatus.SEC_E_OK && r.status !== SecStatus.SEC_I_CONTINUE_NEEDED) break;
      clientDone = r.status === SecStatus.SEC_E_OK;
      token = o.data.length > 0 ? Uint8Array.from(o.data) : undefined;
      if (!token) break;
    }
    if (!serverDone && token) {
      const o = out();
      const r = await sspi.acceptSecurityContext({
        credential: serverCred,
        ...(server ? { context: server } : {}),
        contextReq: sreq,
        targetDataRep: DataRep.SECURITY_NATIVE_DREP,
        input: secBufferDesc(secBuffer(SecBufferType.TOKEN, token)),
        output: secBufferDesc(o),
      });
      legs.push({ side: 'server', status: statusName(r.status), bytes: o.data.length, ...cause(r.cause) });
      if (r.context) server = r.context;
      if (r.status !== SecStatus.SEC_E_OK && r.status !== SecStatus.SEC_I_CONTINUE_NEEDED) break;
      serverDone = r.status === SecStatus.SEC_E_OK;
      token = o.data.length > 0 ? Uint8Array.from(o.data) : undefined;
      if (!token) break;
    }
  }
  return { legs, ok: clientDone && serverDone, ...(client ? { client } : {}), ...(server ? { server } : {}) };
}

function cause(c: unknown): { cause?: string } {
  return c instanceof Error ? { cause: c.message } : {};
}
