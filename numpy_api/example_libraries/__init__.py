"""``jaxlite.example_libraries``: JAX's example libraries (``stax``, ``optimizers``), written
for jaxlite with the same API and numbers. ``jaxlite/__init__.py`` registers the submodules
under their public names (``jaxlite.example_libraries.stax``).
"""
