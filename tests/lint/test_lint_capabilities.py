"""Rule family 4: requires / provides."""

from __future__ import annotations

IMAGES = {"id": "guest-images", "file": "/var/lib/dstack/images/dstack-0.5.5/metadata.json"}


def test_required_capability_nobody_provides(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", provides=[IMAGES], stepNumber=1, totalSteps=2)
    folder.tutorial("b", stepNumber=2, totalSteps=2, prerequisites=["a"], requires=["guest-image"])
    [d] = only(folder.lint(), "capabilities/unprovided")
    assert d.path.endswith("b.md") and d.line == 10
    assert "no tutorial provides" in d.message and "did you mean `guest-images`" in d.message


def test_provider_that_is_not_a_prerequisite(folder, only):
    folder.sections("Basics")
    folder.tutorial("images", provides=[IMAGES], stepNumber=1, totalSteps=2)
    folder.tutorial("deploy", stepNumber=2, totalSteps=2, requires=["guest-images"])
    [d] = only(folder.lint(), "capabilities/provider-not-prerequisite")
    assert "provided by `images`, which is not among its prerequisites" in d.message
    assert "add `images` to the prerequisites" in d.hint


def test_transitive_provider_is_enough(folder):
    folder.sections("Basics")
    folder.tutorial("images", provides=[IMAGES], stepNumber=1, totalSteps=3)
    folder.tutorial("kms", stepNumber=2, totalSteps=3, prerequisites=["images"])
    folder.tutorial("deploy", stepNumber=3, totalSteps=3, prerequisites=["kms"], requires=["guest-images"])
    assert folder.lint().diagnostics == []


def test_provider_later_in_reading_order(folder, only):
    folder.sections("KMS Deployment", "First Application")
    folder.tutorial("kms-cvm-deployment", section="KMS Deployment", requires=["guest-images"], prerequisites=["guest-image-setup"])
    folder.tutorial("guest-image-setup", section="First Application", provides=[IMAGES])
    [d] = only(folder.lint(), "capabilities/provider-later")
    assert "provided by `guest-image-setup` (First Application, step 1)" in d.message


def test_capability_provided_twice(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", provides=[IMAGES], stepNumber=1, totalSteps=2)
    folder.tutorial("b", provides=[IMAGES], stepNumber=2, totalSteps=2)
    [d] = only(folder.lint(), "capabilities/duplicate")
    assert d.path.endswith("b.md") and "already provided by `a`" in d.message


def test_provides_entry_without_id(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", provides=[{"port": 9080}])
    [d] = only(folder.lint(), "capabilities/unnamed")
    assert "no `id`" in d.message
