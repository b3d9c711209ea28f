"""`make compare BASE=<commit>`: the sample quarter built at a commit and at the work tree.

A change to how the package is built must not change what a reader sees. Both trees build the
sample's 2025-26 Q2, from its force extract and from its police.uk files alone, from the same raw
files with the same SOURCE_DATE_EPOCH; then the committee
HTML, the text of each PDF page and every CSV table must be byte-identical, and so must the
sample data each tree's generator writes. Prints what matches and the first difference of what
does not; exits non-zero on any difference.
"""

from __future__ import annotations

import difflib
import filecmp
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from pipeline.paths import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "data" / "raw" / "sample"
FIXED_TIME = "1760000000"  # 2025-10-09, any fixed time will do
QUARTER = ("ashworth-vale", "2025-26", "Q2")
SAMPLE_CONFIGS = ("sample.yaml", "sample-police-uk.yaml")  # a force extract; police.uk alone


@dataclass(frozen=True)
class Difference:
    """One output that differs between the trees, with where it first differs."""

    name: str
    detail: str


def extract_commit(commit: str, target: Path) -> Path:
    """The files of commit, unpacked into target (git archive: no worktree to tidy up)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def tree_environment(tree: Path) -> dict[str, str]:
    """The environment that makes Python, and every notebook kernel, import tree's package."""
    return {**os.environ, "PYTHONPATH": str(tree), "SOURCE_DATE_EPOCH": FIXED_TIME, "FY": ""}


def share_packages_and_sample(tree: Path) -> None:
    """Give an extracted tree the project's packages and raw sample, so both build alike."""
    (tree / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    shutil.rmtree(tree / "data" / "raw" / "sample", ignore_errors=True)
    (tree / "data" / "raw" / "sample").symlink_to(SAMPLE)


def build_quarter(tree: Path, work: Path, config_name: str = "sample.yaml") -> Path:
    """Run `make quarter` in tree on one of its sample configs; return the quarter folder."""
    lines = (tree / "config" / config_name).read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("output_dir:", "processed_dir:"))]
    work.mkdir(parents=True)
    config = work / config_name
    config.write_text(
        "".join(kept).replace("../data/raw/sample", str(SAMPLE))
        + f"\noutput_dir: {work / 'out'}\nprocessed_dir: {work / 'processed'}\n"
        + f"commentary_dir: {tree / 'config' / 'commentary'}\n",
        encoding="utf-8",
    )
    never_remade = ["-o", ".venv/.ready", "-o", "data/raw/sample/.complete"]
    result = subprocess.run(
        ["make", "--no-print-directory", *never_remade, "quarter", "Q=2", f"CONFIG={config}"],
        cwd=tree,
        env=tree_environment(tree),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"make quarter failed in {tree}:\n{result.stderr}")
    return work.joinpath("out", *QUARTER)


def write_sample(tree: Path, folder: Path) -> Path:
    """The sample data tree's own generator writes."""
    subprocess.run(
        [sys.executable, "-m", "pipeline", "sample", str(folder)],
        cwd=tree,
        env=tree_environment(tree),
        capture_output=True,
        check=True,
    )
    return folder


def pdf_text(path: Path) -> str:
    """Each page's text, pages marked."""
    pages = PdfReader(path).pages
    return "".join(f"--- page {n} ---\n{page.extract_text()}\n" for n, page in enumerate(pages, 1))


def first_difference(name: str, before: str, after: str) -> Difference:
    """The first few differing lines of two texts."""
    diff = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "base", "work tree", n=1, lineterm=""
    )
    return Difference(name, "\n".join(list(diff)[:12]))


def readable_outputs(quarter: Path) -> set[str]:
    """What a reader sees of a quarter: the committee HTML and PDF and every CSV table."""
    return {
        str(path.relative_to(quarter))
        for path in quarter.rglob("*")
        if path.suffix == ".csv" or path.name.endswith(("committee-report.html", ".pdf"))
    }


def compare_quarters(base: Path, work: Path) -> tuple[list[str], list[Difference]]:
    """The committee HTML, each PDF's text and every CSV, by name: those equal, those not."""
    names, ours = readable_outputs(base), readable_outputs(work)
    same, different = [], []
    for name in sorted(names):
        if name not in ours:
            different.append(Difference(name, "missing from the work tree's quarter"))
            continue
        read = pdf_text if name.endswith(".pdf") else lambda p: p.read_text(encoding="utf-8")
        before, after = read(base / name), read(work / name)
        if before == after:
            same.append(name)
        else:
            different.append(first_difference(name, before, after))
    different += [Difference(name, "new in the work tree") for name in sorted(ours - names)]
    return same, different


def same_file(first: Path, second: Path) -> bool:
    """Byte-identical files; for workbooks, the same cells (a saved workbook holds its time)."""
    if first.suffix == ".xlsx":
        return workbook_cells(first) == workbook_cells(second)
    return filecmp.cmp(first, second, shallow=False)


def workbook_cells(path: Path) -> list[tuple[str, tuple[object, ...]]]:
    """Every sheet's rows of values."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [(sheet.title, row) for sheet in book for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def compare_samples(base: Path, work: Path) -> tuple[int, list[Difference]]:
    """Every sample file, byte for byte."""
    names = sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())
    ours = {str(p.relative_to(work)) for p in work.rglob("*") if p.is_file()}
    different = [
        Difference(f"sample/{name}", "differs" if name in ours else "missing from the work tree")
        for name in names
        if name not in ours or not same_file(base / name, work / name)
    ]
    different += [
        Difference(f"sample/{n}", "new in the work tree") for n in sorted(ours - set(names))
    ]
    return len(names), different


def run_comparison(commit: str) -> int:
    """Build both trees, compare, print the result; 0 when nothing a reader sees changed."""
    with tempfile.TemporaryDirectory(prefix="compare-") as temp:
        root = Path(temp)
        base_tree = extract_commit(commit, root / "base-tree")
        share_packages_and_sample(base_tree)
        configs = [name for name in SAMPLE_CONFIGS if (base_tree / "config" / name).is_file()]
        print(
            f"Building the sample quarter ({', '.join(configs)}) at {commit} and at the work "
            "tree …",
            flush=True,
        )
        same, different = [], []
        for name in configs:
            stem = Path(name).stem
            base = build_quarter(base_tree, root / "base" / stem, name)
            work = build_quarter(PROJECT_ROOT, root / "work" / stem, name)
            equal, unequal = compare_quarters(base, work)
            same += [f"{stem}/{output}" for output in equal]
            different += [Difference(f"{stem}/{item.name}", item.detail) for item in unequal]
        files, sample_differences = compare_samples(
            write_sample(base_tree, root / "base-sample"),
            write_sample(PROJECT_ROOT, root / "work-sample"),
        )
        different += sample_differences
        print(
            f"Identical: {len(same)} outputs (committee HTML, PDF text, CSV tables) and "
            f"{files - len(sample_differences)} of {files} sample files."
        )
        for item in different:
            print(f"DIFFERS: {item.name}\n{item.detail}")
        if not different:
            print("Nothing a reader sees changed.")
    return 1 if different else 0
