"""JSON in and out, as awslambdaric's lambda_runtime_marshaller.py does it with simplejson.

What the RIC's encoder does and the standard library's does not, reproduced here:
- ``decimal.Decimal`` is written as a JSON number (its ``str``), NaN decimals as ``NaN``;
- ``bytes`` values are decoded as UTF-8 and written as strings (simplejson's ``encoding='utf-8'``);
- ``ensure_ascii`` is off from python3.12 on (``AWS_EXECUTION_ENV``), on before;
- NaN / Infinity floats are allowed; separators are the default ``", "`` and ``": "``.
The C encoder does the common case; a payload holding a Decimal is re-encoded by the pure-Python encoder of
``json.encoder`` with Decimal treated as a number.
"""

import json
import os
import sys

from .errors import FaultException


class _DecimalFound(Exception):
    pass


def _ensure_ascii_for(execution_env):
    """awslambdaric turns ensure_ascii off for AWS_Lambda_python3.12 and later."""
    prefix = "AWS_Lambda_python3."
    if execution_env and execution_env.startswith(prefix):
        try:
            return int(execution_env[len(prefix):]) < 12
        except ValueError:
            return True
    return True


def _is_decimal(o):
    decimal = sys.modules.get("decimal")  # no Decimal exists unless decimal was imported
    return decimal is not None and isinstance(o, decimal.Decimal)


def _not_serializable(o):
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


class Encoder(json.JSONEncoder):
    def __init__(self, ensure_ascii=None):
        if ensure_ascii is None:
            ensure_ascii = _ensure_ascii_for(os.environ.get("AWS_EXECUTION_ENV"))
        super().__init__(ensure_ascii=ensure_ascii, allow_nan=True)

    def default(self, o):
        if isinstance(o, (bytes, bytearray)):
            return bytes(o).decode("utf-8")
        if _is_decimal(o):
            raise _DecimalFound()
        return _not_serializable(o)

    def encode(self, o):
        try:
            return super().encode(o)
        except _DecimalFound:
            return _encode_with_decimals(o, self.ensure_ascii)


def _encode_with_decimals(o, ensure_ascii):
    from decimal import Decimal
    from json import encoder as E

    def floatstr(f, _repr=float.__repr__, _inf=E.INFINITY, _neginf=-E.INFINITY):
        if isinstance(f, Decimal):
            return "NaN" if f.is_nan() else str(f)
        if f != f:
            return "NaN"
        if f == _inf:
            return "Infinity"
        if f == _neginf:
            return "-Infinity"
        return _repr(f)

    def default(x):
        if isinstance(x, (bytes, bytearray)):
            return bytes(x).decode("utf-8")
        return _not_serializable(x)

    if isinstance(o, Decimal):
        return floatstr(o)
    make = getattr(E, "_make_iterencode", None)
    if make is None:  # pragma: no cover - every CPython 3.9–3.13 has it
        return json.JSONEncoder(ensure_ascii=ensure_ascii, allow_nan=True, default=lambda x: float(x) if isinstance(x, Decimal) else default(x)).encode(o)
    string_encoder = E.encode_basestring_ascii if ensure_ascii else E.encode_basestring
    iterencode = make(
        {}, default, string_encoder, None, floatstr, ": ", ", ", False, False, True, float=(float, Decimal)
    )
    return "".join(iterencode(o, 0))


def to_json(obj):
    return Encoder().encode(obj)


class LambdaMarshaller:
    def __init__(self):
        self.json_encoder = Encoder()

    def unmarshal_request(self, request, content_type="application/json"):
        if content_type != "application/json":
            return request
        try:
            return json.loads(request)
        except Exception as e:
            raise FaultException(
                FaultException.UNMARSHAL_ERROR,
                "Unable to unmarshal input: {}".format(str(e)),
                None,
            )

    def marshal_response(self, response):
        if isinstance(response, bytes):
            return response, "application/unknown"
        try:
            return self.json_encoder.encode(response), "application/json"
        except Exception as e:
            raise FaultException(
                FaultException.MARSHAL_ERROR,
                "Unable to marshal response: {}".format(str(e)),
                None,
            )
