"""hdnd: deadlines and obligations between Vietnam's People's Councils and People's Committees."""

__version__ = "0.1.0"


def main() -> None:
    """The `hdnd` command. `hdnd --version` answers before the command line library is imported."""
    import gc
    import sys

    # A short-lived process whose records form no cycles: the cyclic collector would only walk the
    # growing heap again and again (a third of the run time with 100k entries).
    gc.disable()
    if sys.argv[1:] == ["--version"]:
        print(f"hdnd {__version__}")
        return
    from .cli.main import main as run

    run()
