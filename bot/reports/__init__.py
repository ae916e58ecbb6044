"""What managers see: figures over rows a service loaded, the chart, nothing that talks to Slack."""
