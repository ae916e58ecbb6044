"""The local console: the real app against a local Slack stand-in."""
