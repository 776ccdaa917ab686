"""Error documents as awslambdaric builds them (lambda_runtime_exception.py, bootstrap.py make_error et al.)."""

import os
import sys


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    """The error document; key order is the one Lambda returns for Python (errorMessage, errorType, requestId,
    stackTrace)."""
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


_RUNTIME_PREFIX = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _user_frames(tb):
    """(filename, lineno, name, line) tuples of a traceback, without the runtime's own leading frames.

    awslambdaric drops the leading frames that belong to its bootstrap.py; Portico drops those in its own directory.
    Plain tuples (not FrameSummary objects) keep traceback.format_list from adding Python 3.11+ caret lines, as in
    the RIC.
    """
    import traceback

    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if not frame[0].startswith(_RUNTIME_PREFIX):
            return frames[i:]
    return frames


def format_stack(tb):
    import traceback

    return traceback.format_list(_user_frames(tb))


def fault_from_exception(exc_info, invoke_id=None):
    """Error document for an exception raised by function code (an invocation or module import)."""
    etype, value, tb = exc_info
    return make_error(str(value), etype.__name__, format_stack(tb), invoke_id)


def current_fault(invoke_id=None):
    return fault_from_exception(sys.exc_info(), invoke_id)
