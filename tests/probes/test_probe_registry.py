"""One declaration per probe type: everything that reads probes reads the registry."""

from __future__ import annotations

import dataclasses

from tutor.probes import COMMON_FIELDS, PROBE_TYPES, describe, make_check, parse_probe


def test_every_type_declares_fields_sentence_check_and_an_example_that_parses() -> None:
    for name, entry in PROBE_TYPES.items():
        probe = parse_probe(dict(entry.example))
        assert probe.kind == name and isinstance(probe, entry.model)
        assert describe(probe)  # a sentence
        assert callable(make_check(probe, {}))
        declared = {f.name for f in dataclasses.fields(entry.model)}
        assert set(entry.fields) <= declared, f"{name}: a field without a place in {entry.model.__name__}"
        assert set(COMMON_FIELDS) <= set(entry.allowed)


def test_the_subject_hint_comes_from_the_registry_example() -> None:
    import pytest

    from tutor.probes import ProbeSpecError

    with pytest.raises(ProbeSpecError) as caught:
        parse_probe({"dir": ""})
    assert caught.value.hint == f"e.g. dir: {PROBE_TYPES['dir'].example['dir']}"


def test_linting_and_rendering_do_not_load_the_network_modules() -> None:
    import subprocess
    import sys

    code = ("import sys, tutor.probes, tutor.lint, tutor.site;"
            "assert not {'ssl', 'urllib.request', 'http.client'} & set(sys.modules), 'network modules loaded'")
    subprocess.run([sys.executable, "-c", code], check=True)
