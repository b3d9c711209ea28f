"""A notebook kernel that shuts down without noise on the analyst's terminal.

jupyter_client sends every kernel an interrupt (SIGINT) just before asking it to shut down, in
case a cell is still running. Papermill shuts the kernel down only after the last cell has
finished, so the interrupt stops nothing. ipykernel ignores SIGINT while idle but raises it while
it handles a message, so when the interrupt lands during one (about one successful run in seven
where issue 13 was found), it logs "KeyboardInterrupt caught in kernel." and a reader takes the
run for a failed one. This manager skips that interrupt.

Errors in the notebook's cells never travel by the kernel's stderr (they come back in the
notebook, and the run reports them), so that stderr is dropped too, unless DEBUG=1 asks for
everything.

The kernel's sockets are Unix sockets in a folder of this process's own (the ipc transport), not
TCP ports: jupyter_client finds a free port by binding and releasing it, and the kernel binds it
a moment later, so where other programs open ports meanwhile (make test's parallel runs, a Dask
cluster's workers) the port can be taken first and the kernel dies as it starts.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from typing import Any

from jupyter_client import AsyncKernelManager
from traitlets import CaselessStrEnum

_SOCKET_FOLDER: list[str] = []
_SOCKET_FOLDER_LOCK = threading.Lock()


def _socket_folder() -> str:
    """This process's folder for its kernels' sockets, removed when the process ends."""
    with _SOCKET_FOLDER_LOCK:  # two threads starting their first kernels share one
        if not _SOCKET_FOLDER:
            _SOCKET_FOLDER.append(tempfile.mkdtemp(prefix="kernel-sockets-"))
            atexit.register(shutil.rmtree, _SOCKET_FOLDER[0], ignore_errors=True)
        return _SOCKET_FOLDER[0]


class QuietKernelManager(AsyncKernelManager):
    """Starts kernels with their stderr dropped (kept with DEBUG=1); no interrupt at shutdown;
    sockets in a folder of the process's own (see the module's note)."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    def _ip_default(self) -> str:
        # For ipc, "ip" is the sockets' path stem: the kernel's are <stem>-1 to <stem>-5.
        if self.transport != "ipc":
            return super()._ip_default()
        return os.path.join(_socket_folder(), uuid.uuid4().hex[:12])

    async def start_kernel(self, **kw: object) -> None:
        """Start the kernel as jupyter_client does, its stderr dropped."""
        if os.environ.get("DEBUG") != "1":
            kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt the kernel, except as part of shutting it down (see the module's note)."""
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()


# Run in a kept kernel before its next notebook: a new session (the namespace emptied, the
# execution count back to 1), and no memory of warnings already shown, so the notebook's
# outputs are those of a kernel started for it.
NEW_SESSION = """\
get_ipython().reset(new_session=True)
import sys as _sys
for _module in list(_sys.modules.values()):
    getattr(_module, "__warningregistry__", {}).clear()
del _sys, _module
"""
NEW_SESSION_SECONDS = 60


class KernelPool:
    """Kernels kept running between notebooks, by a process that builds many quarters (a
    force's worker), so that each notebook does not pay for a kernel starting and importing
    pandas and matplotlib again: a second or more of the machine each time. A kept kernel
    takes a new session before each notebook. A kernel that died, or was stopped because its
    run failed, is never kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[QuietKernelManager] = []
        self._every: list[QuietKernelManager] = []

    def take(self) -> QuietKernelManager | None:
        """An idle kept kernel's manager (it owns the process), or None."""
        with self._lock:
            while self._idle:
                owner = self._idle.pop()
                if _running(owner):
                    return owner
        return None

    def keep(self, owner: QuietKernelManager) -> None:
        """Keep a kernel whose notebook finished, for the next."""
        with self._lock:
            if owner not in self._every:
                self._every.append(owner)
            if _running(owner):
                self._idle.append(owner)

    def close(self) -> None:
        """Stop every kept kernel and remove its connection file and sockets."""
        with self._lock:
            owners, self._idle, self._every = self._every, [], []
        for owner in owners:
            _kill(owner)
            process = getattr(owner.provisioner, "process", None)
            if process is not None:
                process.wait()
            owner.cleanup_connection_file()
            owner.cleanup_ipc_files()


_POOL: KernelPool | None = None


def kept_kernels_here() -> KernelPool:
    """From now until it ends (or close_kept_kernels), this process keeps its kernels: for a
    worker that builds one partnership's quarter after another."""
    global _POOL
    if _POOL is None:
        _POOL = KernelPool()
        atexit.register(close_kept_kernels)
    return _POOL


def close_kept_kernels() -> None:
    """Stop the kernels this process keeps, if any."""
    global _POOL
    pool, _POOL = _POOL, None
    if pool is not None:
        pool.close()


def _running(manager: QuietKernelManager) -> bool:
    process = getattr(manager.provisioner, "process", None)
    return process is not None and process.poll() is None


def pooled_manager_class(pool: KernelPool) -> type[QuietKernelManager]:
    """A kernel manager class for papermill that runs its notebook in a kept kernel."""

    class PooledKernelManager(QuietKernelManager):
        """Starts by taking a kept kernel (or starting one, to keep), shuts down by keeping it.

        It shares the kept kernel's provisioner, so it can tell whether the process is alive
        and the run can stop it; its own sockets are its own."""

        owner: QuietKernelManager | None = None

        async def start_kernel(self, **kw: Any) -> None:
            owner = pool.take()
            if owner is None:
                owner = QuietKernelManager(kernel_name=self.kernel_name, config=self.config)
                await owner.start_kernel(**kw)
            else:
                await _new_session(owner)
            self.owner = owner
            self.load_connection_info(owner.get_connection_info())
            self.provisioner = owner.provisioner
            self._connect_control_socket()

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            if self.owner is not None:
                pool.keep(self.owner)

        async def cleanup_resources(self, restart: bool = False) -> None:
            self._close_control_socket()

    return PooledKernelManager


async def _new_session(owner: QuietKernelManager) -> None:
    """Give a kept kernel a new session."""
    await _run_quietly(owner, NEW_SESSION)


async def _run_quietly(owner: QuietKernelManager, code: str) -> None:
    """Run code in a kernel, silently, through a client of its own."""
    client = owner.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=NEW_SESSION_SECONDS)
        reply = await client.execute_interactive(
            code, silent=True, store_history=False, timeout=NEW_SESSION_SECONDS
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"a kept kernel could not run {code!r}: {reply['content']}")
    finally:
        client.stop_channels()


