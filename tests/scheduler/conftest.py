from conftest_loop import cohort, school  # noqa: F401  (fixtures)
