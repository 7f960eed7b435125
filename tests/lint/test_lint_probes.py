"""Probes in requires/provides and ```verify fences: well-formed, and using declared variables."""

from __future__ import annotations


def test_bad_probe_in_frontmatter_points_at_its_item(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", requires=[{"file": "/x", "exsits": True}], provides=[{"id": "p", "port": 9080, "http": "http://x"}])
    found = only(folder.lint(), "probes/invalid")
    assert [d.line for d in found] == [9, 12]
    assert "no field `exsits`" in found[0].message and "did you mean `exists`" in found[0].hint
    assert "2 type keys (port, http)" in found[1].message


def test_bad_verify_fence_gives_the_line_inside_the_file(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", body="# A\n\n## Step 1: Go\n\n```bash\ntrue\n```\n\n```verify\n- file: /tmp\n- port: 80\n  within: soon\n```\n")
    [d] = only(folder.lint(), "probes/invalid")
    assert d.line == 20 and "within" in d.message


def test_verify_fence_that_is_not_a_list(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", body="# A\n\n## Step 1: Go\n\n```verify\nfile: /tmp\n```\n")
    [d] = only(folder.lint(), "probes/invalid")
    assert d.path.endswith("a.md") and d.line == 15 and "must be a YAML list" in d.message


def test_probe_variables_must_be_declared(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", variables={"DSTACK_VERSION": {"default": "0.5.5"}},
                    provides=[{"id": "images", "file": "/var/lib/dstack/images/dstack-${DSTACK_VERSION}/${IMAGE_NAME}"}])
    [d] = only(folder.lint(), "probes/undeclared-variable")
    assert d.severity.value == "warning" and "${IMAGE_NAME}" in d.message and "variables:" in d.hint


def test_command_probes_may_read_the_hosts_environment(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", requires=[{"command": "test -d \"$HOME\""}])
    assert only(folder.lint(), "probes/undeclared-variable") == []
