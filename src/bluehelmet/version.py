"""The package version, on the ground floor: the builder stamps it into every database and
the web reports it, and neither should import the package root to learn it."""

__all__ = ["__version__", "SCHEMA_VERSION"]

__version__ = "0.1.0"

#: the shape of the database: bumped whenever a table or column is added, renamed or
#: dropped. The builder stamps it into ``build_info``; the read side refuses a database
#: of another shape with a one-line "rebuild" instead of failing on a missing table.
SCHEMA_VERSION = 8
