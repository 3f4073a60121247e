"""Allow ``python -m nvreport``."""

from nvreport.cli.app import main

if __name__ == "__main__":
    main()
