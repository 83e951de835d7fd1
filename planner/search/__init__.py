"""How the planner searches.

- `native`: the production search, an adaptive large neighbourhood search in
  C++ (`_alns.cpp`, built by ``make install``) with exact DARP schedules.
- `portfolio`, `slices`, `decompose`, `clusters`, `bundles`: the pure-Python
  path on OR-Tools (used when the core is not built, or with
  ``SolveParams(engine="ortools")``), and the plain baseline for benchmarks.
- `ortools_model`: the one module that imports OR-Tools.
- `result`: what a search returns (indices, not ids).
"""
