"""The project's own tooling, apart from what the Rasa and action servers load.

`tools.dev` builds, trains, runs and evaluates the bot; `tools.operators` is what career
advisers run (add a topic, retrain, roll back, review); `tools.deploy` serves and maintains
a deployment; `tools.bench` measures speed and memory. Run them through the Makefile.
"""
