"""Readers, one per input format, each yielding the pipeline's canonical columns."""
