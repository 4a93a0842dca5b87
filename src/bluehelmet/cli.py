"""The ``bluehelmet`` command: parse, call one library function, print. Nothing else.

Every library error becomes one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, TypeVar

import click

from .config import DB_ENV, DEFAULT_SOURCES, SOURCES_ENV
from .errors import BluehelmetError
from .vocab import COUNTED_TYPES, PERSONNEL_TYPES

if TYPE_CHECKING:
    from .add import AddReport
    from .db import Database

_T = TypeVar("_T")

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                      show_default=True, help="Output format.")
DB = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar=DB_ENV,
                  help="Database file [env BLUEHELMET_DB; default: user data dir].")


def _db(path: Path | None) -> Path:
    from .config import default_db_path

    return path or default_db_path()


def _open(path: Path | None) -> Database:
    from .db import Database

    return Database(_db(path))


def _echo(text: str) -> None:
    click.echo(text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bluehelmet")
def cli() -> None:
    """bluehelmet: the fact base for UN peacekeeping contributions."""


@cli.command()
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), envvar=SOURCES_ENV,
              default=DEFAULT_SOURCES, show_default=True, help="Folder of raw source files.")
@DB
@click.option("--force", is_flag=True, help="Rebuild even if the inputs are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@FORMAT
def build(sources: Path, db: Path | None, force: bool, quiet: bool, fmt: str) -> None:
    """Build the database from the raw source files (atomic; a no-op if nothing changed)."""
    from .builder import build as run_build

    target = _db(db)
    report = _with_progress(lambda show: run_build(sources, target, force=force, progress=show),
                            quiet or fmt != "table")
    _echo(_build_report(report, fmt))


def _with_progress(run: Callable[[Callable[[str, int, int], None] | None], _T], quiet: bool) -> _T:
    """``run(progress)`` under a progress bar on stderr: (step, done, total) moves it. None
    when ``quiet`` or stderr is no terminal (a pipe, a log), where a bar is only noise."""
    if quiet or not sys.stderr.isatty():
        return run(None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description:<32}"), BarColumn(), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("starting", total=1)

        def show(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=max(total, 1))

        return run(show)


def _build_report(report: Any, fmt: str) -> str:
    from .output import render_rows, to_json

    read, loaded, empty, quarantined = report.rows
    if fmt == "json":
        return to_json({"db": str(report.db_path), "noop": report.noop, "seconds": round(report.seconds, 3),
                        "rows_read": read, "rows_loaded": loaded, "rows_empty": empty,
                        "rows_quarantined": quarantined,
                        "files": [f.__dict__ for f in report.files],
                        "findings": [f.__dict__ for f in report.findings],
                        "reconciliation": report.reconciliation, "skipped": report.skipped,
                        "refused": report.refused})
    rows = report.summary_rows()
    if fmt == "csv":
        return render_rows(["source", "files", "read", "loaded", "empty", "quarantined"], rows, "csv")
    kinds = report.finding_counts()
    footer = [f"{'unchanged inputs: nothing to do' if report.noop else 'built'} {report.db_path} "
              f"in {report.seconds:.2f} s: {read:,} rows read = {loaded:,} loaded + {empty:,} empty "
              f"+ {quarantined:,} quarantined"]
    footer += [f"findings: {n} x {k}" for k, n in sorted(kinds.items())]
    differing = [r for r in report.reconciliation if r["differing"]]
    footer.append(f"reconciliation: {len(report.reconciliation)} comparisons, {len(differing)} with differences "
                  f"({sum(r['differing'] for r in differing):,} cells); see 'bluehelmet sources --reconciliation'")
    if report.skipped:
        footer.append(f"not read (no adapter yet): {len(report.skipped)} files, e.g. {report.skipped[0]}")
    footer += [f"not read: {r}" for r in report.refused]
    return render_rows(["source", "files", "read", "loaded", "empty", "quarantined"], rows, "table", footer=footer)


@cli.command()
@click.option("--country", "-c", multiple=True, help="ISO3, name, alias, group (P5, AU), region or continent. "
              "Repeat to sum several.")
@click.option("--mission", "-m", multiple=True, help="Mission acronym. Repeatable.")
@click.option("--type", "ptype", default="all", show_default=True, type=click.Choice(list(PERSONNEL_TYPES)))
@click.option("--month", help="YYYY-MM (default: the latest month with data).")
@click.option("--from", "start", help="First month YYYY-MM of a range.")
@click.option("--to", "end", help="Last month YYYY-MM of a range.")
@click.option("--by", multiple=True, help="contributor, mission, type, month, year, gender, region, subregion, "
              "continent, group. Repeatable or comma-separated.")
@click.option("--year-agg", default="dec", show_default=True, type=click.Choice(["dec", "mean", "max"]),
              help="With --by year: December value, mean of months, or maximum.")
@DB
@FORMAT
def personnel(country: tuple[str, ...], mission: tuple[str, ...], ptype: str, month: str | None,
              start: str | None, end: str | None, by: tuple[str, ...], year_agg: str, db: Path | None,
              fmt: str) -> None:
    """Personnel deployed, filtered and grouped, with the sources used."""
    from .output import render_result

    from .vocab import split_keys

    keys = split_keys(by)
    with _open(db) as store:
        res = store.personnel(country=country, mission=mission, type=ptype, month=month, start=start, end=end,
                              by=keys, year_agg=year_agg)
    _echo(render_result(res, fmt))


@cli.command()
@click.option("--month", help="YYYY-MM (default: the latest month with contributor data).")
@click.option("--type", "ptype", default="all", show_default=True, type=click.Choice(COUNTED_TYPES))
@click.option("--within", help="Rank only within a group, region or continent (e.g. P5, Africa).")
@click.option("--top", type=int, help="Show ranks 1..N.")
@DB
@FORMAT
def rank(month: str | None, ptype: str, within: str | None, top: int | None, db: Path | None, fmt: str) -> None:
    """Contributors ranked by personnel at one month."""
    from .output import render_result

    with _open(db) as store:
        res = store.rank(month=month, type=ptype, within=within, top=top)
    _echo(render_result(res, fmt))


@cli.command()
@click.argument("acronym")
@click.option("--month", help="YYYY-MM (default: the mission's last month with personnel data).")
@DB
@FORMAT
def mission(acronym: str, month: str | None, db: Path | None, fmt: str) -> None:
    """A mission's profile: identity, authorised vs deployed, contributors, sites, fatalities."""
    from .output import render_profile

    with _open(db) as store:
        profile = store.mission(acronym, month=month)
    _echo(render_profile(profile, fmt))


