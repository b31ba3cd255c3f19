"""Operator tools: add topics, check data, retrain, evaluate, promote, review conversations.

Named `operator_tools` so it never shadows the standard library's `operator` module.
Everything here except `pipeline.py` is plain Python (no Rasa imports).
"""
