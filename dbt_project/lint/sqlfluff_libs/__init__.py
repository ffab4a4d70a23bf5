"""Stand-ins for dbt's Jinja namespace when sqlfluff lints with its jinja templater.

sqlfluff (see the repository's ``.sqlfluff``, ``library_path``) exposes the public names of this
package to the templates, so ``{{ dbt.type_timestamp() }}`` and friends render to the SQL that
dbt's default implementations produce. Only rendering for lint happens here; dbt itself never
imports this package.
"""

from __future__ import annotations

_TYPES = {
    "type_string": "varchar",
    "type_timestamp": "timestamp",
    "type_bigint": "bigint",
    "type_int": "integer",
    "type_float": "float",
    "type_numeric": "numeric(28, 6)",
    "type_boolean": "boolean",
}


class _DbtNamespace:
    """``dbt.<macro>(...)``: types as SQL type names, functions as their default SQL."""

    def __getattr__(self, name: str):
        if name in _TYPES:
            return lambda: _TYPES[name]
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: f"{name}({', '.join(str(a) for a in args)})"


dbt = _DbtNamespace()


class _ColumnStandIn:
    name = "stand_in_column"

    def is_number(self) -> bool:
        return False


class _AdapterStandIn:
    """``adapter``: no warehouse at lint time, so no relation exists and every relation has one column."""

    def get_relation(self, *args, **kwargs):
        return None

    def get_columns_in_relation(self, *args, **kwargs):
        return [_ColumnStandIn()]


adapter = _AdapterStandIn()
