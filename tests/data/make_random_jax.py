"""Record JAX's random streams into random_jax.json, for tests/numpy_api/test_random.py.

Run with JAX installed (the values were recorded with JAX 0.10.2 on CPU):

    python tests/data/make_random_jax.py

Each case names a ``jax.random`` function, how its key is made (a seed, raw or typed,
then a chain of ``split``/``fold_in`` steps), its arguments, whether x64 is on, and
JAX's output (dtype, shape and the bytes in hex: exact).
"""

from __future__ import annotations

import importlib
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).with_name("random_jax.json")

SEEDS = [0, 42, -7, 2**33 + 5]
CHAINS = [[], [["split", 3, 2]], [["fold_in", 11], ["split", [2, 2], [1, 0]]]]
FLOAT_SAMPLERS = ["uniform", "normal", "exponential", "gumbel", "logistic", "laplace", "cauchy"]
SHAPES = [[], [7], [3, 5]]


def cases() -> list[dict]:
    out = []

    def add(fn, args=(), kwargs=None, seed=0, typed=False, chain=(), x64=False):
        out.append(dict(fn=fn, args=list(args), kwargs=kwargs or {}, seed=seed, typed=typed,
                        chain=list(chain), x64=x64))

    for seed in SEEDS:
        for typed in (False, True):
            add("key_data", seed=seed, typed=typed)
        for chain in CHAINS:
            add("key_data", seed=seed, chain=chain)
    for x64 in (False, True):
        add("key_data", seed=2**40 + 3, x64=x64)
        add("key_data", seed=-1, x64=x64)
    add("split_data", [5], seed=3)
    add("split_data", [[2, 3]], seed=3, typed=True)
    add("fold_in_data", [2**31 + 9], seed=3)
    for i, (seed, chain) in enumerate([(s, c) for s in SEEDS[:3] for c in CHAINS]):
        typed = i % 2 == 1
        for shape in SHAPES:
            add("bits", [shape], seed=seed, chain=chain, typed=typed)
            for fn in FLOAT_SAMPLERS:
                for dtype in ("float32", "float16"):
                    add(fn, [shape, dtype], seed=seed, chain=chain, typed=typed)
                add(fn, [shape, "float64"], seed=seed, chain=chain, typed=typed, x64=True)
            add("uniform", [shape, "float32", -2.5, 4.0], seed=seed, chain=chain)
            add("randint", [shape, -5, 17], seed=seed, chain=chain)
            add("randint", [shape, 0, 256, "uint8"], seed=seed, chain=chain)
            add("randint", [shape, -(2**31), 2**31 - 1, "int32"], seed=seed, chain=chain)
            add("randint", [shape, 3, 1000], seed=seed, chain=chain, x64=True)
            add("bernoulli", [0.3, shape], seed=seed, chain=chain)
            add("rademacher", [shape], seed=seed, chain=chain)
            add("rademacher", [shape, "float32"], seed=seed, chain=chain)
    for dtype in ("uint8", "uint16", "uint32"):
        add("bits", [[9], dtype], seed=5)
    add("bits", [[9], "uint64"], seed=5, x64=True)
    add("uniform", [[4, 3], "float32", {"array": [[0.0], [1.0], [-3.0], [2.0]]}, 5.0], seed=6)
    add("bernoulli", [{"array": [0.1, 0.5, 0.9]}], seed=6)
    add("truncated_normal", [-1.0, 2.0, [6]], seed=6)
    for seed in (0, 9):
        add("permutation", [10], seed=seed)
        add("permutation", [{"array": np.arange(12).reshape(3, 4).tolist()}, 1], seed=seed)
        add("permutation", [{"array": np.arange(12).reshape(3, 4).tolist()}, 1, True], seed=seed)
        add("permutation", [{"array": np.arange(20).tolist()}], seed=seed, typed=True)
        add("choice", [10, [3]], seed=seed)
        add("choice", [7, [2, 3]], seed=seed)
        add("choice", [{"array": np.arange(12.0).reshape(3, 4).tolist()}, [2]],
            {"axis": 1}, seed=seed)
        add("choice", [10, [4]], {"replace": False}, seed=seed)
        add("choice", [{"array": np.arange(12.0).reshape(4, 3).tolist()}, [2]],
            {"replace": False}, seed=seed)
        logits = np.log([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]).astype(np.float32).tolist()
        add("categorical", [{"array": logits, "dtype": "float32"}], seed=seed)
        add("categorical", [{"array": logits, "dtype": "float32"}],
            {"axis": 0, "shape": [4, 3]}, seed=seed)
        add("categorical", [{"array": logits, "dtype": "float32"}], {"shape": [5, 2]},
            seed=seed)
    for seed, typed, chain in [(0, False, []), (42, True, CHAINS[1]), (-7, False, CHAINS[2])]:
        gamma_family_cases(add, seed, typed, chain)
        count_cases(add, seed, typed, chain)
        weighted_choice_cases(add, seed, typed, chain)
        matrix_cases(add, seed, typed, chain)
    return out


