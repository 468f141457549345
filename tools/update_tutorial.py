"""Rewrite the outputs shown in docs/tutorial.md from real runs (after a message changes).

Usage: python tools/update_tutorial.py   (tests/docs/test_tutorial.py checks them; this refreshes them)
Each ```console block's `$ vecproof …` commands are run in a temporary directory holding the
```vproof files written before them, exactly as the test does, and their output replaces what
the block showed.
"""

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"
BLOCK = re.compile(r"(?:<!-- tutorial: (?P<name>[\w.-]+) -->\n)?```(?P<lang>[\w-]*)\n(?P<body>.*?)^```\n",
                   re.S | re.M)


def main() -> int:
    text = TUTORIAL.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        def block(m: re.Match) -> str:
            if m["lang"] == "vproof" and m["name"]:
                (Path(tmp) / m["name"]).write_text(m["body"], encoding="utf-8")
                return m.group(0)
            if m["lang"] != "console":
                return m.group(0)
            out = []
            for chunk in re.split(r"^(?=\$ )", m["body"], flags=re.M):
                if not chunk:
                    continue
                command = chunk.partition("\n")[0]
                argv = [sys.executable, "-m", "vecproof", *shlex.split(command[2:])[1:]]
                if argv[3] == "check":
                    argv.insert(4, "--no-cache")
                run = subprocess.run(argv, cwd=tmp, capture_output=True, text=True, timeout=300)
                out.append(command + "\n" + run.stdout)
            return m.group(0)[: m.start("body") - m.start()] + "".join(out) + "```\n"

        new = BLOCK.sub(block, text)
    if new != text:
        TUTORIAL.write_text(new, encoding="utf-8")
        print(f"updated {TUTORIAL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
