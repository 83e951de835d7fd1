"""Builds the planner's native search core; everything else is in pyproject.toml.

The extension is optional: without a C++ compiler the install still succeeds
and the planner uses its pure-Python path (the OR-Tools search).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "planner.search._alns",
            sources=["planner/search/_alns.cpp"],
            language="c++",
            extra_compile_args=["-O2", "-std=c++17"],
            optional=True,
        )
    ]
)