@cli.command()
@click.option("--month", help="YYYY-MM (default: the latest month with personnel).")
@click.option("--type", "ptype", default="all", show_default=True, type=click.Choice(COUNTED_TYPES))
@DB
@FORMAT
def missions(month: str | None, ptype: str, db: Path | None, fmt: str) -> None:
    """Missions with personnel at a month, largest first, with headquarters and hosts."""
    from .output import render_result

    with _open(db) as store:
        res = store.mission_list(month=month, type=ptype)
    _echo(render_result(res, fmt))


@cli.command()
@click.argument("name")
@click.option("--month", help="YYYY-MM (default: the country's latest month with personnel).")
@DB
@FORMAT
def country(name: str, month: str | None, db: Path | None, fmt: str) -> None:
    """A country's profile: personnel over time, missions, ranks, women, sites, fatalities."""
    from .output import render_profile

    with _open(db) as store:
        profile = store.country(name, month=month)
    _echo(render_profile(profile, fmt))


@cli.command()
@click.option("--mission", "-m", help="Mission acronym (default: every mission with a map).")
@click.option("--month", help="YYYY-MM: the latest map at or before it (default: the latest map).")
@click.option("--contributor", "-c", help="Only sites where this country or group has troops.")
@click.option("--location", help="Only sites whose name contains this text.")
@DB
@FORMAT
def sites(mission: str | None, month: str | None, contributor: str | None, location: str | None,
          db: Path | None, fmt: str) -> None:
    """Deployment sites (Geo-PKO maps): where contingents stood, unit types, contributors."""
    from .output import render_result

    with _open(db) as store:
        res = store.sites(mission=mission, month=month, contributor=contributor, location=location)
    if fmt == "table":  # coordinates and flags are for json/csv; a terminal needs the essentials
        res.columns = [c for c in res.columns if c not in ("map", "country", "latitude", "longitude",
                                                           "troops_unknown", "rpf_troops", "liaison")]
    _echo(render_result(res, fmt))


