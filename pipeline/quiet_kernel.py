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
"""

from __future__ import annotations

import os
import subprocess
import threading

from jupyter_client import AsyncKernelManager


class QuietKernelManager(AsyncKernelManager):
    """Starts kernels with their stderr dropped (kept with DEBUG=1); no interrupt at shutdown."""

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


class RunKernels:
    """The kernels one run starts, so that when a stage fails, or the analyst presses Ctrl-C,
    the run stops them all at once rather than waiting for notebooks whose work is no longer
    wanted. A kernel that starts after the run has stopped is stopped as it starts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._managers: list[QuietKernelManager] = []
        self.stopped = False

    def manager_class(self) -> type[QuietKernelManager]:
        """A kernel manager class for papermill whose kernels this run can stop."""
        kernels = self

        class RunKernelManager(QuietKernelManager):
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
