"""Specialising a stem cell for one function, and the invocation loop (awslambdaric bootstrap.py ``run``)."""

import json
import logging
import os
import sys
import time

from .context import LambdaContext
from .errors import FaultException, fault_from_exception, make_error
from .handler_loader import get_handler
from .logging_setup import (
    UNHANDLED_EXCEPTION_WARNING,
    LogSink,
    RequestState,
    make_error_logger,
    setup_logging,
)
from .marshal_json import LambdaMarshaller
from .streams import flush_user_streams
from .transport_pipe import PipeTransport


def specialise(message, channel, streams, runtime_dir):
    env = message.get("env") or {}
    os.environ.update({str(k): "" if v is None else str(v) for k, v in env.items()})
    time.tzset()  # TZ (":UTC" in Lambda) takes effect for time.localtime & co.

    task_root = message.get("taskRoot") or os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    try:
        os.chdir(task_root)
    except OSError:
        pass  # the import below then fails with Runtime.ImportModuleError, as it would in Lambda
    _set_sys_path(runtime_dir, task_root, env.get("PYTHONPATH"))

    channel.start_reader()

    def report():
        return usage(streams)

    if message.get("transport") == "http":
        from .transport_http import HttpTransport

        transport = HttpTransport(os.environ["AWS_LAMBDA_RUNTIME_API"])
    else:
        transport = PipeTransport(channel, report)

    handler = message.get("handler")
    if handler is None:
        handler = os.environ.get("_HANDLER", "")
    _hide_runtime_modules(runtime_dir)
    run(handler, transport, channel, streams, report)


def _set_sys_path(runtime_dir, task_root, pythonpath):
    """Lambda puts the task root first; Portico's own directory must not be visible to function code. Entries of a
    PYTHONPATH given in the function's environment (which the interpreter never saw) follow the task root."""
    runtime_real = os.path.realpath(runtime_dir)

    def keep(entry):
        return not entry or os.path.realpath(entry) != runtime_real

    extra = [p for p in (pythonpath or "").split(os.pathsep) if p]
    front = [task_root] + [p for p in extra if p != task_root]
    sys.path[:] = front + [p for p in sys.path if keep(p) and p not in front]


def _hide_runtime_modules(runtime_dir):
    """Function code must not see Portico's modules: forget them (everything they need later is imported by now, and
    the code already running keeps its references)."""
    for name in list(sys.modules):
        if name == "portico_runtime" or name.startswith("portico_runtime."):
            del sys.modules[name]
    sys.path_importer_cache.pop(runtime_dir, None)


_resource = None


def usage(streams):
    global _resource
    if _resource is None:
        import resource

        _resource = resource
    out, err = streams.counts()
    return {
        "stdout": out,
        "stderr": err,
        "maxRss": _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def run(handler, transport, channel, streams, report):
    log_sink = LogSink(streams.stdout)
    log_format = os.environ.get("AWS_LAMBDA_LOG_FORMAT")
    log_error = make_error_logger(log_format)

    error_result = None
    try:
        setup_logging(log_sink, log_format, os.environ.get("AWS_LAMBDA_LOG_LEVEL"))
        request_handler = get_handler(handler)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        error_result = fault_from_exception(sys.exc_info())

    if error_result is not None:
        logging.warning(UNHANDLED_EXCEPTION_WARNING)
        log_error(error_result, log_sink)
        flush_user_streams()
        post_init_error = getattr(transport, "post_init_error", None)
        if post_init_error is not None:
            try:
                post_init_error(error_result)
            except Exception:  # noqa: BLE001 - the pipe still carries the error
                pass
        answer = {"type": "initError", "error": error_result}
        answer.update(report())
        channel.send(answer)
        sys.exit(1)  # as the RIC does after posting an init error

    flush_user_streams()
    answer = {"type": "initDone"}
    answer.update(report())
    channel.send(answer)

    marshaller = LambdaMarshaller()
    while True:
        invocation = transport.next_invocation()
        RequestState.aws_request_id = invocation.request_id
        RequestState.tenant_id = invocation.tenant_id
        update_xray_env_variable(invocation.trace_id)
        handle_event_request(transport, marshaller, request_handler, invocation, log_sink, log_error)


def handle_event_request(transport, marshaller, request_handler, invocation, log_sink, log_error):
    request_id = invocation.request_id
    error_result = None
    try:
        lambda_context = create_lambda_context(invocation, log_sink)
        if invocation.has_event:
            event = invocation.event
        else:
            event = marshaller.unmarshal_request(invocation.body, invocation.content_type)
        response = request_handler(event, lambda_context)
        result, content_type = marshaller.marshal_response(response)
    except FaultException as e:
        error_result = make_error(e.msg, e.exception_type, e.trace, request_id)
    except Exception:
        # SystemExit and KeyboardInterrupt are not caught: like the RIC, the process then ends and the platform
        # reports Runtime.ExitError.
        error_result = fault_from_exception(sys.exc_info(), request_id)

    flush_user_streams()
    if error_result is not None:
        log_error(error_result, log_sink)
        transport.post_error(request_id, error_result)
    else:
        transport.post_response(request_id, result, content_type)


def _parse_json_header(value, name):
    if not isinstance(value, (str, bytes, bytearray)):
        return value  # the pipe may carry it already parsed
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
            "Unable to parse {} JSON: {}".format(name, str(e)),
            None,
        )


def create_lambda_context(invocation, log_sink):
    client_context = None
    if invocation.client_context:
        client_context = _parse_json_header(invocation.client_context, "Client Context")
    cognito_identity = None
    if invocation.cognito_identity:
        cognito_identity = _parse_json_header(invocation.cognito_identity, "Cognito Identity")
    return LambdaContext(
        invocation.request_id,
        client_context,
        cognito_identity,
        invocation.deadline_ms,
        invocation.invoked_function_arn,
        invocation.tenant_id,
        log_sink,
    )


def update_xray_env_variable(xray_trace_id):
    if xray_trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = xray_trace_id
    elif "_X_AMZN_TRACE_ID" in os.environ:
        del os.environ["_X_AMZN_TRACE_ID"]
