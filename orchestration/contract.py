"""The landing contract: which source objects exist, where their files land, their columns.

The single source of truth is the dbt sources YAML under ``dbt_project/models/staging/<system>/``:
each table carries ``meta.landing`` (the folder under the landing directory), ``meta.primary_key``
and columns with ``data_type`` and ``meta.required``. Ingestion, the Dagster asset graph and the
tests read it from here so that no object name is written twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from orchestration.settings import DBT_PROJECT_DIR

SUPPORTED_TYPES = {"varchar", "bigint", "double", "boolean", "date", "timestamp"}


@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    required: bool


@dataclass(frozen=True)
class SourceObject:
    """One source object: a landing folder feeding one raw table."""

    system: str
    name: str
    schema: str
    identifier: str
    landing: str
    primary_key: str
    columns: tuple[ContractColumn, ...]

    @property
    def raw_table(self) -> str:
        """Fully qualified raw table name, e.g. ``raw.crm__account``."""
        return f"{self.schema}.{self.identifier}"

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_types(self) -> dict[str, str]:
        return {c.name: c.data_type for c in self.columns}


def _sources_files(dbt_project_dir: Path) -> list[Path]:
    return sorted((dbt_project_dir / "models" / "staging").glob("*/_*__sources.yml"))


def parse_sources_file(path: Path) -> list[SourceObject]:
    """Read the source objects declared in one dbt sources YAML file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    objects = []
    for source in document.get("sources", []):
        for table in source.get("tables", []):
            meta = table.get("meta") or {}
            columns = []
            for column in table.get("columns", []):
                data_type = column.get("data_type", "varchar")
                if data_type not in SUPPORTED_TYPES:
                    raise ValueError(
                        f"{path}: {source['name']}.{table['name']}.{column['name']} has data_type "
                        f"{data_type!r}; the landing contract supports {sorted(SUPPORTED_TYPES)}"
                    )
                required = bool((column.get("meta") or {}).get("required", False))
                columns.append(ContractColumn(column["name"], data_type, required))
            objects.append(
                SourceObject(
                    system=source["name"],
                    name=table["name"],
                    schema=source.get("schema", "raw"),
                    identifier=table.get("identifier", table["name"]),
                    landing=meta["landing"],
                    primary_key=meta["primary_key"],
                    columns=tuple(columns),
                )
            )
    return objects


@cache
def load_contract(dbt_project_dir: Path = DBT_PROJECT_DIR) -> tuple[SourceObject, ...]:
    """Every source object of the landing contract, in a stable order."""
    objects: list[SourceObject] = []
    for path in _sources_files(dbt_project_dir):
        objects.extend(parse_sources_file(path))
    return tuple(objects)


def get_source_object(system: str, name: str) -> SourceObject:
    for source_object in load_contract():
        if source_object.system == system and source_object.name == name:
            return source_object
    raise KeyError(f"no source object {system}.{name} in the landing contract")
