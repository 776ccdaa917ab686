"""stdout/stderr that count the bytes they write to fd 1 / fd 2.

Portico is told these totals with every answer so it can wait until it has read every byte of an invocation's
output before it writes ``END``. Writes go straight to the file descriptor (unbuffered, like awslambdaric's
``Unbuffered`` wrapper), so a count is exact as soon as ``write`` returns.
"""

import io
import os
import sys


class CountingRawWriter(io.RawIOBase):
    """A raw binary stream over an inherited file descriptor that counts bytes written."""

    def __init__(self, fd, name):
        super().__init__()
        self._fd = fd
        self.name = name
        self.count = 0

    def writable(self):
        return True

    def fileno(self):
        return self._fd

    def isatty(self):
        try:
            return os.isatty(self._fd)
        except OSError:
            return False

    def write(self, data):
        view = memoryview(data).cast("B")
        total = len(view)
        done = 0
        while done < total:
            try:
                done += os.write(self._fd, view[done:])
            except InterruptedError:
                continue
            except BlockingIOError:
                # Somebody made the descriptor non-blocking; wait until it can take more.
                import select

                select.select([], [self._fd], [])
        self.count += total
        return total

    def close(self):
        # Never close fd 1 / fd 2 underneath the interpreter.
        pass


class StdStreams:
    """The counting replacements for sys.stdout and sys.stderr."""

    def __init__(self):
        self.out_raw = CountingRawWriter(1, "<stdout>")
        self.err_raw = CountingRawWriter(2, "<stderr>")
        self.stdout = _text(self.out_raw)
        self.stderr = _text(self.err_raw)

    def install(self):
        sys.stdout = self.stdout
        sys.stderr = self.stderr

    def counts(self):
        return self.out_raw.count, self.err_raw.count


def _text(raw):
    # Lambda runs Python with LANG=en_US.UTF-8 (so UTF-8, strict); write_through makes every write reach the
    # descriptor at once.
    return io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n", write_through=True)


def flush_user_streams():
    """Flush whatever sys.stdout / sys.stderr are now (function code may have replaced them)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # noqa: BLE001 - a broken user stream must not break the answer
            pass
