"""Literature parameter sets, one module per source (AuthorYear).

Each module registers its citation on import and keeps every value next to
the table or sentence it was read from. Values are SI unless the name says
otherwise.
"""
