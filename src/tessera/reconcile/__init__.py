"""Reconciliation: claims about the same relation or event -> agreement, precision, conflicts."""
from .reconciler import Reconciled, reconcile

__all__ = ["Reconciled", "reconcile"]