@cli.command()
@click.option("--mission", "-m", multiple=True, help="Mission acronym. Repeatable.")
@click.option("--nationality", "-n", multiple=True, help="Country, ISO3 or group. Repeatable.")
@click.option("--from", "start", help="First month YYYY-MM.")
@click.option("--to", "end", help="Last month YYYY-MM.")
@click.option("--cause", multiple=True, help="Illness, Accident, Malicious Act, ... Repeatable.")
@click.option("--personnel-type", multiple=True, help="Military, Police, ... Repeatable.")
@click.option("--by", multiple=True, help="year, month, mission, nationality, cause, personnel_type. "
              "Repeatable or comma-separated.")
@DB
@FORMAT
def fatalities(mission: tuple[str, ...], nationality: tuple[str, ...], start: str | None, end: str | None,
               cause: tuple[str, ...], personnel_type: tuple[str, ...], by: tuple[str, ...], db: Path | None,
               fmt: str) -> None:
    """Peacekeeper fatalities from the official incident-level list."""
    from .output import render_result

    from .vocab import split_keys

    keys = split_keys(by)
    with _open(db) as store:
        res = store.fatalities(mission=mission or None, nationality=nationality or None, start=start, end=end,
                               cause=cause or None, personnel_type=personnel_type or None, by=keys)
    _echo(render_result(res, fmt))


@cli.command()
@click.option("--mission", "-m", multiple=True, help="Mission or account acronym (MINUSMA, RSCE). Repeatable.")
@click.option("--year", help="Fiscal year, 1 July - 30 June: 2022/23 (also 2022-23, 2022/2023), or a range "
              "2019/20..2022/23 [default: every year in the files].")
@click.option("--class", "cost_class", multiple=True, help="Cost class: military_police_personnel, "
              "civilian_personnel, operational_costs (or military, civilian, operational). Repeatable.")
@click.option("--by", multiple=True, help="mission, year, class. Repeatable or comma-separated "
              "[default: mission,year].")
@click.option("--statement", type=click.Choice(["audited", "performance"]),
              help="Read one statement only [default: audited where both give a figure, else performance].")
@DB
@FORMAT
def spending(mission: tuple[str, ...], year: str | None, cost_class: tuple[str, ...], by: tuple[str, ...],
             statement: str | None, db: Path | None, fmt: str) -> None:
    """Peacekeeping expenditure per mission, fiscal year (July-June) and cost class, USD nominal."""
    from .output import render_result

    from .vocab import split_keys

    keys = split_keys(by) if by else ["mission", "year"]
    with _open(db) as store:
        res = store.spending(mission=mission or None, year=year, cost_class=cost_class or None, by=keys,
                             statement=statement)
    _echo(render_result(res, fmt))


@cli.command()
@click.option("--scale", type=click.Choice(["peacekeeping", "regular"]),
              help="peacekeeping (default): share of the year's UN-DPO assessed contributions (2013-2024); "
                   "regular: the regular-budget scale (1946-2027).")
@click.option("--country", "-c", multiple=True, help="Member: ISO3, name or alias; a group (P5, G77) is one "
              "summed row. Repeatable. Without it: the ranking.")
@click.option("--within", help="Rank only the members of a group, region or continent (e.g. P5, Africa).")
@click.option("--year", help="YYYY (default: the latest year the scale covers).")
@click.option("--from", "start", help="First year YYYY of a range.")
@click.option("--to", "end", help="Last year YYYY of a range.")
@click.option("--rank", "ranked", is_flag=True, help="Order the members named with -c by rank.")
@click.option("--top", type=int, help="Keep ranks 1..N.")
@DB
@FORMAT
def assessments(scale: str | None, country: tuple[str, ...], within: str | None, year: str | None, start: str | None,
                end: str | None, ranked: bool, top: int | None, db: Path | None, fmt: str) -> None:
    """Who pays: members' shares of peacekeeping assessments or of the regular-budget scale, per year."""
    from .output import render_result

    with _open(db) as store:
        res = store.assessments(scale=scale, member=country or None, within=within, year=year, start=start,
                                end=end, rank=ranked, top=top)
    _echo(render_result(res, fmt))


