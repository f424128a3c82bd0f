"""Each setting is declared once (`Settings` in settings.py); the YAML schema, the scaffolded
and this repository's `defs.yaml` and the README's configuration table follow from it."""

from __future__ import annotations

from datetime import date

import pytest

from devin_pipeline.components import DevinWarehouseComponent
from devin_pipeline.components.scaffolder import defs_yaml
from devin_pipeline.settings import (
    API_KEY_HELP,
    DECLARATIONS,
    REPO_ROOT,
    ConfigurationError,
    configuration_rows,
    load_settings,
)
from tests.components.conftest import COMPONENT

OTHER_ATTRIBUTES = {"api_key", "schedules", "translation"}


def readme_table() -> list[str]:
    lines = (REPO_ROOT / "README.md").read_text().splitlines()
    start = lines.index("| variable | YAML attribute | default | meaning |")
    end = lines.index("", start)
    return lines[start + 2 : end]


def test_the_readme_table_is_the_declarations():
    table = readme_table()
    rows = [row for row in table if row.startswith("| `DEVIN_") and "`api_key`" not in row]
    assert rows == configuration_rows(), "paste `python -m devin_pipeline.settings` into README"
    assert table[0] == f"| `DEVIN_API_KEY` | `api_key` | (required) | {API_KEY_HELP} |"


def test_this_repositorys_defs_yaml_and_the_readmes_are_the_scaffolded_one():
    path = REPO_ROOT / "devin_pipeline" / "defs" / "devin" / "defs.yaml"
    assert path.read_text() == defs_yaml(COMPONENT), (
        "python -m devin_pipeline.components.scaffolder"
    )
    assert f"```yaml\n{defs_yaml(COMPONENT)}```" in (REPO_ROOT / "README.md").read_text()


def test_every_declared_setting_is_an_attribute_reading_its_variable():
    attributes = set(DevinWarehouseComponent.model().model_fields)
    assert attributes == {d.name for d in DECLARATIONS} | OTHER_ATTRIBUTES
    text = defs_yaml(COMPONENT)
    for d in DECLARATIONS:
        assert f'  {d.name}: "{{{{ env.{d.variable} }}}}"' in text


# Settings whose default does not show what a value looks like: (variable's text, value).
EXAMPLES = {"acu_price": ("2.25", 2.25), "currency": ("eur", "EUR")}


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.name)
def test_every_variable_is_read_and_checked(declaration):
    default = declaration.default
    if declaration.name in EXAMPLES:
        given, expected = EXAMPLES[declaration.name]
    elif isinstance(default, bool):
        given, expected = str(not default).lower(), not default
    elif isinstance(default, (int, float)):
        given, expected = "1", 1
    elif isinstance(default, date):
        given, expected = "2024-02-29", date(2024, 2, 29)
    else:
        given = expected = {"base_url": "http://127.0.0.1:9"}.get(
            declaration.name, "/tmp/elsewhere/w.duckdb"
        )
    settings = load_settings({declaration.variable: given})
    assert getattr(settings, declaration.name) == expected
    bad = "/tmp/x/devin.duckdb" if declaration.name == "duckdb_path" else "not a value"
    with pytest.raises(ConfigurationError, match=declaration.variable):
        load_settings({declaration.variable: bad})
