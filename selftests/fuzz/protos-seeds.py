#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""protos-seeds.py DIR OUT: the PROTOS c07-sip cases in DIR (records
"LEN SP MESSAGE" back to back) as seed files in OUT for the parser fuzzers:
the placeholders filled in, each test INVITE as is and turned into a
REGISTER (request line and CSeq); the teardowns are dropped. Prints the
number of seeds written."""
import os
import sys

FILL = {
    b"<To>": b"alice@sipreg.test", b"<From>": b"bob@192.0.2.1",
    b"<From-Address>": b"192.0.2.1", b"<Local-Port>": b"5060",
    b"<From-IP>": b"192.0.2.1", b"<Branch-ID>": b"1",
    b"<Call-ID>": b"protos-1", b"<CSeq>": b"1",
    b"<Teardown-Method>": b"CANCEL",
}


def records(data):
    """The messages of one file."""
    p = 0
    while p < len(data):
        while p < len(data) and data[p] in b"\r\n":
            p += 1
        sp = data.find(b" ", p)
        if sp < 0 or not data[p:sp].isdigit():
            return
        n = int(data[p:sp])
        yield data[sp + 1:sp + 1 + n]
        p = sp + 1 + n


def fill(msg):
    for k, v in FILL.items():
        msg = msg.replace(k, v)
    head, sep, body = msg.partition(b"\r\n\r\n")
    return msg.replace(b"<Content-Length>", str(len(body)).encode())


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: protos-seeds.py DIR OUT")
    src, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if not name.isdigit() or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            msgs = list(records(f.read()))
        if not msgs:
            continue
        inv = fill(msgs[0])
        reg = inv.replace(b"INVITE sip:", b"REGISTER sip:", 1)
        reg = reg.replace(b" INVITE\r\n", b" REGISTER\r\n", 1)
        for i, m in enumerate((inv, reg)):
            with open(os.path.join(out, "protos-%s-%d" % (name, i)), "wb") as f:
                f.write(m)
            n += 1
    print(n)


if __name__ == "__main__":
    main()
