"""Names of slack_sdk's OAuth tables, importable without loading the OAuth stack itself."""

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"
