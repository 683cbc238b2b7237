"""Tests for lib/board.py: the ProgressBoard in a script, headless, and live in a notebook."""
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest
import torch
from nbclient import NotebookClient

import lib as d2l

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def curve_styles(board):
    return [(line.get_linestyle(), line.get_color()) for line in board.figure().axes[0].lines]


# -- collecting points ---------------------------------------------------------------------
def test_a_board_made_without_arguments_plots(tmp_path):
    board = d2l.ProgressBoard()
    for x in range(3):
        board.draw(x, x ** 2, "y")
    assert board.curves() == {"y": [(0.0, 0.0), (1.0, 1.0), (2.0, 4.0)]}
    assert board.png().startswith(PNG_SIGNATURE)
    assert board.summary() == "ProgressBoard: y=4 at x=2"


def test_points_are_averaged_in_groups_of_every_n():
    board = d2l.ProgressBoard()
    for x in range(1, 6):
        board.draw(x, 10 * x, "loss", every_n=2)
    assert board.points["loss"] == [(1.5, 15.0), (3.5, 35.0)]
    assert board.curves()["loss"][-1] == (5.0, 50.0)  # the unfinished group is shown too


def test_nan_and_infinite_points_are_skipped():
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss", every_n=2)
    board.draw(1, math.nan, "loss", every_n=2)
    board.draw(2, math.inf, "loss", every_n=2)
    board.draw(math.nan, 5.0, "loss", every_n=2)
    board.draw(2, 3.0, "loss", every_n=2)
    assert board.curves() == {"loss": [(1.0, 2.0)]}
    assert "nan" not in board.summary() and "inf" not in board.summary()


def test_tensor_values_are_accepted():
    board = d2l.ProgressBoard()
    board.draw(torch.tensor(1), torch.tensor(0.5), "loss")
    assert board.curves() == {"loss": [(1.0, 0.5)]}


def test_a_single_point_is_drawn_visibly():
    board = d2l.ProgressBoard()
    board.draw(1, 2.0, "val_loss")
    (line,) = board.figure().axes[0].lines
    assert list(line.get_xdata()) == [1.0] and list(line.get_ydata()) == [2.0]
    assert line.get_marker() not in (None, "", " ", "None")
    assert board.png().startswith(PNG_SIGNATURE)


def test_many_curves_each_get_their_own_line_legend_and_look():
    board = d2l.ProgressBoard()
    labels = [f"curve_{i}" for i in range(12)]
    for label in labels:
        for x in range(3):
            board.draw(x, x + len(label), label)
    axes = board.figure().axes[0]
    words = [f"curve {i}" for i in range(12)]
    assert [line.get_label() for line in axes.lines] == words
    assert [text.get_text() for text in axes.get_legend().get_texts()] == words
    assert len(set(curve_styles(board))) == len(labels)


def test_the_legend_and_y_label_say_in_words_what_is_plotted():
    board = d2l.ProgressBoard(xlabel="epoch")
    board.draw(0, 1.0, "train_loss")
    board.draw(0, 2.0, "val_loss")
    axes = board.figure().axes[0]
    assert [text.get_text() for text in axes.get_legend().get_texts()] == \
        ["training loss", "validation loss"]
    assert axes.get_ylabel() == "loss"
    board.draw(0, 3.0, "val_acc")  # curves of different quantities: no shared y label
    assert board.figure().axes[0].get_ylabel() == ""
    board.ylabel = "mean squared error"  # one that is set wins
    assert board.figure().axes[0].get_ylabel() == "mean squared error"


def test_an_empty_board_still_makes_a_figure():
    board = d2l.ProgressBoard()
    assert board.png().startswith(PNG_SIGNATURE)
    assert board.summary() == "ProgressBoard: no points yet"


def test_display_false_collects_nothing():
    board = d2l.ProgressBoard(display=False)
    board.draw(1, 1.0, "loss")
    assert board.curves() == {}


def test_settings_apply_at_the_next_redraw():
    board = d2l.ProgressBoard(xlabel="epoch")
    board.draw(1, 10.0, "loss")
    board.draw(2, 1.0, "loss")
    board.yscale, board.xlim, board.title = "log", [0, 5], "a title"
    axes = board.figure().axes[0]
    assert axes.get_yscale() == "log" and axes.get_xlim() == (0.0, 5.0)
    assert axes.get_xlabel() == "epoch" and axes.get_title() == "a title"
    assert board.summary().endswith("(a title)")
    board.clear()
    assert board.curves() == {}


# -- in a script -----------------------------------------------------------------------------
def test_save_writes_a_png(tmp_path):
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")
    board.draw(1, 0.5, "loss")
    path = tmp_path / "board.png"
    board.save(str(path))
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_show_outside_a_notebook_hands_pyplot_a_figure_with_the_curves(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: shown.append(plt.gcf()))
    board = d2l.ProgressBoard()
    for label in ("train_loss", "val_loss"):
        board.draw(0, 1.0, label)
        board.draw(1, 0.5, label)
    board.show()
    assert len(shown) == 1
    assert [line.get_label() for line in shown[0].axes[0].lines] == ["training loss", "validation loss"]
    plt.close(shown[0])


def test_training_outside_a_notebook_prints_nothing(capsys):
    d2l.set_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2, num_train=64,
                                       num_val=64)
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    d2l.Trainer(max_epochs=2).fit(model, data)
    assert capsys.readouterr() == ("", "")
    assert len(model.board.curves()["train_loss"]) == 4


SCRIPT = textwrap.dedent("""
    import sys
    import torch
    import lib as d2l

    d2l.set_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2)
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    d2l.Trainer(max_epochs=2).fit(model, data)
    model.board  # a bare expression prints nothing in a script
    print(model.board)
    model.board.save(sys.argv[1])
""")


