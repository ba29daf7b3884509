"""A python-requests Digest session (HTTPDigestAuth) against the multi-instance proxy: URL, COUNT,
USER, PASSWORD, DELAY_MS [, PAUSE_AFTER: after that many requests, wait for a line on stdin]. Each request asks for `Connection: close`, so the round-robin proxy sends it
to the next instance while the session keeps answering the same nonce with increasing nc (and
follows stale challenges). One JSON line per request: status and the instance that answered."""
import json
import sys
import time

import requests
from requests.auth import HTTPDigestAuth

url, count, user, password, delay_ms = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
pause_after = int(sys.argv[6]) if len(sys.argv) > 6 else -1
session = requests.Session()
session.auth = HTTPDigestAuth(user, password)
for i in range(count):
    try:
        r = session.get(url, headers={"Connection": "close"}, timeout=10)
        instance = r.json().get("instance") if r.status_code == 200 else None
        print(json.dumps({"i": i, "status": r.status_code, "instance": instance}), flush=True)
    except requests.RequestException as e:
        print(json.dumps({"i": i, "status": 0, "error": type(e).__name__}), flush=True)
    if i + 1 == pause_after:
        sys.stdin.readline()
    time.sleep(delay_ms / 1000)
