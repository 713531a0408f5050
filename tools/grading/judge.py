"""The verdict on an exercise, decided outside the student's kernel.

Right after a check cell has run, the grader asks the kernel for the
exercise's answers (remote.py), then runs the exercise's own judge from
`nnlib.course.checks.EXERCISES` in the grader's process, with test inputs
drawn from a seed the notebook never saw. A notebook that rebinds `check`,
patches the checks, inspects its caller's frame or displays a result of its
own changes nothing here: the judge's code, test data and references never
enter the kernel. What the check cell itself displayed is only compared with
this verdict.
"""

import json
import secrets
import time

from . import remote


class Timeout(Exception):
    """The kernel did not answer within the time allowed."""


class UnknownExercise(Exception):
    """A check cell names an exercise this version of nnlib does not know."""


class KernelLink:
    """The judge's line to one kernel: read names, call functions.

    Parameters
    ----------
    client : jupyter_client BlockingKernelClient
        Connected to the kernel (a client of the judge's own).
    interrupt : callable
        Interrupts what the kernel runs.
    deadline : float
        time.monotonic() after which no call waits any longer.
    """

    def __init__(self, client, interrupt, deadline):
        self.client, self.interrupt, self.deadline = client, interrupt, deadline
        self.helper = None

    def define(self):
        """Define the kernel's half under a new random name (a cell run since may have removed it)."""
        self.helper = f"_grader_{secrets.token_hex(8)}"
        self._request(code=remote.kernel_side(self.helper))

    def _request(self, code="", expression=None):
        """Run `code` (and evaluate `expression`) silently in the kernel; the expression's plain text."""
        expressions = {"r": expression} if expression else {}
        msg_id = self.client.execute(code, silent=True, store_history=False, user_expressions=expressions,
                                     allow_stdin=False)
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.interrupt()
                raise Timeout("the answer ran past the time limit and was stopped")
            try:
                reply = self.client.get_shell_msg(timeout=min(left, 5))
            except Exception:  # queue.Empty: nothing yet
                if not self.client.is_alive():
                    raise remote.AnswerError("the kernel died") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise remote.AnswerError(f"the grader's request failed in the kernel ({content.get('ename', '?')})")
        if expression is None:
            return None
        result = content.get("user_expressions", {}).get("r", {})
        if result.get("status") != "ok":
            raise remote.AnswerError(f"the grader's request failed in the kernel ({result.get('ename', '?')})")
        return result.get("data", {}).get("text/plain")

    def _ask(self, request):
        text = json.dumps(request)
        return remote.parse_reply(self._request(expression=f"{self.helper}({text!r})"))

    def get(self, names):
        """{name: value, RemoteFunction, or UNDEFINED} for each of `names` in the notebook."""
        reply = self._ask({"op": "get", "names": list(names)})
        answers = {}
        for name in names:
            item = reply.get(name)
            if not isinstance(item, dict) or item.get("kind") == "undefined":
                answers[name] = UNDEFINED
            elif item.get("kind") == "function":
                answers[name] = remote.RemoteFunction(self, name, item.get("parameters") or [])
            else:
                answers[name] = remote.decode(item.get("value"))
        return answers

    def call(self, name, args, kwargs):
        """The decoded reply of calling the notebook's `name` with these arguments."""
        reply = self._ask({"op": "call", "name": name, "args": [remote.encode(a) for a in args],
                           "kwargs": {k: remote.encode(v) for k, v in kwargs.items()}})
        decoded = {"args": [remote.decode(a) for a in reply.get("args", [])],
                   "kwargs": {k: remote.decode(v) for k, v in dict(reply.get("kwargs", {})).items()},
                   "nnlib_calls": [str(name)[:200] for name in list(reply.get("nnlib_calls", []))[:50]]}
        if "error" in reply:
            error = reply["error"]
            decoded["error"] = [str(error[0]), str(error[1])] if isinstance(error, list) and len(error) == 2 \
                else ["Error", "?"]
        else:
            decoded["result"] = remote.decode(reply.get("result"))
        return decoded


class _Undefined:
    def __repr__(self):
        return "<not defined>"


UNDEFINED = _Undefined()


def verdict(link, exercise_id, seed):
    """(passed, message) of one exercise, judged with unseen inputs from `seed`."""
    from nnlib.course.checks import EXERCISES

    entry = EXERCISES.get(exercise_id)
    if entry is None:
        raise UnknownExercise(f"the grader's nnlib knows no exercise {exercise_id!r}: grade with the nnlib "
                              "of the series whose notebooks define the exercises")
    answers = {name: value for name, value in link.get(entry.reads).items() if value is not UNDEFINED}
    feedback = entry.judge(answers, seed=seed)  # a name not defined is "not defined yet"
    return bool(feedback.passed), feedback.message
