"""Operator commands: teach the bot topics, retrain it safely, learn from real conversations."""
