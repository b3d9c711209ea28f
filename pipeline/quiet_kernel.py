"""A notebook kernel whose own log stays off the analyst's terminal.

ipykernel sometimes logs a traceback from its sockets while it shuts down after a successful run
("Socket operation on non-socket", "KeyboardInterrupt caught in kernel"). Errors in the
notebook's cells never travel that way (they come back in the notebook, and the run reports
them), so the kernel's own stderr is dropped, unless DEBUG=1 asks for everything.
"""

from __future__ import annotations

import os
import subprocess

from jupyter_client import AsyncKernelManager


class QuietKernelManager(AsyncKernelManager):
    """Starts kernels with their stderr sent to the null device (kept with DEBUG=1)."""

    async def start_kernel(self, **kw: object) -> None:
        """Start the kernel as jupyter_client does, its stderr dropped."""
        if os.environ.get("DEBUG") != "1":
            kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)