ALPHAS = {"array": [0.2, 0.9, 1.0, 2.5, 7.0, 30.0, 0.05]}


def gamma_family_cases(add, seed, typed, chain) -> None:
    """gamma (its samples, and grad of their sum in a), loggamma, beta, dirichlet,
    generalized_normal and ball."""
    common = dict(seed=seed, typed=typed, chain=chain)
    add("gamma", [ALPHAS], **common)
    add("gamma", [ALPHAS, None, "float16"], **common)
    add("gamma", [ALPHAS], **common, x64=True)
    add("gamma", [3.0, [3, 5]], **common)
    add("gamma", [{"array": [[0.5], [4.0]]}, [2, 3]], **common)
    add("gamma", [1.5], **common)
    add("gamma_grad", [ALPHAS], **common)
    add("loggamma", [ALPHAS], **common)
    add("loggamma", [ALPHAS], **common, x64=True)
    add("beta", [{"array": [0.3, 1.0, 2.0, 5.0]}, {"array": [2.0, 0.5, 2.0, 1.0]}], **common)
    add("beta", [0.5, 0.5, [6]], **common)
    add("dirichlet", [{"array": [0.5, 1.0, 3.0]}], **common)
    add("dirichlet", [{"array": [[0.5, 1.0, 3.0], [2.0, 2.0, 2.0]]}, [4, 2]], **common)
    add("generalized_normal", [1.5, [7]], **common)
    add("ball", [3, 1.5, [4]], **common)
    add("ball", [2], **common)


def count_cases(add, seed, typed, chain) -> None:
    """poisson (both algorithms) and binomial (both algorithms, and the invalid inputs)."""
    common = dict(seed=seed, typed=typed, chain=chain)
    add("poisson", [{"array": [0.0, 0.5, 3.0, 9.9, 10.0, 25.0, 400.0, 1e5]}], **common)
    add("poisson", [4.0, [3, 5]], **common)
    add("poisson", [150.0, [11]], **common)
    add("poisson", [{"array": [2.0, 50.0]}, None, "int64"], **common, x64=True)
    add("binomial", [{"array": [5.0, 20.0, 100.0, 1000.0, 7.5]},
                     {"array": [0.3, 0.9, 0.05, 0.5, 0.6]}], **common)
    add("binomial", [10, 0.3, [3, 4]], **common)
    add("binomial", [{"array": [5.0, -1.0, float("inf"), 10.0, 3.0]},
                     {"array": [float("nan"), 0.3, 0.3, -0.1, 1.5]}], **common)
    add("binomial", [50.0, 0.4, [5]], **common, x64=True)


