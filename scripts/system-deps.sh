#!/usr/bin/env bash
# Installs the Debian packages the interop tests drive (real KDC, real peers), if any is missing.
# The one list of system dependencies: .ci/run and `pnpm test` both come through here.
set -euo pipefail

PACKAGES=(
  krb5-kdc krb5-admin-server krb5-user krb5-gss-samples   # throwaway MIT realm, gss-client/gss-server
  python3-gssapi                                          # python-gssapi peer (Kerberos, SPNEGO, NTLM)
  gss-ntlmssp                                             # NTLM as a GSSAPI mechanism (out-of-process peer)
  apache2 curl python3-requests libapache2-mod-auth-gssapi     # HTTP peers (curl, Python, Apache: Digest and GSSAPI)
  python3-requests-ntlm python3-requests-kerberos         # @sspkit/http server peers: NTLM and Negotiate from Python
  chromium openssl                                        # @sspkit/http: a real browser; `sspkit serve --tls` certificates
  sasl2-bin libsasl2-modules                              # Cyrus SASL DIGEST-MD5 peer
  gcc libkrb5-dev                                         # C drivers the benchmarks compile (gss-ntlmssp, MIT krb5)
  redis-server                                            # @sspkit/store-redis: shared replay state (started by the tests)
  libnss-wrapper                                          # Wine's NTLM acceptor: ntlm_auth finds a private winbindd
)
# Installed with their recommended packages, as the recipe the tests follow was measured with.
WITH_RECOMMENDS=(
  samba samba-ad-provision samba-dsdb-modules winbind     # throwaway Samba AD DC: tickets with a real PAC (logon info)
  wine64                                                  # Windows Node under Wine (its `wine` command is a recommend)
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
missing_rec=()
for p in "${WITH_RECOMMENDS[@]}"; do installed "$p" || missing_rec+=("$p"); done
[ ${#missing[@]} -eq 0 ] && [ ${#missing_rec[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "sspkit: missing Debian packages: ${missing[*]} ${missing_rec[*]}" >&2
  echo "        install them as root (apt-get install ${missing[*]} ${missing_rec[*]}) or run this as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start system daemons (a KDC on port 88, Apache on 80): the tests start
# their own, on loopback, and stop them.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
echo "sspkit: installing ${missing[*]} ${missing_rec[*]}"
apt-get update -qq
[ ${#missing[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ ${#missing_rec[@]} -eq 0 ] || apt-get install -y -qq "${missing_rec[@]}" >/dev/null
