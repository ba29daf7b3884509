/** Test helper: drives a full in-process GSS handshake through the FFI layer. */
import { acceptSecContext, initSecContext, NativeHandle } from '../../packages/provider-native/src/ffi/index.js';
import type { AcceptStep, ChannelBindings, GssMech } from '../../packages/provider-native/src/ffi/index.js';

/** Both established contexts plus the acceptor's last step. */
export interface Established {
  readonly client: NativeHandle;
  readonly server: NativeHandle;
  readonly accepted: AcceptStep;
  readonly clientFlags: number;
  readonly clientMech: Buffer;
}

/** Runs init/accept legs until both sides are complete (at most 6 legs). */
export async function gssHandshake(options: {
  readonly mech: GssMech;
  readonly clientCred: NativeHandle | null;
  readonly serverCred: NativeHandle | null;
  readonly target: NativeHandle;
  readonly flags: number;
  readonly clientBindings?: ChannelBindings | null;
  readonly serverBindings?: ChannelBindings | null;
  /** Make the first leg on the main thread (a pinned ticket: it cannot need the KDC). */
  readonly ticketCached?: boolean;
}): Promise<Established> {
  const client = new NativeHandle('context');
  const server = new NativeHandle('context');
  let token: Buffer | null = null;
  let accepted: AcceptStep | undefined;
  let clientFlags = 0;
  let clientMech: Buffer = Buffer.alloc(0);
  try {
    for (let leg = 0; leg < 6; leg++) {
      const step = await initSecContext({
        cred: options.clientCred,
        ctx: client,
        target: options.target,
        mech: options.mech,
        flags: options.flags,
        input: token,
        bindings: options.clientBindings ?? null,
        ticketCached: options.ticketCached === true,
      });
      clientFlags = step.flags;
      clientMech = step.mech;
      if (step.output.length > 0) {
        accepted?.source?.release();
        accepted = acceptSecContext({
          cred: options.serverCred,
          ctx: server,
          input: step.output,
          bindings: options.serverBindings ?? null,
        });
        token = accepted.output;
      }
      if (!step.continueNeeded && accepted !== undefined && !accepted.continueNeeded) break;
    }
  } catch (err) {
    client.release();
    server.release();
    throw err;
  }
  if (accepted === undefined) throw new Error('acceptor never ran');
  return { client, server, accepted, clientFlags, clientMech };
}
