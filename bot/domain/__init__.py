"""Plain data every layer shares: no session, no Slack client, no settings.

Services build these values, ``blocks`` renders them; neither has to import the other.
"""
