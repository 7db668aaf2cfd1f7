"""Scripts run from the repository root: ``python -m scripts.screenshots``; serve_class.sh and test.sh by path."""
