"""Developer tools: build, train, run, chat with and evaluate the bot (the Makefile calls them)."""
