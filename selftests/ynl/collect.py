# SPDX-License-Identifier: GPL-2.0
"""collect.py YNL_DIR SPEC: the files of Debian's python3 (stdlib and
PyYAML) that the kernel's ynl CLI needs to run SPEC, one path a line, for
the test VM's initramfs (selftests/ynl/pack.sh). Found by doing what the
CLI does up to talking to the kernel: its imports, then the spec parsed.
Run it with the interpreter that will be packed, and its flags (-I)."""
import os
import sys

ynl, spec = sys.argv[1], sys.argv[2]
sys.path.insert(0, ynl)

# cli.py's own imports, and the codecs a C-locale console may ask for
import argparse  # noqa: F401,E402
import json  # noqa: F401,E402
import pprint  # noqa: F401,E402
import time  # noqa: F401,E402
import encodings.ascii  # noqa: F401,E402
import encodings.latin_1  # noqa: F401,E402
import encodings.utf_8  # noqa: F401,E402
# what argparse and pprint load only when they print help or errors
import locale  # noqa: F401,E402
import shutil  # noqa: F401,E402
import textwrap  # noqa: F401,E402
import subprocess  # noqa: F401,E402  (ops.py)
import cli  # noqa: E402

# The CLI itself: it parses its arguments and the spec, then asks the
# kernel for the family, which fails here (the module is never loaded on
# the build machine).
sys.argv = ['cli.py', '--spec', spec, '--no-schema', '--output-json',
            '--dump', 'user-get']
try:
    cli.main()
except BaseException:  # pylint: disable=broad-except
    pass

ynl = os.path.realpath(ynl)
for f in sorted({getattr(m, '__file__', None) or '' for m in list(sys.modules.values())}):
    if f and not os.path.realpath(f).startswith(ynl + '/'):
        print(os.path.realpath(f))
