#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks kmod/uapi/sipreg.yaml against kmod/uapi/sipreg.h and the
policies and ops in kmod/netlink.c; prints TAP. Names and values of
commands, attributes, enums and constants must agree, as must every
policy check (max-len, exact-len, min, max, flags mask), admin-perm and
uns-admin-perm, the
multicast group, and no kernel-to-user-only (NLA_REJECT) attribute may be
listed in a request."""
import re
import sys

import yaml

TOP = sys.argv[1] if len(sys.argv) > 1 else '.'
results = []
# The header's enum entries by name, so that a policy may bound a value
# by them (SIPREG_CONFIG_A_ALGS_FIRST: SIPREG_ALG_FLAG_MD5..SHA256).
ENUM_VALUES = {}


def check(desc, problems):
    results.append((desc, problems))


def c_name(s):
    return s.upper().replace('-', '_')


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def header_defines(text):
    out = {}
    for m in re.finditer(r'^#define[ \t]+(\w+)[ \t]+(.+)$', text, re.M):
        out[m.group(1)] = m.group(2).strip()
    return out


def header_enums(text):
    """name -> list of (entry, value), values computed C's way."""
    enums = {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\};', text, re.S):
        val, entries = -1, []
        for item in m.group(2).split(','):
            item = item.strip()
            if not item:
                continue
            if '=' in item:
                name, expr = [x.strip() for x in item.split('=', 1)]
                val = int(eval(expr, {}))
            else:
                name, val = item, val + 1
            entries.append((name, val))
        enums[m.group(1)] = entries
    return enums


def resolve(v, consts, defines):
    if isinstance(v, int):
        return v
    if v in consts:
        return consts[v]
    s = str(v)
    while s in defines:
        s = defines[s]
    return int(eval(s, {}, ENUM_VALUES))


