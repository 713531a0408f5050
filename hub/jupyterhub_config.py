"""The course hub: one JupyterHub on one server, each student a system user.

Started by `sudo hub/start.sh`, which builds the environment and sets
NNLIB_HUB_ENV; docs/course_hub.md explains every choice below. Settings a
teacher may change are environment variables (defaults in brackets):

    NNLIB_HUB_URL          where students connect [http://:8000, every address]
    NNLIB_HUB_SSL_CERT     TLS certificate and key files; set both for https
    NNLIB_HUB_SSL_KEY
    NNLIB_HUB_STATE        the hub's database and secrets [/var/lib/nnlib-hub]
    NNLIB_HUB_STUDENTS     group whose members may log in [students]
    NNLIB_HUB_TEACHERS     group whose members may log in as hub admins [teachers]
    NNLIB_HUB_API_PORT     the hub's private API port on 127.0.0.1 [8081]
    NNLIB_HUB_PROXY_API_PORT  the proxy's private API port on 127.0.0.1 [8001]
    NNLIB_HUB_LOCAL_REPOS  repositories on this server that nbgitpuller links may
                           pull from (file:///path), separated by spaces [none]
"""

import hashlib
import os
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub provides get_config when it loads this file)

HUB = Path(__file__).resolve().parent
ENV = Path(os.environ["NNLIB_HUB_ENV"])  # the students' Python environment, from hub/setup.sh
STATE = Path(os.environ.get("NNLIB_HUB_STATE", "/var/lib/nnlib-hub"))
STUDENTS = os.environ.get("NNLIB_HUB_STUDENTS", "students")
TEACHERS = os.environ.get("NNLIB_HUB_TEACHERS", "teachers")

# Where students connect, and the two private ports on this machine.
c.JupyterHub.bind_url = os.environ.get("NNLIB_HUB_URL", "http://:8000")
if os.environ.get("NNLIB_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = os.environ["NNLIB_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = os.environ["NNLIB_HUB_SSL_KEY"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('NNLIB_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('NNLIB_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(HUB / "node_modules" / ".bin" / "configurable-http-proxy")]

# The hub's own files, readable by root only (start.sh makes the folder 700).
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# Who may log in: system users in the students' or the teachers' group, with
# their system password (PAM). hub/students.py creates them.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {STUDENTS, TEACHERS}
c.PAMAuthenticator.admin_groups = {TEACHERS}

# Each student's server runs as that student, in their home folder, from
# the environment in /opt, and opens JupyterLab.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "PATH": f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",  # python, pip and jupyter are the course's
    "VIRTUAL_ENV": str(ENV),
}
# Every file a student's server, kernel or terminal creates (in /tmp too) is
# readable by that student only; their home folder is mode 700 already.
c.LocalProcessSpawner.popen_kwargs = {"umask": 0o077}
# Kernels talk to their server over Unix sockets in the student's runtime
# folder (in their home), not TCP ports on 127.0.0.1: any local user can
# subscribe to a kernel's TCP output port and read everything it prints.
c.Spawner.args = ["--KernelManager.transport=ipc"]
# Thirty servers starting at once on two cores take longer than the defaults allow.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# A repository on this server (an nbgitpuller link with repo=file:///path)
# belongs to root, and git refuses to read another user's repository unless
# it is listed as a safe.directory in a configuration the student cannot
# edit. Git's system configuration for the students' servers is therefore a
# file that lists them and includes /etc/gitconfig.
LOCAL_REPOS = os.environ.get("NNLIB_HUB_LOCAL_REPOS", "").split()
if LOCAL_REPOS:
    text = "[include]\n\tpath = /etc/gitconfig\n[safe]\n"
    text += "".join(f"\tdirectory = {Path(repo).resolve()}\n" for repo in LOCAL_REPOS)
    gitconfig = ENV.parent / f"gitconfig-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    if not gitconfig.exists():
        gitconfig.write_text(text, encoding="utf-8")
        gitconfig.chmod(0o644)
    c.Spawner.environment["GIT_CONFIG_SYSTEM"] = str(gitconfig)
