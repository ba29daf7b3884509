#!/usr/bin/python3
"""An SPNEGO peer for sspkit's Negotiate interop tests: MIT krb5's SPNEGO mechanism through Debian's
python3-gssapi, with Kerberos and/or gss-ntlmssp inside, in a process of its own.

  argv: accept MECHS                              -> acceptor (keytab / NTLM_USER_FILE from the environment)
        init MECHS TARGET [USER DOMAIN PASSWORD]   -> initiator (default ccache, or NTLM password credentials)
  MECHS: comma-separated krb5 / ntlm, set on the credential with gss_set_neg_mechs (preference order).
One JSON object per line on stdin, one answer per line on stdout; tokens are base64.
  {"op": "step", "token": b64|null, "cb": b64|null} -> {"token": b64|null, "complete": bool}
  {"op": "info"}                                   -> {"mech": dotted OID, "initiator": str, "target": str}
  {"op": "wrap", "data": b64}                      -> {"token": b64}   (sealed)
  {"op": "unwrap", "token": b64}                   -> {"data": b64, "encrypted": bool}
  {"op": "mic", "data": b64}                       -> {"mic": b64}
  {"op": "verify", "data": b64, "mic": b64}        -> {"ok": true}
Any GSSAPI failure answers {"error": "..."}; the process stays up.
"""
import base64
import json
import sys

import gssapi
import gssapi.raw as raw

SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
MECHS = {"krb5": gssapi.MechType.kerberos, "ntlm": gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")}


def b64(b):
    return base64.b64encode(b).decode("ascii") if b is not None else None


def unb64(s):
    return base64.b64decode(s) if s else None


def make_context(argv, cb):
    mechs = [MECHS[m] for m in argv[2].split(",")]
    flags = [gssapi.RequirementFlag.mutual_authentication, gssapi.RequirementFlag.integrity,
             gssapi.RequirementFlag.confidentiality, gssapi.RequirementFlag.replay_detection,
             gssapi.RequirementFlag.out_of_sequence_detection]
    if argv[1] == "accept":
        cred = gssapi.Credentials(usage="accept", mechs=[SPNEGO])
        raw.set_neg_mechs(cred, mechs)
        return gssapi.SecurityContext(creds=cred, channel_bindings=cb)
    target = gssapi.Name(argv[3], gssapi.NameType.hostbased_service)
    if len(argv) > 4:
        name = gssapi.Name(f"{argv[5]}\\{argv[4]}", gssapi.NameType.user)
        cred = gssapi.Credentials(raw.acquire_cred_with_password(name, argv[6].encode(), usage="initiate", mechs=[SPNEGO]).creds)
    else:
        cred = gssapi.Credentials(usage="initiate", mechs=[SPNEGO])
    raw.set_neg_mechs(cred, mechs)
    return gssapi.SecurityContext(name=target, creds=cred, usage="initiate", mech=SPNEGO, flags=flags, channel_bindings=cb)


def main(argv):
    ctx = None
    for line in sys.stdin:
        req = json.loads(line)
        try:
            op = req["op"]
            if op == "step":
                if ctx is None:
                    cbd = unb64(req.get("cb"))
                    ctx = make_context(argv, raw.ChannelBindings(application_data=cbd) if cbd else None)
                out = ctx.step(unb64(req.get("token")))
                res = {"token": b64(out), "complete": ctx.complete}
            elif op == "info":
                res = {"mech": ctx.mech.dotted_form, "initiator": str(ctx.initiator_name)}
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
        except Exception as e:  # noqa: BLE001 - every failure is an answer, the peer stays up
            res = {"error": str(e).replace("\n", " ")}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv)
