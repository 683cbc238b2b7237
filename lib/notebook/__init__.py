"""The notebook machinery: what shows lib's figures in Jupyter, and the book's sliders.

Nothing in the teaching core imports this package when it is imported itself:
`import lib` in a plain script loads neither IPython nor ipywidgets.

- kernel: whether the code runs in a notebook kernel, and whether a reader watches
- images: figures as PNGs, sharp on high-density screens and small (Pillow)
- figure_lint: refuses figures whose curves differ by color alone
- frames: a ProgressBoard's figure, updated in place in a notebook
- widgets: the slider widget, which draws its figures in advance or on demand
- slider_figures: a training run drawn as a slider's figure
- training_sliders, complexity_sliders: the book's sliders
"""
