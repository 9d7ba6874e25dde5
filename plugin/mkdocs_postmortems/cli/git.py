"""What git knows that the checker needs: the files a branch changed, and who the author is.

Every call runs the ``git`` program: no library reads ``.git`` as faithfully (worktrees,
sparse checkouts, ``safe.directory``), and two or three processes cost milliseconds.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Tried in order when no base is given: the remote's default branch, then the usual names.
DEFAULT_BASES = ("origin/HEAD", "main", "master")


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a ref does not resolve."""


@dataclass(frozen=True)
class Changes:
    """Files under a folder that differ from the merge base: those still there, those gone."""

    present: list[Path]
    deleted: list[Path]


def changes(root: Path, folder: Path, base: str | None = None) -> Changes:
    """Files under ``folder`` changed since the merge base of ``base`` and ``HEAD``.

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
    paths = [folder.joinpath(PurePosixPath(name).relative_to(within)) for name in names]
    return Changes(
        present=[path for path in paths if path.is_file()],
        deleted=[path for path in paths if not path.exists()],
    )


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
    # Literal pathspecs: a folder named with '*' or ':' means itself. No pager, no prompts.
    command = ["git", "--literal-pathspecs", "--no-pager", *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",  # file names are bytes; keep them as os.fsdecode does
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror}") from None
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        fatal = [line for line in lines if line.startswith(("fatal: ", "error: "))]
        detail = (fatal or lines or [f"git {args[0]} failed ({result.returncode})"])[0]
        if "not a git repository" in detail:
            detail = f"{cwd} is not in a git repository"
        raise GitError(detail.removeprefix("fatal: ").removeprefix("error: "))
    return result.stdout