@pytest.mark.slow
def test_a_plain_python_script_prints_no_figures_or_escape_codes(tmp_path):
    script, picture = tmp_path / "train.py", tmp_path / "board.png"
    script.write_text(SCRIPT)
    environment = {k: v for k, v in os.environ.items() if k not in ("LIB_BOARD", "MPLBACKEND")}
    result = subprocess.run([sys.executable, str(script), str(picture)], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "<Figure" not in output and "\x1b" not in output
    assert result.stdout.startswith("<ProgressBoard: train_loss=")
    assert result.stdout.count("\n") == 1
    assert picture.read_bytes().startswith(PNG_SIGNATURE)


# -- in a notebook kernel --------------------------------------------------------------------------
SETUP = """\
import os
import time
import torch
import lib as d2l
d2l.set_seed(0)
data = d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2)

def slow_curve(points):
    \"\"\"Draw `points` points on a new board, 10 ms apart; return the seconds taken.\"\"\"
    board, start = d2l.ProgressBoard(), time.monotonic()
    for i in range(points):
        board.draw(i, 1 / (i + 1), "loss")
        time.sleep(0.01)
    return time.monotonic() - start"""
ONE_FIT = """\
model = d2l.LinearRegressionScratch(2, lr=0.03)
d2l.Trainer(max_epochs=3).fit(model, data)"""
TWO_FITS = """\
for lr in (0.03, 0.1):
    d2l.Trainer(max_epochs=2).fit(d2l.LinearRegression(lr=lr), data)"""
SLOW_HEADLESS = "seconds = slow_curve(60)"
LIVE = """\
os.environ["LIB_BOARD"] = "live"
print(f"{slow_curve(120):.3f}")"""


class RecordingClient(NotebookClient):
    """A notebook client that also records every message the kernel sends."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.messages = []

    def process_message(self, msg, cell, cell_index):
        content = msg["content"]
        self.messages.append((cell_index, msg["msg_type"], "image/png" in content.get("data", {})))
        return super().process_message(msg, cell, cell_index)


@pytest.fixture(scope="module")
def executed():
    """Run a five-cell notebook headless (LIB_BOARD=final); its last cell switches to live mode."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)
                      for source in (SETUP, ONE_FIT, TWO_FITS, SLOW_HEADLESS, LIVE)]
    client = RecordingClient(notebook, timeout=120, kernel_name="python3",
                             resources={"metadata": {"path": str(ROOT)}})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIB_BOARD", "final")
        client.execute()
    return notebook, client.messages


def figures_in(cell) -> list:
    return [output for output in cell.outputs if "image/png" in output.get("data", {})]


def frames_sent(messages, cell_index: int) -> list:
    return [kind for index, kind, has_png in messages if index == cell_index and has_png]


@pytest.mark.slow
def test_headless_execution_stores_exactly_one_figure_per_fit(executed):
    notebook, messages = executed
    assert figures_in(notebook.cells[0]) == []
    assert len(figures_in(notebook.cells[1])) == 1
    assert len(figures_in(notebook.cells[2])) == 2
    assert frames_sent(messages, 1) == ["display_data"]
    assert frames_sent(messages, 3) == ["display_data"]  # no live frames, however long it runs
    summary = figures_in(notebook.cells[1])[0]["data"]["text/plain"]
    assert summary.startswith("ProgressBoard: train_loss=") and "val_loss=" in summary


@pytest.mark.slow
def test_no_cell_prints_figure_reprs(executed):
    notebook, _ = executed
    for cell in notebook.cells:
        for output in cell.outputs:
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            assert "<Figure" not in text and "\x1b" not in text


@pytest.mark.slow
def test_live_mode_updates_one_display_a_few_times_a_second(executed):
    notebook, messages = executed
    (printed,) = [output for output in notebook.cells[4].outputs if output.output_type == "stream"]
    seconds = float(printed["text"])
    frames = frames_sent(messages, 4)
    assert frames[0] == "display_data"
    assert set(frames[1:]) == {"update_display_data"}  # in place, never a second figure
    assert "clear_output" not in [kind for index, kind, _ in messages if index == 4]
    assert seconds > 1 and 2 <= len(frames) <= 120 / 4  # far fewer frames than points
    # The rate itself is checked with a fake clock (test_frames_are_sent_at_most_every_quarter_second)
    assert len(figures_in(notebook.cells[4])) == 1


def test_frames_are_sent_at_most_every_quarter_second(monkeypatch, fake_shell):
    """120 points 10 ms apart on a fake clock: a frame at 0.25, 0.5, 0.75 and 1.0 s, then
    the final one when the cell ends, all shown in one display."""
    from lib.notebook.frames import MIN_SECONDS_BETWEEN_FRAMES, NotebookFrames
    shell, clock, sent = fake_shell, [0.0], []

    class Handle:
        def update(self, data, raw, metadata):
            sent.append(("update", clock[0]))

    def display(data, raw, metadata, display_id):
        sent.append(("display", clock[0]))
        return Handle()

    monkeypatch.setattr("lib.notebook.frames.ipython_kernel", lambda: shell)
    monkeypatch.setattr("lib.notebook.frames.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("IPython.display.display", display)
    monkeypatch.setenv("LIB_BOARD", "live")
    frames = NotebookFrames(lambda final: ({"image/png": b""}, {}), lambda: True)
    for step in range(120):
        clock[0] = step * 0.01
        frames.point_added()
    shell.events.trigger("post_run_cell", None)
    times = [when for _, when in sent]
    assert [kind for kind, _ in sent] == ["display"] + ["update"] * 4
    assert all(later - earlier >= MIN_SECONDS_BETWEEN_FRAMES - 1e-9
               for earlier, later in zip(times[:4], times[1:4]))
    assert times[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
