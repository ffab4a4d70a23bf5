"""Learning assets: the scikit-learn challenger to the SQL-learned scoring model."""
