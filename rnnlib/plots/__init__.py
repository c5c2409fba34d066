"""Plot helpers the lectures reuse, one module per topic. Every public function draws on an
Axes (a new figure when none is given) and returns it."""
from . import diagrams, gradients, memory, series, training
from .diagrams import draw_stacked, draw_unrolled
from .gradients import hidden_gradient_norms, plot_gradient_norms
from .memory import *  # noqa: F403
from .series import *  # noqa: F403
from .training import *  # noqa: F403
