"""dagster_home/dagster.prod.yaml: valid as a whole, and a working instance on a real Postgres.

The file's `run_launcher` is `dagster_k8s.K8sRunLauncher`, and dagster-k8s is not installed
here (it belongs in the deployment's images, not in this project's environment). So:

- the whole file, launcher block included, is validated against Dagster's instance schema,
  which checks the launcher's module/class/config shape but not its config fields;
- the instance is then created from the file with `run_launcher` removed (Dagster's default
  launcher), against a throwaway Postgres cluster this module starts in a temp dir with
  initdb/pg_ctl (as a non-root user when run as root). Storage, schedules and pools are
  exercised for real; launching a Kubernetes Job is not;
- the launcher's config fields are checked against dagster-k8s's own schema only when
  dagster-k8s happens to be importable.

Without PostgreSQL's server binaries (Debian package `postgresql`, installed by
.ci/install-system-deps) the Postgres test is skipped, and says why.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import psycopg2
import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from devin_pipeline.settings import REPO_ROOT
from tests.conftest import skip_without_system_package

PROD_YAML = REPO_ROOT / "dagster_home" / "dagster.prod.yaml"
POOL = "duckdb_writer"


def test_prod_yaml_is_a_valid_instance_config_launcher_included():
    config, custom_class = dagster_instance_config(
        str(PROD_YAML.parent), config_filename=PROD_YAML.name
    )
    assert custom_class is None
    assert set(config["storage"]) == {"postgres"}
    assert config["run_launcher"]["module"] == "dagster_k8s"
    assert config["run_launcher"]["class"] == "K8sRunLauncher"
    assert config["concurrency"]["pools"] == {"default_limit": 1, "granularity": "op"}


def test_prod_yaml_keeps_the_local_pool_and_run_limits():
    local = yaml.safe_load((REPO_ROOT / "dagster_home" / "dagster.yaml").read_text())
    prod = yaml.safe_load(PROD_YAML.read_text())
    assert prod["concurrency"] == local["concurrency"]


def test_k8s_launcher_block_matches_dagster_k8s_schema():
    k8s = pytest.importorskip(
        "dagster_k8s",
        reason="dagster-k8s is not installed (it belongs in the deployment image): "
        "`.venv/bin/pip install dagster-k8s==0.29.27`",
    )
    from dagster._config import validate_config

    block = yaml.safe_load(PROD_YAML.read_text())["run_launcher"]
    result = validate_config(k8s.K8sRunLauncher.config_type(), block["config"])
    assert result.success, result.errors


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    db_name: str


def test_instance_from_prod_yaml_on_real_postgres(postgres: Postgres, tmp_path, monkeypatch):
    for name, value in {
        "DAGSTER_PG_HOST": postgres.host,
        "DAGSTER_PG_PORT": str(postgres.port),
        "DAGSTER_PG_DB": postgres.db_name,
        "DAGSTER_PG_USERNAME": postgres.user,
        "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
    }.items():
        monkeypatch.setenv(name, value)
    config = yaml.safe_load(PROD_YAML.read_text())
    del config["run_launcher"]  # K8sRunLauncher needs dagster-k8s; see the module docstring
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))

    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        pools = instance.get_concurrency_config().pool_config
        assert pools.default_pool_limit == 1
        assert pools.pool_granularity is not None
        assert pools.pool_granularity.value == "op"

        # The pool's slots live in the event log storage: Postgres must hold them.
        assert instance.event_log_storage.supports_global_concurrency_limits
        instance.event_log_storage.set_concurrency_slots(POOL, 1)
        assert instance.event_log_storage.get_concurrency_info(POOL).slot_count == 1

        result = dg.materialize([_probe], instance=instance)
        assert result.success
        assert instance.get_run_by_id(result.run_id) is not None
        event = instance.get_latest_materialization_event(_probe.key)
        assert event is not None
        assert event.run_id == result.run_id
        assert list(instance.all_instigator_state()) == []


@dg.asset(key_prefix="probe", pool=POOL)
def _probe() -> int:
    return 1


# --- a throwaway PostgreSQL cluster --------------------------------------------------------


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    bin_dir = _server_bin_dir()
    if bin_dir is None:
        skip_without_system_package(
            "Postgres test: server binaries (initdb, pg_ctl; Debian package postgresql) missing"
        )
    user = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        user = _unprivileged_user()
        if user is None:
            pytest.skip("running as root and no `postgres` or `nobody` user to run Postgres as")
    # Not pytest's tmp_path: its parent is 0700 and root's, so the cluster user could not enter.
    root = Path(tempfile.mkdtemp(prefix="devin-pg-"))
    try:
        yield from _run_cluster(bin_dir, user, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run_cluster(bin_dir: Path, user: pwd.struct_passwd | None, root: Path) -> Iterator[Postgres]:
    data, port = root / "data", _free_port()
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)
    run = _runner(user)
    init = run([bin_dir / "initdb", "-D", data, "-U", "dagster", "--auth=trust", "--no-sync"])
    if init.returncode != 0:
        pytest.skip(f"initdb failed, no Postgres to test against: {init.stderr[-500:]}")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off"
    start = run([bin_dir / "pg_ctl", "-D", data, "-l", root / "log", "-w", "-o", options, "start"])
    if start.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else start.stderr
        pytest.skip(f"pg_ctl could not start Postgres: {log[-500:]}")
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="dagster", dbname="postgres")
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        conn.cursor().execute("CREATE DATABASE dagster")
        conn.close()
        yield Postgres(host="127.0.0.1", port=port, user="dagster", db_name="dagster")
    finally:
        run([bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])


def _server_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    found = shutil.which("pg_ctl")
    pg_ctl = candidates[0] if candidates else found
    if pg_ctl is None:
        return None
    bin_dir = Path(pg_ctl).resolve().parent
    return bin_dir if (bin_dir / "initdb").exists() and (bin_dir / "postgres").exists() else None


def _unprivileged_user() -> pwd.struct_passwd | None:
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def _runner(user: pwd.struct_passwd | None):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}

    def run(args: list) -> subprocess.CompletedProcess[str]:
        ids = {"user": user.pw_uid, "group": user.pw_gid} if user else {}
        return subprocess.run(
            [str(a) for a in args], capture_output=True, text=True, env=env, timeout=60, **ids
        )

    return run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
