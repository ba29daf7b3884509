/**
 * Channel bindings of a connection, computed once per socket: for TLS, `tls-server-end-point` of the
 * certificate this server presented (RFC 5929 §4.1) as a SEC_CHANNEL_BINDINGS structure; none on
 * plain TCP or when the certificate's signature algorithm defines no binding.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { secChannelBindings, tlsServerEndPoint } from '../common/channel-bindings.js';

export type SocketBindings =
  { readonly tls: false } | { readonly tls: true; readonly bindings: Uint8Array | undefined };

const cache = new WeakMap<Socket, SocketBindings>();

export function bindingsFor(socket: Socket): SocketBindings {
  const known = cache.get(socket);
  if (known !== undefined) return known;
  let result: SocketBindings = { tls: false };
  if (socket instanceof TLSSocket) {
    const cert = socket.getCertificate();
    const raw = cert !== null && 'raw' in cert ? (cert.raw as Buffer | undefined) : undefined;
    const hash = raw === undefined ? undefined : tlsServerEndPoint(new Uint8Array(raw));
    result = { tls: true, bindings: hash === undefined ? undefined : secChannelBindings(hash) };
  }
  cache.set(socket, result);
  return result;
}
