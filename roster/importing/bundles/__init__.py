"""Bundles: several files a school system exports together, read as one import.

Each kind (oneroster.py: OneRoster 1.1 and 1.2; canvas.py: Canvas SIS import; clever.py:
Clever SFTP) recognises its files by name and headers (bundle.find_files) and reads them
into tables of people (bundle.BundleTable); registry.take_bundles asks each in turn.
"""
