"""``python -m guildhall``: the ``guildhall`` command."""

from guildhall.cli.app import main

if __name__ == "__main__":
    main()
