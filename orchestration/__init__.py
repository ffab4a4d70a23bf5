"""The B2B lead and account scoring warehouse: ingestion, orchestration and tooling."""