def weighted_choice_cases(add, seed, typed, chain) -> None:
    """choice with p: with replacement (more than 16 weights: cumsum's blocks) and without."""
    common = dict(seed=seed, typed=typed, chain=chain)
    p10 = {"array": (np.arange(1, 11) / 55).tolist(), "dtype": "float32"}
    p40 = {"array": (np.sin(np.arange(40)) ** 2).tolist(), "dtype": "float32"}
    matrix = {"array": np.arange(12.0).reshape(4, 3).tolist()}
    add("choice", [10, [6]], {"p": p10}, **common)
    add("choice", [40, [3, 4]], {"p": p40}, **common)
    add("choice", [matrix, [5]], {"p": {"array": [0.1, 0.2, 0.3, 0.4]}}, **common)
    add("choice", [10, [4]], {"p": p10, "replace": False}, **common)
    add("choice", [matrix, [2]], {"p": {"array": [0.5, 0.2, 0.3]}, "replace": False,
                                  "axis": 1}, **common)


def matrix_cases(add, seed, typed, chain) -> None:
    """multivariate_normal (each factorisation; batched covariances) and
    orthogonal (square, tall, wide, batched)."""
    common = dict(seed=seed, typed=typed, chain=chain)
    a = np.array([[2.0, 0.3, -0.4], [0.1, 1.5, 0.2], [-0.3, 0.6, 1.0]])
    cov = {"array": (a @ a.T + 0.5 * np.eye(3)).tolist(), "dtype": "float32"}
    mean = {"array": [1.0, -2.0, 0.5], "dtype": "float32"}
    for method in ("cholesky", "eigh", "svd"):
        add("multivariate_normal", [mean, cov, [4]], {"method": method}, **common)
    add("multivariate_normal", [mean, cov], **common)
    add("multivariate_normal", [{"array": [[0.0, 1.0], [2.0, 3.0]]},
                                {"array": [[1.0, 0.5], [0.5, 2.0]]}, [3, 2]], **common)
    add("multivariate_normal", [mean, cov, [2]], {"method": "eigh"}, **common, x64=True)
    add("orthogonal", [3], **common)
    add("orthogonal", [4, [2], None, 2], **common)
    add("orthogonal", [2, [], None, 5], **common)
    add("orthogonal", [5, [], "float64"], **common, x64=True)


def argument(a):
    """A case's argument as the call takes it: lists are shapes, dicts arrays."""
    if isinstance(a, dict) and "array" in a:
        return np.asarray(a["array"], a.get("dtype"))
    return tuple(a) if isinstance(a, list) else a


def make_key(random, case):
    """The case's key, made with ``random`` (``jax.random`` or ``jaxlite.random``)."""
    k = (random.key if case["typed"] else random.PRNGKey)(case["seed"])
    for step in case["chain"]:
        if step[0] == "split":
            k = random.split(k, tuple(step[1]) if isinstance(step[1], list) else step[1])
            k = k[tuple(step[2])] if isinstance(step[2], list) else k[step[2]]
        else:
            k = random.fold_in(k, step[1])
    return k


def call(random, case, key):
    """The case's function of ``key``, with ``random``."""
    fn, args = case["fn"], [argument(a) for a in case["args"]]
    kwargs = {n: argument(v) for n, v in case["kwargs"].items()}
    if fn == "key_data":
        return random.key_data(key)
    if fn == "split_data":
        return random.key_data(random.split(key, *args))
    if fn == "fold_in_data":
        return random.key_data(random.fold_in(key, *args))
    if fn == "gamma_grad":  # the derivative of the samples' sum in the shape parameter
        library = importlib.import_module(random.__name__.split(".")[0])
        return library.grad(lambda a: random.gamma(key, a, *args[1:], **kwargs).sum())(args[0])
    return getattr(random, fn)(key, *args, **kwargs)


def record() -> None:
    import jax

    results = []
    for case in cases():
        jax.config.update("jax_enable_x64", case["x64"])
        out = np.asarray(call(jax.random, case, make_key(jax.random, case)))
        results.append(dict(case, dtype=out.dtype.name, shape=list(out.shape),
                            hex=out.tobytes().hex()))
    jax.config.update("jax_enable_x64", False)
    OUT.write_text(json.dumps({"jax": jax.__version__, "cases": results}, separators=(",", ":")))
    print(f"wrote {len(results)} cases to {OUT}")


if __name__ == "__main__":
    record()
