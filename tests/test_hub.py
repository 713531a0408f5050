"""The course hub (hub/), started and used as a class would use it.

One hub on 127.0.0.1, started with the teacher's command (hub/start.sh) on
free ports, with two students added by the teacher's tool (hub/students.py).
Each student logs in on the login form, opens the nbgitpuller link (which
starts their server and pulls the series from a local clone into their home),
runs notebook 04 cell by cell in a kernel of their own server over the
websocket JupyterLab uses, and moves the dashboard's hidden-size slider by
sending the message a dragged slider sends. Then student A tries to read
student B's work: as a system user, through A's own server and kernel, and
through B's server with A's login. The students, their homes and groups are
removed afterwards, whatever happened.

Needs root (it creates system users), useradd, Debian's /usr/bin/python3 with
venv, and npm. Without them it skips locally; with CI or NNLIB_REQUIRE_HUB=1
set it fails instead. The first run builds the hub's environment under
/opt/nnlib-hub (about a minute and a half); later runs reuse it.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "notebooks/04_hyperparameters.ipynb"
FOLDER = "nn-from-scratch-numpy"  # what nbgitpuller names the clone: the repository's name


def missing():
    """Why the hub cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root: the hub runs each student's server as a system user"
    for tool in ("useradd", "userdel", "runuser", "npm", "node", "git"):
        if shutil.which(tool) is None:
            return f"needs {tool}"
    if subprocess.run(["/usr/bin/python3", "-c", "import ensurepip, venv"], capture_output=True).returncode:
        return "needs Debian's /usr/bin/python3 with venv (apt-get install python3-venv)"
    return None


REASON = missing()
if REASON:
    if os.environ.get("CI") or os.environ.get("NNLIB_REQUIRE_HUB"):
        pytest.fail(f"the hub test must run in CI: {REASON}", pytrace=False)
    pytest.skip(REASON, allow_module_level=True)

sys.path.insert(0, str(ROOT / "hub"))
from harness import TrialHub, nbgitpuller_link  # noqa: E402  (hub/ is not a package)


