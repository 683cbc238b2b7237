"""Pytest set-up shared by the unit tests and nbval."""
import os

# Kernels started by nbval inherit this: each training run stores one final
# figure instead of live frames, so stored outputs can be compared.
os.environ.setdefault("LIB_BOARD", "final")
# Draw off-screen in this process only: an MPLBACKEND variable would be inherited by the
# nbval kernels and replace their inline backend, so plt.show() would output nothing.
import matplotlib  # noqa: E402
matplotlib.use("Agg")
