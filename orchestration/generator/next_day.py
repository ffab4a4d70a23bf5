"""One more day of extracts after a generated world: the delta a daily run ingests.

This is not a second world model. The landed files already say everything a day needs: which
people exist, what they do, how many rows a day the preset makes, and how each file looks
(columns, format, quoting, BOM, line ends). So the day is made of recent real rows moved to the
new day: activities and web sessions of the last weeks replayed on ``day`` under new ids, a few
CRM leads and contacts re-delivered with a new title and a newer ``SystemModstamp``, and a few new
leads shaped like the leads created lately.

Files are new, never rewritten: ``<object>_<day>_delta.<ext>``. The generated world's own files
carry the extract date, which is the day after its last activity, so ``<object>_<day>`` alone
would clash with them for the first day after the world.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.json as pajson
import pyarrow.parquet as pq

from orchestration.generator.ids import sf_ids
from orchestration.generator.writers import TS_FORMAT, JsonLinesStream

DAY = 86_400
TEMPLATE_DAYS = 28  # rows of the last four weeks are the templates of the new day
CRM_UPDATES = 5  # leads and contacts re-delivered with a changed title
NEW_LEADS = 3
NEW_LEAD_SEQUENCE_BASE = 2_000_000_000  # beyond the generator's records, below its malformed extras

_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
_CSV_FIELD = re.compile(r'(?:^|,)("(?:[^"]|"")*"|[^,]*)')
_LAYOUT_SAMPLE_LINES = 200


@dataclass(frozen=True)
class Landed:
    """The files of one landed object, read and written the way its first file is laid out.

    Text formats are read as text, so that values are copied byte for byte; CSV keeps the first
    file's BOM, line ends and which columns are quoted (text) or bare (numbers, booleans).
    """

    folder: Path
    files: tuple[Path, ...]
    format: str
    schema: pa.Schema
    bom: bool = False
    eol: str = "\n"
    quoted_header: bool = True
    quoted: frozenset[str] = frozenset()

    @classmethod
    def find(cls, landing_dir: Path, system: str, obj: str) -> Landed:
        folder = landing_dir / system / obj
        files = tuple(sorted(p for p in folder.glob(f"{obj}_*") if p.suffix in _FORMATS))
        if not files:
            raise FileNotFoundError(f"no {system}/{obj} extract under {folder}: generate a world first")
        first = files[0]
        fmt = _FORMATS[first.suffix]
        if fmt == "parquet":
            return cls(folder, files, fmt, pq.read_schema(first))
        if fmt == "jsonl":
            with first.open(encoding="utf-8") as handle:
                return cls(folder, files, fmt, _json_schema(json.loads(handle.readline())))
        return cls(folder, files, fmt, *_csv_layout(first))

    def dataset(self) -> ds.Dataset:
        if self.format == "csv":
            file_format = ds.CsvFileFormat(
                convert_options=pacsv.ConvertOptions(
                    column_types=dict(zip(self.schema.names, self.schema.types, strict=True)),
                    strings_can_be_null=True,
                ),
                # Rows with the wrong number of fields are the generator's malformed extras.
                parse_options=pacsv.ParseOptions(invalid_row_handler=lambda _row: "skip"),
            )
        elif self.format == "jsonl":
            file_format = ds.JsonFileFormat(parse_options=pajson.ParseOptions(explicit_schema=self.schema))
        else:
            file_format = ds.ParquetFileFormat()
        return ds.dataset(list(self.files), format=file_format, schema=self.schema)

    def read(self, where: ds.Expression | None = None) -> pa.Table:
        return self.dataset().to_table(filter=where)

    def delta_path(self, day: date) -> Path:
        return self.folder / f"{self.folder.name}_{day:%Y-%m-%d}_delta.{self.format}"

    def write(self, table: pa.Table, path: Path) -> None:
        table = table.select(self.schema.names).cast(self.schema)
        if self.format == "parquet":
            pq.write_table(table, path, compression="zstd")
        elif self.format == "jsonl":
            stream = JsonLinesStream(path)
            stream.write(table)
            stream.close()
        else:
            text = _csv_text(table, self.quoted_header, self.quoted, self.eol)
            path.write_bytes((b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8"))


def _json_schema(record: dict) -> pa.Schema:
    """Every field of the first record as text, except bare JSON numbers and booleans."""
    kinds = {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}
    return pa.schema([(name, kinds.get(type(value), pa.string())) for name, value in record.items()])


def _csv_layout(path: Path) -> tuple[pa.Schema, bool, str, bool, frozenset[str]]:
    """Columns (all read as text), BOM, line end, header quoting and the quoted columns, from the
    file's first lines."""
    with path.open("rb") as handle:
        raw = handle.read(1 << 20)
    bom = raw.startswith(b"\xef\xbb\xbf")
    eol = "\r\n" if raw.split(b"\n", 1)[0].endswith(b"\r") else "\n"
    lines = raw.decode("utf-8-sig", errors="replace").splitlines()
    columns = next(csv.reader(lines[:1]))
    bare: set[str] = set()
    quoted: set[str] = set()
    for line in lines[1 : _LAYOUT_SAMPLE_LINES + 1]:
        fields = _CSV_FIELD.findall(line)
        if len(fields) != len(columns):
            continue
        for column, field in zip(columns, fields, strict=True):
            if field:
                (quoted if field.startswith('"') else bare).add(column)
    schema = pa.schema([(column, pa.string()) for column in columns])
    # A column never seen filled is text, like every column the generator leaves empty.
    return schema, bom, eol, lines[0].startswith('"'), frozenset(set(columns) - (bare - quoted))


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _csv_text(table: pa.Table, quoted_header: bool, quoted: frozenset[str], eol: str) -> str:
    def cell(column: str, value: str | None) -> str:
        if value is None:
            return ""
        return _quote(value) if column in quoted else value

    header = [_quote(c) if quoted_header else c for c in table.column_names]
    lines = [",".join(header)]
    lines += [",".join(cell(c, v) for c, v in row.items()) for row in table.to_pylist()]
    return "".join(line + eol for line in lines)


