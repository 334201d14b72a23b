"""Helpers for scripts/goldens.py (PyTorch reference data for the shapesafe tests)."""
