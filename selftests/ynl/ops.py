# SPDX-License-Identifier: GPL-2.0
"""ops.py YNL_DIR SPEC CLIENT_ADDR GATEWAY_ADDR: every operation of the
sipreg spec, in every mode it lists (do, dump, event), run with the
kernel's ynl library (what `cli.py --do/--dump` calls) in the current
network namespace, driven by the spec alone; what it writes is read back
with sipregctl and what it reads is compared with sipregctl. One process,
because the test VM spends seconds per python start and spec parse.
Prints TAP-like "# ..." lines; exit 0 all good, 1 a check failed."""
import json
import subprocess
import sys
import time

sys.path.insert(0, sys.argv[1])
from lib import YnlFamily, NlError  # noqa: E402

SPEC, CLIENT, GATEWAY = sys.argv[2], sys.argv[3], sys.argv[4]
HEX16 = '00112233445566778899aabbccddeeff'
done = set()


def fail(msg):
    print(f'# FAIL: {msg}', flush=True)
    sys.exit(1)


def ctl(*args):
    r = subprocess.run(['sipregctl'] + list(args), capture_output=True, text=True)
    if r.returncode:
        fail(f'sipregctl {" ".join(args)}: {r.stderr.strip()}')
    return r.stdout


def run(op, mode, attrs=None):
    try:
        if mode == 'do':
            reply = ynl.do(op, attrs or {}, [])
        else:
            reply = ynl.dump(op, attrs or {})
    except NlError as e:
        fail(f'{op} --{mode} {json.dumps(attrs)}: {e}')
    done.add((op, mode))
    return reply


ynl = YnlFamily(SPEC, '', True)     # process_unknown: see stats-get
# Events on a socket of their own: 6.12's ynl cannot take a notification
# in the middle of a request's answers (op is None in _ops()). Subscribed
# before the socket is bound, as cli.py does.
events = YnlFamily(SPEC, '')
events.ntf_subscribe('events')

cfg = {'realm': 'ynl.example', 'port': [5060, 5080], 'expires-max': 7200,
       'algs': ['md5', 'sha256'], 'algs-first': 'sha256', 'fastpath': 1}
run('config-set', 'do', {'config': cfg})
c = run('config-get', 'do')['config']
if c['realm'] != 'ynl.example' or c['port'] != [5060, 5080] or \
   c['expires-max'] != 7200 or set(c['algs']) != {'md5', 'sha256'} or \
   set(c['algs-first']) != {'sha256'}:
    fail(f'config-get after config-set: {c}')
if 'ynl.example' not in ctl('config'):
    fail('sipregctl does not see the realm set through the spec')
if 'algorithms sha256,md5' not in ctl('config'):
    fail(f'sipregctl does not see the order set through the spec: {ctl("config")}')


def challenges():
    """The algorithms of a 401 from the kernel, in order."""
    r = subprocess.run(['ip', 'netns', 'exec', 'client', 'sipreg-ua', '-b', CLIENT,
                        '-t', GATEWAY, '-r', 'ynl.example', '--timeout', '2000'],
                       capture_output=True, text=True)
    return [line.split('algorithm=')[1].split(',')[0]
            for line in r.stdout.splitlines()
            if line.startswith('WWW-Authenticate') and 'algorithm=' in line]


# A first algorithm that is not offered (a client that sets only algs, as
# before algs-first): the other one alone, and the set stands.
run('config-set', 'do', {'config': {'enabled': 1, 'algs-first': 'md5', 'algs': ['sha256']}})
if challenges() != ['SHA-256']:
    fail(f'algs sha256 with algs-first md5: challenges {challenges()}')
run('config-set', 'do', {'config': {'algs': ['md5', 'sha256']}})
if challenges() != ['MD5', 'SHA-256']:
    fail(f'algs md5,sha256 with algs-first md5: challenges {challenges()}')
run('config-set', 'do', {'config': {'enabled': 0}})

