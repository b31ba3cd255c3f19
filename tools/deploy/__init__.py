"""Deployment tools: the container entry point, the Telegram webhook, conversation retention."""
