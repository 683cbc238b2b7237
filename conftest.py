"""Pytest set-up shared by the unit tests and nbval."""
import os

# Kernels started by nbval inherit this: each training run stores one final
# figure instead of live frames, so stored outputs can be compared.
os.environ.setdefault("LIB_BOARD", "final")
os.environ.setdefault("MPLBACKEND", "Agg")