# Every counter the module sends has a name in the spec.
s = run('stats-get', 'do')
bad = [k for n in ('stats', 'stats-verdict', 'stats-miss') for k in s[n]
       if k.startswith('UnknownAttr')]
if bad:
    fail(f'stats-get: counters the spec does not name: {bad}')
for line in ctl('stats').splitlines():
    name = line.split()[0] if line.split() else ''
    for prefix, nest in (('verdict.', 'stats-verdict'), ('miss.', 'stats-miss')):
        if name.startswith(prefix) and \
           name[len(prefix):].replace('_', '-') not in s[nest]:
            fail(f'sipregctl counts {name}, the spec has no such name in {nest}')
if 'rx-packets' not in s['stats']:
    fail(f'stats-get: {s}')
run('stats-reset', 'do')

run('user-add', 'do', {'user': {'name': 'alice', 'realm': 'ynl.example',
                                'ha1-md5': HEX16, 'ha1-sha256': HEX16 * 2}})
run('user-add', 'do', {'user': {'name': 'bob', 'realm': 'ynl.example',
                                'ha1-md5': HEX16}})
if 'alice' not in ctl('user', 'list'):
    fail('sipregctl does not see the user added through the spec')
users = {u['user']['name']: u['user'] for u in run('user-get', 'dump')}
if set(users) != {'alice', 'bob'} or set(users['alice']['algs']) != {'md5', 'sha256'}:
    fail(f'user-get dump: {users}')
run('user-del', 'do', {'user': {'name': 'alice', 'realm': 'ynl.example'}})
if [u['user']['name'] for u in run('user-get', 'dump')] != ['bob']:
    fail('user-del: alice still there')
run('user-flush', 'do')
if ctl('user', 'list').strip():
    fail('users left after user-flush')

# Domains: names kept lowercase, the realm defaults to the name.
run('domain-add', 'do', {'domain': {'name': 'A.ynl.example', 'realm': 'ynl-a'}})
run('domain-add', 'do', {'domain': {'name': 'b.ynl.example'}})
doms = {d['domain']['name']: d['domain']['realm'] for d in run('domain-get', 'dump')}
if doms != {'a.ynl.example': 'ynl-a', 'b.ynl.example': 'b.ynl.example'}:
    fail(f'domain-get dump: {doms}')
if 'domain a.ynl.example realm ynl-a' not in ctl('domain', 'list'):
    fail(f'sipregctl does not see the domain added through the spec: {ctl("domain", "list")}')
run('domain-del', 'do', {'domain': {'name': 'a.ynl.example'}})
if [d['domain']['name'] for d in run('domain-get', 'dump')] != ['b.ynl.example']:
    fail('domain-del: a.ynl.example still there')
run('domain-flush', 'do')
if ctl('domain', 'list').strip():
    fail('domains left after domain-flush')

c1 = {'uri': 'sip:alice@192.0.2.1:5062', 'call-id': 'y1', 'cseq': 3, 'expires': 600}
c2 = {'uri': 'sip:alice@192.0.2.9:5062', 'call-id': 'y2', 'cseq': 1, 'expires': 300}
run('binding-add', 'do', {'binding': {'aor': 'sip:alice@ynl.example', 'contact': [c1]}})
run('binding-add', 'do', {'binding': {'aor': 'sip:alice@ynl.example', 'contact': [c2]}})
run('binding-add', 'do', {'binding': {'aor': 'sip:bob@ynl.example', 'contact': [c2]}})
b = run('binding-get', 'do', {'binding': {'aor': 'sip:alice@ynl.example'}})['binding']
got = {x['uri']: x for x in b['contact']}
if set(got) != {c1['uri'], c2['uri']} or got[c1['uri']]['cseq'] != 3 or \
   'expires-at' not in got[c1['uri']]:
    fail(f'binding-get: {b}')
aors = sorted(x['binding']['aor'] for x in run('binding-get', 'dump'))
if aors != ['sip:alice@ynl.example', 'sip:bob@ynl.example']:
    fail(f'binding-get dump: {aors}')
