"""Answers carried out of a student's kernel as plain data, and functions called across.

The judge decides an exercise in the grader's own process, never in the
student's kernel. It needs the student's answers there: a value (a number,
an array, a dict of arrays) is copied out as data; a function stays in the
kernel and the judge gets a `RemoteFunction` that, when called, sends its
arguments in, has the kernel call the student's function, and brings the
result back, with the arguments as the call left them (so an answer that
changes its inputs is seen to). Nothing in the kernel can reach the judge's
check code, its frames or its test data beyond the arguments of each call.

Data crosses as JSON: numbers, strings, None, lists, tuples, dicts with
string keys, and numeric NumPy arrays and scalars (dtype, shape and bytes,
so float32 stays float32). Anything else arrives as a `Foreign` placeholder
naming its type. What the kernel sends back is untrusted: it is decoded
strictly, with caps on size and depth, and a malformed reply is an answer
that cannot be read, never an error in the grader.
"""

import base64
import inspect
import json

import numpy as np

MAX_REPLY_CHARS = 16 * 2**20  # the largest reply read from the kernel
MAX_DEPTH = 12
NUMERIC_KINDS = "biufc"


class Foreign:
    """A value that cannot cross as data (an object of some other type): its type's name and repr."""

    def __init__(self, type_name, text):
        self.type_name, self.text = type_name, text

    def __repr__(self):
        return self.text


class AnswerError(Exception):
    """A reply from the kernel that is not data this module writes."""


def encode(value, depth=0):
    """`value` as JSON-ready data (the grader's side: the arguments it sends)."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, (np.ndarray, np.generic)) and np.asarray(value).dtype.kind in NUMERIC_KINDS:
        array = np.ascontiguousarray(value)
        return {"array": array.dtype.str, "shape": list(array.shape), "scalar": isinstance(value, np.generic),
                "bytes": base64.b64encode(array.tobytes()).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [encode(item, depth + 1) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"dict": [[key, encode(item, depth + 1)] for key, item in value.items()]}
    return {"foreign": type(value).__name__, "repr": repr(value)[:200]}


def decode(data, depth=0):
    """The value that `data` (untrusted) stands for; AnswerError if it is not well formed."""
    if depth > MAX_DEPTH:
        raise AnswerError("nested too deeply")
    if data is None or isinstance(data, (bool, str)):
        return data
    if not isinstance(data, dict) or len(data) < 1:
        raise AnswerError(f"unexpected {type(data).__name__}")
    if "int" in data:
        text = data["int"]
        if not isinstance(text, str) or len(text) > 400:
            raise AnswerError("bad int")
        return int(text)
    if "float" in data:
        return float(str(data["float"])[:40])
    if "array" in data:
        dtype = np.dtype(str(data["array"])[:8])
        shape = data.get("shape")
        if dtype.kind not in NUMERIC_KINDS or not isinstance(shape, list) or len(shape) > 32 or \
                not all(isinstance(n, int) and 0 <= n for n in shape):
            raise AnswerError("bad array")
        raw = base64.b64decode(str(data.get("bytes", "")), validate=True)
        if len(raw) != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise AnswerError("array bytes and shape disagree")
        array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        return array[()] if data.get("scalar") is True else array
    if "list" in data or "tuple" in data:
        items = data.get("list", data.get("tuple"))
        if not isinstance(items, list):
            raise AnswerError("bad list")
        values = [decode(item, depth + 1) for item in items]
        return values if "list" in data else tuple(values)
    if "dict" in data:
        pairs = data["dict"]
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)
                                                  for p in pairs):
            raise AnswerError("bad dict")
        return {key: decode(item, depth + 1) for key, item in pairs}
    if "foreign" in data:
        return Foreign(str(data["foreign"])[:100], str(data.get("repr", ""))[:200])
    raise AnswerError("unknown kind")


def copy_into(local, changed):
    """Make `local` (an argument the judge passed) what the student's function left it as."""
    if isinstance(local, np.ndarray) and isinstance(changed, np.ndarray) and local.shape == changed.shape \
            and local.flags.writeable:
        np.copyto(local, changed, casting="unsafe")
    elif isinstance(local, dict) and isinstance(changed, dict):
        for key in list(local):
            if key not in changed:
                del local[key]
        for key, value in changed.items():
            if key in local and isinstance(local[key], (np.ndarray, dict, list)):
                copy_into(local[key], value)
            else:
                local[key] = value
    elif isinstance(local, list) and isinstance(changed, list):
        local[:] = changed


def remote_error(type_name, message):
    """An exception as the student's function raised it: same class name, same message."""
    name = "".join(ch for ch in str(type_name) if ch.isalnum() or ch == "_")[:60] or "Error"
    return type(name, (Exception,), {"__module__": "student"})(str(message)[:500])


