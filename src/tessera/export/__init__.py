"""Exports that analysts' tools read."""