run('binding-del', 'do', {'binding': {'aor': 'sip:alice@ynl.example',
                                      'contact': [{'uri': c2['uri']}]}})
b = run('binding-get', 'do', {'binding': {'aor': 'sip:alice@ynl.example'}})['binding']
if [x['uri'] for x in b['contact']] != [c1['uri']]:
    fail(f'binding-del of one contact: {b}')
run('binding-del', 'do', {'binding': {'aor': 'sip:bob@ynl.example'}})
if 'bob' in ctl('binding', 'list'):
    fail("bob's binding left after binding-del")
run('binding-flush', 'do')
if ctl('binding', 'list').strip():
    fail('bindings left after binding-flush')

# Events: users and bindings change (through sipregctl) until the
# notifications of both kinds came, decoded by the spec.
events.check_ntf()
events.async_msg_queue.clear()
seen = {}
end = time.monotonic() + 20
i = 0
while time.monotonic() < end and not {'user-ntf', 'binding-ntf'} <= set(seen):
    i += 1
    subprocess.run(['sipregctl', 'user', 'add', f'u{i}', 'realm', 'ynl.example'],
                   input='pw\n', capture_output=True, text=True)
    ctl('binding', 'add', f'sip:u{i}@ynl.example', 'contact', f'sip:u{i}@192.0.2.1',
        'call-id', f'e{i}', 'cseq', '1', 'expires', '60')
    time.sleep(0.2)
    events.check_ntf()
    for m in events.async_msg_queue:
        seen.setdefault(m['name'], m['msg'])
    events.async_msg_queue.clear()
for name, event in (('user-ntf', 'user-added'), ('binding-ntf', 'binding-added')):
    if seen.get(name, {}).get('event') != event:
        fail(f'no {name} {event} decoded: {seen}')
    done.add((name, 'event'))

# The miss channel: claimed by this socket; REGISTERs the kernel does not
# answer (switched on, fast path off) until one miss came, decoded by the spec.
run('config-set', 'do', {'config': {'fastpath': 0, 'enabled': 1}})
run('daemon-claim', 'do')
# Users belong to the claimant: without the claim's portid a write is
# refused, with it (as sipregd sends it) taken.
try:
    ynl.do('user-add', {'user': {'name': 'carol', 'realm': 'ynl.example',
                                 'ha1-md5': HEX16}}, [])
    fail('user-add without the claim taken while claimed')
except NlError as e:
    if e.error != 16:
        fail(f'user-add without the claim: {e}')
portid = ynl.sock.getsockname()[0]
run('user-add', 'do', {'user': {'name': 'carol', 'realm': 'ynl.example',
                                'ha1-md5': HEX16}, 'claim': portid})
run('nonce-keys-set', 'do', {'nonce-keys': {'cur': HEX16, 'prev': HEX16, 'gen': 2}})
miss = None
end = time.monotonic() + 20
while time.monotonic() < end and not miss:
    subprocess.run(['ip', 'netns', 'exec', 'client', 'sipreg-ua', '-b', CLIENT,
                    '-t', GATEWAY, '-r', 'ynl.example', '--timeout', '200'],
                   capture_output=True)
    ynl.check_ntf()
    for m in ynl.async_msg_queue:
        if m['name'] == 'miss':
            miss = m['msg']['miss']
    ynl.async_msg_queue.clear()
if not miss or miss.get('reason') != 'fastpath-off' or b'REGISTER' not in miss.get('data', b''):
    fail(f'no miss decoded: {miss}')
done.add(('miss', 'event'))
run('daemon-release', 'do')

modes = {(name, m) for name, op in ynl.msgs.items() for m in op.modes}
if modes - done:
    fail(f'operations of the spec not run: {sorted(modes - done)}')
print(f'# ynl: {len(done)} operation modes of {len(ynl.msgs)} operations, all through the spec')
