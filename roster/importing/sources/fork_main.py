"""Imported first by the fork server of isolated.py: its children skip the parent's main script.

multiprocessing prepares each forked child by importing the parent's main script (pytest,
granian, manage.py) unless the server already has it as its own `__main__`; Python 3.13's
fork server means to preload it but looks under the wrong key, so every child would pay
for that import (~0.3 s for pytest). The children need nothing from it (they run a
function of isolated.py), so the server's `__main__` is only labelled as the parent's.
"""

import json
import os
import sys
import types

_parent = json.loads(os.environ.get("ROSTER_FORK_MAIN", "{}"))
_main = sys.modules["__main__"]
if "init_main_from_path" in _parent:
    _main.__file__ = _parent["init_main_from_path"]
if "init_main_from_name" in _parent:
    _main.__spec__ = types.SimpleNamespace(name=_parent["init_main_from_name"])  # type: ignore[assignment]
