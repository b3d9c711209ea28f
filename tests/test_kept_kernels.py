"""Kept kernels: a process that builds many quarters (a force's worker) runs each notebook in a
kernel kept from the one before, given a new session, so its outputs are a new kernel's."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

from pipeline.quiet_kernel import RunKernels, close_kept_kernels, kept_kernels_here

pytestmark = pytest.mark.slow  # starts a real kernel

CELLS = [
    "import os, warnings\nprint(os.getpid())",
    "print('left' in dir())",
    "left = 1\nwarnings.warn('shown every run', UserWarning)",
]


def run(tmp_path, name: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    source = tmp_path / "in.ipynb"
    nbformat.write(notebook, source)
    return papermill.execute_notebook(
        str(source),
        str(tmp_path / name),
        kernel_name="python3",
        progress_bar=False,
        kernel_manager_class=RunKernels().manager_class(),
    )


def outputs(notebook: nbformat.NotebookNode) -> list:
    return [
        (cell.execution_count, [output.get("text", "") for output in cell.outputs])
        for cell in notebook.cells
    ]


def test_a_kept_kernel_runs_the_next_notebook_as_a_new_kernel_would(tmp_path):
    pool = kept_kernels_here()
    try:
        first, second = run(tmp_path, "first.ipynb"), run(tmp_path, "second.ipynb")
        kept = pool.take()
        assert kept is not None
        pool.keep(kept)
        pid = kept.provisioner.process.pid
    finally:
        close_kept_kernels()
    assert outputs(first)[0][1] == outputs(second)[0][1] == [f"{pid}\n"]  # the same kernel
    assert outputs(second) == outputs(first)
    assert [count for count, _ in outputs(second)] == [1, 2, 3]
    assert outputs(second)[1][1] == ["False\n"]  # the first notebook's variable is gone
    assert "shown every run" in outputs(second)[2][1][0]
    assert kept.provisioner.process.poll() is not None  # the pool's end stopped it


def test_without_kept_kernels_each_notebook_has_its_own(tmp_path):
    first, second = run(tmp_path, "first.ipynb"), run(tmp_path, "second.ipynb")
    assert outputs(first)[0][1] != outputs(second)[0][1]


def test_a_kernels_sockets_are_files_of_this_process_not_tcp_ports(tmp_path):
    """No port to lose to another program between jupyter_client choosing it and the kernel
    binding it (a kernel died starting in CI, beside parallel runs and a Dask cluster)."""
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from ipykernel.connect import get_connection_info\n"
                "info = get_connection_info(unpack=True)\n"
                "print(info['transport'], info['ip'], info['shell_port'])"
            )
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, tmp_path / "in.ipynb")
    done = papermill.execute_notebook(
        str(tmp_path / "in.ipynb"),
        str(tmp_path / "out.ipynb"),
        kernel_name="python3",
        progress_bar=False,
        kernel_manager_class=RunKernels().manager_class(),
    )
    transport, stem, shell_port = done.cells[0].outputs[0]["text"].split()
    assert transport == "ipc"
    folder = Path(stem).parent
    assert folder.name.startswith("kernel-sockets-")
    assert folder.is_dir()
    assert not list(folder.glob(f"{Path(stem).name}-*"))  # the notebook's end removed them
    assert shell_port.isdigit()
