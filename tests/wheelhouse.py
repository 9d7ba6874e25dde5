"""A folder of wheels for pip to install from with no index: every distribution a
walkthrough needs, repacked from the ones installed with the tests, so a test that installs
the package into a new virtual environment neither reaches the network nor waits on it.

The package itself is never among them: it is always built from the checkout (or a clone of
it), which is what such a test is about."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import re
import shutil
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Written by the installer, not part of the wheel; RECORD is written anew.
INSTALLER_FILES = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}


def closure(roots: Iterable[str]) -> dict[str, set[str]]:
    """Every installed distribution the requirements ``roots`` (``name[extra,...]``) need,
    by canonical name, with the extras asked of it."""
    needed: dict[str, set[str]] = {}
    todo = [Requirement(root) for root in roots]
    while todo:
        requirement = todo.pop()
        distribution = importlib.metadata.distribution(requirement.name)
        name = canonicalize_name(distribution.metadata["Name"])
        extras = set(requirement.extras)
        if name in needed and extras <= needed[name]:
            continue
        needed[name] = needed.get(name, set()) | extras
        for line in distribution.requires or []:
            wanted = Requirement(line)
            if wanted.marker is None or any(
                wanted.marker.evaluate({"extra": extra}) for extra in needed[name] or {""}
            ):
                todo.append(wanted)
    return needed


def wheel_tag(distribution: importlib.metadata.Distribution) -> str:
    """The compressed tag set of the wheel the distribution was installed from (its WHEEL
    file keeps them): ``py2.py3-none-any``."""
    tags = [
        line.split(":", 1)[1].strip()
        for line in (distribution.read_text("WHEEL") or "").splitlines()
        if line.startswith("Tag:")
    ]
    assert tags, f"{distribution.metadata['Name']} was not installed from a wheel"
    parts = [sorted({tag.split("-")[i] for tag in tags}) for i in range(3)]
    return "-".join(".".join(part) for part in parts)


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def repack(distribution: importlib.metadata.Distribution, folder: Path) -> Path:
    """The installed distribution as a wheel again: the files under site-packages that its
    RECORD lists (console scripts and data outside it are made again by pip from the
    metadata), without bytecode."""
    name = re.sub(r"[-_.]+", "_", distribution.metadata["Name"])
    version = distribution.version
    wheel = folder / f"{name}-{version}-{wheel_tag(distribution)}.whl"
    records = []
    dist_info = ""
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        for file in distribution.files or []:
            path = file.as_posix()
            parts = path.split("/")
            if parts[0] == ".." or "__pycache__" in parts or path.endswith(".pyc"):
                continue
            if parts[0].endswith(".dist-info"):
                dist_info = parts[0]
                if parts[-1] in INSTALLER_FILES:
                    continue
            source = Path(str(file.locate()))
            data = source.read_bytes()
            info = zipfile.ZipInfo(path)
            # Executable bits kept: Pagefind's binary must run once installed.
            info.external_attr = (stat.S_IMODE(source.stat().st_mode) | stat.S_IFREG) << 16
            archive.writestr(info, data)
            records.append(record_line(path, data))
        assert dist_info, f"{name} has no .dist-info in its RECORD"
        records.append(f"{dist_info}/RECORD,,")
        archive.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
    return wheel


def bundled_wheels() -> Path:
    """virtualenv's own wheels of pip and setuptools: the build backend, offline."""
    import virtualenv.seed.wheels.embed as embedded

    return Path(embedded.__file__).parent


def build_wheelhouse(folder: Path, roots: Iterable[str], *, leave_out: str) -> Path:
    """Wheels of everything ``roots`` need except ``leave_out`` (the package under test),
    plus the build backend from virtualenv's own wheels (the installed one may be older
    than the build needs); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in closure(roots):
        if name != canonicalize_name(leave_out):
            repack(importlib.metadata.distribution(name), folder)
    for bundled in bundled_wheels().glob("setuptools-*.whl"):
        shutil.copyfile(bundled, folder / bundled.name)
    return folder


def offline_pip(wheelhouse: Path) -> dict[str, str]:
    """Environment for pip (and for pre-commit, virtualenv and build, which run it) to
    install only from ``wheelhouse``; what is installed is not compiled to bytecode ahead
    (most of it is never imported by the test)."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_NO_COMPILE": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
    }