class RemoteFunction:
    """A student's function, left in their kernel, called from the judge.

    Parameters
    ----------
    link : judge.KernelLink
        What sends a call to the kernel and returns its decoded reply.
    name : str
        The function's name in the notebook.
    parameters : list of [name, kind, has_default]
        Its signature as the kernel read it (inspect.Parameter kinds).
    """

    def __init__(self, link, name, parameters):
        self.link, self.__name__ = link, name
        self.__qualname__ = name
        signature = []
        for item in parameters:
            try:
                param_name, kind, has_default = str(item[0]), inspect._ParameterKind(int(item[1])), bool(item[2])
                signature.append(inspect.Parameter(param_name, kind, default=None if has_default
                                                   else inspect.Parameter.empty))
            except (ValueError, TypeError, IndexError):
                signature = None
                break
        try:
            self.__signature__ = inspect.Signature(signature) if signature is not None else None
        except ValueError:
            self.__signature__ = None

    def __call__(self, *args, **kwargs):
        from nnlib.course.exercises.feedback import watching_calls_to

        reply = self.link.call(self.__name__, args, kwargs)
        for watcher in watching_calls_to.active:  # nnlib's functions it called in the kernel
            watcher.saw(reply.get("nnlib_calls", []))
        for local, changed in zip(args, reply.get("args", [])):
            copy_into(local, changed)
        for key, changed in reply.get("kwargs", {}).items():
            if key in kwargs:
                copy_into(kwargs[key], changed)
        if reply.get("error"):
            raise remote_error(*reply["error"])
        return reply.get("result")

    def __repr__(self):
        return f"<function {self.__name__} (in the student's kernel)>"


# The kernel's half, sent as code: it defines one function under a name the
# grader picks at random for this run. It runs in the student's kernel, so
# it trusts nothing there either; whatever it returns is checked by decode().
KERNEL_SIDE = r'''
def {name}(request):
    import base64 as _b64, inspect as _inspect, json as _json, math as _math
    import numpy as _np
    _ns = globals()

    def enc(value, depth=0):
        if depth > 12:
            return {{"foreign": "deep", "repr": "nested too deeply"}}
        if value is None or isinstance(value, (bool, str)):
            return value if not isinstance(value, str) else value[:100000]
        if isinstance(value, int):
            return {{"int": str(value)[:400]}}
        if isinstance(value, float):
            return {{"float": repr(value)}}
        if isinstance(value, (_np.ndarray, _np.generic)) and _np.asarray(value).dtype.kind in "biufc":
            array = _np.ascontiguousarray(_np.asarray(value))
            if array.nbytes > 4000000:
                return {{"foreign": type(value).__name__, "repr": "an array of " + str(array.nbytes) + " bytes"}}
            return {{"array": array.dtype.str, "shape": list(array.shape), "scalar": isinstance(value, _np.generic),
                    "bytes": _b64.b64encode(array.tobytes()).decode("ascii")}}
        if isinstance(value, (list, tuple)) and len(value) <= 10000:
            return {{"list" if isinstance(value, list) else "tuple": [enc(v, depth + 1) for v in value]}}
        if isinstance(value, dict) and len(value) <= 1000 and all(isinstance(k, str) for k in value):
            return {{"dict": [[k, enc(v, depth + 1)] for k, v in value.items()]}}
        try:
            text = repr(value)[:200]
        except Exception:
            text = "?"
        return {{"foreign": type(value).__name__, "repr": text}}

    def dec(data):
        if data is None or isinstance(data, (bool, str)):
            return data
        if "int" in data:
            return int(data["int"])
        if "float" in data:
            return float(data["float"])
        if "array" in data:
            array = _np.frombuffer(_b64.b64decode(data["bytes"]), dtype=_np.dtype(data["array"]))
            array = array.reshape(data["shape"]).copy()
            return array[()] if data["scalar"] else array
        if "list" in data:
            return [dec(v) for v in data["list"]]
        if "tuple" in data:
            return tuple(dec(v) for v in data["tuple"])
        if "dict" in data:
            return {{k: dec(v) for k, v in data["dict"]}}
        raise ValueError("unknown kind")

    request = _json.loads(request)
    if request["op"] == "get":
        reply = {{}}
        for name in request["names"]:
            if name not in _ns:
                reply[name] = {{"kind": "undefined"}}
            elif callable(_ns[name]) and not isinstance(_ns[name], type):
                try:
                    params = [[p.name, int(p.kind), p.default is not p.empty]
                              for p in _inspect.signature(_ns[name]).parameters.values()]
                except (TypeError, ValueError):
                    params = None
                reply[name] = {{"kind": "function", "parameters": params}}
            else:
                reply[name] = {{"kind": "value", "value": enc(_ns[name])}}
        return _json.dumps(reply)
    args = [dec(a) for a in request["args"]]
    kwargs = {{k: dec(v) for k, v in request["kwargs"].items()}}
    reply = {{}}
    called = []

    def watch(frame, event, arg):  # which of nnlib's functions the answer calls
        if event == "call" and str(frame.f_globals.get("__name__", "")).startswith("nnlib") and len(called) < 50:
            name = frame.f_globals["__name__"] + "." + getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
            if name not in called:
                called.append(name)

    import sys as _sys
    previous = _sys.getprofile()
    _sys.setprofile(watch)
    try:
        reply["result"] = enc(_ns[request["name"]](*args, **kwargs))
    except BaseException as error:
        reply["error"] = [type(error).__name__, str(error)[:500]]
    finally:
        _sys.setprofile(previous)
    reply["nnlib_calls"] = called
    reply["args"] = [enc(a) for a in args]
    reply["kwargs"] = {{k: enc(v) for k, v in kwargs.items()}}
    return _json.dumps(reply)
'''


def kernel_side(name):
    """The code that defines the kernel's half under `name`."""
    return KERNEL_SIDE.format(name=name)


def parse_reply(text):
    """The JSON a kernel-side call returned (text is the repr of a str, as IPython shows it)."""
    if not isinstance(text, str) or len(text) > MAX_REPLY_CHARS:
        raise AnswerError("the reply is missing or too long")
    import ast
    try:
        inner = ast.literal_eval(text)
        data = json.loads(inner)
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError) as error:
        raise AnswerError(f"the reply could not be read ({type(error).__name__})") from None
    if not isinstance(data, dict):
        raise AnswerError("the reply is not a dict")
    return data
