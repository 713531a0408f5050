"""A course hub on 127.0.0.1 with throwaway students, driven over HTTP.

Used by tests/test_hub.py and benchmarks/classroom_load.py (as
`tests.hub_harness`); a teacher never needs it, so it lives with the tests,
not in hub/. Everything goes through the same doors a student's browser uses:

- `TrialHub` makes an instructor's checkout (a copy of this working tree, as
  `git clone` would give on a server), publishes the student edition from it
  into a repository of its own (`hub/publish.sh`, the teacher's command),
  adds students with `hub/students.py`, starts `hub/start.sh` from the
  checkout on free ports with its own state folder and groups, and on
  leaving stops the hub and removes the students, their homes and every
  process they still run, even after a failure.
- `Student` logs in on the hub's login form, opens an nbgitpuller link, reads
  files through their server's contents API and opens a notebook session.
- `Kernel` talks to that session's kernel over the same websocket JupyterLab
  uses: it executes cells and moves a widget by sending the comm message a
  slider sends when dragged.

Needs `requests` and `websocket-client` (both come with JupyterLab) and root.
"""

import csv
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil
import requests
import websocket

from tests.browser import free_port
from tests.helpers import ROOT

REPO = ROOT  # the repository
HUB = REPO / "hub"  # the hub's own files: start.sh, students.py, publish.sh


def nbgitpuller_link(base, repo, notebook, branch="student"):
    """The link a teacher hands out: pull `repo` into the home folder, then open `notebook` in it."""
    folder = repo.rstrip("/").split("/")[-1]
    query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"}, quote_via=quote)
    return f"{base}/hub/user-redirect/git-pull?{query}"


class TrialHub:
    """A hub on 127.0.0.1 with `count` new students, removed again on exit.

    Students are named `<prefix>1`, `<prefix>2`, ...; the prefix is random so
    that nothing on the machine is reused. `checkout` is the instructor's
    copy of the series the hub runs from; `repo` is the file:// URL of the
    student edition's repository (branch `student`), which the students may
    pull (NNLIB_HUB_LOCAL_REPOS).
    """

    def __init__(self, count, log_path=None):
        self.prefix = "nnt" + uuid.uuid4().hex[:6]
        self.names = [f"{self.prefix}{i}" for i in range(1, count + 1)]
        self.students_group = f"{self.prefix}-students"
        self.teachers_group = f"{self.prefix}-teachers"
        self.log_path = log_path
        self.process = None
        self.work = None

    # -- setting up ------------------------------------------------------

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        # World-readable (students clone from it), unlike pytest's tmp folders.
        self.work = Path(tempfile.mkdtemp(prefix="nnlib-hub-", dir="/tmp"))
        self.work.chmod(0o755)
        self.state = self.work / "state"
        self.checkout = self.work / "srv" / "nn-from-scratch-numpy"
        self.repo_path = self.work / "git" / "nn-from-scratch-numpy"
        self.repo = f"file://{self.repo_path}"
        self.make_checkout()
        self.publish("--init")
        listing = self.work / "students.txt"
        listing.write_text("".join(f"{name}\n" for name in self.names), encoding="utf-8")
        self.students_tool("add", str(listing))
        with open(self.state / "passwords.csv", encoding="utf-8") as file:
            self.passwords = dict(csv.reader(file))
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ,
               "NNLIB_HUB_URL": self.base, "NNLIB_HUB_API_PORT": str(free_port()),
               "NNLIB_HUB_PROXY_API_PORT": str(free_port()), "NNLIB_HUB_STATE": str(self.state),
               "NNLIB_HUB_STUDENTS": self.students_group, "NNLIB_HUB_TEACHERS": self.teachers_group,
               "NNLIB_HUB_LOCAL_REPOS": str(self.repo_path)}
        self.log_path = Path(self.log_path or self.work / "hub.log")
        self.log = open(self.log_path, "w", encoding="utf-8")
        # Its own process group, so that stop() reaches the proxy too.
        self.process = subprocess.Popen([str(self.checkout / "hub" / "start.sh")], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 600  # the first run builds the environment
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.base}/hub/api/", timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the hub did not answer within 10 minutes:\n{self.log_tail()}")

    def make_checkout(self):
        """The instructor's checkout: this repository's tracked files as the working tree has them.

        In CI the working tree is the commit; on a developer's machine it may
        hold uncommitted changes, which the test should see. The proxy's
        node_modules is copied too, so that start.sh need not fetch it again.
        """
        listing = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                 capture_output=True, check=True)
        for name in listing.stdout.decode().split("\0"):
            source = REPO / name
            if name and source.is_file():
                target = self.checkout / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        if (HUB / "node_modules").is_dir():
            shutil.copytree(HUB / "node_modules", self.checkout / "hub" / "node_modules", symlinks=True)
        git = ["git", "-C", str(self.checkout), "-c", "user.name=hub test", "-c", "user.email=hub-test@localhost"]
        subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
        subprocess.run([*git, "add", "-A", "."], check=True, capture_output=True)
        subprocess.run([*git, "commit", "-q", "-m", "the series"], check=True)

    def publish(self, *args):
        """The teacher's command: publish the checkout's student edition to the students' repository."""
        return subprocess.run([str(self.checkout / "hub" / "publish.sh"), str(self.repo_path), *args],
                              check=True, capture_output=True, text=True).stdout

    def students_tool(self, *args):
        command = ["python3", str(self.checkout / "hub" / "students.py"), "--students-group", self.students_group,
                   "--teachers-group", self.teachers_group, "--passwords", str(self.state / "passwords.csv"), *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def log_tail(self, characters=4000):
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]

    # -- what the students run --------------------------------------------

    def processes(self, name):
        """The processes running as student `name` (their server and kernels)."""
        found = []
        for process in psutil.process_iter(["username"]):
            if process.info["username"] == name:
                found.append(process)
        return found

    def student(self, name):
        return Student(self.base, name, self.passwords[name])

    # -- cleaning up -------------------------------------------------------

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # the hub stops every student's server and the proxy
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None:
            # The proxy shares the hub's process group; anything left of it goes.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.log.close()
        if self.work is not None:
            listing = self.work / "students.txt"
            if listing.exists():
                # Kills what each student still runs, then removes them with their homes.
                subprocess.run(["python3", str(HUB / "students.py"), "--students-group", self.students_group,
                                "--teachers-group", self.teachers_group, "remove", "--delete-homes", str(listing)],
                               capture_output=True, text=True)
            for group in (self.students_group, self.teachers_group):
                subprocess.run(["groupdel", group], capture_output=True)
            # The git configuration jupyterhub_config.py wrote for this hub's local repository.
            for gitconfig in Path(os.environ.get("NNLIB_HUB_PREFIX", "/opt/nnlib-hub")).glob("gitconfig-*"):
                if str(self.repo_path) in gitconfig.read_text(encoding="utf-8"):
                    gitconfig.unlink()
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None


