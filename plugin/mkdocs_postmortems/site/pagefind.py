"""Making a Pagefind index byte-identical from one build of the same site to the next.

Pagefind writes each filter's values in the order of a hash map whose seed is random, so two
builds of the same pages differ in the filter files, in the metadata file that names them,
and in the entry file that names that (the file names are hashes of the content). Here the
values and the filters are put in sorted order and the three kinds of file are written again
under names hashed the same way, so the site (and any cache or diff of it) stays stable.

The files are gzip-compressed CBOR after a ``pagefind_dcd`` signature; the JavaScript finds
them through the entry and metadata files only, so the names just have to agree.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"


def make_deterministic(bundle: Path) -> None:
    """Rewrite the index in ``bundle`` (the site's ``pagefind/`` folder) in sorted order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = meta[3]
        for item in filters:
            item[1] = _sorted_filter(bundle / "filter", item[1], language)
        filters.sort(key=lambda item: item[0])
        details["hash"] = _write(bundle, meta_path, meta, language, "pagefind.{}.pf_meta", 10)
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    entry_path.write_text(text, encoding="utf-8")


def _sorted_filter(folder: Path, name: str, language: str) -> str:
    path = folder / f"{name}.pf_filter"
    data = _read(path)
    data[1].sort(key=lambda value: value[0])
    return _write(folder, path, data, language, "{}.pf_filter", 7)


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _write(folder: Path, old: Path, data: Any, language: str, pattern: str, digits: int) -> str:
    """Write ``data`` under a name hashed from it; return that name's hash part."""
    content = gzip.compress(SIGNATURE + cbor2.dumps(data), mtime=0)
    name = f"{language}_{hashlib.sha256(content).hexdigest()[:digits]}"
    new = folder / pattern.format(name)
    old.unlink()
    new.write_bytes(content)
    return name
