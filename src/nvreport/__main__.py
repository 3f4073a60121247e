"""Allow ``python -m nvreport``."""

from nvreport.cli import main

if __name__ == "__main__":
    main()
