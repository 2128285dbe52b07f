"""Allow ``python -m dermalase``."""

from dermalase.cli import main

main()