@cli.command()
@click.option("--recipient", "-c", multiple=True, help="Country, ISO3 or group (Africa, AU, Western Africa). "
              "Repeatable. Default: every recipient.")
@click.option("--donor", default="China", show_default=True, help="The lender or donor (AidData records China only).")
@click.option("--from", "start", help="First commitment year YYYY (default: the dataset's first).")
@click.option("--to", "end", help="Last commitment year YYYY (default: the dataset's last).")
@click.option("--flow-class", multiple=True, help="official (default: ODA-like, OOF-like, Vague (Official "
              "Finance)), oda, oof, vague, official-investment, or a class as AidData writes it. Repeatable.")
@click.option("--records", multiple=True, help="official, unofficial, military, cancelled, inactive, suspicious "
              "(default: official, unofficial, military). Repeatable.")
@click.option("--pledges", is_flag=True, help="Count pledges too (AidData's guidance: leave them out).")
@click.option("--umbrella", is_flag=True, help="Count the global dataset's umbrella agreements too.")
@click.option("--countries-only", is_flag=True, help="Leave regional and multi-country records out.")
@click.option("--usd", default="constant", show_default=True, type=click.Choice(["constant", "current"]),
              help="Constant USD of the dataset's base year, or current USD.")
@click.option("--dataset", help="AidData version: 1.0, 1.1, 1.2, global-1.0 (default: the latest covering the "
              "question).")
@click.option("--by", multiple=True, help="recipient, year, flow-class, sector. Repeatable or comma-separated.")
@click.option("--top", type=int, help="Keep the N largest rows (per year with --by year).")
@DB
@FORMAT
def finance(recipient: tuple[str, ...], donor: str, start: str | None, end: str | None, flow_class: tuple[str, ...],
            records: tuple[str, ...], pledges: bool, umbrella: bool, countries_only: bool, usd: str,
            dataset: str | None, by: tuple[str, ...], top: int | None, db: Path | None, fmt: str) -> None:
    """China's official finance (AidData), under a stated definition, with its sources."""
    from .output import render_result

    from .vocab import split_keys

    with _open(db) as store:
        res = store.finance(recipient=recipient or None, start=start, end=end, donor=donor,
                            flow_class=split_keys(flow_class) or None, records=split_keys(records) or None,
                            pledges=pledges, umbrella=umbrella, countries_only=countries_only, usd=usd,
                            dataset=dataset, by=split_keys(by), top=top)
    _echo(render_result(res, fmt))


@cli.command()
@click.argument("claim", required=False)
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="A YAML list of claims (each: claim, optional sentence and history).")
@click.option("--history", help="FROM..TO: evaluate for every month of the range.")
@DB
@FORMAT
def check(claim: str | None, path: Path | None, history: str | None, db: Path | None, fmt: str) -> None:
    """Check a claim: true (exit 0), false (1) or unknown (2), with the numbers and sources."""
    from .claims import check as run_check, check_file, parse_span
    from .output import render_verdicts

    if (claim is None) == (path is None):
        raise click.UsageError("give a claim or --file, not both or neither")
    span = parse_span(history)
    with _open(db) as store:
        if path is not None:
            pairs = check_file(store, path)
        else:
            assert claim is not None  # exactly one of the two, checked above
            pairs = [({"claim": claim}, run_check(store, claim, span))]
    _echo(render_verdicts(pairs, fmt))
    codes = {v.exit_code for _, v in pairs}
    sys.exit(2 if 2 in codes else max(codes))


@cli.command()
@click.argument("source", type=click.File("rb"))
@click.option("--as-of", "as_of", default=None,
              help="YYYY-MM the text speaks from ('this month', 'in January', a figure without a date). "
                   "Default: the dateline at the text's head, else the latest month of the data.")
