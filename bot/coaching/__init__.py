"""Coaching arithmetic: the expert trap and business-hours clocks."""
