"""Architecture: the import layers of DESIGN.md and small modules, checked not eyeballed."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "actuarial"


def test_import_layers_contract():
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [shutil.which("lint-imports") or "lint-imports"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_modules_stay_small(path):
    n_lines = len(path.read_text(encoding="utf-8").splitlines())
    assert n_lines <= 900, f"{path.name} has {n_lines} lines: split it by responsibility"


def test_no_global_random_state():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for bad in ("np.random.seed(", "np.random.rand(", "np.random.normal(", "random.seed("):
            if bad in text:
                offenders.append(f"{path.name}: {bad}")
    assert not offenders


def test_no_global_warning_filters():
    """Warning filters may only be changed locally, inside ``warnings.catch_warnings()``."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        context_indent = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            indent = len(line) - len(line.lstrip())
            if "warnings.catch_warnings(" in line:
                context_indent = indent
            elif line.strip() and context_indent is not None and indent <= context_indent:
                context_indent = None
            if ("simplefilter(" in line or "filterwarnings(" in line) and context_indent is None:
                offenders.append(f"{path.name}:{number}")
    assert not offenders
