"""`tutor export ansible`: a flat, lint-clean Ansible project generated from the tutorials.

One role per tutorial, a playbook per tutorial, `site.yml` in reading order, the same resume
rule as `tutor run` (markers holding step hashes), and a manifest for drift detection.
"""

from __future__ import annotations

from .drift import DriftReport, check_drift
from .project import MANIFEST, ExportResult, export_project

__all__ = ["MANIFEST", "DriftReport", "ExportResult", "check_drift", "export_project"]
