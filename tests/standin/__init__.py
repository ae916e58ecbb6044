"""Tests of the local Slack stand-in."""
