"""Rendering: the model through the Jinja2 templates, black, and the detail models."""
