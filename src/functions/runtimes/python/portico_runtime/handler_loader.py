"""Resolving ``_HANDLER`` to a callable, with awslambdaric's error types and messages (bootstrap.py _get_handler)."""

import importlib
import sys

from .errors import FaultException


def get_handler(handler):
    handler = handler if handler is not None else ""
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        # e.g. "Bad handler 'app': not enough values to unpack (expected 2, got 1)"
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME,
            "Bad handler '{}': {}".format(handler, str(e)),
        )

    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        # "pkg/mod.fn" and "pkg.mod.fn" both name module pkg.mod.
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR,
            "Unable to import module '{}': {}".format(modname, str(e)),
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(modname, str(e)),
            trace,
        )

    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND,
            "Handler '{}' missing on module '{}'".format(fname, modname),
            None,
        )
