"""Plot helpers the lectures reuse, one module per topic."""
from .diagrams import draw_stacked, draw_unrolled
from .gradients import hidden_gradient_norms, plot_gradient_norms

__all__ = ["draw_stacked", "draw_unrolled", "hidden_gradient_norms", "plot_gradient_norms"]
