"""tutor: Markdown tutorials with YAML frontmatter become a validated DAG.

The engine never imports MkDocs or pexpect at import time; the site adapter and
the runner build on the model and graph defined here.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