def _is_text(data_type: pa.DataType) -> bool:
    return pa.types.is_string(data_type) or pa.types.is_large_string(data_type)


def _seconds(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Epoch seconds of ISO-8601 text or timestamps (unparsable text gives -1)."""
    if _is_text(values.type):
        values = pc.strptime(values, format=TS_FORMAT, unit="s", error_is_null=True)
    stamps = values.cast(pa.timestamp("s", tz="UTC")).cast(pa.int64())
    return np.asarray(stamps.fill_null(-1), dtype=np.int64)


def _timestamps_like(seconds: np.ndarray, like: pa.DataType) -> pa.Array:
    """New times in the column's own form: the generator's ISO-8601 text, or a typed timestamp."""
    stamps = pa.array(np.asarray(seconds, dtype=np.int64)).cast(pa.timestamp("s", tz="UTC"))
    return pc.strftime(stamps, format=TS_FORMAT) if _is_text(like) else stamps.cast(like)


def _since(landed: Landed, column: str, seconds: int) -> ds.Expression:
    """Rows at or after an instant (ISO-8601 text sorts like time)."""
    field_type = landed.schema.field(column).type
    return ds.field(column) >= _timestamps_like(np.array([seconds]), field_type)[0]


@dataclass(frozen=True)
class _History:
    rows: int
    first: int
    last: int
    max_id: int | None

    @property
    def rows_per_day(self) -> float:
        return self.rows / max(1, (self.last - self.first) // DAY + 1)


def _history(landed: Landed, time_column: str, id_column: str | None = None) -> _History:
    """Rows, first and last time (and the largest integer id), streamed batch by batch."""
    rows, firsts, lasts, max_ids = 0, [], [], [0]
    columns = [time_column] + ([id_column] if id_column else [])
    for batch in landed.dataset().to_batches(columns=columns):
        seconds = _seconds(batch.column(time_column))
        seconds = seconds[seconds >= 0]
        rows += batch.num_rows
        if len(seconds):
            firsts.append(seconds.min())
            lasts.append(seconds.max())
        if id_column:
            max_ids.append(pc.max(batch.column(id_column).cast(pa.int64())).as_py() or 0)
    if not firsts:
        raise ValueError(f"{landed.folder}: no rows with a readable {time_column}")
    return _History(rows, int(min(firsts)), int(max(lasts)), max(max_ids) if id_column else None)


def _day_start(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _fresh_hex_ids(example: str, count: int, rng: np.random.Generator) -> list[str]:
    """Ids shaped like ``example`` (a prefix of non-hex letters, then hex digits), random, same width.

    At 12 or more hex digits a clash with an existing id is about one in ten billion per id.
    """
    prefix = re.match(r"[g-z]*", example).group(0)  # "pv", "s", "v": letters that are not hex digits
    width = len(example) - len(prefix)
    digits = rng.integers(0, 16, size=(count, width))
    return [prefix + "".join("0123456789abcdef"[d] for d in row) for row in digits]


def _activities(landed: Landed, day: date, rng: np.random.Generator) -> pa.Table:
    """About one day's worth of Marketo activities: recent rows replayed on ``day`` with new ids."""
    history = _history(landed, "activityDate", "id")
    recent = landed.read(_since(landed, "activityDate", history.last - TEMPLATE_DAYS * DAY))
    n = max(1, rng.poisson(history.rows_per_day))
    rows = recent.take(pa.array(rng.integers(0, recent.num_rows, n)))
    times = np.sort(_day_start(day) + rng.integers(0, DAY, n))
    ids = pa.array(history.max_id + 1 + np.arange(n, dtype=np.int64)).cast(landed.schema.field("id").type)
    rows = rows.set_column(rows.schema.get_field_index("id"), "id", ids)
    when = _timestamps_like(times, landed.schema.field("activityDate").type)
    return rows.set_column(rows.schema.get_field_index("activityDate"), "activityDate", when)


def _page_views(landed: Landed, day: date, rng: np.random.Generator) -> pa.Table:
    """About one day's worth of web sessions: recent sessions replayed on ``day`` under new ids."""
    history = _history(landed, "viewed_at")
    recent = landed.read(_since(landed, "viewed_at", history.last - TEMPLATE_DAYS * DAY)).to_pandas()
    recent["_seconds"] = _seconds(pa.array(recent["viewed_at"]))
    sizes = recent.groupby("session_id").size()
    sessions = sizes.index.to_numpy()[rng.permutation(len(sizes))]
    needed = max(1, rng.poisson(history.rows_per_day))
    chosen = sessions[: int(np.searchsorted(sizes[sessions].cumsum().to_numpy(), needed)) + 1]
    views = recent[recent["session_id"].isin(chosen)].copy()

    start = views.groupby("session_id")["_seconds"].transform("min")
    new_start = dict(zip(chosen, _day_start(day) + rng.integers(0, DAY - 3 * 3600, len(chosen)), strict=True))
    new_session = dict(zip(chosen, _fresh_hex_ids(chosen[0], len(chosen), rng), strict=True))
    seconds = views["session_id"].map(new_start) + (views["_seconds"] - start).clip(upper=3 * 3600 - 1)
    views["session_id"] = views["session_id"].map(new_session)
    views["event_id"] = _fresh_hex_ids(str(views["event_id"].iloc[0]), len(views), rng)
    order = np.argsort(seconds.to_numpy(), kind="stable")
    table = pa.Table.from_pandas(views.drop(columns="_seconds").iloc[order], preserve_index=False)
    when = _timestamps_like(seconds.to_numpy()[order], landed.schema.field("viewed_at").type)
    return table.set_column(table.schema.get_field_index("viewed_at"), "viewed_at", when)


def _synced_ids(map_leads: pd.DataFrame, column: str) -> set[str]:
    """CRM ids Marketo knows (the generator's malformed CRM extras are referenced by nothing)."""
    return set(map_leads[column].dropna())


def _updated_titles(
    records: pd.DataFrame, synced: set[str], count: int, when: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """``count`` live, synced records with another existing title and a newer SystemModstamp."""
    live = records[records["Id"].isin(synced) & (records["IsDeleted"] == "false")]
    if "IsConverted" in live:
        live = live[live["IsConverted"] == "false"]  # a converted lead is frozen in the CRM
    picked = live.iloc[rng.choice(len(live), size=min(count, len(live)), replace=False)].copy()
    titles = records["Title"].dropna().unique()
    picked["Title"] = [rng.choice(titles[titles != old]) for old in picked["Title"]]
    picked["SystemModstamp"] = when[: len(picked)]
    return picked


def _new_leads(
    leads: pd.DataFrame, synced: set[str], day: date, when: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """New people at known companies, shaped like the open leads created in the last weeks."""
    created = _seconds(pa.array(leads["CreatedDate"]))
    recent_open = leads[
        leads["Id"].isin(synced)
        & (leads["IsConverted"] == "false")
        & (created >= created.max() - TEMPLATE_DAYS * DAY)
    ]
    new = recent_open.iloc[rng.integers(0, len(recent_open), NEW_LEADS)].copy()
    sequence = NEW_LEAD_SEQUENCE_BASE + day.toordinal() * NEW_LEADS + np.arange(NEW_LEADS)
    new["Id"] = sf_ids("lead", sequence)
    if new["Id"].isin(leads["Id"]).any():
        raise ValueError(f"new lead ids for {day} already exist; was this day written before?")
    named = leads.dropna(subset=["FirstName", "LastName"])
    new["FirstName"] = rng.choice(named["FirstName"].unique(), NEW_LEADS)
    new["LastName"] = rng.choice(named["LastName"].unique(), NEW_LEADS)
    domains = new["Email"].str.split("@").str[-1]
    new["Email"] = (new["FirstName"] + "." + new["LastName"] + "@" + domains).str.lower()
    new["Title"] = rng.choice(leads["Title"].dropna().unique(), NEW_LEADS)
    new["MasterRecordId"] = None
    new["CreatedDate"] = when
    new["SystemModstamp"] = when
    return new


def _to_table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame.astype(object).where(frame.notna(), None), preserve_index=False)


def last_activity_date(landing_dir: Path) -> date:
    """The day of the latest marketing activity landed: the next day to write is the one after."""
    history = _history(Landed.find(Path(landing_dir), "map", "activity"), "activityDate")
    return datetime.fromtimestamp(history.last, UTC).date()


def _office_hours(day: date, count: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted instants between 08:00 and 20:00 UTC on ``day``: when sales edit CRM records."""
    return np.sort(_day_start(day) + rng.integers(8 * 3600, 20 * 3600, count))


def _crm_delta(
    leads: Landed, contacts: Landed, map_leads: Landed, day: date, rng: np.random.Generator
) -> tuple[pa.Table, pa.Table]:
    """Leads (updated and new) and contacts (updated) to re-deliver on ``day``."""
    synced = map_leads.read().to_pandas()
    lead_rows, contact_rows = leads.read().to_pandas(), contacts.read().to_pandas()

    def when(landed: Landed, count: int) -> list:
        return _timestamps_like(
            _office_hours(day, count, rng), landed.schema.field("SystemModstamp").type
        ).to_pylist()

    lead_ids, contact_ids = _synced_ids(synced, "sfdcLeadId"), _synced_ids(synced, "sfdcContactId")
    lead_delta = pd.concat(
        [
            _updated_titles(lead_rows, lead_ids, CRM_UPDATES, when(leads, CRM_UPDATES), rng),
            _new_leads(lead_rows, lead_ids, day, when(leads, NEW_LEADS), rng),
        ]
    )
    contact_delta = _updated_titles(contact_rows, contact_ids, CRM_UPDATES, when(contacts, CRM_UPDATES), rng)
    return _to_table(lead_delta), _to_table(contact_delta)


def write_next_day(landing_dir: Path, day: date, *, seed: int = 7) -> dict[str, int]:
    """Write one more day of extracts after the world in ``landing_dir``; rows written per object.

    Marketing activities and web page views of existing people dated ``day`` (about the preset's
    daily volume), a few CRM leads and contacts with a changed title, and a few new leads.
    Raises FileExistsError rather than rewrite a file, so a day is written once.
    """
    rng = np.random.default_rng([seed, day.toordinal()])
    found = {
        key: Landed.find(Path(landing_dir), *key.split("/"))
        for key in ("map/activity", "web/page_view", "crm/lead", "crm/contact", "map/lead")
    }
    written = ("map/activity", "web/page_view", "crm/lead", "crm/contact")
    clashing = [str(found[key].delta_path(day)) for key in written if found[key].delta_path(day).exists()]
    if clashing:
        raise FileExistsError(f"the day {day} was already written: {', '.join(clashing)}")

    leads, contacts = _crm_delta(found["crm/lead"], found["crm/contact"], found["map/lead"], day, rng)
    tables = {
        "map/activity": _activities(found["map/activity"], day, rng),
        "web/page_view": _page_views(found["web/page_view"], day, rng),
        "crm/lead": leads,
        "crm/contact": contacts,
    }
    for key, table in tables.items():
        found[key].write(table, found[key].delta_path(day))
    return {key: table.num_rows for key, table in tables.items()}
