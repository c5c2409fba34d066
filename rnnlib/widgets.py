"""Interactive controls for the lectures. Each widget only wires sliders to a plain plotting
function of rnnlib.plots, which the notebooks also call once with defaults, so that the saved
notebook shows the figure even where no kernel runs."""
import ipywidgets as widgets  # noqa: F401
import matplotlib.pyplot as plt  # noqa: F401


# --- Lectures 7-9: gradients through time, temperature ---------------------------------------


def gradient_lag_explorer(*, spectral_norm=1.0, T=50):
    """Sliders for the largest singular value s of the recurrent matrix and the sequence
    length T, redrawing rnnlib.plots.plot_gradient_vs_lag: the gradient norm against lag
    next to its bound s**lag."""
    from .plots.memory import plot_gradient_vs_lag

    def show(spectral_norm, T):
        plot_gradient_vs_lag(spectral_norm, T)
        plt.show()

    return widgets.interactive(
        show,
        spectral_norm=widgets.FloatSlider(value=spectral_norm, min=0.5, max=2.5, step=0.05,
                                          description="s", continuous_update=False),
        T=widgets.IntSlider(value=T, min=10, max=100, step=5, description="T",
                            continuous_update=False),
    )


def temperature_explorer(scores, chars, *, temperature=1.0):
    """A temperature slider redrawing rnnlib.plots.plot_temperature for the given next-character
    scores (V,) and characters: the chosen temperature next to T = 1."""
    from .plots.memory import plot_temperature

    def show(temperature):
        plot_temperature(scores, chars, sorted({1.0, float(temperature)}))
        plt.show()

    return widgets.interactive(
        show,
        temperature=widgets.FloatSlider(value=temperature, min=0.1, max=3.0, step=0.1,
                                        description="T", continuous_update=False),
    )
