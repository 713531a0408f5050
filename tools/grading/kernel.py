"""A Jupyter kernel inside a sandbox, and the two ways the grader talks to it.

The kernel's Unix sockets live inside the sandbox (on its capped tmpfs, at
/scratch/run/), so nothing the kernel can write is on the host's disks. The
grader reaches them from outside through the sandbox's root as the host sees
it, /proc/<pid>/root/scratch/run/, which only the sandbox's own user (and
root) may enter. The connection file, written here, is bound read-only.

`SandboxKernel` is the kernel manager nbclient drives (start, interrupt,
alive, shut down); `SandboxKernel.blocking_client()` gives the judge a client
of its own to ask the kernel for answers (see judge.py).
"""

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient

from . import sandbox

INSIDE_IP = f"{sandbox.SCRATCH}/run/kernel"  # the sockets' path prefix, as the kernel sees it
CONNECTION_FILE = "/run/nnlib-kernel.json"  # where the kernel reads its connection file


class SandboxClient(AsyncKernelClient):
    """nbclient's client: the kernel is alive while its sandbox's process is (not only once it beats)."""

    sandbox = None

    async def _async_is_alive(self):
        return self.sandbox.alive()

    is_alive = _async_is_alive


class JudgeClient(BlockingKernelClient):
    """The judge's client, alive while the sandbox's process is."""

    sandbox = None

    def is_alive(self):
        """Whether the sandbox (and so the kernel) still runs."""
        return self.sandbox.alive()


class SandboxKernel:
    """A kernel started in a sandbox, with what nbclient asks of a kernel manager.

    Parameters
    ----------
    folder : Path
        The grader's folder for this run (the connection file goes here).
    limits : sandbox.Limits
    confined : bool, optional
        False runs the kernel as a plain process, its sockets in `folder`
        (grade.py --unconfined, for a throwaway virtual machine only).
    """

    ipykernel = True

    def __init__(self, folder, limits, confined=True):
        self.folder = Path(folder)
        self.limits, self.confined = limits, confined
        self.process = None
        self.child_pid = None
        inside = INSIDE_IP if confined else str(self.folder / "kernel")
        self.info = {"transport": "ipc", "ip": inside, "signature_scheme": "hmac-sha256",
                     "key": secrets.token_hex(32), "kernel_name": "python3",
                     "shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5}

    @property
    def has_kernel(self):
        """Whether the sandbox was started (nbclient asks)."""
        return self.process is not None

    def start(self, log, timeout=60):
        """Start the sandbox and its kernel; return once the sandbox exists (the kernel may still load)."""
        connection = self.folder / "connection.json"
        connection.write_text(json.dumps(self.info), encoding="utf-8")
        connection.chmod(0o644)
        if not self.confined:
            self.process = subprocess.Popen([sys.executable, "-m", "ipykernel_launcher", "-f", str(connection)],
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self.folder,
                                            start_new_session=True)
            return self
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", CONNECTION_FILE]
        setup = f"mkdir {sandbox.SCRATCH}/run && exec \"$@\""
        argv = ["/bin/sh", "-c", setup, "sh"] + kernel
        read_info, write_info = os.pipe()
        command = sandbox.command(argv, self.limits, sandbox.kernel_environment(),
                                  extra=["--ro-bind", str(connection), CONNECTION_FILE,
                                         "--info-fd", str(write_info)])
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                        pass_fds=[write_info], start_new_session=True)
        os.close(write_info)
        with os.fdopen(read_info, "rb") as info:  # bwrap writes {"child-pid": N} once the sandbox is up
            text = info.read(4096)
        try:
            self.child_pid = int(json.loads(text)["child-pid"])
        except (ValueError, KeyError, TypeError):
            self.process.wait(timeout=timeout)
            raise RuntimeError(f"the sandbox did not start (bwrap exit code {self.process.returncode})")
        return self

    def connection_info(self):
        """The connection info as the grader sees it: the sockets through the sandbox's root."""
        if not self.confined:
            return dict(self.info)
        return dict(self.info, ip=f"/proc/{self.child_pid}/root{INSIDE_IP}")

    def client(self):
        """An asyncio client (nbclient's)."""
        client = SandboxClient()
        client.sandbox = self
        client.load_connection_info(self.connection_info())
        return client

    def blocking_client(self):
        """A blocking client of its own (the judge's)."""
        client = JudgeClient()
        client.sandbox = self
        client.load_connection_info(self.connection_info())
        client.start_channels(hb=False)
        return client

    async def start_kernel(self, **kwargs):
        """Refused: `start()` starts the kernel before nbclient runs."""
        raise RuntimeError("SandboxKernel.start() starts the kernel before nbclient runs")

    def kernel_pid(self):
        """The kernel's process id as the host sees it: the sandbox's first process's child."""
        if not self.confined:
            return self.process.pid
        try:
            children = Path(f"/proc/{self.child_pid}/task/{self.child_pid}/children").read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def interrupt(self):
        """Interrupt what the kernel runs (SIGINT, as Jupyter's interrupt button sends it)."""
        pid = self.kernel_pid()
        if pid is not None and self.alive():
            try:
                os.kill(pid, signal.SIGINT)
            except ProcessLookupError:
                pass

    async def interrupt_kernel(self):
        """Interrupt the kernel (nbclient, on a cell's time limit)."""
        await asyncio.get_running_loop().run_in_executor(None, self.interrupt)

    def alive(self):
        """Whether the sandbox still runs."""
        return self.process is not None and self.process.poll() is None

    async def is_alive(self):
        """Whether the sandbox still runs (nbclient asks, awaiting it)."""
        return self.alive()

    def kill(self):
        """End the sandbox and everything in it (its first process's end ends its PID namespace)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()

    async def shutdown_kernel(self, now=False, restart=False):
        """End the sandbox and the kernel in it."""
        self.kill()

    async def cleanup_resources(self, restart=False):
        """Nothing to clean: the sandbox's files go with its folder."""
        pass
