"""Every block of the README runs here against the sandbox, so a doc that rots fails CI.

A block is tagged by the HTML comment before its fence, `<!-- readme-test: KIND -->`:
`demo` (run once; the session's demo warehouse), `terminal` (a shell script in a fresh
directory holding a copy of the demo's files), `dg` (`$ ` commands and their output, in a
temporary dg project), `scaffolded` (the defs.yaml that project got), `dg-list-defs` (the
names `dg list defs` shows there), `doctor` (a `$ ` command and the verdict of each check it
prints, on a copy of the demo's file), `python`, `sql` (on the demo's file), `text` (a picture in
characters) and `not-run` (listed below, and visibly marked in the README).
Commands read the sandbox through `DEVIN_API_BASE_URL`; `cog_...` stands for its key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from devin_pipeline.sandbox import SANDBOX_API_KEY, Sandbox, SandboxData
from devin_pipeline.settings import REPO_ROOT
from tests.components.conftest import Project, make_project

README = REPO_ROOT / "README.md"
TAGGED = re.compile(r"<!-- readme-test: ([\w-]+) -->\n```(\w*)\n(.*?)\n```\n", re.S)
KINDS = {"demo", "terminal", "dg", "scaffolded", "dg-list-defs", "doctor", "python", "sql", "text"}
# What the tests do not run, and why; the README marks these blocks "not run by the tests".
NOT_RUN_COMMANDS = {
    "make test": "the suite itself",
    "make lint": "CI's other step",
    "make bench": "minutes of benchmarks",
    "make screenshot": "rewrites docs/img/",
    "make system-deps": "installs Debian packages as root",
}
VENV = Path(sys.executable).parent.parent


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    line: int

    def commands(self) -> list[str]:
        lines = (line.split("#", 1)[0].strip() for line in self.text.splitlines())
        return [line for line in lines if line]


def readme_blocks(kind: str | None = None) -> list[Block]:
    text = README.read_text()
    found = [
        Block(m.group(1), m.group(3), text.count("\n", 0, m.start()) + 2)
        for m in TAGGED.finditer(text)
    ]
    return [block for block in found if kind is None or block.kind == kind]


def test_every_block_is_tagged_with_a_known_kind():
    fences = sum(1 for line in README.read_text().splitlines() if line.startswith("```"))
    blocks = readme_blocks()
    assert fences == 2 * len(blocks), "a README block has no <!-- readme-test: KIND --> tag"
    assert {b.kind for b in blocks} <= KINDS | {"not-run"}


def test_the_commands_not_run_are_these():
    listed = [c for b in readme_blocks("not-run") for c in b.commands()]
    listed += [c for b in readme_blocks("demo") for c in b.commands() if c in NOT_RUN_COMMANDS]
    assert sorted(listed) == sorted(NOT_RUN_COMMANDS), "update NOT_RUN_COMMANDS with the reason"


def env_for(base_url: str, **variables: str) -> dict[str, str]:
    """The process environment without the developer's DEVIN_* settings, on the sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVIN_")}
    return env | {"DEVIN_API_BASE_URL": base_url, **variables}


