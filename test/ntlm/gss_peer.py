#!/usr/bin/python3
"""A gss-ntlmssp peer for sspkit's NTLM interop tests, run as a separate (non-Node) process.

One JSON object per line on stdin, one answer per line on stdout. Tokens are base64.
  argv: accept                                  -> acceptor (accounts from NTLM_USER_FILE)
        init USER DOMAIN PASSWORD                -> initiator (password credentials)
  {"op": "step", "token": b64|null, "cb": b64|null}  -> {"token": b64|null, "complete": bool, "user"?: str}
  {"op": "wrap", "data": b64}                    -> {"token": b64}       (sealed: signature || ciphertext)
  {"op": "unwrap", "token": b64}                 -> {"data": b64}
  {"op": "mic", "data": b64}                     -> {"mic": b64}
  {"op": "verify", "data": b64, "mic": b64}      -> {"ok": true}
Any GSSAPI failure answers {"error": "..."}; the process stays up.
"""
import base64
import json
import sys

import gssapi
import gssapi.raw as raw

NTLMSSP = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")


def b64(b):
    return base64.b64encode(b).decode("ascii") if b is not None else None


def unb64(s):
    return base64.b64decode(s) if s else None


def make_context(argv, cb):
    if argv[1] == "accept":
        cred = gssapi.Credentials(usage="accept", mechs=[NTLMSSP])
        return gssapi.SecurityContext(creds=cred, channel_bindings=cb)
    user, domain, password = argv[2], argv[3], argv[4]
    name = gssapi.Name(f"{domain}\\{user}", gssapi.NameType.user)
    cred = raw.acquire_cred_with_password(name, password.encode(), usage="initiate", mechs=[NTLMSSP]).creds
    target = gssapi.Name("HTTP@server.example", gssapi.NameType.hostbased_service)
    flags = [gssapi.RequirementFlag.integrity, gssapi.RequirementFlag.confidentiality]
    return gssapi.SecurityContext(name=target, creds=cred, usage="initiate", mech=NTLMSSP, flags=flags, channel_bindings=cb)


def main(argv):
    ctx = None
    for line in sys.stdin:
        req = json.loads(line)
        try:
            op = req["op"]
            if op == "step":
                if ctx is None:
                    cbd = unb64(req.get("cb"))
                    cb = raw.ChannelBindings(application_data=cbd) if cbd else None
                    ctx = make_context(argv, cb)
                out = ctx.step(unb64(req.get("token")))
                res = {"token": b64(out), "complete": ctx.complete}
                if ctx.complete and argv[1] == "accept":
                    res["user"] = str(ctx.initiator_name)
            elif op == "wrap":
                res = {"token": b64(ctx.wrap(unb64(req["data"]), True).message)}
            elif op == "unwrap":
                r = ctx.unwrap(unb64(req["token"]))
                res = {"data": b64(r.message), "encrypted": r.encrypted}
            elif op == "mic":
                res = {"mic": b64(ctx.get_signature(unb64(req["data"])))}
            elif op == "verify":
                ctx.verify_signature(unb64(req["data"]), unb64(req["mic"]))
                res = {"ok": True}
            else:
                res = {"error": f"unknown op {op}"}
        except gssapi.exceptions.GSSError as e:
            res = {"error": str(e).replace("\n", " ")}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv)
