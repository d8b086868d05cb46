"""Lay the 2027 proposal of examples/change over a copy of frameworks/ecommerce-ops.

    .venv/bin/python examples/change/lay_over.py out/ecommerce-ops-2027

The copy is made afresh (an earlier one is replaced); each file under ``ecommerce-ops-2027/`` replaces the
file of the same path in the copy. Then ``ecomperf diff`` and ``ecomperf backtest`` compare the two.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
BASE = HERE.parent.parent / "frameworks" / "ecommerce-ops"
PROPOSAL = HERE / "ecommerce-ops-2027"


def lay_over(target: Path) -> list[Path]:
    """Copy the bundled framework to ``target`` and lay the proposal's files over it; the files replaced."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(BASE, target)
    replaced = []
    for source in sorted(PROPOSAL.rglob("*.yaml")):
        relative = source.relative_to(PROPOSAL)
        shutil.copyfile(source, target / relative)
        replaced.append(relative)
    return replaced


def main(argv: list[str]) -> None:
    target = Path(argv[1]) if len(argv) > 1 else Path("out") / "ecommerce-ops-2027"
    replaced = lay_over(target)
    print(f"{target}: a copy of {BASE.name} with {len(replaced)} file(s) of the 2027 proposal laid over it:")
    for relative in replaced:
        print(f"  {relative.as_posix()}")


if __name__ == "__main__":
    main(sys.argv)
