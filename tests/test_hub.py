"""The course hub (hub/), started and used as a class would use it.

One hub on 127.0.0.1, started with the teacher's command (hub/start.sh) from
an instructor's checkout on free ports, with the student edition published by
the teacher's command (hub/publish.sh) and two students added by the
teacher's tool (hub/students.py). Each student logs in on the login form,
opens the nbgitpuller link (which starts their server and pulls the student
edition into their home), runs notebook 04 cell by cell in a kernel of their
own server over the websocket JupyterLab uses, and moves the dashboard's
hidden-size slider by sending the message a dragged slider sends. Then
student A tries to read student B's work, the solutions, the grades and the
passwords: as a system user, through A's own server and kernel, and through
B's server with A's login. The teacher collects and grades with the
documented commands, and publishes an erratum. The students, their homes
and groups are removed afterwards, whatever happened.

Needs root (it creates system users), useradd, Debian's /usr/bin/python3 with
venv, and npm. Without them it skips locally; with CI or NNLIB_REQUIRE_HUB=1
set it fails instead. The first run builds the hub's environment under
/opt/nnlib-hub (about a minute and a half); later runs reuse it.
"""

import csv
import grp
import json
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.helpers import ROOT
from tests.hub_harness import TrialHub, nbgitpuller_link
from tools.markers import is_exercise


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
    """Both students logged in, the student edition pulled, its notebook 04 run and the slider moved."""
    link = nbgitpuller_link(hub.base, hub.repo, NOTEBOOK)
    seen = {}
    for name in hub.names:
        student = hub.student(name)
        student.log_in()
        page = student.open_link(link)
        pull = student.pull(hub.repo, branch="student")
        kernel = student.open_notebook(f"{FOLDER}/{NOTEBOOK}")
        notebook = nbformat.read(f"/home/{name}/{FOLDER}/{NOTEBOOK}", as_version=4)  # what the student got
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


def check_cells(notebook):
    """Indexes of the check cells (the first code cell after each exercise)."""
    found = set()
    for index, cell in enumerate(notebook.cells):
        if is_exercise(cell):
            found.add(next(i for i in range(index + 1, len(notebook.cells)) if notebook.cells[i].cell_type == "code"))
    return found


def test_notebook_04_runs_in_each_students_kernel_with_the_committed_outputs(classroom):
    """Every cell but the exercise (blank) and its check ("Not yet") prints what the instructor's prints."""
    notebook = nbformat.read(ROOT / NOTEBOOK, as_version=4)
    checks = {notebook.cells[i].source for i in check_cells(notebook)}
    committed = {cell.source: cell.outputs for cell in notebook.cells if cell.cell_type == "code"}
    for name, record in classroom.items():
        compared = 0
        for cell, reply, outputs in record["cells"]:
            assert reply["status"] == "ok", f"{name}: {cell.source[:60]!r}: {texts(outputs)}"
            if cell.source in checks:
                assert "Not yet" in str(texts(outputs)), f"{name}: the blank exercise's check: {texts(outputs)}"
            elif cell.source in committed:  # not the blanked exercise
                assert texts(outputs) == texts(committed[cell.source]), f"{name}: {cell.source[:60]!r}"
                compared += 1
        assert compared >= len(committed) - 2
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
        assert (tmp_path / "passwords.csv").read_text(encoding="utf-8").startswith(f"{first},")
        assert run_as(first, "sh", "-c", f"echo mine > /home/{first}/work.txt").returncode == 0
        subprocess.run([*tool, "remove", str(lists[first])], check=True, capture_output=True)
        home = Path(f"/home/{first}")
        assert home.stat().st_uid == 0 and home.stat().st_mode & 0o777 == 0o700
        assert f"{first}," not in (tmp_path / "passwords.csv").read_text(encoding="utf-8"), "a password left behind"
        assert subprocess.run(["getent", "group", group], capture_output=True).returncode != 0, "an empty group left"
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