class Student:
    """One student's browser, reduced to its HTTP requests."""

    def __init__(self, base, name, password):
        self.base, self.name, self.password = base, name, password
        self.session = requests.Session()
        self.server = f"{base}/user/{name}"

    def xsrf(self, path):
        return self.session.cookies.get("_xsrf", path=path)

    def log_in(self):
        """Fill in the hub's login form; raise if the hub refuses."""
        self.session.get(f"{self.base}/hub/login", timeout=30).raise_for_status()
        response = self.session.post(
            f"{self.base}/hub/login", allow_redirects=False, timeout=60,
            data={"username": self.name, "password": self.password, "_xsrf": self.xsrf("/hub/")})
        if response.status_code != 302:
            raise RuntimeError(f"{self.name}: login answered {response.status_code}")
        return response

    def hub_api(self, path):
        response = self.session.get(f"{self.base}/hub/api/{path}", timeout=30,
                                    headers={"X-XSRFToken": self.xsrf("/hub/")})
        response.raise_for_status()
        return response.json()

    def open_link(self, link, timeout=300):
        """Follow an nbgitpuller link as a browser does; return the page it lands on.

        If the student's server is not running, the link starts it and shows
        the hub's "starting" page, which waits (here: polls the hub's API)
        and then goes on to the link's target.
        """
        response = self.session.get(link, timeout=60)
        response.raise_for_status()
        if "/spawn-pending/" in response.url:
            deadline = time.monotonic() + timeout
            while True:
                user = self.hub_api("user")
                if user["server"] and not user["pending"]:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name}: server not ready after {timeout} s: {user}")
                time.sleep(0.5)
            response = self.session.get(link, timeout=60)
            response.raise_for_status()
        return response

    def pull(self, repo, branch="student", timeout=300):
        """What the nbgitpuller page's script does: stream the pull's progress; return its events."""
        folder = repo.rstrip("/").split("/")[-1]
        params = {"_xsrf": self.xsrf(f"/user/{self.name}/"), "repo": repo, "targetpath": folder, "branch": branch}
        events = []
        with self.session.get(f"{self.server}/git-pull/api", params=params, stream=True, timeout=timeout) as response:
            response.raise_for_status()
            for line in response.iter_lines(decode_unicode=True):
                if line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        return events

    def api(self, method, path, **kwargs):
        """A request to the student's own Jupyter server's REST API."""
        headers = {"X-XSRFToken": self.xsrf(f"/user/{self.name}/")}
        return self.session.request(method, f"{self.server}/api/{path}", headers=headers, timeout=60, **kwargs)

    def open_notebook(self, path):
        """Open `path` as JupyterLab does (a session with a python3 kernel); return the Kernel."""
        response = self.api("POST", "sessions", json={"path": path, "name": Path(path).name,
                                                      "type": "notebook", "kernel": {"name": "python3"}})
        response.raise_for_status()
        session = response.json()
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies
                            if cookie.path in ("/", f"/user/{self.name}/"))
        url = (f"{self.server.replace('http', 'ws', 1)}/api/kernels/{session['kernel']['id']}/channels"
               f"?session_id={uuid.uuid4().hex}")
        return Kernel(url, cookies, self.name, session)

    def close(self):
        self.session.close()


