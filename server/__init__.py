"""How this project starts Rasa: the stock server plus our small, documented fixes."""
