"""docs/cli.md documents every verb and every option of the ``bluehelmet`` command.

The command tree is walked from the click group itself, so a verb or option added to the
CLI without a word in the reference fails here (as sqlite-utils does in its test_docs.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

import bluehelmet.cli

CLI_MD = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _group() -> click.Group:
    """The ``bluehelmet`` group: ``bluehelmet.cli.cli``, or the one group the module holds."""
    group = getattr(bluehelmet.cli, "cli", None)
    if isinstance(group, click.Group):
        return group
    groups = [v for v in vars(bluehelmet.cli).values() if isinstance(v, click.Group)]
    assert len(groups) == 1, f"expected one click group in bluehelmet.cli, found {len(groups)}"
    return groups[0]


def _walk(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every verb under the group, sub-groups' verbs as ``"group verb"``."""
    out: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        out[prefix + name] = cmd
        if isinstance(cmd, click.Group):
            out.update(_walk(cmd, f"{prefix}{name} "))
    return out


def _sections(text: str) -> dict[str, str]:
    """The text under each ``## `verb` `` heading, up to the next second-level heading."""
    parts = re.split(r"^## ", text, flags=re.M)
    out = {}
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        m = re.fullmatch(r"`(\w[\w -]*)`\s*", title)
        if m:
            out[m.group(1)] = body
    return out


def _opts(command: click.Command) -> list[str]:
    return [opt for p in command.params if isinstance(p, click.Option)
            for opt in (*p.opts, *p.secondary_opts)]


DOC = CLI_MD.read_text(encoding="utf-8")
SECTIONS = _sections(DOC)
COMMANDS = sorted(_walk(_group()).items())


def test_the_walk_finds_the_verbs():
    assert {"build", "personnel", "rank", "sources", "check", "serve"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_verb_has_a_section_and_a_line_in_the_overview(name):
    assert name in SECTIONS, f"docs/cli.md has no '## `{name}`' section"
    overview = DOC.split("\n## ", 1)[0]
    assert re.search(rf"^  {re.escape(name)}\s+\S", overview, flags=re.M), \
        f"verb {name!r} missing from the command list at the top of docs/cli.md"


# Options every reading verb shares, documented once under "Common behaviour".
COMMON = {"--db", "--format", "-h", "--help"}


def _word(option: str) -> str:
    """The option as a word of its own: --from must not match --from-x, nor -c match -cx."""
    return rf"(?<![\w-]){re.escape(option)}(?![\w-])"


@pytest.mark.parametrize("name,option", [(name, opt) for name, cmd in COMMANDS for opt in _opts(cmd)
                                         if opt not in ("-h", "--help")])
def test_every_option_is_documented_under_its_verb(name, option):
    body = SECTIONS.get(name, "")
    assert re.search(_word(option), body), \
        f"option {option} of '{name}' is not mentioned in its section of docs/cli.md"
    if option in COMMON:
        common = DOC.split("\n## ", 2)[1]
        assert common.startswith("Common behaviour") and re.search(_word(option), common), option
    else:  # a row of the verb's option table: | option | default | meaning (not empty) |
        row = rf"^\|[^|\n]*{_word(option)}[^|\n]*\|[^|\n]*\|[^|\n]*\w[^|\n]*\|\s*$"
        assert re.search(row, body, flags=re.M), \
            f"option {option} of '{name}' has no row in its option table in docs/cli.md"


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_verb_documents_its_arguments(name):
    cmd = dict(COMMANDS)[name]
    for arg in (p for p in cmd.params if isinstance(p, click.Argument)):
        metavar = arg.human_readable_name.upper()
        assert re.search(rf"bluehelmet {re.escape(name)} [^\n]*\b{re.escape(metavar)}\b", SECTIONS[name]), \
            f"argument {metavar} of '{name}' is not in its usage line"
        assert re.search(rf"^\| `{re.escape(metavar)}` \|", SECTIONS[name], flags=re.M), \
            f"argument {metavar} of '{name}' has no row in its option table"


def test_group_options_are_documented():
    overview = DOC.split("\n## ", 1)[0]
    for option in _opts(_group()) + ["-h", "--help"]:
        assert re.search(_word(option), overview), option
