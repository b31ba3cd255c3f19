"""Our own Rasa NLU components (config.yml) and the pure modules they wrap."""
