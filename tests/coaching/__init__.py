"""Tests for :mod:`bot.coaching`."""
