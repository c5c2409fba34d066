"""rnnlib: the small numpy library of the recurrent neural networks course.

Layers are pairs of plain functions, `*_forward(...) -> (out, cache)` and
`*_backward(dout, cache) -> grads`, batch-first: x (N, T, D), h (N, T, H).
"""
from .cells import cell_backward, cell_forward, init_cell
from .data import (
    adding_problem,
    echo_task,
    load_eeg,
    load_goog,
    load_stock_prices,
    noisy_sine,
    seasonal_series,
    sliding_windows,
)
from .deep import count_parameters, deep_rnn_backward, deep_rnn_forward, init_deep_rnn
from .gradcheck import check_gradients, numerical_gradient, numerical_gradient_array, rel_error
from .gru import gru_backward, gru_forward, gru_step_backward, gru_step_forward
from .layers import (
    affine_backward,
    affine_forward,
    embedding_backward,
    embedding_forward,
    mse_loss,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)
from .lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward, sigmoid
from .models import CharRNN, SequenceRegressor
from .optim import SGD, Adagrad, Adam, Momentum, clip_by_global_norm, clip_by_value, global_norm
from .rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .text import Vocabulary, load_zen, stream_batches
from .train import TrainingDiverged, fit, train_char_model
from .univariate import (
    ewma,
    fixed_points,
    half_life,
    impulse_response,
    univariate_rnn,
    univariate_rnn_backward,
    univariate_rnn_forward,
    univariate_stack,
)

__version__ = "0.1.0"
