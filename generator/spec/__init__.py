"""The spec: load a YAML spec with positions, check it, report every problem as a Diagnostic."""
