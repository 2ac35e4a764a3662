"""The fitted models: their features (`features`), their JSON form (`linear`) and their training (`train`)."""

from .linear import LinearModel, Weights, load_weights

__all__ = ["LinearModel", "Weights", "load_weights"]
