"""A tutorial restored from the cache reads its body from its file and parses its blocks and
steps again from it: on every tutorial of the project, the test corpora and the examples, that
gives the very model a parse of the file gives, each step pointing at the tutorial's own headings."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tutor.cache import _blob, _Entry, _unpack, read_file
from tutor.loader import load_folder
from tutor.model import DEFERRED_FIELDS, Tutorial

ROOT = Path(__file__).resolve().parents[2]


def corpus_folders() -> list[Path]:
    files = [*(ROOT / "tutorials").glob("*.md"), *(ROOT / "tests").rglob("*.md"), *(ROOT / "examples").rglob("*.md")]
    return sorted({p.parent for p in files})


def restored(tutorial: Tutorial) -> Tutorial:
    """`tutorial` as a warm run reads it from the pack."""
    entry = _Entry(read_file(tutorial.path)[1], pickle.loads(pickle.dumps(_blob(tutorial, []))))
    back = _unpack(entry, tutorial.path)
    assert back is not None
    return back


@pytest.mark.parametrize("folder", corpus_folders(), ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("anchors", ["mkdocs", "github"])
def test_a_restored_tutorial_parses_to_the_same_model(folder: Path, anchors: str) -> None:
    for slug, parsed in load_folder(folder, anchor_style=anchors).tutorials.items():
        back = restored(parsed)
        assert not any(_is_set(back, name) for name in (*DEFERRED_FIELDS, "body") if parsed.readable), slug  # read when used
        assert back == parsed, slug  # dataclass equality reaches every block, step, path and variable
        for step in back.steps:
            assert any(step.heading is h for h in back.headings) or step.implicit, slug
            for substep in step.substeps:
                assert any(substep.heading is h for h in back.headings), slug
        for path in back.paths:
            assert path.heading is None or any(path.heading is h for h in back.headings), slug
            assert [s.number for s in path.steps] == [s.number for s in next(p for p in parsed.paths if p.name == path.name).steps]


def _is_set(tutorial: Tutorial, name: str) -> bool:
    try:
        object.__getattribute__(tutorial, name)
    except AttributeError:
        return False
    return True


def test_a_file_changed_since_it_was_cached_is_not_read_as_the_tutorial(tmp_path: Path) -> None:
    """Its body and blocks would be another content's: a clear error, never a wrong block."""
    from tutor.errors import TutorError

    (tmp_path / "sections.yml").write_text("- Basics\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: P\ndescription: d\nsection: Basics\n---\n\n## Step 1: Go\n\n```bash\necho one\n```\n",
                    encoding="utf-8")
    back = restored(load_folder(tmp_path).tutorials["page"])
    page.write_text(page.read_text(encoding="utf-8").replace("echo one", "rm -rf ~"), encoding="utf-8")
    with pytest.raises(TutorError, match="page.md changed while tutor was reading the folder"):
        back.blocks
    with pytest.raises(TutorError, match="changed"):
        back.body
