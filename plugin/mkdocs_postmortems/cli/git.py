"""What git knows that the checker needs: the files a branch changed, and who the author is.

Every call runs the ``git`` program: no library reads ``.git`` as faithfully (worktrees,
sparse checkouts, ``safe.directory``), and two or three processes cost milliseconds.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# Tried in order when no base is given: the remote's default branch, then the usual names.
DEFAULT_BASES = ("origin/HEAD", "main", "master")


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a ref does not resolve."""


@dataclass(frozen=True)
class Changes:
    """Files under a folder that differ from the merge base: those still there, those gone,
    and the merge base's version of those that were there (edited or deleted)."""

    present: list[Path]
    deleted: list[Path]
    earlier: dict[Path, bytes] = field(default_factory=dict)


def changes(root: Path, folder: Path, base: str | None = None, limit: int = 1 << 20) -> Changes:
    """Files under ``folder`` changed since the merge base of ``base`` and ``HEAD``, with
    the merge base's bytes of each (``limit`` bytes at most; a larger one is left out).

    ``root`` is where git runs (the folder of ``mkdocs.yml``). Committed, staged, unstaged
    and untracked (but not ignored) changes all count: a pull request's branch and a
    working copy are checked the same way.
    """
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    inside = os.path.relpath(os.path.realpath(folder), os.path.realpath(top))
    if inside == os.pardir or inside.startswith(os.pardir + os.sep):
        raise GitError(f"{folder} is not inside the git repository at {top}")
    pathspec = Path(inside).as_posix()
    base = base or _default_base(top)
    if base.startswith("-"):
        raise GitError(f"'{base}' is not a git ref")
    if _resolve(top, base) is None:
        raise GitError(f"'{base}' is not a commit in {top} (is the branch fetched?)")
    if _resolve(top, "HEAD") is None:
        raise GitError(f"the repository at {top} has no commit yet")
    try:
        merge_base = _git(top, "merge-base", base, "HEAD").strip()
    except GitError:
        raise GitError(
            f"'{base}' and HEAD have no common commit; a shallow clone needs its full history "
            "(actions/checkout: fetch-depth: 0)"
        ) from None
    # Against the working tree, so staged and unstaged edits count; both old and new names
    # of a rename are listed, and the old one is simply gone.
    tracked = _git(top, "diff", "--name-only", "-z", "--no-renames", merge_base, "--", pathspec)
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", pathspec)
    names = sorted({name for name in (tracked + untracked).split("\0") if name})
    # Under ``folder`` as the caller spelled it (git answers from the real path), so the
    # paths compare equal to the ones found by walking that folder.
    within = PurePosixPath(pathspec)
    paths = {name: folder.joinpath(PurePosixPath(name).relative_to(within)) for name in names}
    earlier = _blobs(top, merge_base, [n for n in tracked.split("\0") if n], limit)
    return Changes(
        present=[path for path in paths.values() if path.is_file()],
        deleted=[path for path in paths.values() if not path.exists()],
        earlier={paths[name]: data for name, data in earlier.items()},
    )


def _blobs(top: Path, commit: str, names: list[str], limit: int) -> dict[str, bytes]:
    """The bytes of each file at ``commit`` that was there, with two ``git cat-file``
    processes for any number of files: one for the sizes, one for the blobs under ``limit``.
    A name with a line break cannot be asked for this way and is left out."""
    names = [name for name in names if "\n" not in name]
    if not names:
        return {}

    def specs(chosen: list[str]) -> bytes:
        return "".join(f"{commit}:{n}\n" for n in chosen).encode("utf-8", "surrogateescape")

    answers = _run(top, ("cat-file", "--batch-check"), specs(names)).split(b"\n")
    wanted = [
        name
        # One answer a line; the output ends with a line break, so one more (empty) part.
        for name, answer in zip(names, answers, strict=False)
        if answer.split(b" ")[1:2] == [b"blob"] and int(answer.split(b" ")[2]) <= limit
    ]
    if not wanted:
        return {}
    out = _run(top, ("cat-file", "--batch"), specs(wanted))
    blobs: dict[str, bytes] = {}
    at = 0
    for name in wanted:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split(b" ")[2])
        blobs[name] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1  # the blob, then a line break
    return blobs


def user_name(cwd: Path) -> str | None:
    """``git config user.name``, or None when git or the setting is missing."""
    try:
        name = _git(cwd, "config", "user.name").strip()
    except GitError:
        return None
    return name or None


def _default_base(top: Path) -> str:
    for candidate in DEFAULT_BASES:
        if _resolve(top, candidate) is not None:
            return candidate
    raise GitError(
        "cannot find the default branch (tried " + ", ".join(DEFAULT_BASES) + "); "
        "name the base, e.g. --changed origin/main"
    )


def _resolve(top: Path, ref: str) -> str | None:
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except GitError:
        return None


def _git(cwd: Path, *args: str) -> str:
    # File names are bytes; keep them as os.fsdecode does.
    return _run(cwd, args).decode("utf-8", "surrogateescape")


def _run(cwd: Path, args: tuple[str, ...], stdin: bytes | None = None) -> bytes:
    # Literal pathspecs: a folder named with '*' or ':' means itself. No pager, no prompts.
    command = ["git", "--literal-pathspecs", "--no-pager", *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(
            command, cwd=cwd, capture_output=True, input=stdin, env=env, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        fatal = [line for line in lines if line.startswith(("fatal: ", "error: "))]
        detail = (fatal or lines or [f"git {args[0]} failed ({result.returncode})"])[0]
        if "not a git repository" in detail:
            detail = f"{cwd} is not in a git repository"
        raise GitError(detail.removeprefix("fatal: ").removeprefix("error: "))
    stdout: bytes = result.stdout
    return stdout


def log(
    repository: Path,
    revisions: str | None,
    paths: list[str],
    since: str | None,
    until: str | None,
    limit: int = 5000,
) -> str:
    """``git log`` of ``revisions`` (default: the current branch) and ``paths`` in its
    default layout with strict ISO dates, at most ``limit`` commits."""
    if revisions is not None and revisions.startswith("-"):
        raise GitError(f"'{revisions}' is not a revision range")
    args = ["log", "--format=medium", "--date=iso-strict", "--no-color", f"--max-count={limit}"]
    args += [f"--since={since}"] if since else []
    args += [f"--until={until}"] if until else []
    args += [revisions] if revisions else []
    return _git(repository, *args, "--", *paths)
