"""Ingestion assets: one per source object of the landing contract."""
