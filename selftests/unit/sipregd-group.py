#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""sipregd-group.py PORT PID: one burst of datagrams that sipregd (stopped
with SIGSTOP while they queue) reads as one group. Prints one line per
check, "ok TEXT" or "not ok TEXT"; exit 0 when all are ok.

1. OPTIONS, a CRLF keepalive, a REGISTER without credentials, a STUN
   Binding request, OPTIONS: the keepalive and STUN are answered apart
   (STUN) or not at all (CRLF), and each SIP request gets its own answer.
2. After a challenge, two authenticated REGISTERs of one AOR in one
   group (CSeq 2: contact a, CSeq 3: contact b) and a retransmission of
   the first: 200, 200 listing both contacts, and the first 200 again."""
import hashlib
import os
import re
import signal
import socket
import sys

port, pid = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
me = s.getsockname()[1]
dst = ("127.0.0.1", port)
s.settimeout(3)
bad = 0


def check(ok, text):
    global bad
    print(("ok " if ok else "not ok ") + text)
    bad += not ok


def req(method, cid, cseq, branch, extra=""):
    return ("%s sip:sipreg.test SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-%s;rport\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:alice@sipreg.test>;tag=t%s\r\n"
            "To: <sip:alice@sipreg.test>\r\nCall-ID: %s\r\n"
            "CSeq: %d %s\r\n%sContent-Length: 0\r\n\r\n"
            % (method, me, branch, cid, cid, cseq, method, extra)).encode()


def burst(msgs, want):
    """Sends @msgs while sipregd is stopped, then reads @want answers."""
    os.kill(pid, signal.SIGSTOP)
    try:
        for m in msgs:
            s.sendto(m, dst)
    finally:
        os.kill(pid, signal.SIGCONT)
    got = []
    try:
        while len(got) < want:
            got.append(s.recv(65536))
    except socket.timeout:
        pass
    return got


def call_id(r):
    m = re.search(rb"\r\nCall-ID: *([^\r]*)", r)
    return m.group(1).decode() if m else None


def status(r):
    return int(r[8:11]) if r.startswith(b"SIP/2.0 ") else 0


stun = bytes.fromhex("000100002112a442") + os.urandom(12)
got = burst([req("OPTIONS", "o1", 1, "o1"), b"\r\n\r\n",
             req("REGISTER", "r1", 1, "r1", "Contact: <sip:a@192.0.2.9>\r\n"),
             stun, req("OPTIONS", "o2", 1, "o2")], 4)
sip = {call_id(r): status(r) for r in got if r.startswith(b"SIP/2.0")}
check(sip == {"o1": 200, "r1": 401, "o2": 200},
      "group with keepalives: each SIP request answered once (%s)" % sip)
check(sum(1 for r in got if r[:2] == b"\x01\x01") == 1,
      "group with keepalives: the STUN request answered")

r = [x for x in got if call_id(x) == "r1"]
nonce = re.search(rb'nonce="([^"]*)"', r[0]).group(1).decode() if r else ""


def auth(cseq, contact, nc):
    ha1 = hashlib.md5(b"alice:sipreg.test:pw-alice").hexdigest()
    ha2 = hashlib.md5(b"REGISTER:sip:sipreg.test").hexdigest()
    resp = hashlib.md5(("%s:%s:%08x:cn:auth:%s" % (ha1, nonce, nc, ha2))
                       .encode()).hexdigest()
    return req("REGISTER", "c1", cseq, "c%d" % cseq,
               "Contact: <%s>\r\nExpires: 600\r\n"
               "Authorization: Digest username=\"alice\", "
               "realm=\"sipreg.test\", nonce=\"%s\", uri=\"sip:sipreg.test\", "
               "response=\"%s\", algorithm=MD5, cnonce=\"cn\", qop=auth, "
               "nc=%08x\r\n" % (contact, nonce, resp, nc))


first = auth(2, "sip:a@192.0.2.9", 1)
got = burst([first, auth(3, "sip:b@192.0.2.9", 2), first], 3)
st = [status(x) for x in got]
check(st == [200, 200, 200], "two changes of one AOR in a group: %s" % st)
check(len(got) == 3 and b"sip:a@192.0.2.9" in got[1] and
      b"sip:b@192.0.2.9" in got[1],
      "the second 200 lists the first's contact")
check(len(got) == 3 and got[2] == got[0],
      "a retransmission in the same group: the first answer again")
sys.exit(1 if bad else 0)
