"""Files beside the tutorials that the pages link: images, diagrams, downloads.

The tutorial pages sit at `<prefix><slug>.md`, so a file at `img/a.png` in the tutorials
folder is served at `<prefix>img/a.png`, where a page's relative link `![x](img/a.png)` or
`./diagram.svg` points, exactly as on GitHub.
"""

from __future__ import annotations

import os
from pathlib import Path

MAX_ASSETS = 5000
"""A folder with more files than this is not a tutorials folder; the rest are not copied."""
NOT_ASSETS = frozenset({"tutor.yml", "tutor.yaml", "sections.yml", "sections.yaml"})


def folder_assets(root: Path) -> list[tuple[str, Path]]:
    """(path relative to the folder, in posix form; the file) of every file a page may link.

    Markdown files, the folder's config, hidden files and folders, and symbolic links
    (which could reach outside the folder) are left out.
    """
    found: list[tuple[str, Path]] = []
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and not os.path.islink(os.path.join(directory, f)))
        base = Path(directory)
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or name.lower().endswith(".md") or path.is_symlink():
                continue
            rel = path.relative_to(root).as_posix()
            if rel in NOT_ASSETS:
                continue
            found.append((rel, path))
            if len(found) >= MAX_ASSETS:
                return found
    return found
