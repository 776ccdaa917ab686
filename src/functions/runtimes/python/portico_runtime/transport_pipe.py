"""The control pipe: NDJSON over file descriptor 3 (see PROTOCOL.md).

Until the process is specialised the main thread reads the pipe itself (a stem cell has one thread). From then on a
reader thread owns the read side so that end-of-file is noticed even while function code runs: when Portico goes
away the environment exits at once.
"""

import json
import os

_READ_SIZE = 256 * 1024


class PipeClosed(Exception):
    pass


class PipeChannel:
    def __init__(self, fd=3):
        self.fd = fd
        self._buf = bytearray()
        self._scanned = 0
        self._queue = None
        os.set_blocking(fd, True)
        # Programs the function starts with exec must not keep Portico's pipe open.
        os.set_inheritable(fd, False)

    # -- writing --------------------------------------------------------------------------------------------------

    def send_bytes(self, data):
        view = memoryview(data)
        done = 0
        while done < len(view):
            try:
                done += os.write(self.fd, view[done:])
            except InterruptedError:
                continue
            except BrokenPipeError:
                # Portico has gone: nothing left to do for this environment.
                os._exit(0)

    def send(self, message):
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (from a payload or an error message) are only representable as escapes.
            data = json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        self.send_bytes(data + b"\n")

    # -- reading --------------------------------------------------------------------------------------------------

    def _read_line(self):
        """Next line from the pipe without its newline; None at end-of-file."""
        while True:
            index = self._buf.find(b"\n", self._scanned)
            if index >= 0:
                line = bytes(self._buf[:index])
                del self._buf[: index + 1]
                self._scanned = 0
                return line
            self._scanned = len(self._buf)
            try:
                chunk = os.read(self.fd, _READ_SIZE)
            except InterruptedError:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            self._buf += chunk

    def recv(self):
        """Next message (a dict). Exits the process when Portico has closed the pipe."""
        while True:
            if self._queue is not None:
                line = self._queue.get()
            else:
                line = self._read_line()
                if line is None:
                    os._exit(0)
            if line.strip():
                return json.loads(line)

    def start_reader(self):
        """Hand the read side to a background thread that exits the process at end-of-file."""
        if self._queue is not None:
            return
        import _queue
        import _thread

        self._queue = _queue.SimpleQueue()

        def reader():
            while True:
                line = self._read_line()
                if line is None:
                    os._exit(0)
                self._queue.put(line)

        _thread.start_new_thread(reader, ())


class PipeTransport:
    """Invocations over the control pipe."""

    def __init__(self, channel, report):
        self.channel = channel
        self._report = report  # () -> {"stdout":…, "stderr":…, "maxRss":…}

    def next_invocation(self):
        while True:
            message = self.channel.recv()
            if message.get("type") == "invoke":
                return Invocation.from_pipe(message)

    def post_response(self, request_id, result, content_type):
        if isinstance(result, bytes):
            result = result.decode("utf-8", "replace")
        message = {"type": "response", "requestId": request_id, "payload": result}
        message.update(self._report())
        self.channel.send(message)

    def post_error(self, request_id, error_result):
        message = {"type": "error", "requestId": request_id, "error": error_result}
        message.update(self._report())
        self.channel.send(message)


class Invocation:
    __slots__ = (
        "request_id",
        "deadline_ms",
        "invoked_function_arn",
        "trace_id",
        "client_context",
        "cognito_identity",
        "tenant_id",
        "content_type",
        "body",
        "has_event",
        "event",
    )

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))

    @classmethod
    def from_pipe(cls, message):
        deadline = message.get("deadlineMs")
        return cls(
            request_id=message.get("requestId"),
            deadline_ms=int(deadline) if deadline is not None else 0,
            invoked_function_arn=message.get("invokedFunctionArn"),
            trace_id=message.get("traceId") or None,
            client_context=message.get("clientContext") or None,
            cognito_identity=message.get("cognitoIdentity") or None,
            tenant_id=message.get("tenantId") or None,
            content_type="application/json",
            body=message.get("payload", ""),
            # Portico may splice an event it built (valid JSON) into the message: it arrives already parsed.
            has_event="event" in message,
            event=message.get("event"),
        )
