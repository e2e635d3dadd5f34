"""The bundled datasets load from an installed wheel, not only from a source checkout.

Builds a wheel of the project, installs it without dependencies into a fresh virtualenv that
sees the outer environment's site-packages (numpy, pandas, ...), and loads every bundled
dataset in a subprocess whose working directory is outside the checkout.

The test runs inside a virtualenv, whose packages ``venv --system-site-packages`` would not
expose (it exposes the base interpreter's). The outer site-packages are therefore added with a
``.pth`` file listing their paths: such paths are appended after the new venv's own
site-packages, and ``.pth`` files inside them (the outer editable install of this project) are
not processed, so ``import actuarial`` resolves to the installed wheel.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import pathlib, warnings
    import actuarial
    import actuarial.datasets as ds
    from actuarial.datasets import _schema
    root = pathlib.Path(str(_schema.data_root()))
    assert "_bundled" in root.parts, root
    assert pathlib.Path(actuarial.__file__).resolve().is_relative_to(pathlib.Path.cwd() / "venv")
    sizes = {f.__name__: len(f()) for f in
             (ds.load_hacks, ds.load_depegs, ds.load_defaults, ds.load_stablecoins)}
    assert all(n > 0 for n in sizes.values()), sizes
    assert ds.manifest()["hacks"]["completeness_threshold_usd"] == 1e7
    print(sizes)
    """
)


@pytest.mark.slow
def test_bundled_data_load_from_an_installed_wheel(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = dist.glob("actuarial-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    venv_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    outer = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(venv_site) / "outer_site_packages.pth").write_text("\n".join(outer) + "\n")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr

    # the outer environment has the project installed editable: hide it so that the
    # import can only resolve to the wheel installed in the new venv
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ACTUARIAL_DATA_DIR")}
    env["PYTHONNOUSERSITE"] = "1"
    run = subprocess.run(
        [str(python), "-c", SCRIPT], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "load_hacks" in run.stdout
