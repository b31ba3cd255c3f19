"""Pure domain logic for the assistant: no Rasa imports, easy to unit-test."""