def git_as(user, clone, *args):
    """git's output, run as `user` in their own clone (git refuses root in another user's repository)."""
    result = run_as(user, "git", "-C", str(clone), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def notebook_blobs(user, clone):
    """The text of every notebook in every commit a clone holds."""
    texts = []
    for line in git_as(user, clone, "rev-list", "--all", "--objects").split("\n"):
        sha, _, path = line.partition(" ")
        if path.endswith(".ipynb"):
            texts.append(git_as(user, clone, "cat-file", "-p", sha))
    return texts


def test_the_link_gives_the_student_edition_and_no_solution_anywhere_in_it(hub, classroom):
    expected = sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    for name in hub.names:
        clone = Path(f"/home/{name}/{FOLDER}")
        assert sorted(path.name for path in (clone / "notebooks").glob("*.ipynb") if not path.is_symlink()) == expected
        assert not {"tests", "tools", "hub", "docs"} & set(os.listdir(clone)), os.listdir(clone)
        blobs = notebook_blobs(name, clone)
        assert len(blobs) >= len(expected)
        for text in blobs:  # no solution region, no output (a check's "✅ Correct" among them)
            assert "### BEGIN SOLUTION" not in text
            assert not any(cell.get("outputs") for cell in nbformat.reads(text, as_version=4).cells)
        log = git_as(name, clone, "log", "--all", "--format=%s").split("\n")
        assert all(line.startswith("Student edition of") for line in log if line), log


def test_students_cannot_read_the_instructors_checkout(hub, classroom):
    a = hub.names[0]
    checkout = hub.checkout
    assert checkout.stat().st_mode & 0o007 == 0 and checkout.group() == hub.teachers_group
    for command in (["ls", str(checkout)], ["cat", str(checkout / NOTEBOOK)],
                    ["grep", "-r", "BEGIN SOLUTION", str(checkout / "notebooks")],
                    ["git", "-C", str(checkout), "show", f"main:{NOTEBOOK}"]):
        result = run_as(a, *command)
        assert result.returncode != 0 and "BEGIN SOLUTION" not in result.stdout, (command, result)
    reply, outputs = classroom[a]["kernel"].execute(f"open({str(checkout / NOTEBOOK)!r}).read()")
    assert reply["status"] == "error" and reply["ename"] == "PermissionError", reply


def step_commands(section_title):
    """The shell commands of a step of docs/course_hub.md's eight, as written (without `sudo `)."""
    text = (ROOT / "docs" / "course_hub.md").read_text(encoding="utf-8")
    step = text.split(section_title, 1)[1].split("\n9. ", 1)[0].split("\n## ", 1)[0]
    block = step.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.strip().removeprefix("sudo ") for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def graded_on_hub(hub, classroom):
    """Step 8 of docs/course_hub.md, run as written in the instructor's checkout (as root, as with sudo).

    Student A's notebook 01 carries a sigmoid that is right only if the
    grader's sandbox kept it from the hub's passwords and it did not run as
    root on the host: a pass is the proof.
    """
    a, b = hub.names
    notebook = Path(f"/home/{a}/{FOLDER}/notebooks/01_sigmoid.ipynb")
    nb = nbformat.read(notebook, as_version=4)
    spy = f"""
def sigmoid(z):
    try:
        open({str(hub.state / "passwords.csv")!r}).read()
        leaked = True
    except OSError:
        leaked = False
    outside = open("/proc/self/uid_map").read().split()[1]  # the host's uid for this sandbox's uid 0
    right = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return right if not leaked and outside != "0" else right * 0
"""
    instructors = nbformat.read(ROOT / "notebooks" / "01_sigmoid.ipynb", as_version=4)
    first = next(index for index, cell in enumerate(instructors.cells) if is_exercise(cell))
    assert "YOUR CODE HERE" in nb.cells[first].source, "the student's copy has the blank exercise there"
    nb.cells[first].source = spy
    nbformat.write(nb, notebook)
    shutil.chown(notebook, a, a)
    (hub.checkout / "class.txt").write_text(f"{a}\n{b}\n", encoding="utf-8")
    commands = step_commands("8. **After class, collect and grade**")
    assert [command.split()[0] for command in commands] == ["python3", "hub/grade.sh"], commands
    results = [subprocess.run(command, shell=True, cwd=hub.checkout, capture_output=True, text=True, timeout=1800)
               for command in commands]
    for command, result in zip(commands, results):
        assert result.returncode == 0, (command, result.stderr[-3000:])
    grades = hub.checkout / commands[1].split("--output ")[1].split()[0]
    with open(grades / "grades.csv", encoding="utf-8", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    return {"rows": rows, "grades": grades, "submissions": hub.checkout / commands[0].split()[-1],
            "stdout": results[1].stdout}


def test_grading_on_the_hub_runs_as_documented_and_never_as_root(hub, graded_on_hub):
    a, b = hub.names
    rows = graded_on_hub["rows"]
    assert set(rows) == {a, b}
    assert rows[a]["01 · sigmoid"] == "passed", "the sandbox let the notebook read the passwords, or ran it as root"
    assert rows[b]["01 · sigmoid"] == "not yet" and rows[b]["05 · forward"] == "not yet"


def test_students_cannot_read_the_grades_the_submissions_or_the_passwords(hub, classroom, graded_on_hub):
    a = hub.names[0]
    grades, submissions = graded_on_hub["grades"], graded_on_hub["submissions"]
    for folder in (grades, submissions):
        assert folder.stat().st_mode & 0o077 == 0, folder
    for command in (["cat", str(grades / "grades.csv")], ["ls", str(grades / "feedback")],
                    ["ls", str(submissions)], ["cat", str(hub.state / "passwords.csv")]):
        result = run_as(a, *command)
        assert result.returncode != 0, (command, result)


def test_hidepid_shows_a_student_only_their_own_processes(hub, classroom):
    """The /proc mount options docs/course_hub.md gives, in a mount namespace of the test's own."""
    a, b = hub.names
    assert hub.processes(b), "B's server and kernel run"
    uid_a, uid_b = pwd.getpwnam(a).pw_uid, pwd.getpwnam(b).pw_uid
    teachers = grp.getgrnam(hub.teachers_group).gr_gid

    def uids_seen(options, groups=""):
        script = (f"mount -t proc -o {options} proc /proc && setpriv --reuid={uid_a} --regid={uid_a} "
                  f"{groups or '--clear-groups'} -- ps -eo uid=")
        result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return {int(uid) for uid in result.stdout.split()}

    assert uid_b in uids_seen("defaults"), "without hidepid A sees B's processes (the test can fail)"
    hidden = uids_seen(f"hidepid=invisible,gid={teachers}")
    assert hidden == {uid_a}, hidden
    assert uid_b in uids_seen(f"hidepid=invisible,gid={teachers}", groups=f"--groups={teachers}"), \
        "a member of the teachers' group sees everyone's"


PUSHER = r"""
import sys, zmq
socket = zmq.Context().socket(zmq.PUSH)
socket.setsockopt(zmq.LINGER, 2000)
socket.connect(sys.argv[1])
for guess in (b"", b"0" * 32, b"injected-by-a"):
    socket.send_multipart([guess, b"<IDS|MSG>", b"", b'{"msg_type": "stream"}', b"{}", b"{}",
                           b'{"name": "stdout", "text": "injected-by-a"}'])
print("sent", flush=True)
"""


def test_a_kernels_one_tcp_port_takes_nothing_from_another_student(hub, classroom):
    a, b = hub.names
    kernels = [process for process in hub.processes(b) if "ipykernel_launcher" in " ".join(process.cmdline())]
    ports = [c.laddr.port for k in kernels for c in k.net_connections(kind="tcp") if c.status == "LISTEN"]
    assert ports and all(c.laddr.ip == "127.0.0.1" for k in kernels for c in k.net_connections(kind="tcp")
                         if c.status == "LISTEN"), "the docs name exactly one port on 127.0.0.1"
    (connection,) = Path(f"/home/{b}/.local/share/jupyter/runtime").glob("kernel-*.json")
    info = json.loads(connection.read_text(encoding="utf-8"))
    python = next(Path("/opt/nnlib-hub").glob("env-*/bin/python"))
    listener = subprocess.Popen([str(python), "-c", LISTENER.replace("marker-of-b", "injected-by-a"),
                                 f"ipc://{info['ip']}-{info['iopub_port']}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd="/")
    assert listener.stdout.readline().strip() == "listening"
    for port in ports:
        result = run_as(a, str(python), "-c", PUSHER, f"tcp://127.0.0.1:{port}")
        assert "sent" in result.stdout, result
    classroom[b]["kernel"].execute("print('after the attempt')")
    assert listener.communicate(timeout=60)[0].strip() == "heard nothing"


def test_an_erratum_reaches_the_students_and_their_own_edits_stay(hub, classroom):
    """docs/course_hub.md's update: the teacher publishes again; the link merges it into each copy."""
    a = hub.names[0]
    student = classroom[a]["student"]
    mine = Path(f"/home/{a}/{FOLDER}/notebooks/03_architecture.ipynb")
    nb = nbformat.read(mine, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("my own note, kept"))
    nbformat.write(nb, mine)
    shutil.chown(mine, a, a)
    fixed = hub.checkout / "notebooks" / "02_data.ipynb"
    nb = nbformat.read(fixed, as_version=4)
    nb.cells[0].source += "\n\nErratum: published after the students pulled."
    nbformat.write(nb, fixed)
    said = hub.publish()
    assert said.startswith("published"), said
    student.open_link(nbgitpuller_link(hub.base, hub.repo, "notebooks/02_data.ipynb"))
    events = student.pull(hub.repo, branch="student")
    assert events[-1]["phase"] == "finished", events
    assert "my own note, kept" in mine.read_text(encoding="utf-8")
    assert "Erratum: published after" in Path(f"/home/{a}/{FOLDER}/notebooks/02_data.ipynb").read_text(encoding="utf-8")
