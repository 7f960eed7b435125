"""Where each variable's value comes from, secrets, and missing values listed at once."""

from __future__ import annotations

import pytest

from tutor.errors import UsageError
from tutor.model import Tutorial, Variable
from tutor.runner.variables import (
    SOURCE_DEFAULT, SOURCE_ENVIRONMENT, SOURCE_MISSING, SOURCE_OPTION, SOURCE_PROMPT, MissingVariables,
    parse_var_options, require_all, resolve,
)


def tutorial(**variables: Variable) -> Tutorial:
    t = Tutorial(slug="t", path=__import__("pathlib").Path("t.md"), rel_path="t.md")
    t.variables = {name: v for name, v in variables.items()}
    return t


def test_precedence_var_over_environment_over_default() -> None:
    t = tutorial(A=Variable("A", default="d"), B=Variable("B", default="d"), C=Variable("C", default="d"))
    r = resolve(t, {"A": "opt"}, {"A": "env", "B": "env"})
    assert r.values == {"A": "opt", "B": "env", "C": "d"}
    assert r.sources == {"A": SOURCE_OPTION, "B": SOURCE_ENVIRONMENT, "C": SOURCE_DEFAULT}


def test_secrets_by_mark_or_by_name() -> None:
    t = tutorial(CF_API_TOKEN=Variable("CF_API_TOKEN", default="t0ken"), DB=Variable("DB", default="pw", secret=True),
                 HOST=Variable("HOST", default="h"))
    r = resolve(t, {"ROOT_PASSWD": "x"}, {})
    assert r.secret_names == {"CF_API_TOKEN", "DB", "ROOT_PASSWD"}
    assert r.shown("DB") == "***" and r.shown("HOST") == "h"
    assert r.public_values() == {"HOST": "h"}


def test_missing_required_are_listed_together_without_a_terminal() -> None:
    t = tutorial(A=Variable("A", required=True, description="first", line=3), B=Variable("B", required=True, secret=True),
                 C=Variable("C"))
    r = resolve(t, {}, {})
    assert r.sources["A"] == SOURCE_MISSING and r.sources["C"] == "unset"
    with pytest.raises(MissingVariables) as caught:
        require_all(t, r)
    text = str(caught.value)
    assert "A: first" in text and "B (secret)" in text and "--var A=… --var B=…" in text and text.startswith("t.md:3:")


def test_a_prompt_fills_missing_values_and_knows_secrets() -> None:
    asked: list[tuple[str, bool]] = []

    def prompt(variable: Variable, secret: bool) -> str:
        asked.append((variable.name, secret))
        return "typed"

    t = tutorial(A=Variable("A", required=True), API_KEY=Variable("API_KEY", required=True))
    r = resolve(t, {}, {}, prompt=prompt)
    assert asked == [("A", False), ("API_KEY", True)]
    assert r.sources["A"] == SOURCE_PROMPT and r.values["API_KEY"] == "typed"


def test_var_option_syntax() -> None:
    assert parse_var_options(["A=1", "B=x=y", "A=2", "E="]) == {"A": "2", "B": "x=y", "E": ""}
    for bad in ("A", "=1", "1A=2", "A-B=1"):
        with pytest.raises(UsageError):
            parse_var_options([bad])
