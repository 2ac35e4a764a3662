"""Small logistic models stored as reviewed JSON (no pickle): standardize, dot product, sigmoid."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..errors import WeightsError

FORMAT = 1
MODELS = ("passage", "sentence", "answerable", "order", "extent", "runner", "phrase")


@dataclass(frozen=True)
class LinearModel:
    """P(y=1 | x) = sigmoid(((x - mean) / scale) · coef + intercept) over named features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5

    def __post_init__(self) -> None:
        n = len(self.features)
        if not n or any(len(v) != n for v in (self.mean, self.scale, self.coef)):
            raise ValueError("features, mean, scale and coef must have the same, non-zero length")
        if any(not math.isfinite(v) for v in (*self.mean, *self.scale, *self.coef, self.intercept, self.threshold)):
            raise ValueError("every number must be finite")
        if any(v <= 0 for v in self.scale):
            raise ValueError("scale must be positive")

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        # Folded once: (x - m) / s · c + b = x · (c / s) + (b - m · c / s)
        cached = self.__dict__.get("_folded")
        if cached is None:
            coef = np.asarray(self.coef) / np.asarray(self.scale)
            cached = (coef, self.intercept - float(np.dot(self.mean, coef)))
            object.__setattr__(self, "_folded", cached)
        return cached

    def probability(self, x: np.ndarray) -> np.ndarray:
        """One probability per row of `x` (columns in `features` order)."""
        coef, intercept = self._arrays()
        z = np.atleast_2d(np.asarray(x, dtype=np.float64)) @ coef + intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict) -> LinearModel:
        return cls(
            tuple(str(f) for f in data["features"]),
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) for v in data["scale"]),
            tuple(float(v) for v in data["coef"]),
            float(data["intercept"]),
            float(data.get("threshold", 0.5)),
        )


@dataclass(frozen=True)
class Weights:
    """The fitted models the engine answers with: passage ranking, sentence choice, answerability, the
    order the top passages are shown in, how far the answer runs beyond its best sentence, whether the
    runner-up sentence is shown beside it and whether the answer phrase is sure enough to show."""

    passage: LinearModel
    sentence: LinearModel
    answerable: LinearModel
    order: LinearModel
    extent: LinearModel
    runner: LinearModel
    phrase: LinearModel
    source: str = ""

    def check(self, expected: dict[str, tuple[str, ...]]) -> None:
        """Raise WeightsError unless every model uses exactly the features the code computes."""
        for name in MODELS:
            model = getattr(self, name)
            if model.features != tuple(expected[name]):
                raise WeightsError(
                    f"参数文件 {self.source} 中 {name} 模型的特征与程序不符,请运行 `make train` 重新训练。"
                )


def load_weights(path: Path) -> Weights:
    """Read and validate a weights file; a damaged one raises WeightsError with a message that names the fix."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        models = {name: LinearModel.from_dict(data["models"][name]) for name in MODELS}
    except FileNotFoundError as exc:
        raise WeightsError(f"找不到模型参数文件 {path}。请运行 `make train` 生成,或重新安装本项目。") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WeightsError(
            f"模型参数文件 {path} 已损坏或格式不对({exc.__class__.__name__}: {exc})。请运行 `make train` 重新生成。"
        ) from exc
    return Weights(*(models[name] for name in MODELS), source=str(path))


def save_weights(weights: Weights, path: Path, meta: dict) -> None:
    """Write the models and what produced them as indented, reviewable JSON (atomically)."""
    data = {"format": FORMAT, **meta, "models": {name: getattr(weights, name).to_dict() for name in MODELS}}
    tmp = Path(path).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
