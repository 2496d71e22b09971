"""The install path of docs/excel.md, run here up to where Excel itself is needed (issue 13.1).

From this checkout: build the wheel (``pip wheel --no-deps``), install it with ``pip install
--no-deps --no-index`` into a fresh venv, and from that venv only: import the package, compute a KPI,
generate the classic add-in's VBA with xlwings' own generator, write Lite's main.py, find the bundled
templates and run the ``xl-cskpi`` command. The fresh venv borrows numpy, pandas, xlwings... from the
test venv through a ``.pth`` line (no second download, works offline once the build backend is
cached); the package itself must come from the wheel, and the test checks that it does.

What only Excel can confirm (docs/excel.md, "What only Excel can confirm"): that the add-in's
*Import Functions* compiles the generated module with the xlwings reference, and that the cells
compute; in Lite, that micropip installs the wheel from its URL and that the re-entered formulas
compute.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from pathlib import Path

import pytest

from xl_cskpi import __version__
from xl_cskpi.registry import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
WHEEL = f"xl_cskpi-{__version__}-py3-none-any.whl"

# Runs inside the fresh venv: everything it prints is one JSON line.
CHECK = r"""
import io, json, sys, time
from importlib import resources
t0 = time.perf_counter()
import xl_cskpi
imported = time.perf_counter() - t0
sys.path.insert(0, sys.argv[1])          # tests/: the house's Windows stand-ins for the classic add-in
from xlwings_stubs import classic_xlwings


class Workbook:                          # what generate_vba_wrapper reads of the add-in workbook
    Name = "xl_cskpi.xlam"


with classic_xlwings() as (udfs, xl_udfs):
    out = io.StringIO()
    xl_udfs.generate_vba_wrapper("xl_cskpi.udfs", udfs, out, Workbook())
    udfs_file = udfs.__file__
from xl_cskpi import lite
templates = sorted(p.name for p in (resources.files("xl_cskpi") / "workbook_templates").iterdir())
print(json.dumps({
    "file": xl_cskpi.__file__, "udfs_file": udfs_file, "lite_file": lite.__file__,
    "version": xl_cskpi.__version__, "churn": xl_cskpi.churn_rate(1000, 64),
    "vba": out.getvalue(), "main_py": lite.main_py(), "templates": templates, "import_s": imported,
}))
"""


def _venv_python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("install")
    timings = {}
    t0 = time.perf_counter()
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check",
               "-w", str(base / "dist"), str(ROOT)]
    if importlib.util.find_spec("hatchling"):  # the build backend at hand: no download (offline CI)
        command.append("--no-build-isolation")
    build = subprocess.run(command, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    timings["build_s"] = time.perf_counter() - t0
    wheel = base / "dist" / WHEEL
    assert wheel.is_file(), sorted(p.name for p in (base / "dist").iterdir())

    t0 = time.perf_counter()
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = _venv_python(env_dir)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies from the test venv, after the fresh venv's own site-packages on sys.path
    (site / "zz_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                              "--no-index", "-q", "--disable-pip-version-check", str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    timings["install_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    check = subprocess.run([str(python), "-I", "-c", CHECK, str(TESTS)], capture_output=True, text=True,
                           cwd=base)  # -I: not the checkout (cwd, PYTHONPATH), only the venv
    assert check.returncode == 0, check.stdout + check.stderr
    timings["check_s"] = time.perf_counter() - t0
    result = json.loads(check.stdout.strip().splitlines()[-1])
    print(f"\nwheel {wheel.stat().st_size / 1024:.0f} KiB; build {timings['build_s']:.1f} s, "
          f"venv+install {timings['install_s']:.1f} s, import xl_cskpi {result['import_s']:.2f} s, "
          f"all checks in the venv {timings['check_s']:.1f} s")
    return {"wheel": wheel, "env": env_dir, "site": site, "python": python, **result}


def test_the_package_comes_from_the_wheel(installed):
    for key in ("file", "udfs_file", "lite_file"):
        assert Path(installed[key]).is_relative_to(installed["site"]), installed[key]
        assert not Path(installed[key]).is_relative_to(ROOT), installed[key]
    assert installed["version"] == __version__
    assert installed["churn"] == 0.064  # 1,000 customers, 64 lost: 6.4 %


def test_vba_generated_from_the_installed_wheel(installed):
    vba = installed["vba"]
    # xlwings' generator writes one Function per @xw.func, each calling XLPy.CallUDF (the reason the
    # workbook needs the VBA reference to xlwings: docs/excel.md)
    functions = sorted(line.split("(", 1)[0].removeprefix("Function ")
                       for line in vba.splitlines() if line.startswith("Function "))
    assert functions == sorted(REGISTRY) and len(functions) >= 54
    assert vba.count("End Function") == len(REGISTRY)
    for name in REGISTRY:
        assert f'{name} = XLPy.CallUDF("xl_cskpi.udfs", "{name}", ' in vba, name


def test_lite_main_py_from_the_installed_wheel(installed):
    assert "from xl_cskpi.lite import *" in installed["main_py"]
    assert "@script(" in installed["main_py"]


def test_wheel_holds_the_templates_and_the_code(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    want = sorted(p.name for p in (ROOT / "workbook_templates").iterdir() if p.is_file())
    assert want and installed["templates"] == want
    assert {f"xl_cskpi/workbook_templates/{n}" for n in want} <= names
    code = {p.relative_to(ROOT).as_posix() for p in (ROOT / "xl_cskpi").rglob("*.py")
            if "__pycache__" not in p.parts}
    assert code <= names, sorted(code - names)
    meta = zipfile.ZipFile(installed["wheel"]).read(f"xl_cskpi-{__version__}.dist-info/METADATA").decode()
    # Lite (Pyodide, emscripten) cannot install the compiled calamine reader: it must stay optional there
    assert "Requires-Dist: python-calamine>=0.2; sys_platform != 'emscripten'" in meta
    entry_points = zipfile.ZipFile(installed["wheel"]).read(
        f"xl_cskpi-{__version__}.dist-info/entry_points.txt").decode()
    assert "xl-cskpi = xl_cskpi.cli:main" in entry_points


def test_the_command_runs_from_the_fresh_venv(installed, tmp_path):
    exe = installed["env"] / ("Scripts/xl-cskpi.exe" if os.name == "nt" else "bin/xl-cskpi")
    r = subprocess.run([str(exe), "functions"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "CHURN_RATE" in r.stdout and "NRR" in r.stdout
