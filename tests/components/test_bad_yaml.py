"""Bad YAML fails the load and `dg check yaml`, naming the attribute (and the variable of a
template); the API key's value never appears in any message."""

from __future__ import annotations

import traceback

import pytest
import yaml
from dagster.components.testing import create_defs_folder_sandbox

from devin_pipeline.components import DevinWarehouseComponent
from tests.components.conftest import COMPONENT, make_project

SECRET = "cog_never_shown_5b1e0f9c2d7a4e31"
# (case, attributes, what the message must name)
LITERAL = [
    ("unknown", {"page_sise": 100}, "page_sise"),
    ("page_size", {"page_size": 500}, "page_size"),
    ("remote_http", {"base_url": "http://api.devin.ai"}, "base_url"),
    ("start_month", {"partitions_start": "2024-13-01"}, "partitions_start"),
    ("start_words", {"partitions_start": "June 1st"}, "partitions_start"),
    ("prefix", {"translation": {"key_prefix": "Acme-Prod"}}, "key_prefix"),
    (
        "group_names",
        {"translation": {"group_names": {"ingestion": "raw"}}},
        "translation.group_names was replaced by group_name",
    ),
]
TEMPLATED = [
    ("page_size", "DEVIN_TEST_PAGE_SIZE", "500", "page_size (from DEVIN_TEST_PAGE_SIZE)"),
    ("base_url", "DEVIN_TEST_URL", "http://api.devin.ai", "base_url (from DEVIN_TEST_URL)"),
    (
        "partitions_start",
        "DEVIN_TEST_START",
        "2024-02-30",
        "partitions_start (from DEVIN_TEST_START)",
    ),
]


def load_error(attributes: dict) -> str:
    """Every message of the exception chain that loading the instance raised."""
    with create_defs_folder_sandbox() as sandbox:
        path = sandbox.scaffold_component(
            component_cls=DevinWarehouseComponent,
            defs_yaml_contents={"type": COMPONENT, "attributes": attributes},
        )
        # Dagster wraps the error; what matters is what its messages say.
        with pytest.raises(Exception) as caught, sandbox.load_component_and_build_defs(path):
            pass
    return "".join(traceback.format_exception(caught.value))


@pytest.fixture(autouse=True)
def secret_key(monkeypatch):
    monkeypatch.setenv("DEVIN_API_KEY", SECRET)


@pytest.mark.parametrize(("case", "attributes", "named"), LITERAL, ids=[c[0] for c in LITERAL])
def test_a_bad_literal_fails_the_load_naming_the_attribute(case, attributes, named):
    message = load_error({"duckdb_path": "/tmp/unused/w.duckdb", **attributes})
    assert named in message
    assert SECRET not in message


@pytest.mark.parametrize(("attribute", "variable", "value", "named"), TEMPLATED)
def test_a_bad_templated_value_names_the_attribute_and_the_variable(
    monkeypatch, attribute, variable, value, named
):
    monkeypatch.setenv(variable, value)
    message = load_error({attribute: f"{{{{ env.{variable} }}}}"})
    assert named in message and value.removeprefix("http://") in message
    assert SECRET not in message


def test_a_key_written_into_the_yaml_is_refused_without_echoing_it():
    message = load_error({"api_key": SECRET})
    assert "api_key" in message and "{{ env.DEVIN_API_KEY }}" in message
    assert SECRET not in message


@pytest.mark.slow
def test_dg_check_yaml_names_every_bad_attribute(tmp_path):
    project = make_project(tmp_path / "team_project", secret=SECRET)
    for case, attributes, _ in LITERAL:
        folder = project.defs_folder / case
        folder.mkdir()
        body = {
            "type": COMPONENT,
            "attributes": {"api_key": "{{ env.DEVIN_API_KEY }}", **attributes},
        }
        (folder / "defs.yaml").write_text(yaml.safe_dump(body))
    for case, _, named in LITERAL:
        # dg reports the first file with errors; one call per file shows each.
        result = project.dg("check", "yaml", str(project.defs_folder / case), check=False)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert f"defs/{case}/defs.yaml" in output and named in output
        assert SECRET not in output


def test_the_key_rendered_into_another_attribute_by_mistake_is_masked():
    message = load_error({"base_url": "{{ env.DEVIN_API_KEY }}"})
    assert "base_url (from DEVIN_API_KEY)" in message and "***" in message
    assert SECRET not in message
