"""Slack plumbing: ids, form parsing, error replies, the user directory."""
