"""Benchmarks: jaxlite against hand-written NumPy, and against JAX and HIPS autograd when installed.

Run from the repository root::

    python -m benchmarks                      # every workload, about 3 minutes
    python -m benchmarks tracing grad --quick # a subset, as a fast smoke run

Workloads (one module each): ``tracing`` (make_jaxpr cost per op), ``grad`` (eager grad of
a small scalar function), ``mlp`` (value_and_grad of a 3-layer MLP), ``chain`` (eager grad
of a long elementwise chain: does cost grow linearly?) and ``vmap`` (per-example gradients).
Every program is written once against a NumPy-like module (``programs.py``) and run with
``jaxlite.numpy``, ``jax.numpy`` and ``autograd.numpy``; ``numpy_ref.py`` holds the
hand-written NumPy derivatives that serve as the floor.

This module imports nothing: ``__main__`` pins the thread pools before NumPy is loaded.
"""
