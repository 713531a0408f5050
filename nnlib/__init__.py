"""nnlib: a neural network from scratch in NumPy, for the notebook series.

The tutorial's network: one hidden layer of sigmoid units, sigmoid
outputs, full-batch gradient descent. Then what students ask for next:
any number of hidden layers, each of its own width (hidden_size=[8, 8]),
tanh, ReLU and leaky ReLU units (activation="relu"), and softmax outputs
with the categorical cross-entropy for more than two classes (loss="cce").
Shape letters everywhere: N samples, D inputs, H hidden units, M outputs.

Modules, in the order the series meets them:

    activations  sigmoid, tanh, relu, leaky_relu, each with its derivative,
                 and softmax; ACTIVATIONS (the hidden layers' choices) and
                 OUTPUTS: each activation's function, derivative, range
                 and fast forms
    data         the seed's four samples, XOR, moons, spirals (of two
                 classes or more), and train_test_split to hold out a test set
    params       init_params: the starting weights (uniform, Xavier or He)
    network      forward (the one forward pass), backward, predict, accuracy
    losses       mean squared error, binary and categorical cross-entropy:
                 each loss's value, output error dL/dZ2, display name and
                 output layer, in LOSSES
    gradcheck    gradient_check against finite differences, and
                 gradient_errors: the error of every entry
    training     train: the gradient descent loop
    original     the seed notebook's code as published, bug included

The course's machinery, which a student need not read, is one folder down in
`nnlib.course`: the exercise checks, the shared figures, the learning-rate
sweep and the dashboard. The checks on arguments are in `nnlib._validate`,
so that each lesson function starts with its maths.
"""

from .activations import (leaky_relu, leaky_relu_derivative, relu, relu_derivative, sigmoid, sigmoid_derivative,
                          softmax, tanh, tanh_derivative)
from .data import moons, one_hot, seed_data, spirals, train_test_split, xor_data
from .gradcheck import gradient_check, gradient_errors, numerical_gradient, relative_error
from .losses import bce_loss, cce_loss, mse_loss
from .network import accuracy, backward, forward, predict
from .params import count_params, init_params
from .training import TrainResult, train

from . import original  # the seed's code, used as nnlib.original

__all__ = [
    "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu", "relu_derivative",
    "leaky_relu", "leaky_relu_derivative", "softmax",
    "seed_data", "xor_data", "moons", "spirals", "one_hot", "train_test_split",
    "init_params", "count_params",
    "forward", "backward", "predict", "accuracy",
    "mse_loss", "bce_loss", "cce_loss",
    "gradient_check", "gradient_errors", "numerical_gradient", "relative_error",
    "train", "TrainResult",
    "original",
]
