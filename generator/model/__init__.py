"""The intermediate model: plain data the templates render, built from a checked spec."""
