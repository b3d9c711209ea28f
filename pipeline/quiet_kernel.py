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
