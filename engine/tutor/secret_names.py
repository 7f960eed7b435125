"""Which variables are secret: one rule for the site, the probes and the runner.

A variable is secret when the tutorial marks it `secret: true`, or when its name ends in
TOKEN, SECRET, PASSWORD, PASSWD or KEY, in any case (CF_API_TOKEN, db_password, SSH_KEY).
Secret values are shown as `MASK` wherever a person or a file could see them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Variable

MASK = "***"
SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|KEY)$", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    return SECRET_NAME.search(name) is not None


def is_secret(variable: Variable) -> bool:
    """Declared `secret: true`, or named like one."""
    return variable.secret or is_secret_name(variable.name)
