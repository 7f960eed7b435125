"""The small files of a tutorials folder (tutor.yml, sections.yml), read as untrusted input.

A symbolic link that leads out of the folder is not followed (as for tutorials: a docs
pull request could otherwise publish or parse any file of the build machine), and a file is
read up to the same 2 MiB as a tutorial.
"""

from __future__ import annotations

from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024


class Refused(Exception):
    """The file is not read; `rule`, `message` and `hint` make its diagnostic."""

    def __init__(self, rule: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.hint = rule, message, hint


def leaves_folder(path: Path, root: Path) -> bool:
    """A symbolic link whose target is not inside `root`."""
    return path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


def read_folder_file(path: Path) -> bytes:
    """The bytes of a file directly in the tutorials folder. Raises `Refused` or OSError."""
    if leaves_folder(path, path.parent):
        raise Refused("file/symlink", f"{path.name} is a symbolic link to a file outside the tutorials folder, so it is not read",
                      "copy the file into the folder, or link to a file inside it")
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused("file/too-large", f"{path.name} is larger than {MAX_BYTES // 1048576} MiB, so it is not read",
                      "keep the file to the section names (or settings) it is for")
    return data
