"""`python -m tutor.cli`."""

from .main import main

main()
