"""Allow ``python -m nvreport``."""

from nvreport.cli import run

if __name__ == "__main__":
    run()
