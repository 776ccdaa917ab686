"""Lambda's Python log output (awslambdaric bootstrap.py / lambda_runtime_log_utils.py).

- The root logger gets a handler writing ``[LEVEL]\\t<UTC time with ms>Z\\t<request id>\\t<message>\\n``; its level is
  Python's default (WARNING) unless ``AWS_LAMBDA_LOG_LEVEL`` says otherwise (TRACE means DEBUG).
- ``AWS_LAMBDA_LOG_FORMAT=JSON`` switches to the RIC's JSON lines.
- Unhandled errors are logged as ``[ERROR] Type: message`` + ``Traceback (most recent call last):`` + the stack
  lines with their leading spaces turned into U+00A0. In Lambda this is one log event whose lines are joined by
  ``\\n`` (the telemetry sink); Portico's log is the byte stream on stdout, so the lines are joined by ``\\n``.
"""

import logging
import time

from .marshal_json import to_json

ERROR_LOG_IDENT = "\u00a0"  # NO-BREAK SPACE U+00A0
TEXT_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
TEXT_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
JSON_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

LAMBDA_WARNING = "LAMBDA_WARNING"
UNHANDLED_EXCEPTION_WARNING = (
    f"{LAMBDA_WARNING}: "
    "Unhandled exception. "
    "The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, or can be applied "
    "automatically. "
    "To determine if the runtime has been updated, check the runtime version in the INIT_START log entry. "
    "If this error correlates with a change in the runtime version, you may be able to mitigate this error by "
    "temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)


class RequestState:
    """What the log filter stamps on records; the last request id stays until the next invocation."""

    aws_request_id = None
    tenant_id = None


class LogSink:
    """Lambda's StandardLogSink, writing to Portico's counting stdout (not to whatever sys.stdout is now)."""

    def __init__(self, stream):
        self.stream = stream

    def log(self, msg, frame_type=None):
        self.stream.write(msg)

    def log_error(self, message_lines):
        self.stream.write("\n".join(message_lines) + "\n")


class LambdaLoggerHandler(logging.Handler):
    def __init__(self, log_sink):
        logging.Handler.__init__(self)
        self.log_sink = log_sink

    def emit(self, record):
        msg = self.format(record)
        self.log_sink.log(msg)


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = RequestState.aws_request_id or ""
        record.tenant_id = RequestState.tenant_id
        return True


def log_level_from_env(value):
    return {None: "", "TRACE": "DEBUG"}.get(value, value).upper()


def is_json_format(value):
    return bool(value) and value.upper() == "JSON"


def setup_logging(log_sink, log_format, log_level):
    """log_format / log_level: the raw AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL values."""
    logging.Formatter.converter = time.gmtime
    logger = logging.getLogger()
    handler = LambdaLoggerHandler(log_sink)
    if is_json_format(log_format):
        handler.setFormatter(_json_formatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT, TEXT_DATE_FORMAT))
    level = log_level_from_env(log_level)
    if level in logging._nameToLevel:
        logger.setLevel(level)
    handler.addFilter(LambdaLoggerFilter())
    logger.addHandler(handler)


def _replace_line_indentation(line, indent_char, new_indent_char):
    count = 0
    for c in line:
        if c != indent_char:
            break
        count += 1
    return (new_indent_char * count) + line[count:]


def make_error_logger(log_format):
    if is_json_format(log_format):

        def log_error_json(error_result, log_sink):
            error_result = {
                "timestamp": time.strftime(JSON_DATE_FORMAT, logging.Formatter.converter(time.time())),
                "log_level": "ERROR",
                **error_result,
            }
            log_sink.log_error([to_json(error_result)])

        return log_error_json

    def log_error_text(error_result, log_sink):
        description = "[ERROR]"
        error_type = error_result.get("errorType")
        if error_type:
            description += " " + error_type
        error_message = error_result.get("errorMessage")
        if error_message:
            if error_type:
                description += ":"
            description += " " + error_message

        lines = [description]
        stack_trace = error_result.get("stackTrace")
        if stack_trace is not None:
            lines.append("Traceback (most recent call last):")
            for element in stack_trace:
                if element == "":
                    lines.append("")
                else:
                    for trace_line in element.splitlines():
                        lines.append(_replace_line_indentation(trace_line, " ", ERROR_LOG_IDENT))
        log_sink.log_error(lines)

    return log_error_text


_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id", "tenant_id", "_frame_type",
}  # fmt: skip


def _format_log_level(record):
    return min(50, max(0, record.levelno)) // 10 * 10


def _json_formatter():
    import json
    import traceback

    encode = json.JSONEncoder(ensure_ascii=False).encode

    class JsonFormatter(logging.Formatter):
        def __init__(self):
            super().__init__(datefmt=JSON_DATE_FORMAT)

        def format(self, record):
            record.levelno = _format_log_level(record)
            record.levelname = logging.getLevelName(record.levelno)
            exc_info = record.exc_info
            result = {
                "timestamp": self.formatTime(record, self.datefmt),
                "level": record.levelname,
                "message": record.getMessage(),
                "logger": record.name,
                "stackTrace": traceback.format_tb(exc_info[2]) if exc_info else None,
                "errorType": exc_info[0].__name__ if exc_info else None,
                "errorMessage": str(exc_info[1]) if exc_info else None,
                "requestId": getattr(record, "aws_request_id", None),
                "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if exc_info else None,
            }
            if getattr(record, "tenant_id", None) is not None:
                result["tenantId"] = record.tenant_id
            result.update(
                (key, value)
                for key, value in record.__dict__.items()
                if key not in _RESERVED_FIELDS and key not in result
            )
            result = {k: v for k, v in result.items() if v is not None}
            return encode(result) + "\n"

    return JsonFormatter()
