"""`tutor run`: execute a tutorial on a host.

One concept per module: `plan` (what will run) and `plan_text` (`tutor plan`), `variables`
(where each value comes from), `state` (what is done on this host), `preflight` (what must
hold before step 1), `chain` (a run from the top, prerequisites included), `executor` (the
step loop), `expected` (output against "Expected output:"), `display` (the live terminal
view), `report` and `junit` (what a run did), `shell` (the persistent bash), `redact`
(secrets out of sight), `recorder` (transcripts and events), `doctor` (the host check).
Nothing is imported here, so `tutor --help` stays fast.
"""
