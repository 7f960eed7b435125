"""Hostile tutorial text for the property tests: pieces that reach each parser, glued at random."""

from __future__ import annotations

from hypothesis import strategies as st

from tutor.probes.registry import PROBE_TYPES
from tutor.schema import FIELDS

# Characters that have meant trouble: controls, escapes, quotes, braces, markup, bidi, NUL.
NASTY = st.sampled_from(["\x00", "\x1b[31m", "\x1b]0;x\x07", "\r", "\t", "\u202e", "\u2028", "<script>", "&amp;",
                         "{", "}", "#", "`", "```", "~~~", '"', "'", "\\", "$", "${X", "<!--", "-->", "...", ":", "-",
                         "*", "_", "[", "]", "(", ")", "|", ";", "&", "é", "\U0001f600", " ", "\n"])
TEXT = st.lists(st.one_of(st.text(max_size=12), NASTY), max_size=12).map("".join)

SCALAR = st.one_of(
    TEXT, st.integers(min_value=-(10**30), max_value=10**30), st.booleans(), st.none(), st.floats(allow_nan=True),
    st.sampled_from(["2024-02-30", "!!int ''", "!!timestamp soon", "9" * 500, "~", "[]", "{}", "&a x", "*a", "!!python/name:os.system",
                     "100000000", "-1", "0", "1e309", ".nan", "'unterminated", "|\n  block", ">-\n  folded", "- a\n- b"]),
)


def yaml_value(value: object) -> str:
    if isinstance(value, str):
        if value.startswith(("!!", "&", "*", "|", ">", "- ", "'", "~", "[", "{")) or value in ("2024-02-30",) or value.isdigit():
            return value  # raw YAML, on purpose
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else repr(value)


KEY = st.one_of(st.sampled_from(sorted(FIELDS)), st.sampled_from(["variables", "requires", "provides", "x", "title"]), TEXT)


@st.composite
def frontmatter(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        key = draw(KEY)
        shape = draw(st.integers(0, 3))
        if shape == 0:
            lines.append(f"{key}: {yaml_value(draw(SCALAR))}")
        elif shape == 1:
            lines.append(f"{key}:")
            lines += [f"  - {yaml_value(draw(SCALAR))}" for _ in range(draw(st.integers(0, 3)))]
        elif shape == 2:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(0, 3))):
                lines.append(f"  {draw(st.sampled_from(['NAME', 'X_TOKEN', 'a b', '']))}:")
                lines.append(f"    {draw(st.sampled_from(['default', 'description', 'required', 'secret', 'id', 'file']))}: "
                             f"{yaml_value(draw(SCALAR))}")
        else:
            lines.append(draw(TEXT))  # not YAML at all, perhaps
    return "\n".join(lines)


VALID_HEAD = ("title: T\ndescription: d\nsection: Basics\nstepNumber: 1\ntotalSteps: 1\nlastUpdated: 2026-12-01\n")

INFO_WORD = st.one_of(
    st.sampled_from(["id=a", "timeout=9", "timeout=1e999", "timeout=-1", 'expect="Continue? [y/N]"', "send=y", "run=false",
                     "manual", "background", "match=regex", "match=exact", "cwd=$HOME", "user=root", "scope=host",
                     "creates=/x", "reboot", "path=a", "{", "}", "=", '"', "'", "id=", "=x", "a=b=c", "expect=", "send"]),
    TEXT,
)
INFO = st.lists(INFO_WORD, max_size=6).map(" ".join)


@st.composite
def probe_yaml(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(sorted(PROBE_TYPES) + ["nope"]))
        fields = PROBE_TYPES[kind].allowed if kind in PROBE_TYPES else ("x",)
        lines = [f"- {kind}: {yaml_value(draw(SCALAR))}"]
        for field in draw(st.lists(st.sampled_from(fields + ("within", "timeout", "bogus")), max_size=4, unique=True)):
            lines.append(f"  {field}: {yaml_value(draw(SCALAR))}")
        items.append("\n".join(lines))
    if draw(st.booleans()):
        items.append(draw(TEXT))
    return "\n".join(items)


@st.composite
def body(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 9))
        text = draw(TEXT)
        if kind == 0:
            pieces.append(f"{'#' * draw(st.integers(1, 6))} {draw(st.sampled_from(['Step 1: ', 'Step 2.1 ', 'Prerequisites', '']))}"
                          f"{text}{draw(st.sampled_from(['', ' {#id}', ' {#a .b}', ' {', '}']))}")
        elif kind == 1:
            language = draw(st.sampled_from(["bash", "sh", "console", "verify", "yaml", "json", "toml", "", "python"]))
            code = draw(probe_yaml()) if language == "verify" else text
            pieces.append(f"```{language} {draw(INFO)}\n{code}\n```")
        elif kind == 2:
            pieces.append(f"Expected output{draw(st.sampled_from([':', '', ' :']))}\n\n```{draw(INFO)}\n{text}\n```")
        elif kind == 3:
            target = draw(st.sampled_from(["/tutorial/other", "/tutorial/page", "page.md", "", "https://x", "javascript:x"]))
            pieces.append(f"[{text}]({target}#{draw(TEXT)})")
        elif kind == 4:
            pieces.append(f"<!-- tutor:{draw(st.sampled_from(['disable', 'enable', 'disable-next-line', 'nope', '']))} {text} -->")
        elif kind == 5:
            pieces.append(f"- {text}\n  - {draw(TEXT)}")
        elif kind == 6:
            pieces.append(f"```bash\ncat > /tmp/{text}.json <<EOF\n{draw(TEXT)}\nEOF\n```")
        elif kind == 7:
            pieces.append(f"<div {text}>{draw(TEXT)}</div>")
        else:
            pieces.append(text)
    return "\n\n".join(pieces)
