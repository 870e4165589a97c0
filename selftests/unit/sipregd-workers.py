#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""sipregd-workers.py PORT USERS: sipregd with two workers on PORT. Each
user registers from its own socket (the kernel spreads the sockets over
the workers by their ports) and refreshes; then one refresh's
Authorization (same nonce, same nc) is replayed in a new request from
32 more sockets, which reach both workers: every one must get a 401.
Prints one line per check, "ok TEXT" or "not ok TEXT"; exit 0 when all
are ok."""
import hashlib
import re
import socket
import sys

port, users = int(sys.argv[1]), int(sys.argv[2])
dst = ("127.0.0.1", port)
REALM = "sipreg.test"
bad = 0


def check(ok, text):
    global bad
    print(("ok " if ok else "not ok ") + text)
    bad += not ok


def sock():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(3)
    return s


def auth(user, nonce, nc):
    ha1 = hashlib.md5(("%s:%s:pw-%s" % (user, REALM, user)).encode()).hexdigest()
    ha2 = hashlib.md5(("REGISTER:sip:" + REALM).encode()).hexdigest()
    resp = hashlib.md5(("%s:%s:%08x:cn:auth:%s" % (ha1, nonce, nc, ha2))
                       .encode()).hexdigest()
    return ("Authorization: Digest username=\"%s\", realm=\"%s\", "
            "nonce=\"%s\", uri=\"sip:%s\", response=\"%s\", algorithm=MD5, "
            "cnonce=\"cn\", qop=auth, nc=%08x\r\n"
            % (user, REALM, nonce, REALM, resp, nc))


def register(s, user, cseq, extra=""):
    me = s.getsockname()[1]
    msg = ("REGISTER sip:%s SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-%s-%d-%d;rport\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:%s@%s>;tag=t%s\r\n"
           "To: <sip:%s@%s>\r\nCall-ID: w-%s\r\nCSeq: %d REGISTER\r\n"
           "Contact: <sip:%s@192.0.2.9>\r\nExpires: 600\r\n%s"
           "Content-Length: 0\r\n\r\n"
           % (REALM, me, user, me, cseq, user, REALM, user, user, REALM,
              user, cseq, user, extra)).encode()
    s.sendto(msg, dst)
    try:
        r = s.recv(65536)
    except socket.timeout:
        return 0, b""
    return (int(r[8:11]) if r.startswith(b"SIP/2.0 ") else 0), r


# registrations and refreshes, one socket per user
nonces, codes = {}, []
for i in range(users):
    u = "u%d" % i
    s = sock()
    st, r = register(s, u, 1)
    m = re.search(rb'nonce="([^"]*)"', r)
    nonces[u] = m.group(1).decode() if m else ""
    codes.append(st)
    codes.append(register(s, u, 2, auth(u, nonces[u], 1))[0])
    codes.append(register(s, u, 3, auth(u, nonces[u], 2))[0])
    s.close()
check(codes == [401, 200, 200] * users,
      "%d users: 401, registration 200, refresh 200 each (%s)"
      % (users, "ok" if codes == [401, 200, 200] * users else codes))

# u0's refresh Authorization (nc 2) in a new request, from 32 sockets
replays = []
for k in range(32):
    s = sock()
    replays.append(register(s, "u0", 10 + k, auth("u0", nonces["u0"], 2))[0])
    s.close()
check(replays == [401] * 32,
      "the replayed Authorization (same nonce, same nc) is 401 at every "
      "socket (%s)" % replays)

# the next count is still good: the 401s were the replays'
s = sock()
st = register(s, "u0", 50, auth("u0", nonces["u0"], 3))[0]
check(st == 200, "the next nonce count of u0 is 200 (%d)" % st)
sys.exit(1 if bad else 0)
