"""Learned scoring outside SQL: a scikit-learn challenger to the scoring model dbt learns from examples."""