@DB
@FORMAT
def factcheck(source: IO[bytes], as_of: str | None, db: Path | None, fmt: str) -> None:
    """Fact-check prose (a file, or - for stdin): every sentence, each claim it makes, its verdict."""
    from .claims.prose import MAX_PROSE_CHARS, factcheck as run
    from .output import render_factcheck

    text = _read_text(source, MAX_PROSE_CHARS)
    with _open(db) as store:
        sentences = run(store, text, as_of)
    _echo(render_factcheck(sentences, fmt))


def _read_text(source: IO[bytes], limit: int) -> str:
    """A text file's UTF-8 text, refused in one line if it is too long, binary or not UTF-8.

    Reads at most 4 bytes a character past the limit, so a huge file is never read whole.
    """
    name = getattr(source, "name", "-")
    data = source.read(limit * 4 + 1)
    if len(data) > limit * 4 or (len(data) > limit and len(data.decode("utf-8", "replace")) > limit):
        raise click.UsageError(f"{name}: longer than {limit:,} characters; split it")
    if b"\x00" in data:
        raise click.UsageError(f"{name}: a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.UsageError(f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                               "convert it, e.g. iconv -f latin1 -t utf-8") from None


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), envvar=SOURCES_ENV,
              default=DEFAULT_SOURCES, show_default=True, help="Folder of raw source files to add to.")
@DB
@FORMAT
def add(files: tuple[Path, ...], sources: Path, db: Path | None, fmt: str) -> None:
    """Add UN DPO monthly report PDFs or Data Hub contributions CSVs to the sources folder (checked first) and rebuild."""
    from .add import add as run_add

    _echo(_add_report(run_add(list(files), sources, _db(db)), fmt))


def _add_report(report: AddReport, fmt: str) -> str:
    from .output import render_rows, to_json

    rows = [f.__dict__ for f in report.files]
    columns = ["path", "month", "action", "saved_as", "reason"]
    if fmt == "json":
        return to_json(report.as_dict())
    if fmt == "csv":
        return render_rows(columns, rows, "csv")
    if not report.rebuilt:
        footer = ["nothing to do: every file is already in the sources; database unchanged"]
    else:
        footer = [f"rebuilt {report.db_path}",
                  "months added: " + (", ".join(report.months_added) or "none")]
        if report.revisions_total:
            footer.append(f"figures revised: {report.revisions_total}"
                          + (f" (first {len(report.revisions)} below)" if report.revisions_total > len(report.revisions)
                             else ""))
            footer += [f"  {r.month} {r.contributor or 'world total'}: {r.old:,} -> {r.new:,}"
                       for r in report.revisions]
        else:
            footer.append("figures revised: none")
    return render_rows(columns, rows, "table", footer=footer)


@cli.command()
@DB
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-cache", is_flag=True, help="Answer every request afresh (no response cache).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes; each opens the database read-only and keeps its own cache.")
def serve(db: Path | None, host: str, port: int, no_cache: bool, workers: int) -> None:
    """Serve the dashboard and JSON API (OpenAPI at /openapi.json) read-only over the database."""
    import uvicorn

    from .config import SERVE_ENV

    path = _db(db)
    _open(path).close()  # a missing or foreign file is one line here, not a traceback per worker
    _port_free(host, port)
    from .web.hygiene import GuardedHttpToolsProtocol

    # explicit limits: headers of at most 16 KB (hygiene.py, also while they arrive), idle
    # kept-alive connections closed after 5 s (a head still arriving after HEAD_TIMEOUT_S:
    # hygiene.py), at most 256 requests at once per worker (more get 503 at once instead of
    # queueing without end); httptools parses, in C
    limits: dict[str, Any] = {"http": GuardedHttpToolsProtocol, "timeout_keep_alive": 5, "limit_concurrency": 256,
                              "log_level": "warning"}
    if workers == 1:
        from .web.app import create_server_app

        uvicorn.run(create_server_app(path, cache=not no_cache), host=host, port=port, **limits)
        return
    # worker processes import the app by name and read what to serve from the environment
    os.environ[SERVE_ENV] = json.dumps({"db": str(path), "cache": not no_cache})
    uvicorn.run("bluehelmet.web.app:worker_app", factory=True, workers=workers, host=host, port=port, **limits)


