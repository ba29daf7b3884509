#!/usr/bin/python3
"""A GSSAPI peer written with Debian's python3-gssapi, for sspkit's interop tests.

Usage: gss_peer.py client MECH PORT SERVICE   (connects to 127.0.0.1:PORT)
       gss_peer.py server MECH                (listens on 127.0.0.1, prints "PORT n")
MECH is krb5 or spnego. Frames are a 4-byte big-endian length and the bytes.

Protocol: the initiator sends a token, the acceptor answers every token with one frame (possibly
empty) until it is complete; the initiator stops once complete with nothing left to send. Then:
  1. initiator -> wrap(b"ping from " + side, sealed); acceptor -> wrap(b"echo:" + message, sealed)
  2. initiator -> message, get_mic(message); acceptor verifies, -> get_mic(b"ack:" + message)
Exit status 0 only when every check passed; the authenticated names are printed.
"""
import socket
import struct
import sys

import gssapi

MECHS = {
    "krb5": gssapi.MechType.kerberos,
    "spnego": gssapi.OID.from_int_seq("1.3.6.1.5.5.2"),
}


def send(sock, data):
    sock.sendall(struct.pack(">I", len(data)) + data)


def recv_exact(sock, n):
    out = b""
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise EOFError("peer closed")
        out += chunk
    return out


def recv(sock):
    (length,) = struct.unpack(">I", recv_exact(sock, 4))
    return recv_exact(sock, length) if length else b""


def run_client(mech, port, service):
    name = gssapi.Name(service, gssapi.NameType.hostbased_service)
    flags = gssapi.RequirementFlag
    ctx = gssapi.SecurityContext(
        name=name, usage="initiate", mech=MECHS[mech],
        flags=[flags.mutual_authentication, flags.replay_detection, flags.out_of_sequence_detection,
               flags.confidentiality, flags.integrity])
    sock = socket.create_connection(("127.0.0.1", port))
    token = None
    while True:
        out = ctx.step(token)
        if ctx.complete and not out:
            break
        send(sock, out or b"")
        token = recv(sock)
        if ctx.complete:
            break
    message = b"ping from python"
    send(sock, ctx.wrap(message, True).message)
    reply = ctx.unwrap(recv(sock))
    assert reply.encrypted, "reply not sealed"
    assert reply.message == b"echo:" + message, reply.message
    signed = b"signed by python"
    send(sock, signed)
    send(sock, ctx.get_signature(signed))
    ctx.verify_signature(b"ack:" + signed, recv(sock))
    print("client ok target=%s" % ctx.target_name)
    sock.close()


def run_server(mech):
    creds = gssapi.Credentials(usage="accept")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print("PORT %d" % listener.getsockname()[1], flush=True)
    sock, _ = listener.accept()
    # The acceptor takes whatever mechanism the initiator chose (krb5 or SPNEGO), as servers do.
    ctx = gssapi.SecurityContext(creds=creds, usage="accept")
    while not ctx.complete:
        out = ctx.step(recv(sock))
        send(sock, out or b"")
    wrapped = ctx.unwrap(recv(sock))
    assert wrapped.encrypted, "message not sealed"
    send(sock, ctx.wrap(b"echo:" + wrapped.message, True).message)
    signed = recv(sock)
    ctx.verify_signature(signed, recv(sock))
    send(sock, ctx.get_signature(b"ack:" + signed))
    print("server ok initiator=%s mech=%s message=%s" % (ctx.initiator_name, ctx.mech, wrapped.message.decode()), flush=True)
    sock.close()


def main():
    role, mech = sys.argv[1], sys.argv[2]
    if role == "client":
        run_client(mech, int(sys.argv[3]), sys.argv[4])
    else:
        run_server(mech)


if __name__ == "__main__":
    main()
