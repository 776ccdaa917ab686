"""The Lambda Runtime API over HTTP (AWS_LAMBDA_RUNTIME_API), as any third-party runtime speaks it.

Paths and headers: awslambdaric lambda_runtime_client.py and aws-lambda-cpp (which the RIC wraps). One keep-alive
connection is reused; a connection the server has closed is replaced once per request.
"""

import http.client
import sys

from .marshal_json import to_json
from .transport_pipe import Invocation

API = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
USER_AGENT = "aws-lambda-python/{}.{}.{}-portico".format(*sys.version_info[:3])


class LambdaRuntimeClientError(Exception):
    def __init__(self, endpoint, response_code, response_body):
        self.endpoint = endpoint
        self.response_code = response_code
        self.response_body = response_body
        super().__init__(
            f"Request to Lambda Runtime '{endpoint}' endpoint failed. Reason: '{response_code}'. "
            f"Response body: '{response_body}'"
        )


def _empty_to_none(value):
    return value if value else None


class HttpTransport:
    def __init__(self, address):
        self.address = address
        self._conn = None

    def _request(self, method, path, body=None, headers=None):
        all_headers = {"User-Agent": USER_AGENT}
        if headers:
            all_headers.update(headers)
        for attempt in (1, 2):
            conn = self._conn
            fresh = conn is None
            if fresh:
                conn = http.client.HTTPConnection(self.address)
            try:
                conn.request(method, path, body=body, headers=all_headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                self._conn = None
                if fresh or attempt == 2:
                    raise
                continue
            if response.will_close:
                conn.close()
                self._conn = None
            else:
                self._conn = conn
            return response, data
        raise AssertionError("unreachable")

    def next_invocation(self):
        endpoint = API + "/invocation/next"
        response, body = self._request("GET", endpoint)
        if response.status != 200:
            raise LambdaRuntimeClientError(endpoint, response.status, body)
        header = response.getheader
        deadline = header("Lambda-Runtime-Deadline-Ms")
        return Invocation(
            request_id=header("Lambda-Runtime-Aws-Request-Id"),
            deadline_ms=int(deadline) if deadline else 0,
            invoked_function_arn=header("Lambda-Runtime-Invoked-Function-Arn"),
            trace_id=_empty_to_none(header("Lambda-Runtime-Trace-Id")),
            client_context=_empty_to_none(header("Lambda-Runtime-Client-Context")),
            cognito_identity=_empty_to_none(header("Lambda-Runtime-Cognito-Identity")),
            tenant_id=_empty_to_none(header("Lambda-Runtime-Aws-Tenant-Id")),
            # Lambda always sends application/json; a missing header is read as JSON too.
            content_type=header("Content-Type") or "application/json",
            body=body,
        )

    def post_response(self, request_id, result, content_type):
        data = result if isinstance(result, bytes) else result.encode("utf-8")
        self._request(
            "POST",
            f"{API}/invocation/{request_id}/response",
            body=data,
            headers={"Content-Type": content_type},
        )

    def post_error(self, request_id, error_result):
        self._request(
            "POST",
            f"{API}/invocation/{request_id}/error",
            body=to_json(error_result).encode("utf-8"),
            headers={"Content-Type": "application/json", ERROR_TYPE_HEADER: error_result["errorType"]},
        )

    def post_init_error(self, error_result):
        endpoint = API + "/init/error"
        response, body = self._request(
            "POST",
            endpoint,
            body=to_json(error_result).encode("utf-8"),
            headers={"Content-Type": "application/json", ERROR_TYPE_HEADER: error_result["errorType"]},
        )
        if response.status != 202:
            raise LambdaRuntimeClientError(endpoint, response.status, body)
