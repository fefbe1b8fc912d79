"""deploy/ektp-dasbor.service: the office server's systemd unit runs the real server with the settings the
app declares (issue 17: "Lose nothing in a year at the Balai Kota")."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from ektp_metrics import settings
from tests.conftest import ROOT

UNIT = ROOT / "deploy" / "ektp-dasbor.service"


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """section → key → every value given (systemd keys such as Environment= repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"not a unit line: {line!r}"
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


@pytest.fixture(scope="module")
def unit() -> dict[str, dict[str, list[str]]]:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def environment(unit) -> dict[str, str]:
    pairs = [item for value in unit["Service"].get("Environment", []) for item in shlex.split(value)]
    return dict(pair.split("=", 1) for pair in pairs)


def one(unit, key: str, section: str = "Service") -> str:
    values = unit[section].get(key, [])
    assert len(values) == 1, f"{key}= {values}"
    return values[0]


def test_it_runs_serve_py_with_streamlit_from_the_project_venv(unit):
    folder = PurePosixPath(one(unit, "WorkingDirectory"))
    command = shlex.split(one(unit, "ExecStart"))
    assert command[:3] == [str(folder / ".venv" / "bin" / "streamlit"), "run", "serve.py"]
    assert (ROOT / "serve.py").exists() and "--server.port" in command and "--server.address" in command
    assert one(unit, "User") not in ("root", "0")
    assert one(unit, "WantedBy", "Install") == "multi-user.target"


def test_it_restarts_always_and_stops_with_sigterm(unit):
    assert one(unit, "Restart") == "always" and int(one(unit, "RestartSec")) > 0
    assert one(unit, "KillSignal") == "SIGTERM" and int(one(unit, "TimeoutStopSec")) >= 30


def test_it_sets_malloc_arena_max_and_every_backup_setting_with_valid_values(unit, monkeypatch):
    env = environment(unit)
    assert env["MALLOC_ARENA_MAX"] == "2"
    for name in ("EKTP_DB", "EKTP_BACKUP_DIR", "EKTP_BACKUP_TIME", "EKTP_BACKUP_KEEP", "EKTP_MIN_FREE_MB"):
        assert env.get(name), name
    declared = {s.name for s in settings.SETTINGS}
    assert {name for name in env if name.startswith("EKTP_")} <= declared
    for name in declared:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert settings.problems() == []
    assert settings.backup_time().strftime("%H.%M") == "02.00" and env["EKTP_BACKUP_KEEP"] == "14"


def test_the_database_and_backup_folders_are_the_only_writable_ones(unit):
    assert one(unit, "ProtectSystem") == "strict" and one(unit, "NoNewPrivileges") == "yes"
    writable = [PurePosixPath(p.lstrip("-")) for value in unit["Service"].get("ReadWritePaths", [])
                for p in value.split()]
    writable += [PurePosixPath("/var/lib") / d for value in unit["Service"].get("StateDirectory", [])
                 for d in value.split()]
    env = environment(unit)
    folders = {"database": PurePosixPath(env["EKTP_DB"]).parent, "backups": PurePosixPath(env["EKTP_BACKUP_DIR"])}
    for what, folder in folders.items():
        assert any(folder == w or w in folder.parents for w in writable), (what, folder, writable)
    # The CLI run with `--db` alone finds the service's backups: the folder is the default beside the database.
    assert folders["backups"] == folders["database"] / "cadangan"
    assert PurePosixPath(one(unit, "WorkingDirectory")) not in writable   # the code stays read-only


def test_the_readme_installs_what_the_unit_expects(unit):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    env = environment(unit)
    for needed in ("deploy/ektp-dasbor.service", one(unit, "WorkingDirectory"), env["EKTP_DB"],
                   f"useradd --system --home-dir {env['HOME']}", one(unit, "User"),
                   "systemctl daemon-reload", "systemctl enable --now ektp-dasbor", "journalctl -u ektp-dasbor",
                   "systemctl stop ektp-dasbor", "ektp_metrics init --db"):
        assert needed in readme, needed


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_unit(tmp_path: Path):
    """systemd's own parser: unknown keys and bad values are only warned about, so no warning may name the
    unit. The project folder stands in for /opt/ektp-dasbor (verify checks that ExecStart exists)."""
    if not (ROOT / ".venv" / "bin" / "streamlit").exists():
        pytest.skip("no .venv/bin/streamlit to stand in for the installed one")
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/ektp-dasbor", str(ROOT)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60)
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if UNIT.name in line]
    assert done.returncode == 0 and not complaints, done.stdout + done.stderr
