"""Bundles: several files a school system exports together, read as one import."""
