"""Custom Rasa NLU graph components and the pure modules behind them."""
