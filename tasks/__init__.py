"""Pipeline steps as plain functions, each with a thin Prefect ``@task`` wrapper beside it.

The plain functions are what tests and benchmarks call; flows call the wrappers. Tasks are
per run or per source, never per page: a Prefect task costs milliseconds, a page far less.
"""
