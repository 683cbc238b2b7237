"""The test layers, marked by file: `unit` (lib alone, seconds), `notebook` (the chapters'
files or a kernel). Browser tests carry `browser` in their own files.

`make unit` runs `-m unit`. A test of a unit file that is marked `slow` (it starts a kernel
or sweeps for several seconds) counts as `notebook` instead.
"""
from pathlib import Path

import pytest

UNIT_FILES = {
    "test_base.py", "test_board.py", "test_checks.py", "test_complexity_sliders.py",
    "test_data.py", "test_hostile_inputs.py", "test_images.py",
    "test_import.py", "test_lib_source.py", "test_measures.py", "test_models.py",
    "test_original_chapter_code.py", "test_plotting.py", "test_polynomial.py",
    "test_slider_ranges.py", "test_training_sliders.py", "test_utils.py",
    "test_weight_decay_data.py", "test_widgets.py",
}
NOTEBOOK_FILES = {
    "test_nbconvert.py", "test_portable_markdown.py", "test_prose_numbers.py",
    "test_reliability.py", "test_widget_state.py", "test_widget_versions.py",
}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        name = Path(str(item.fspath)).name
        if name in UNIT_FILES and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.unit)
        elif name in UNIT_FILES or name in NOTEBOOK_FILES:
            item.add_marker(pytest.mark.notebook)
