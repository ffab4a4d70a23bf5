"""Writing extract files the way real exports look, streamed so that big tables never sit in memory.

CRM files are Data Loader style: UTF-8 with BOM, CRLF line ends, every value quoted (RFC 4180),
empty field for null. Marketo files are CSV with LF. Web page views are JSON lines (or Parquet for
the large preset). Times are ISO-8601 UTC with milliseconds, dates ``YYYY-MM-DD``, booleans
``true``/``false``.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

TS_FORMAT = "%Y-%m-%dT%H:%M:%S.000Z"
BOM = "\ufeff".encode()


def epoch_to_text(values: pd.Series | np.ndarray, fmt: str = TS_FORMAT) -> pa.Array:
    """Epoch seconds (nullable) to formatted UTC text."""
    s = pd.Series(values)
    mask = s.isna().to_numpy()
    ints = pa.array(s.fillna(0).to_numpy(dtype=np.int64), mask=mask).cast(pa.timestamp("s", tz="UTC"))
    return pc.strftime(ints, format=fmt)


def timestamps_as_text(table: pa.Table) -> pa.Table:
    """Replace every timestamp column by its ISO-8601 text, for text formats."""
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            table = table.set_column(i, field.name, pc.strftime(table.column(i), format=TS_FORMAT))
    return table


def frame_to_arrow(df: pd.DataFrame, types: dict[str, str]) -> pa.Table:
    """Output columns of a record frame as arrow, by kind: ts, date, bool, int, float or text (default)."""
    arrays = {}
    for col in [c for c in df.columns if not c.startswith("_")]:
        kind = types.get(col, "str")
        values = df[col]
        if kind == "ts":
            arrays[col] = epoch_to_text(values)
        elif kind == "date":
            arrays[col] = epoch_to_text(values, "%Y-%m-%d")
        elif kind == "bool":
            arrays[col] = pa.array(values.astype(object).where(values.notna(), None).tolist(), pa.bool_())
        elif kind == "int":
            arrays[col] = pa.array(pd.to_numeric(values).astype("Int64"), pa.int64())
        elif kind == "float":
            arrays[col] = pa.array(pd.to_numeric(values).astype("Float64"), pa.float64())
        else:
            text = values.astype(object).where(values.notna() & (values.astype(str) != ""), None)
            arrays[col] = pa.array(text.tolist(), pa.string())
    return pa.table(arrays)


class CsvStream:
    """One CSV file written table by table; raw (malformed) lines can be slipped in between."""

    def __init__(self, path: Path, *, bom: bool, eol: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.eol = eol
        self.rows = 0
        self._sink = path.open("wb")
        if bom:
            self._sink.write(BOM)
        self._writer: pacsv.CSVWriter | None = None
        self._schema: pa.Schema | None = None

    def write(self, table: pa.Table) -> None:
        table = timestamps_as_text(table)
        if self._writer is None:
            self._schema = table.schema
            options = pacsv.WriteOptions(eol=self.eol, quoting_style="needed", quoting_header="needed")
            self._writer = pacsv.CSVWriter(self._sink, table.schema, write_options=options)
        self._writer.write_table(table.cast(self._schema))
        self.rows += table.num_rows

    def write_raw(self, line: str) -> None:
        """A raw line (already terminated) at the current position, for deliberately malformed rows."""
        assert self._writer is not None, "write the header (a table) first"
        self._sink.flush()
        self._sink.write(line.encode())

    def close(self) -> list[Path]:
        if self._writer is not None:
            self._writer.close()
        self._sink.close()
        return [self.path]


class JsonLinesStream:
    """JSON lines written chunk by chunk through DuckDB (which keeps URLs unescaped and row order)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = 0
        self._sink = path.open("wb")
        self._con = duckdb.connect()
        self._con.execute("SET preserve_insertion_order = true")
        self._tmp = path.with_suffix(".part.tmp")

    def write(self, table: pa.Table) -> None:
        self._con.register("chunk", timestamps_as_text(table))
        self._con.execute(f"COPY (SELECT * FROM chunk) TO '{self._tmp}' (FORMAT JSON)")
        self._con.unregister("chunk")
        self._sink.write(self._tmp.read_bytes())
        self._tmp.unlink()
        self.rows += table.num_rows

    def close(self) -> list[Path]:
        self._sink.close()
        self._con.close()
        return [self.path]


class ParquetStream:
    """Parquet part files of about ``rows_per_part`` rows each (timestamps stay typed)."""

    def __init__(self, path: Path, rows_per_part: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.base = path
        self.rows_per_part = rows_per_part or 1 << 62
        self.rows = 0
        self.files: list[Path] = []
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_part = 0

    def write(self, table: pa.Table) -> None:
        if self._writer is None or self._rows_in_part >= self.rows_per_part:
            if self._writer is not None:
                self._writer.close()
            part = self.base.with_name(f"{self.base.stem}_part{len(self.files) + 1:04d}.parquet")
            self.files.append(part)
            self._writer = pq.ParquetWriter(part, table.schema, compression="zstd")
            self._rows_in_part = 0
        self._writer.write_table(table, row_group_size=1_000_000)
        self._rows_in_part += table.num_rows
        self.rows += table.num_rows

    def close(self) -> list[Path]:
        if self._writer is not None:
            self._writer.close()
        return self.files


def csv_line(values: list[str | None], eol: str) -> str:
    """One RFC 4180 line with every non-null value quoted, as Data Loader writes it."""
    out = io.StringIO()
    out.write(",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in values))
    out.write(eol)
    return out.getvalue()
