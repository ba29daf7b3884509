/**
 * Our side of the NTLM benchmark: @sspkit/ntlm loaded into a dispatcher, client and server in this
 * process, everything through SspiDispatcher (the convenience layer for handshakes, the raw
 * EncryptMessage / DecryptMessage for sealing).
 */
import {
  AscReq,
  IscReq,
  SecBufferType,
  SecPkgCred,
  SecStatus,
  clientContext,
  createSspi,
  runHandshake,
  secBuffer,
  secBufferDesc,
  serverContext,
} from '@sspkit/core';
import type { ClientContext, CredHandle, CtxtHandle, ServerContext, SspiDispatcher } from '@sspkit/core';
import { createNtlmModule, readUserFile } from '@sspkit/ntlm';
import type { HandshakeSample } from './gss-driver.js';
import type { Timing } from './timing.js';
import { timeBatch } from './timing.js';

const TARGET = 'HTTP/server.example';
const ISC = IscReq.CONFIDENTIALITY | IscReq.INTEGRITY;
const ASC = AscReq.CONFIDENTIALITY | AscReq.INTEGRITY;

/** The sspkit NTLM client and server, with credentials acquired once and a sealing context pair. */
export class OurSide {
  readonly #sspi: SspiDispatcher;
  readonly #clientCred: CredHandle;
  readonly #serverCred: CredHandle;
  readonly #seal: { client: ClientContext; server: ServerContext };
  #sendSeq = 0;

  private constructor(
    sspi: SspiDispatcher,
    clientCred: CredHandle,
    serverCred: CredHandle,
    seal: { client: ClientContext; server: ServerContext },
  ) {
    this.#sspi = sspi;
    this.#clientCred = clientCred;
    this.#serverCred = serverCred;
    this.#seal = seal;
  }

  /** Loads NTLM with the accounts of `users` (the same DOMAIN:user:password text gss-ntlmssp reads). */
  static async create(users: string, user: string, domain: string, password: string): Promise<OurSide> {
    const sspi = await createSspi({
      modules: [createNtlmModule({ accounts: readUserFile(users), domain, computer: 'SRV1', allowReflection: true })],
    });
    const out = await sspi.acquireCredentialsHandle({
      package: 'NTLM',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user, domain, password, workstation: 'WS1' },
    });
    const inb = await sspi.acquireCredentialsHandle({ package: 'NTLM', credentialUse: SecPkgCred.INBOUND });
    if (!out.credential || !inb.credential)
      throw new Error(
        `AcquireCredentialsHandle failed: 0x${(out.status >>> 0).toString(16)} 0x${(inb.status >>> 0).toString(16)}`,
      );
    const side = new OurSide(
      sspi,
      out.credential,
      inb.credential,
      await OurSide.#pair(sspi, out.credential, inb.credential),
    );
    await runHandshake(side.#seal.client, side.#seal.server);
    return side;
  }

  static async #pair(
    sspi: SspiDispatcher,
    clientCred: CredHandle,
    serverCred: CredHandle,
  ): Promise<{ client: ClientContext; server: ServerContext }> {
    const client = await clientContext(sspi, {
      package: 'NTLM',
      credential: clientCred,
      targetName: TARGET,
      requirements: ISC,
    });
    const server = await serverContext(sspi, { package: 'NTLM', credential: serverCred, requirements: ASC });
    return { client, server };
  }

  /** N full handshakes (3 legs each, MIC verified by the acceptor), contexts deleted after each. */
  handshakes(n: number): Promise<Timing> {
    return timeBatch(async () => {
      for (let i = 0; i < n; i++) {
        const { client, server } = await OurSide.#pair(this.#sspi, this.#clientCred, this.#serverCred);
        await runHandshake(client, server);
        client.dispose();
        server.dispose();
      }
    });
  }

  /**
   * N EncryptMessage + DecryptMessage round trips of `size` bytes: one copy of the plaintext per
   * message (EncryptMessage works in place, like gss_wrap producing a new buffer), decrypted in place.
   */
  seal(size: number, n: number): Promise<Timing> {
    const plain = new Uint8Array(size).fill(0x5a);
    const sender: CtxtHandle = this.#seal.client.handle!;
    const receiver: CtxtHandle = this.#seal.server.handle!;
    const trailer = this.#seal.client.sizes.securityTrailer;
    return timeBatch(() => {
      for (let i = 0; i < n; i++) {
        const seq = this.#sendSeq++;
        const token = secBuffer(SecBufferType.TOKEN, new Uint8Array(trailer));
        const body = secBuffer(SecBufferType.DATA, plain.slice());
        if (this.#sspi.encryptMessage(sender, 0, secBufferDesc(token, body), seq) !== SecStatus.SEC_E_OK)
          throw new Error('EncryptMessage failed');
        const desc = secBufferDesc(
          secBuffer(SecBufferType.TOKEN, token.data),
          secBuffer(SecBufferType.DATA, body.data),
        );
        if (this.#sspi.decryptMessage(receiver, desc, seq) !== SecStatus.SEC_E_OK)
          throw new Error('DecryptMessage failed');
        if (i === 0 && !Buffer.from(desc.buffers[1]!.data).equals(plain))
          throw new Error('DecryptMessage returned other bytes');
      }
    });
  }

  /** The tokens of one handshake, to show which protocol features were used. */
  async sample(): Promise<HandshakeSample> {
    const { client, server } = await OurSide.#pair(this.#sspi, this.#clientCred, this.#serverCred);
    const negotiate = await client.step();
    const challenge = await server.step(negotiate);
    const authenticate = await client.step(challenge);
    await server.step(authenticate);
    client.dispose();
    server.dispose();
    if (!negotiate || !challenge || !authenticate || !server.complete)
      throw new Error('sample handshake did not finish in 3 legs');
    return { negotiate, challenge, authenticate };
  }

  /** Deletes the sealing contexts and frees both credentials. */
  dispose(): void {
    this.#seal.client.dispose();
    this.#seal.server.dispose();
    this.#sspi.freeCredentialsHandle(this.#clientCred);
    this.#sspi.freeCredentialsHandle(this.#serverCred);
  }
}