class Kernel:
    """A kernel's websocket, as JupyterLab holds it: execute code, watch and move widgets."""

    def __init__(self, url, cookies, username, session):
        self.session_info = session
        self.username = username
        self.session_id = uuid.uuid4().hex
        self.ws = websocket.create_connection(url, cookie=cookies, timeout=600)
        self.widgets = {}  # comm id -> the widget's state, kept up to date from the kernel's messages
        self.images = {}  # comm id of an Image widget -> its latest bytes

    def close(self):
        self.ws.close()

    def send(self, channel, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.username,
                       "session": self.session_id, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def receive(self):
        """The next message; binary frames (messages with buffers) are unpacked."""
        frame = self.ws.recv()
        if isinstance(frame, str):
            return json.loads(frame), []
        # Jupyter server's binary frame: count, offsets, JSON message, buffers.
        count = int.from_bytes(frame[:4], "big")
        offsets = [int.from_bytes(frame[4 * (i + 1): 4 * (i + 2)], "big") for i in range(count)] + [len(frame)]
        message = json.loads(frame[offsets[0]:offsets[1]].decode("utf-8"))
        return message, [frame[offsets[i]:offsets[i + 1]] for i in range(1, count)]

    def track_widget(self, message, buffers):
        """Keep `widgets` and `images` in step with the kernel's comm messages."""
        content = message["content"]
        data = content.get("data", {})
        state = data.get("state")
        if message["msg_type"] not in ("comm_open", "comm_msg") or state is None:
            return
        comm_id = content["comm_id"]
        self.widgets.setdefault(comm_id, {}).update(state)
        for path, buffer in zip(data.get("buffer_paths", []), buffers):
            if path == ["value"] and self.widgets[comm_id].get("_model_name") == "ImageModel":
                self.images[comm_id] = bytes(buffer)

    def wait_for(self, msg_id, timeout):
        """Collect iopub messages caused by `msg_id` until the kernel is idle again and has replied."""
        outputs, reply, idle = [], None, False
        deadline = time.monotonic() + timeout
        while not (idle and reply is not None):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply to {msg_id} within {timeout} s")
            message, buffers = self.receive()
            self.track_widget(message, buffers)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if message["channel"] == "shell":
                reply = message["content"]
            elif kind == "status":
                idle = message["content"]["execution_state"] == "idle"
            elif kind in ("stream", "execute_result", "display_data", "error"):
                outputs.append(message)
        return reply, outputs

    def execute(self, code, timeout=600):
        """Run `code`; return (reply content, output messages)."""
        msg_id = self.send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        return self.wait_for(msg_id, timeout)

    def find_widget(self, model_name, **state):
        """The comm id of the one widget of that model whose state has these values."""
        found = [comm_id for comm_id, values in self.widgets.items()
                 if values.get("_model_name") == model_name
                 and all(values.get(key) == value for key, value in state.items())]
        if len(found) != 1:
            raise LookupError(f"{len(found)} {model_name} widgets with {state}")
        return found[0]

    def set_widget(self, comm_id, timeout=600, **state):
        """Send what a moved slider sends; wait until the kernel has handled it.

        Returns the iopub messages the change caused (its outputs).
        """
        msg_id = self.send("shell", "comm_msg", {
            "comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}})
        return self.wait_for_idle(msg_id, timeout)

    def wait_until(self, condition, timeout):
        """Keep following the kernel's messages until `condition()` holds (a widget's update arrived).

        A dashboard may redraw after the kernel is idle again (an asyncio
        task); this waits for what the student would see, not for the kernel.
        """
        deadline = time.monotonic() + timeout
        try:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no such update within {timeout} s")
                self.ws.settimeout(remaining)
                try:
                    message, buffers = self.receive()
                except websocket.WebSocketTimeoutException:
                    raise TimeoutError(f"no such update within {timeout} s") from None
                self.track_widget(message, buffers)
        finally:
            self.ws.settimeout(600)

    def wait_for_idle(self, msg_id, timeout):
        """Like wait_for, for messages that get no reply (comm messages)."""
        outputs = []
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel not idle after {msg_id} within {timeout} s")
            message, buffers = self.receive()
            self.track_widget(message, buffers)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                return outputs
            if message["msg_type"] in ("stream", "execute_result", "display_data", "error"):
                outputs.append(message)
