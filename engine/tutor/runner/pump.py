"""The output pump: a background process's output goes through this small program on its way to the
log file, so the log holds no secret even when the process outlives the run (`keep`).

Run as a file (`python -I -S pump.py SECRETS_FD LOG`), never imported: it must start in
milliseconds and depend on nothing. It reads the secrets as JSON from SECRETS_FD, then copies
stdin to LOG (appending, created 0600), masking each secret as `***`, holding back just enough
of each chunk's end that a secret split across two reads is masked too.
"""

import json
import os
import re
import sys


def main(fd: int, path: str) -> None:
    with os.fdopen(fd, "rb") as f:
        values = json.loads(f.read() or b"[]")
    secrets = sorted({s.encode("utf-8", "surrogateescape") for s in values if s}, key=len, reverse=True)
    pattern = re.compile(b"|".join(map(re.escape, secrets))) if secrets else None
    hold = max((len(s) for s in secrets), default=1) - 1
    out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    pending = b""
    while True:
        try:
            chunk = os.read(0, 65536)
        except InterruptedError:
            continue
        except OSError:
            chunk = b""
        data = pending + chunk
        if pattern is not None:
            data = pattern.sub(b"***", data)
        if chunk and hold and pattern is not None:
            data, pending = data[:-hold], data[-hold:]
        else:
            pending = b""
        if data:
            os.write(out, data)
        if not chunk:
            break
    os.close(out)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
