"""story."""
