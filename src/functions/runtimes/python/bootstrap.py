"""Portico's Python runtime client (entry point).

Portico starts it as ``python3 -u <this dir>/bootstrap.py`` with file descriptor 3 a bidirectional Unix socket and
speaks the NDJSON protocol of ``../PROTOCOL.md`` over it. The process first becomes a *stem cell* (it loads only
its own code and says ``{"type":"ready"}``), then is specialised once for one function and serves its invocations
over the pipe or over the Lambda Runtime API (HTTP).

Behaviour follows AWS's runtime interface client (aws/aws-lambda-python-runtime-interface-client, awslambdaric).
Only the standard library is used, and nothing heavy is imported before the process is specialised.
"""

import os
import sys

# The directory of this file is on sys.path only while Portico's own modules load; runtime.specialise() takes it
# off again before any user code is imported.
RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__))
if not sys.path or sys.path[0] != RUNTIME_DIR:
    sys.path.insert(0, RUNTIME_DIR)

from portico_runtime import stem  # noqa: E402

if __name__ == "__main__":
    stem.main(RUNTIME_DIR)