def run_shell(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = script.replace("cog_...", SANDBOX_API_KEY)
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def served(sandbox_data: SandboxData) -> Iterator[str]:
    with Sandbox(sandbox_data).serve() as base_url:
        yield base_url


@dataclass(frozen=True)
class Demo:
    home: Path
    warehouse: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, served: str) -> Demo:
    """The README's `make demo`, once, into a temporary instance and file (never reinstalls)."""
    root = tmp_path_factory.mktemp("demo")
    done = Demo(root / "dagster_home", root / "warehouse.duckdb")
    done.home.mkdir()
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", done.home)
    (block,) = readme_blocks("demo")
    script = "\n".join(c for c in block.commands() if c not in NOT_RUN_COMMANDS)
    env = env_for(
        served,
        DAGSTER_HOME=str(done.home),
        DEVIN_DUCKDB_PATH=str(done.warehouse),
        MAKEFLAGS=f"-o {VENV / '.installed'}",
    )
    result = run_shell(script, REPO_ROOT, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Per-org daily metrics" in result.stdout
    return done


@pytest.mark.slow
@pytest.mark.parametrize("block", readme_blocks("terminal"), ids=lambda b: f"line{b.line}")
def test_terminal_block(block: Block, demo: Demo, served: str, tmp_path: Path):
    """In a directory of its own: `.venv`, a copy of the demo's instance and file."""
    (tmp_path / ".venv").symlink_to(VENV)
    shutil.copytree(demo.home, tmp_path / "dagster_home")
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(demo.warehouse, warehouse)
    env = env_for(
        served, DAGSTER_HOME=str(tmp_path / "dagster_home"), DEVIN_DUCKDB_PATH=str(warehouse)
    )
    result = run_shell(block.text, tmp_path, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip() or "RUN_SUCCESS" in result.stderr
    for day in re.findall(r"--partition (\d{4}-\d{2}-\d{2})", block.text):
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            (rows,) = conn.execute(
                "SELECT count(*) FROM devin.session_snapshots WHERE snapshot_date = ?", [day]
            ).fetchone()
        assert rows > 0, day


@pytest.mark.slow
def test_sql_blocks_answer_on_the_demo_file(demo: Demo):
    statements = [s for b in readme_blocks("sql") for s in b.text.split(";") if s.strip()]
    assert len(statements) >= 2
    with duckdb.connect(str(demo.warehouse), read_only=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        for statement in statements:
            assert conn.execute(statement).fetchall(), statement


def test_python_block_merges_into_a_project(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DEVIN_API_KEY", SANDBOX_API_KEY)
    (block,) = readme_blocks("python")
    namespace: dict[str, object] = {}
    exec(compile(block.text, f"README.md:{block.line}", "exec"), namespace)
    defs = namespace["defs"]
    assert isinstance(defs, dg.Definitions)
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert {"my_table", "acme/session_snapshots", "acme/sessions"} <= keys


@dataclass(frozen=True)
class DgSession:
    project: Project
    outputs: list[tuple[str, list[str], subprocess.CompletedProcess[str]]]


@pytest.fixture(scope="module")
def dg_session(tmp_path_factory: pytest.TempPathFactory, served: str) -> DgSession:
    """The README's `$ dg ...` lines, in order, in a new dg project."""
    project = make_project(tmp_path_factory.mktemp("readme_project"))
    env = project.env | {"DEVIN_API_BASE_URL": served}
    outputs = []
    (block,) = readme_blocks("dg")
    for command, expected in _prompts(block.text):
        outputs.append((command, expected, run_shell(command, project.root, env)))
    return DgSession(project, outputs)


def _prompts(text: str) -> list[tuple[str, list[str]]]:
    """(command, the output lines shown after it) for each `$ ` line."""
    sessions: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("$ "):
            sessions.append((line[2:], []))
        else:
            sessions[-1][1].append(line)
    return sessions


def _shown(expected: str) -> re.Pattern[str]:
    """An output line as the README shows it: `...` and `…` stand for anything."""
    parts = re.split(r"\.\.\.|…", expected.strip())
    return re.compile(".*".join(re.escape(part) for part in parts))


@pytest.mark.slow
def test_dg_block_runs_and_prints_what_it_shows(dg_session: DgSession):
    assert len(dg_session.outputs) >= 5
    for command, expected, result in dg_session.outputs:
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"$ {command}\n{output[-3000:]}"
        for line in expected:
            assert _shown(line).search(output), f"$ {command}: {line!r} not in\n{output[-3000:]}"
    warehouse = dg_session.project.root / "data" / "devin_warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        query = "SELECT count(*) FROM devin.session_snapshots WHERE snapshot_date = '2024-06-03'"
        (rows,) = conn.execute(query).fetchone()
    assert rows > 0


@pytest.mark.slow
def test_yaml_block_is_what_dg_scaffolds(dg_session: DgSession):
    (block,) = readme_blocks("scaffolded")
    scaffolded = dg_session.project.defs_folder / "devin" / "defs.yaml"
    assert yaml.safe_load(block.text) == yaml.safe_load(scaffolded.read_text())


@pytest.mark.slow
def test_dg_list_defs_block_names_what_dg_lists(dg_session: DgSession):
    listed = json.loads(dg_session.project.dg("list", "defs", "--json").stdout)
    names = {a["asset_key"] for a in listed["assets"]}
    names |= {c["key"] for c in listed["asset_checks"]}
    for kind in ("jobs", "schedules", "sensors", "resources"):
        names |= {item["name"] for item in listed[kind]}
    (block,) = readme_blocks("dg-list-defs")
    shown = set(
        re.findall(r"[a-z][a-z0-9_]*(?:/[a-z0-9_]+)+(?::[a-z0-9_]+)?|\b[a-z]+_\w+", block.text)
    )
    assert shown <= names, shown - names
    checks = {c["key"] for c in listed["asset_checks"]}
    words = set(re.findall(r"[\w/:]+", block.text))
    assert names - checks <= words, (names - checks) - words
    assert f"Assets ({len(listed['assets'])})" in block.text
    assert f"Asset checks ({len(checks)})" in block.text


@pytest.mark.slow
def test_doctor_block_gives_the_verdicts_it_shows(demo: Demo, served: str, tmp_path: Path):
    """Each check line shown (verdict and name) is printed by the command, which exits 0."""
    (block,) = readme_blocks("doctor")
    ((command, shown),) = _prompts(block.text.replace("\\\n", ""))
    (tmp_path / "data").mkdir(mode=0o700)
    shutil.copy(demo.warehouse, tmp_path / "data" / "devin_warehouse.duckdb")
    (tmp_path / ".venv").symlink_to(VENV)
    command = re.sub(r"DEVIN_API_BASE_URL=\S+", f"DEVIN_API_BASE_URL={served}", command)
    command = re.sub(r"DEVIN_API_KEY=\S+", f"DEVIN_API_KEY={SANDBOX_API_KEY}", command)
    env = env_for(served, PATH=f"{VENV / 'bin'}:{os.environ['PATH']}")
    result = run_shell(command, tmp_path, env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    printed = {tuple(line.split()[:2]) for line in result.stdout.splitlines() if line.strip()}
    checks = [tuple(line.split()[:2]) for line in shown if re.match(r"(ok|skip|info|fail) ", line)]
    assert len(checks) >= 15
    assert [c for c in checks if c not in printed] == [], result.stdout
