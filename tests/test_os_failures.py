"""The operating system refusing a read or write: one line naming the path, earlier outputs kept.

The words are checked on injected errors; a full and then read-only disk is made for real, as a
small tmpfs in a private mount namespace, where the machine allows it (root with unshare).
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.errors import OperatingSystemError
from tests.conftest import PROJECT_ROOT, sample_config


def test_a_full_disk_names_the_path_and_what_to_do() -> None:
    error = OSError(errno.ENOSPC, "No space left on device", "/srv/out/x.pdf")
    assert str(OperatingSystemError.from_os_error(error)) == (
        "/srv/out/x.pdf: the disk is full; free some space and run again (No space left on "
        "device, ENOSPC). Nothing published earlier was changed."
    )


@pytest.mark.parametrize(
    ("number", "advice"),
    [
        (errno.EROFS, "the disk is read-only; set output_dir and processed_dir in the config"),
        (errno.EACCES, "permission denied; make the folder writable for you"),
        (errno.ENAMETOOLONG, "the name is too long for the file system; choose a shorter"),
        (errno.EDQUOT, "your disk quota is used up"),
    ],
)
def test_each_refusal_says_what_to_do(number: int, advice: str) -> None:
    words = str(OperatingSystemError(number, "/srv/out", "refused"))
    assert words.startswith(f"/srv/out: {advice}")
    assert f", {errno.errorcode[number]}). Nothing published earlier was changed." in words


def test_an_unlisted_refusal_gives_the_system_s_own_words() -> None:
    words = str(OperatingSystemError(errno.EXDEV, "/srv/out", "Invalid cross-device link"))
    assert words.startswith("/srv/out: Invalid cross-device link (Invalid cross-device link")


def test_a_notebook_s_os_error_text_is_read_back() -> None:
    text = "[Errno 30] Read-only file system: '/srv/proc/.Q2.building-7/crimes.parquet'"
    refused = OperatingSystemError.from_text(text)
    assert refused is not None and refused.number == errno.EROFS
    assert refused.path == "/srv/proc/.Q2.building-7/crimes.parquet"
    assert OperatingSystemError.from_text("[Errno 28] No space left on device").path is None
    assert OperatingSystemError.from_text("division by zero") is None


def test_the_command_line_prints_one_line_for_an_os_error(monkeypatch, capsys) -> None:
    def refuse(args) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/out/ashworth-vale")

    monkeypatch.setattr(cli, "command_sample", refuse)
    monkeypatch.delenv("DEBUG", raising=False)
    assert cli.main(["sample", "/srv/out"]) == 1
    printed = capsys.readouterr().err.splitlines()
    assert printed == [
        "Error: /srv/out/ashworth-vale: permission denied; make the folder writable for you, or "
        "set output_dir and processed_dir in the config to one that is (Permission denied, "
        "EACCES). Nothing published earlier was changed."
    ]


def private_tmpfs_works() -> bool:
    """Whether this machine lets a test mount a tmpfs in a private mount namespace."""
    if shutil.which("unshare") is None:
        return False
    probe = "d=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs $d && umount $d; rmdir $d"
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", probe],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def listed_hashes(listing: Path) -> dict[str, str]:
    """sha256sum's listing as each file's path and hash."""
    pairs = (line.split("  ", 1) for line in listing.read_text().splitlines())
    return {name: digest for digest, name in pairs}


@pytest.mark.slow
@pytest.mark.skipif(not private_tmpfs_works(), reason="needs root and unshare for a tmpfs")
def test_a_full_then_read_only_disk_stops_with_one_line_and_keeps_the_report(
    published: Path, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    commentary = tmp_path / "commentary"
    shutil.copytree(PROJECT_ROOT / "config" / "commentary", commentary)
    config = sample_config(disk, commentary)  # publishes into disk/out, disk/proc
    moved = tmp_path / "config.yaml"
    shutil.move(config, moved)  # the config itself stays off the disk that fills
    report = disk / "out" / "ashworth-vale" / "2025-26" / "Q2"
    logs = tmp_path / "logs"
    logs.mkdir()
    script = textwrap.dedent(
        f"""
        set -u
        mount -t tmpfs -o size=48m tmpfs {disk}
        mkdir -p {report.parent}
        cp -r {published} {report}
        cd {PROJECT_ROOT}
        run() {{ make --no-print-directory quarter Q=2 FY=2025-26 CONFIG={moved}; }}
        find {disk} -type f | sort | xargs sha256sum > {logs}/before
        head -c 60M /dev/zero > {disk}/filler 2>/dev/null
        run > {logs}/full.out 2> {logs}/full.err; echo $? > {logs}/full.rc
        rm {disk}/filler
        find {disk} -type f | sort | xargs sha256sum > {logs}/after-full
        mount -o remount,ro {disk}
        run > {logs}/ro.out 2> {logs}/ro.err; echo $? > {logs}/ro.rc
        find {disk} -type f | sort | xargs sha256sum > {logs}/after-ro
        """
    )
    subprocess.run(
        ["unshare", "-m", "--propagation", "private", "bash", "-c", script],
        check=True,
        timeout=300,
    )
    before = listed_hashes(logs / "before")
    assert any(name.endswith("committee-report.pdf") for name in before)
    for case, words in (("full", "the disk is full"), ("ro", "the disk is read-only")):
        stderr = (logs / f"{case}.err").read_text()
        assert (logs / f"{case}.rc").read_text().strip() != "0"
        assert "Traceback" not in stderr
        errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, stderr
        assert f"Error: {disk}" in errors[0] and words in errors[0], errors[0]
        assert errors[0].endswith("Nothing published earlier was changed.")
        after = listed_hashes(logs / f"after-{case}")
        assert {name: after.get(name) for name in before} == before, "a file on it changed"
        added = [name for name in after if name not in before]
        assert all("/failed/" in name for name in added), added  # a failed notebook, kept