class RunKernels:
    """The kernels one run starts, so that when a stage fails, or the analyst presses Ctrl-C,
    the run stops them all at once rather than waiting for notebooks whose work is no longer
    wanted. A kernel that starts after the run has stopped is stopped as it starts. Where the
    process keeps kernels (kept_kernels), the run's notebooks run in kept ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._managers: list[QuietKernelManager] = []
        self.stopped = False
        self.pool = _POOL

    def manager_class(self) -> type[QuietKernelManager]:
        """A kernel manager class for papermill whose kernels this run can stop."""
        kernels = self
        base = QuietKernelManager if self.pool is None else pooled_manager_class(self.pool)

        class RunKernelManager(base):  # type: ignore[valid-type,misc]
            async def start_kernel(self, **kw: object) -> None:
                await super().start_kernel(**kw)
                kernels.started(self)

        return RunKernelManager

    def started(self, manager: QuietKernelManager) -> None:
        """Note a kernel as started (killed at once if the run has stopped)."""
        with self._lock:
            self._managers.append(manager)
            stopped = self.stopped
        if stopped:
            _kill(manager)

    def stop_all(self) -> None:
        """Kill every kernel of the run, and any that starts from now on."""
        with self._lock:
            self.stopped = True
            managers = list(self._managers)
        for manager in managers:
            _kill(manager)


def _kill(manager: QuietKernelManager) -> None:
    """Kill a kernel's process at once (its notebook's output is not wanted)."""
    process = getattr(manager.provisioner, "process", None)
    if process is not None and process.poll() is None:
        process.kill()
