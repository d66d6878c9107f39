"""The Slack platform: a bolt ``AsyncApp`` that turns Slack payloads into neutral events and back."""