def main():
    spec = yaml.safe_load(open(f'{TOP}/kmod/uapi/sipreg.yaml'))
    htext = strip_comments(open(f'{TOP}/kmod/uapi/sipreg.h').read())
    ntext = strip_comments(open(f'{TOP}/kmod/netlink.c').read())
    defines = header_defines(htext)
    enums = header_enums(htext)
    all_entries = {n: v for e in enums.values() for n, v in e}
    ENUM_VALUES.update(all_entries)
    family = c_name(spec['name'])

    # Family name, version, group.
    p = []
    if defines.get('SIPREG_GENL_NAME') != f'"{spec["name"]}"':
        p.append('family name differs')
    groups = [g['name'] for g in spec['mcast-groups']['list']]
    if groups != [defines.get('SIPREG_GENL_MCGRP_EVENTS', '').strip('"')]:
        p.append(f'multicast groups {groups} != SIPREG_GENL_MCGRP_EVENTS')
    # The events group is for the namespace's admins only: the C group has
    # GENL_MCAST_CAP_NET_ADMIN (through SIPREG_MCAST_ADMIN) and the spec
    # says so in its doc.
    grp = re.search(r'sipreg_mcgrps\[\]\s*=\s*\{(.*?)\n\};', ntext, re.S)
    if not grp or '.flags = SIPREG_MCAST_ADMIN' not in grp.group(1):
        p.append('events group in netlink.c without SIPREG_MCAST_ADMIN')
    if 'CAP_NET_ADMIN' not in spec['mcast-groups']['list'][0].get('doc', ''):
        p.append('events group: the spec does not say joining needs CAP_NET_ADMIN')
    check('family name and multicast group', p)

    # Constants, enums, flags.
    consts, p = {}, []
    for d in spec['definitions']:
        if d['type'] == 'const':
            consts[d['name']] = d['value']
            cn = f'{family}_{c_name(d["name"])}'
            if cn not in defines:
                p.append(f'{cn} not in the header')
            elif resolve(cn, {}, defines) != d['value']:
                p.append(f'{cn} = {defines[cn]}, spec says {d["value"]}')
            continue
        prefix = c_name(d.get('name-prefix', f'{spec["name"]}-{d["name"]}-'))
        for i, e in enumerate(d['entries']):
            name = e if isinstance(e, str) else e['name']
            cn = prefix + c_name(name)
            want = (1 << i) if d['type'] == 'flags' else i
            if cn not in all_entries:
                p.append(f'{cn} not in the header')
            elif all_entries[cn] != want:
                p.append(f'{cn} = {all_entries[cn]}, spec says {want}')
        # Nothing in the header that the spec lacks.
        names = {prefix + c_name(e if isinstance(e, str) else e['name'])
                 for e in d['entries']}
        for en, entries in enums.items():
            hn = {n for n, _ in entries if not n.startswith('__')}
            if hn & names and hn - names:
                p.append(f'enum {en} has {sorted(hn - names)} not in the spec')
    check('constants and enums', p)

    # Commands and admin-perm.
    p, val = [], 0
    cmds = dict(enums['sipreg_cmd'])
    spec_cmds = set()
    # The permission flag of each op: GENL_ADMIN_PERM is admin-perm,
    # GENL_UNS_ADMIN_PERM uns-admin-perm (CAP_NET_ADMIN in the user
    # namespace owning the network namespace).
    perm_names = {'GENL_ADMIN_PERM': 'admin-perm',
                  'GENL_UNS_ADMIN_PERM': 'uns-admin-perm'}
    perm = {}
    for m in re.finditer(r'\{([^{}]*?\.cmd\s*=\s*(\w+),[^{}]*?)\}', ntext, re.S):
        f = re.search(r'\.flags\s*=\s*(\w+)', m.group(1))
        perm[m.group(2)] = perm_names.get(f.group(1), f.group(1)) if f else None
    has_op = set(re.findall(r'\.cmd\s*=\s*(\w+)', ntext))
    for op in spec['operations']['list']:
        val = op.get('value', val + 1)
        cn = c_name(spec['operations']['name-prefix']) + c_name(op['name'])
        spec_cmds.add(cn)
        if cmds.get(cn) != val:
            p.append(f'{cn}: header {cmds.get(cn)}, spec {val}')
        spec_perm = [f for f in op.get('flags', []) if f.endswith('admin-perm')]
        spec_perm = spec_perm[0] if spec_perm else None
        if ('do' in op or 'dump' in op) and cn not in has_op:
            p.append(f'{cn} has no op in netlink.c')
        if ('do' in op or 'dump' in op) and spec_perm != perm.get(cn):
            p.append(f'{cn}: permission in spec {spec_perm}, in netlink.c {perm.get(cn)}')
    extra = {c for c in cmds if not c.startswith('__') and c != 'SIPREG_CMD_UNSPEC'} - spec_cmds
    if extra:
        p.append(f'commands not in the spec: {sorted(extra)}')
    check('commands and admin-perm', p)

    # Attribute sets against the header's enums.
    p = []
    for s in spec['attribute-sets']:
        if 'name-prefix' not in s:
            continue
        prefix = c_name(s['name-prefix'])
        val = 0
        for a in s['attributes']:
            val = a.get('value', val + 1)
            cn = prefix + c_name(a['name'])
            if all_entries.get(cn) != val:
                p.append(f'{cn}: header {all_entries.get(cn)}, spec {val}')
    check('attribute names and values', p)

    # Policies: each "[ATTR] = ..." in netlink.c against the spec's checks.
    ranges = {m.group(1): (int(resolve(m.group(2), {}, defines)),
                           int(resolve(m.group(3), {}, defines)))
              for m in re.finditer(r'netlink_range_validation\s+(\w+)\s*=\s*\{\s*'
                                   r'\.min\s*=\s*(\w+),\s*\.max\s*=\s*(\w+)', ntext)}
    policy = {}
    for m in re.finditer(r'\[(SIPREG_\w+)\]\s*=\s*(.*?)(?=,\s*\n\s*(?:\[|\}))',
                         ntext, re.S):
        policy[m.group(1)] = ' '.join(m.group(2).split())
    p, rejected = [], set()
    for s in spec['attribute-sets']:
        if 'name-prefix' not in s:
            continue
        prefix = c_name(s['name-prefix'])
        for a in s['attributes']:
            cn = prefix + c_name(a['name'])
            pol = policy.get(cn)
            if pol is None:
                continue        # kernel-to-user sets have no policy
            got = {}
            if 'NLA_REJECT' in pol:
                rejected.add((s['name'], a['name']))
                continue
            m = re.search(r'NLA_NUL_STRING,\s*\.len\s*=\s*(\w+)', pol)
            if m:
                got['max-len'] = resolve(m.group(1), {}, defines)
            m = re.search(r'NLA_POLICY_EXACT_LEN\((\w+)\)', pol)
            if m:
                got['exact-len'] = resolve(m.group(1), {}, defines)
            m = re.search(r'NLA_POLICY_MIN\(\w+,\s*(\w+)\)', pol)
            if m:
                got['min'] = resolve(m.group(1), {}, defines)
            m = re.search(r'NLA_POLICY_MAX\(\w+,\s*(\w+)\)', pol)
            if m:
                got['max'] = resolve(m.group(1), {}, defines)
            m = re.search(r'NLA_POLICY_RANGE\(\w+,\s*(\w+),\s*(\w+)\)', pol)
            if m:
                got['min'] = resolve(m.group(1), {}, defines)
                got['max'] = resolve(m.group(2), {}, defines)
            m = re.search(r'NLA_POLICY_FULL_RANGE\(\w+,\s*&(\w+)\)', pol)
            if m:
                got['min'], got['max'] = ranges[m.group(1)]
            want = {k: resolve(v, consts, defines)
                    for k, v in a.get('checks', {}).items()}
            if got != want:
                p.append(f'{cn}: policy {got}, spec checks {want}')
            m = re.search(r'NLA_POLICY_MASK\(\w+,(.*)\)', pol)
            if bool(m) != bool(a.get('enum-as-flags')):
                p.append(f'{cn}: flags mask in policy {bool(m)}, spec {bool(a.get("enum-as-flags"))}')
            if m:
                mask = sum(all_entries[x.strip()] for x in m.group(1).split('|'))
                d = [x for x in spec['definitions'] if x['name'] == a['enum']][0]
                if mask != (1 << len(d['entries'])) - 1:
                    p.append(f'{cn}: mask {mask} != all of {a["enum"]}')
            t = a['type']
            kinds = {'string': 'NLA_NUL_STRING', 'nest': 'NLA_POLICY_NESTED',
                     'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
                     'binary': 'NLA_POLICY_EXACT_LEN'}
            if t in kinds and kinds[t] not in pol:
                p.append(f'{cn}: type {t} but policy {pol}')
    check('policy checks (max-len, exact-len, min, max, mask)', p)

    # Requests never carry kernel-to-user attributes.
    p = []
    for op in spec['operations']['list']:
        for kind in ('do', 'dump'):
            req = (op.get(kind) or {}).get('request', {}).get('attributes', [])
            for attr in req:
                if (op['attribute-set'], attr) in rejected:
                    p.append(f'{op["name"]} {kind} request lists {attr}, rejected by policy')
    check('no NLA_REJECT attribute in a request', p)

    print(f'1..{len(results)}')
    fail = 0
    for i, (desc, problems) in enumerate(results, 1):
        if problems:
            fail = 1
            print(f'not ok {i} netlink-spec: {desc}')
            for x in problems:
                print(f'#   {x}')
        else:
            print(f'ok {i} netlink-spec: {desc}')
    return fail


sys.exit(main())