def pins():
    """{name: version} of binder/requirements.txt: what the students' environment must hold."""
    found = {}
    for line in (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==")
            found[name.strip()] = version.strip()
    return found


def texts(outputs):
    """What nbval compares, from kernel messages or notebook outputs: stream text, plain-text results.

    Consecutive stream messages are joined, as the notebook file stores them;
    memory addresses are masked as tests/nbval_sanitize.cfg does.
    """
    found = []
    for output in outputs:
        kind = output.get("output_type") or output.get("msg_type")
        content = output.get("content", output)
        if kind == "stream":
            text = content["text"]
            if found and found[-1][0] == f"stream:{content['name']}":
                found[-1] = (found[-1][0], found[-1][1] + text)
            else:
                found.append((f"stream:{content['name']}", text))
        elif kind in ("display_data", "execute_result"):
            found.append((kind, content["data"].get("text/plain", "")))
        elif kind == "error":
            found.append(("error", f"{content['ename']}: {content['evalue']}"))
    return [(kind, re.sub(r"0x[0-9a-f]{6,}", "0xADDRESS", text)) for kind, text in found]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    log = tmp_path_factory.mktemp("hub") / "hub.log"
    with TrialHub(2, log_path=log) as trial:
        yield trial


@pytest.fixture(scope="module")
def classroom(hub):
    """Both students logged in, the series pulled, notebook 04 run and the slider moved, in each server."""
    notebook = nbformat.read(ROOT / NOTEBOOK, as_version=4)
    link = nbgitpuller_link(hub.base, hub.repo, NOTEBOOK)
    seen = {}
    for name in hub.names:
        student = hub.student(name)
        student.log_in()
        page = student.open_link(link)
        pull = student.pull(hub.repo)
        kernel = student.open_notebook(f"{FOLDER}/{NOTEBOOK}")
        cells = []
        for cell in notebook.cells:
            if cell.cell_type == "code":
                reply, outputs = kernel.execute(cell.source)
                cells.append((cell, reply, outputs))
        slider = kernel.find_widget("IntSliderModel", description="hidden size")
        before = dict(kernel.images)  # every Image widget's picture, by comm id
        assert before, f"{name}: notebook 04's dashboard shows no picture (no Image widget)"
        change_outputs = kernel.set_widget(slider, value=5)
        # Frames while the network trains are JPEG; the run ends on a PNG: wait for that one.
        kernel.wait_until(lambda: any(kernel.images[key] != value and kernel.images[key].startswith(b"\x89PNG")
                                      for key, value in before.items()), timeout=120)
        seen[name] = dict(student=student, kernel=kernel, page=page, pull=pull, cells=cells,
                          slider=slider, before=before, after=dict(kernel.images),
                          change_outputs=change_outputs)
    yield seen
    for record in seen.values():
        record["kernel"].close()
        record["student"].close()


def run_as(user, *command):
    return subprocess.run(["runuser", "-u", user, "--", *command], capture_output=True, text=True)


def test_a_wrong_password_is_refused(hub):
    student = hub.student(hub.names[0])
    student.password = "not-" + student.password
    with pytest.raises(RuntimeError, match="login answered 403"):
        student.log_in()
    student.close()


def test_the_link_starts_each_server_and_pulls_the_series_into_the_students_home(hub, classroom):
    for name, record in classroom.items():
        assert record["page"].url.startswith(f"{hub.base}/user/{name}/git-pull?"), record["page"].url
        assert record["pull"][-1]["phase"] == "finished", record["pull"]
        listing = record["student"].api("GET", f"contents/{FOLDER}/notebooks")
        assert listing.status_code == 200, listing.text
        assert Path(NOTEBOOK).name in {item["name"] for item in listing.json()["content"]}
        clone = Path(f"/home/{name}/{FOLDER}")
        assert clone.owner() == name and (clone / NOTEBOOK).is_file()


def test_each_server_and_kernel_runs_as_its_student_from_the_course_environment(hub, classroom):
    for name, record in classroom.items():
        processes = hub.processes(name)
        commands = [" ".join(process.cmdline()) for process in processes]
        assert any("jupyterhub-singleuser" in command for command in commands), commands
        assert any("ipykernel_launcher" in command for command in commands), commands
        reply, outputs = record["kernel"].execute(
            "import getpass, json, os, sys, importlib.metadata as m\n"
            "from jupyter_core.paths import jupyter_runtime_dir\n"
            "print(json.dumps([getpass.getuser(), os.getcwd(), sys.prefix, jupyter_runtime_dir(),\n"
            "                  {p: m.version(p) for p in ('numpy', 'matplotlib', 'ipywidgets', 'ipykernel', 'jupyterlab')}]))")
        assert reply["status"] == "ok", outputs
        user, cwd, prefix, runtime, versions = json.loads(outputs[0]["content"]["text"])
        assert user == name
        assert cwd == f"/home/{name}/{FOLDER}/notebooks"  # the notebook's folder, as in JupyterLab
        assert prefix.startswith("/opt/nnlib-hub/env-"), prefix
        assert runtime.startswith(f"/home/{name}/"), f"kernel connection files in {runtime}, outside the home"
        for package, version in versions.items():
            assert pins()[package] == version, f"{package}: pinned {pins()[package]}, student has {version}"


def is_figure(output):
    """A picture: a PNG output, or a figure with its description (plots.show_figure: HTML with an <img>)."""
    data = output["content"].get("data", {})
    return "image/png" in data or '<img src="data:image/png;base64,' in data.get("text/html", "")


def test_notebook_04_runs_in_each_students_kernel_with_the_committed_outputs(classroom):
    for name, record in classroom.items():
        for cell, reply, outputs in record["cells"]:
            assert reply["status"] == "ok", f"{name}: {cell.source[:60]!r}: {texts(outputs)}"
            assert texts(outputs) == texts(cell.outputs), f"{name}: {cell.source[:60]!r}"
        figures = [output for _, _, outputs in record["cells"] for output in outputs if is_figure(output)]
        assert len(figures) >= 3, "the two loss figures and the dashboard's picture"


def test_moving_the_hidden_size_slider_retrains_and_redraws(classroom):
    for name, record in classroom.items():
        kernel = record["kernel"]
        assert kernel.widgets[record["slider"]]["value"] == 5
        assert record["before"], f"{name}: the dashboard shows no picture"
        changed = [key for key, value in record["before"].items() if record["after"][key] != value]
        assert changed, f"{name}: the dashboard's picture did not change"
        assert all(record["after"][key].startswith(b"\x89PNG") for key in changed)
        assert not [output for output in record["change_outputs"] if output["msg_type"] in ("error", "stream")], \
            f"{name}: the change printed {record['change_outputs']}"
        status = [widget["value"] for widget in kernel.widgets.values()
                  if widget.get("_model_name") == "HTMLModel" and "error" in str(widget.get("value", "")).lower()]
        assert not status, f"{name}: the dashboard shows an error: {status}"


def test_homes_are_private_and_new_files_are_the_students_alone(hub, classroom):
    for name, record in classroom.items():
        assert Path(f"/home/{name}").stat().st_mode & 0o777 == 0o700
        scratch = f"/tmp/{name}-scratch.txt"
        reply, outputs = record["kernel"].execute(
            f"import os, stat\nopen({scratch!r}, 'w').write('mine')\nprint(oct(stat.S_IMODE(os.stat({scratch!r}).st_mode)))")
        assert reply["status"] == "ok", outputs
        assert outputs[0]["content"]["text"].strip() == "0o600", "the umask should keep new files private"


def test_student_a_cannot_read_student_bs_work(hub, classroom):
    a, b = hub.names
    work = f"/home/{b}/{FOLDER}/{NOTEBOOK}"
    assert run_as(b, "cat", work).returncode == 0, "B reads their own notebook"
    shared = f"/tmp/{b}-notes.txt"
    reply, outputs = classroom[b]["kernel"].execute(f"open({shared!r}, 'w').write('notes of B')")
    assert reply["status"] == "ok", outputs

    # As a system user, on the server itself.
    for command in (["cat", work], ["ls", f"/home/{b}"], ["cat", shared]):
        result = run_as(a, *command)
        assert result.returncode != 0 and "Permission denied" in result.stderr, (command, result)

    # Through A's kernel: the code a student could type into a cell.
    reply, outputs = classroom[a]["kernel"].execute(f"open({work!r}).read()")
    assert reply["status"] == "error" and reply["ename"] == "PermissionError", reply
    reply, outputs = classroom[a]["kernel"].execute(f"import os; os.listdir('/home/{b}')")
    assert reply["status"] == "error" and reply["ename"] == "PermissionError", reply

    # Through A's own server: its contents API stays inside A's home.
    student_a = classroom[a]["student"]
    for path in (f"../{b}/{FOLDER}/{NOTEBOOK}", f"%2E%2E/{b}/{FOLDER}/{NOTEBOOK}"):
        response = student_a.api("GET", f"contents/{path}")
        assert response.status_code in (400, 403, 404), (path, response.status_code)

    # Through B's server, with A's login: the hub does not let A in.
    response = student_a.session.get(f"{hub.base}/user/{b}/api/contents/{FOLDER}/{NOTEBOOK}", timeout=60)
    assert response.status_code == 403, (response.status_code, response.text[:300])

    # Straight to B's server's port on 127.0.0.1, from A's kernel, with A's own hub token.
    (server,) = [process for process in hub.processes(b) if "jupyterhub-singleuser" in " ".join(process.cmdline())]
    url = server.environ()["JUPYTERHUB_SERVICE_URL"].rstrip("/") + f"/api/contents/{FOLDER}/{NOTEBOOK}"
    reply, outputs = classroom[a]["kernel"].execute(
        "import os, urllib.request\n"
        f"request = urllib.request.Request({url!r}, headers={{'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN']}})\n"
        "urllib.request.urlopen(request, timeout=30)")
    assert reply["status"] == "error" and reply["ename"] == "HTTPError" and "403" in reply["evalue"], reply


# Run as student A: subscribe to a kernel's output channel and report whether a marker came through.
LISTENER = r"""
import sys, zmq
socket = zmq.Context().socket(zmq.SUB)
socket.setsockopt(zmq.SUBSCRIBE, b"")
socket.setsockopt(zmq.RCVTIMEO, 8000)
socket.connect(sys.argv[1])
print("listening", flush=True)
try:
    while True:
        if any(b"marker-of-b" in part for part in socket.recv_multipart()):
            print("heard B")
            break
except zmq.Again:
    print("heard nothing")
"""


def test_student_a_cannot_listen_to_student_bs_kernel(hub, classroom):
    """A kernel's output channel is a socket any local user could subscribe to, unless it is a Unix socket in the home."""
    a, b = hub.names
    (connection,) = Path(f"/home/{b}/.local/share/jupyter/runtime").glob("kernel-*.json")
    info = json.loads(connection.read_text(encoding="utf-8"))
    assert info["transport"] == "ipc", "kernels listen on TCP ports that every local user can reach"
    python = next(Path("/opt/nnlib-hub").glob("env-*/bin/python"))
    listener = subprocess.Popen(["runuser", "-u", a, "--", str(python), "-c", LISTENER,
                                 f"ipc://{info['ip']}-{info['iopub_port']}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd="/")
    assert listener.stdout.readline().strip() == "listening"
    for _ in range(5):
        reply, outputs = classroom[b]["kernel"].execute("print('marker-of-b')")
        assert outputs and "marker-of-b" in outputs[0]["content"]["text"]
    heard = listener.communicate(timeout=60)[0].strip()
    assert heard == "heard nothing", heard


def test_the_students_tool_refuses_a_system_account(hub, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("daemon\n", encoding="utf-8")
    result = subprocess.run(["python3", str(ROOT / "hub" / "students.py"), "--students-group", hub.students_group,
                             "--passwords", str(tmp_path / "p.csv"), "add", str(listing)],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "system account" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_collect_copies_each_students_notebooks_and_follows_no_planted_link(hub, classroom, tmp_path):
    a, b = hub.names
    notebooks = f"/home/{a}/{FOLDER}/notebooks"
    # Student A plants links to B's work and to a file only root may read.
    for target, link in ((f"/home/{b}/{FOLDER}/{NOTEBOOK}", "98_from_b.ipynb"), ("/etc/shadow", "99_shadow.ipynb")):
        assert run_as(a, "ln", "-s", target, f"{notebooks}/{link}").returncode == 0
    listing = tmp_path / "class.txt"
    listing.write_text(f"{a}\n{b}\n", encoding="utf-8")
    target = tmp_path / "submissions"
    result = subprocess.run(["python3", str(ROOT / "hub" / "collect.py"), str(listing), str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    expected = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    for name in (a, b):
        assert sorted(path.name for path in (target / name).iterdir()) == expected
        copied = (target / name / Path(NOTEBOOK).name).read_bytes()
        assert copied == Path(f"/home/{name}/{FOLDER}/{NOTEBOOK}").read_bytes()
    assert f"{a}: skipped 98_from_b.ipynb" in result.stdout and f"{a}: skipped 99_shadow.ipynb" in result.stdout
    assert target.stat().st_mode & 0o777 == 0o700
    # A second run never overwrites what the first collected.
    again = subprocess.run(["python3", str(ROOT / "hub" / "collect.py"), str(listing), str(target)],
                           capture_output=True, text=True)
    assert again.returncode != 0 and "exists already" in again.stderr


def test_a_removed_students_kept_home_is_not_inherited_by_the_next_user(tmp_path):
    """`remove` keeps the home for root; a new user who gets the same uid cannot read it; re-adding gives it back."""
    prefix = f"nnr{os.getpid() % 100000}"
    first, second = f"{prefix}a", f"{prefix}b"
    group = f"{prefix}-students"
    tool = ["python3", str(ROOT / "hub" / "students.py"), "--students-group", group,
            "--teachers-group", f"{prefix}-teachers", "--passwords", str(tmp_path / "passwords.csv")]
    lists = {}
    for name in (first, second):
        lists[name] = tmp_path / f"{name}.txt"
        lists[name].write_text(f"{name}\n", encoding="utf-8")
    try:
        subprocess.run([*tool, "add", str(lists[first])], check=True, capture_output=True)
        uid = Path(f"/home/{first}").stat().st_uid
        assert run_as(first, "sh", "-c", f"echo mine > /home/{first}/work.txt").returncode == 0
        subprocess.run([*tool, "remove", str(lists[first])], check=True, capture_output=True)
        home = Path(f"/home/{first}")
        assert home.stat().st_uid == 0 and home.stat().st_mode & 0o777 == 0o700
        subprocess.run([*tool, "add", str(lists[second])], check=True, capture_output=True)
        # useradd usually gives the second user the first one's freed uid; either way they read nothing.
        print("uid reused:", Path(f"/home/{second}").stat().st_uid == uid)
        assert run_as(second, "cat", f"/home/{first}/work.txt").returncode != 0
        subprocess.run([*tool, "add", str(lists[first])], check=True, capture_output=True)
        result = run_as(first, "cat", f"/home/{first}/work.txt")
        assert result.returncode == 0 and result.stdout == "mine\n", result
    finally:
        for name in (first, second):
            subprocess.run([*tool, "remove", "--delete-homes", str(lists[name])], capture_output=True)
            shutil.rmtree(f"/home/{name}", ignore_errors=True)
        subprocess.run(["groupdel", group], capture_output=True)
