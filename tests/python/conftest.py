"""Shared fixtures: the built `finsam` binary and databases made with it."""

import json
import os
import subprocess
from pathlib import Path

import pytest


def finsam_binary() -> Path:
    explicit = os.environ.get("FINSAM_BIN")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR", str(Path.home() / ".cache/finsam/target"))
    return Path(target) / "release" / "finsam"


def run(*args: str) -> subprocess.CompletedProcess:
    """Runs finsam and fails the test with its stderr when it fails."""
    result = subprocess.run([str(finsam_binary()), *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"finsam {' '.join(args)} failed: {result.stderr}")
    return result


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--format", "json").stdout)


@pytest.fixture(scope="session")
def generated_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("db") / "generated.duckdb"
    run("generate", "--db", str(path), "--participants", "40000", "--seed", "11")
    return str(path)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("db") / "demo.duckdb"
    run("demo", "--db", str(path))
    return str(path)
