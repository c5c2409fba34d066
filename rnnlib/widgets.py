"""Interactive controls for the lectures. Each widget only wires sliders to a plain plotting
function of rnnlib.plots, which the notebooks also call once with defaults, so that the saved
notebook shows the figure even where no kernel runs."""
import ipywidgets as widgets  # noqa: F401
import matplotlib.pyplot as plt  # noqa: F401
