"""An HTTP client peer for the interop tests: python3-requests with its Digest, NTLM
(requests-ntlm) or Kerberos (requests-kerberos) authentication. Prints one JSON line per request."""
import json
import os
import sys

import requests


def auth_for(kind, user, password):
    if kind == "digest":
        return requests.auth.HTTPDigestAuth(user, password)
    if kind == "ntlm":
        from requests_ntlm import HttpNtlmAuth
        return HttpNtlmAuth(user, password)
    if kind == "kerberos":
        import kerberos
        from requests_kerberos import HTTPKerberosAuth, REQUIRED
        # requests-kerberos 0.12 sends a raw Kerberos token under the Negotiate scheme; ask pykerberos
        # for SPNEGO (RFC 4559 §4.1), as browsers and curl send.
        # SSPKIT_RAW_KRB5=1 keeps requests-kerberos's own raw token.
        if os.environ.get("SSPKIT_RAW_KRB5") != "1":
            init = kerberos.authGSSClientInit
            kerberos.authGSSClientInit = lambda *a, **k: init(*a, mech_oid=kerberos.GSS_MECH_OID_SPNEGO, **k)
        # The server's final token must verify (RFC 4559 §5 mutual authentication).
        return HTTPKerberosAuth(mutual_authentication=REQUIRED)
    raise SystemExit("unknown kind " + kind)


def main():
    kind, url, user, password, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    session = requests.Session()
    session.auth = auth_for(kind, user, password)
    session.verify = False
    for i in range(count):
        r = session.get(url + ("?n=%d" % i), timeout=20)
        print(json.dumps({"status": r.status_code, "body": r.text, "history": [h.status_code for h in r.history],
                          "www_authenticate": r.headers.get("WWW-Authenticate"),
                          "authentication_info": r.headers.get("Authentication-Info")}), flush=True)


if __name__ == "__main__":
    main()
