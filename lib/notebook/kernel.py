"""Where lib's code runs: in a notebook kernel or not, and whether a reader is watching."""
import os
import sys


def ipython_kernel():
    """The running IPython kernel's shell, or None outside a notebook kernel.

    A kernel has imported IPython long before lib; a script has not, and this
    does not import it there.
    """
    if "IPython" not in sys.modules:
        return None
    shell = sys.modules["IPython"].get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return shell


def live_updates_wanted() -> bool:
    """Whether a notebook reader may be watching (False under LIB_BOARD=final)."""
    return os.environ.get("LIB_BOARD", "live") != "final"
