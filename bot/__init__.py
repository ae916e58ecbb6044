"""Deal Coach: a Slack bot that coaches sales reps and sales engineers during live deals."""
