"""`tutor run`: execute a tutorial on a host.

One concept per module: `plan` (what will run) and `plan_text` (`tutor plan`), `request` (what
was asked, and what was loaded for it), `variables` (where each value comes from), `state` (what
is done on this host), `status` (the one status vocabulary), `preflight` (what must hold before
step 1), `links` (a tutorial's page and run command), `chain` (a run from the top, prerequisites
included), `executor` (the step loop), `carry` (variables carried from step to step and run to
run), `process_book` (what a run has running, for the next run and `tutor status`), `expected`
(output against "Expected output:"), `display` (the live terminal view), `report` and `junit`
(what a run did), `shell` (the persistent bash; its rc file is `rc.bash`), `block` (one block
while it runs), `background` (background blocks; their output goes through `pump.py`),
`terminal_readers` (who waits for input, from /proc), `redact` (secrets out of sight),
`recorder` (transcripts and events), `doctor` (the host check).
Nothing is imported here, so `tutor --help` stays fast.
"""
