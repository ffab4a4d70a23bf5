"""The benchmark: a preset's full build and next-day run, measured (time, CPU, memory, rows).

``measure`` holds the pure measuring helpers, ``run`` the benchmark and its reports.
"""