def _port_free(host: str, port: int) -> None:
    """Refuse in one line when the address is taken (uvicorn logs an errno and exits 3)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.UsageError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror}; "
                                   "choose another --port or stop what uses it") from None


@cli.command("export")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "sqlite"]), default="parquet",
              show_default=True, help="Parquet or CSV: a file per table; sqlite: one file (with Datasette's "
              "metadata.json).")
@click.option("--overwrite", is_flag=True, help="Replace a previous export in DIRECTORY.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@DB
def export_cmd(directory: Path, fmt: str, overwrite: bool, quiet: bool, db: Path | None) -> None:
    """Write every table, with a Frictionless datapackage.json (schemas, sources, licences, citations)."""
    from .export import export as run_export
    from .output import render_rows

    report = _with_progress(lambda show: run_export(_db(db), directory, fmt, overwrite=overwrite, progress=show),
                            quiet)
    footer = [f"exported {len(report.tables)} tables, {report.rows:,} rows as {fmt} to {report.directory} "
              f"in {report.seconds:.2f} s; described in {report.directory / 'datapackage.json'}"]
    if fmt == "sqlite":
        footer.append(f"browse: datasette {report.directory / 'bluehelmet.sqlite'} "
                      f"--metadata {report.directory / 'metadata.json'}")
    _echo(render_rows(["name", "rows", "path", "bytes"], report.tables, "table", footer=footer))


@cli.command()
@click.argument("claim", required=False)
@click.option("--all", "everything", is_flag=True, help="Every dataset the database was built from.")
@click.option("--style", type=click.Choice(["text", "bibtex"]), default="text", show_default=True,
              help="With --format table: references as text or BibTeX entries.")
@DB
@FORMAT
def cite(claim: str | None, everything: bool, style: str, db: Path | None, fmt: str) -> None:
    """The citations behind a claim's answer, or (--all) behind the whole database."""
    from .cite import as_bibtex, as_text, cite as run_cite
    from .output import render_result

    if (claim is None) == (not everything):
        raise click.UsageError("give a claim or --all, not both or neither")
    with _open(db) as store:
        res = run_cite(store, claim)
    if fmt != "table":
        if fmt == "csv":
            res.rows = [{**r, "paths": "; ".join(r["paths"])} for r in res.rows]
        _echo(render_result(res, fmt))
        return
    count = f"{len(res.rows)} dataset{'' if len(res.rows) == 1 else 's'}\n"
    head = (f"claim: {claim}\nverdict: {res.query['verdict']}" + (f" (month {res.month})" if res.month else "")
            + "\n" + count) if claim else count
    _echo(head + "\n" + (as_bibtex(res) if style == "bibtex" else as_text(res)))


@cli.command()
@click.option("--quarantine", "view", flag_value="quarantine", help="List quarantined rows.")
@click.option("--reconciliation", "view", flag_value="reconciliation", help="Summarise source comparisons.")
@click.option("--coverage", "view", flag_value="coverage",
              help="Months covered per grain and domain, the gaps, and which layouts answer each span.")
@click.option("--limit", type=int, default=None, help="With --quarantine: at most N rows.")
@DB
@FORMAT
def sources(view: str | None, limit: int | None, db: Path | None, fmt: str) -> None:
    """What is loaded: files, coverage, checksums, quarantine and reconciliation."""
    from .output import render_result
    from .query import catalog

    with _open(db) as store:
        if view == "quarantine":
            res = catalog.quarantine(store, limit)
        elif view == "reconciliation":
            res = catalog.reconciliation(store)
        elif view == "coverage":
            res = store.coverage_spans()
        else:
            res = catalog.sources(store)
            if fmt == "table":  # the checksum and citation columns are for json/csv
                res.columns = [c for c in res.columns if c not in ("sha256", "citation", "source_id")]
    _echo(render_result(res, fmt))


def main(argv: list[str] | None = None) -> None:
    """Console entry point: library errors become one line and an exit code."""
    try:
        cli.main(args=argv, prog_name="bluehelmet", standalone_mode=False)
    except BluehelmetError as exc:
        click.echo(f"error: {exc}", err=True)
        for line in exc.detail:  # a claim with a caret under the column, aligned under "error: "
            click.echo(f"       {line}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("error: interrupted; the previous database is unchanged", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
