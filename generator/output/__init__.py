"""Output: write packages atomically, the build cache, wheels and uploads, vendoring."""
