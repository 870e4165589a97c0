#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation testing of sipreg's security checks (make mutate).

Applies each one-line mutant of selftests/mutate/mutants.txt to a copy of
the tree, builds what it touches (the module for the VM kernel, or one
unit test), runs the tests that should catch it, and prints the
survivors and a score. Not part of make check: one VM boot per kernel
mutant.

usage: run.py [--kernel 6.12] [--check] [--only SUBSTRING[,...]] [--no-baseline]
  --check  only verify that every mutant applies (each ORIGINAL is one
           whole line of its file): cheap, no build.
"""
import argparse
import os
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def unescape(s, newline_ok):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            n = s[i + 1]
            if n == 't':
                out.append('\t')
            elif n == 'n' and newline_ok:
                out.append('\n')
            elif n in '|\\':
                out.append(n)
            else:
                out.append(c + n)
            i += 2
            continue
        out.append(c)
        i += 1
    return ''.join(out)


def split_fields(line):
    fields, cur, i = [], [], 0
    while i < len(line):
        if line[i] == '\\' and i + 1 < len(line):
            cur.append(line[i:i + 2])
            i += 2
            continue
        if line[i] == '|':
            fields.append(''.join(cur))
            cur = []
        else:
            cur.append(line[i])
        i += 1
    fields.append(''.join(cur))
    return fields


def load(path):
    mutants = []
    for no, raw in enumerate(open(path), 1):
        raw = raw.rstrip('\n')
        if not raw.strip() or raw.startswith('#'):
            continue
        f = split_fields(raw)
        if len(f) != 4:
            sys.exit(f"{path}:{no}: want FILE|ORIGINAL|MUTANT|TESTS, got {len(f)} fields")
        mutants.append({'no': no, 'file': f[0], 'orig': unescape(f[1], False),
                        'mut': unescape(f[2], True), 'tests': f[3].split()})
    return mutants


def apply(root, m):
    path = os.path.join(root, m['file'])
    lines = open(path).read().split('\n')
    hits = [i for i, l in enumerate(lines) if l == m['orig']]
    if len(hits) != 1:
        return f"{m['file']}: {len(hits)} lines equal to {m['orig']!r}"
    lines[hits[0]] = m['mut']
    open(path, 'w').write('\n'.join(lines))
    return None


def run(cmd, log, **kw):
    with open(log, 'a') as f:
        f.write(f"$ {' '.join(cmd)}\n")
        f.flush()
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, **kw).returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kernel', default='6.12')
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--only', default='')
    ap.add_argument('--no-baseline', action='store_true')
    args = ap.parse_args()
    build = os.environ.get('BUILD', os.path.join(TOP, 'build'))
    only = args.only.split(',')
    mutants = [m for m in load(os.path.join(TOP, 'selftests/mutate/mutants.txt'))
               if any(o in f"{m['file']} {m['orig']}" for o in only)]
    bad = [e for m in mutants for e in [apply_check(m)] if e]
    if bad:
        print('\n'.join(f"mutate: {e}" for e in bad))
        return 2
    if args.check:
        print(f"mutate: {len(mutants)} mutants apply")
        return 0

    work = os.path.join(build, 'mutate')
    src, wbuild, log = os.path.join(work, 'src'), os.path.join(work, 'build'), os.path.join(work, 'log')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(wbuild)
    files = subprocess.run(['git', '-C', TOP, 'ls-files', '-z'], capture_output=True,
                           check=True).stdout.decode().split('\0')
    for f in filter(None, files):
        os.makedirs(os.path.join(src, os.path.dirname(f)), exist_ok=True)
        shutil.copy2(os.path.join(TOP, f), os.path.join(src, f))
    for d in ('kernels', 'linux-src', 'nfmods', 'debs', 'bin'):
        if os.path.exists(os.path.join(build, d)):
            os.symlink(os.path.realpath(os.path.join(build, d)), os.path.join(wbuild, d))
    env = dict(os.environ, BUILD=wbuild)
    kenv = dict(l.split('=', 1) for l in open(os.path.join(build, 'kernels', args.kernel, 'env'))
                .read().split())
    ko = os.path.join(wbuild, f"kmod-{args.kernel}", 'kmod')
    os.makedirs(ko)
    os.symlink(os.path.join(src, 'kmod', 'sipreg.ko'), os.path.join(ko, 'sipreg.ko'))
    runner = os.path.join(work, 'runner')
    os.makedirs(runner)
    shutil.copy2(os.path.join(TOP, 'selftests/mutate/vm-tests.sh'), runner)

    def build_module():
        return run(['make', '-C', kenv['KDIR'], f"M={src}", 'W=1', 'modules'], log) == 0

    def vm(tests):
        open(os.path.join(runner, 'list'), 'w').write(' '.join(tests) + '\n')
        return run([os.path.join(TOP, 'selftests/vm/run.sh'), 'run', args.kernel,
                    os.path.join(runner, 'vm-tests.sh')], log, env=dict(env, TEST_TIMEOUT='1500')) == 0

    class Unbuildable(Exception):
        pass

    def unit(name):
        if run(['make', '-s', '-C', src, f"BUILD={wbuild}", os.path.join(wbuild, 'unit', name)], log) != 0:
            raise Unbuildable(name)
        return run([os.path.join(wbuild, 'unit', name)], log) == 0

    def passes(tests):
        """True if every test passes (the mutant survives them)."""
        vmt = [t for t in tests if not t.startswith('unit:')]
        for t in tests:
            if t.startswith('unit:') and not unit(t[5:]):
                return False
        if vmt:
            if not build_module():
                raise Unbuildable('module')
            return vm(vmt)
        return True

    if not args.no_baseline:
        alltests = sorted({t for m in mutants for t in m['tests']})
        print(f"mutate: baseline: {' '.join(alltests)}", flush=True)
        if not passes(alltests):
            print(f"mutate: the tests fail without any mutant: see {log}")
            return 2
    survivors, invalid = [], []
    for m in mutants:
        path = os.path.join(src, m['file'])
        saved = open(path).read()
        apply(src, m)
        what = f"{m['file']}: {m['orig'].strip()} -> {m['mut'].strip()}"
        try:
            verdict = 'SURVIVED' if passes(m['tests']) else 'killed  '
        except Unbuildable:
            verdict = 'NO BUILD'	# a mutant that does not compile proves nothing
            invalid.append(what)
        open(path, 'w').write(saved)
        os.utime(path)
        print(f"mutate: {verdict} {what} [{' '.join(m['tests'])}]", flush=True)
        if verdict == 'SURVIVED':
            survivors.append(what)
    killed = len(mutants) - len(survivors) - len(invalid)
    print(f"mutate: score {killed}/{len(mutants)} killed, {len(survivors)} survivors, "
          f"{len(invalid)} do not build; log {log}", flush=True)
    for s in survivors:
        print(f"mutate: survivor: {s}")
    for s in invalid:
        print(f"mutate: does not build (fix the mutant): {s}")
    return 1 if survivors or invalid else 0


def apply_check(m):
    path = os.path.join(TOP, m['file'])
    if not os.path.exists(path):
        return f"{m['file']}: no such file"
    hits = sum(1 for l in open(path).read().split('\n') if l == m['orig'])
    return None if hits == 1 else f"{m['file']}: {hits} lines equal to {m['orig']!r}"


if __name__ == '__main__':
    sys.exit(main())
