"""The repository's docs and comments cite only files the repository ships."""

from __future__ import annotations

import re
import subprocess

from devin_pipeline.settings import REPO_ROOT

# Team notes that never shipped with the project; what the code relies on is in docs/.
# (Written with classes, [s], so that this line does not cite them itself.)
OUTSIDE = re.compile(
    r"NOTES\.md|FACTS\.md|enterprise-endpoint[s]|list-session[s]|(?<![\w-])share[d]/"
)


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [path for path in listed.split("\0") if path and not path.startswith(".ci/")]


def test_no_tracked_file_cites_a_file_outside_the_repository():
    citing = []
    for path in _tracked_files():
        file = REPO_ROOT / path
        if not file.is_file() or file.suffix in {".png", ".lock"}:
            continue
        for number, line in enumerate(file.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                citing.append(f"{path}:{number}: {line.strip()}")
    assert not citing, "cite a file of the repository (docs/api.md, docs/dagster-notes.md):\n" + (
        "\n".join(citing)
    )


def test_every_cited_doc_exists():
    cited = re.compile(r"\bdocs/[\w/.-]+\.(?:md|png)")
    missing = set()
    for path in _tracked_files():
        file = REPO_ROOT / path
        if file.is_file() and file.suffix in {".py", ".md", ".toml", ".sql", ".yaml"}:
            missing |= {
                name for name in cited.findall(file.read_text()) if not (REPO_ROOT / name).is_file()
            }
    assert not missing
    assert (REPO_ROOT / "docs/api.md").is_file() and (REPO_ROOT / "docs/dagster-notes.md").is_file()
