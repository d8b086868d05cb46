"""Rewrite the ``expect:`` lists of the problem-code examples from what ecomperf reports now.

Run it after changing a problem message on purpose, then read the diff: it is the documentation's view
of the change::

    .venv/bin/python -m scripts.docs.update_expect          # rewrite docs/problems/examples/EP*.yaml
    .venv/bin/python -m scripts.docs.update_expect --check  # exit 1 if any file would change

Only the ``expect:`` blocks are touched; comments and layout of the files stay as they are.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence

from scripts.docs import problems

_EXPECT = re.compile(r"^(?P<lead>  - |    )expect:\n(?:      - .*\n)*", re.MULTILINE)


def expect_block(lines: Sequence[str], lead: str = "    ") -> str:
    """The YAML of an ``expect:`` list (each line as a JSON string, which is valid YAML)."""
    return f"{lead}expect:\n" + "".join(f"      - {json.dumps(line, ensure_ascii=False)}\n" for line in lines)


def updated(code: problems.CodeDoc) -> str:
    """The text of ``code``'s example file with every ``expect:`` list replaced by the current output."""
    text = code.source.read_text(encoding="utf-8")
    blocks = list(_EXPECT.finditer(text))
    if len(blocks) != len(code.examples):
        raise ValueError(f"{code.source.name}: {len(code.examples)} examples but {len(blocks)} expect: lists")
    runs = [problems.run_example(example) for example in code.examples]
    for block, run in reversed(list(zip(blocks, runs, strict=True))):
        text = text[: block.start()] + expect_block(run.lines, block.group("lead")) + text[block.end() :]
    return text


def main(argv: Sequence[str]) -> int:
    """Rewrite (or with ``--check`` only compare) every example file; return the exit status."""
    check = "--check" in argv
    changed = []
    for code in problems.load_codes():
        text = updated(code)
        if text != code.source.read_text(encoding="utf-8"):
            changed.append(code.source.name)
            if not check:
                code.source.write_text(text, encoding="utf-8")
    verb = "would change" if check else "updated"
    print(f"{verb}: {', '.join(changed)}" if changed else "every expect: list is up to date")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
