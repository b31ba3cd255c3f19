# The project's vocabulary. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# pyenv reads .python-version (3.10: Rasa 3.6 does not support newer Pythons).
PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help install spacy train run test lint format validate test-unit test-stories test-safety \
        evaluate evaluate-dev evaluate-heldout evaluate-conversations evaluate-safety cross-validate shell clean \
        security soak purge-conversations \
        telegram-webhook bench widget-deps

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

install: $(INSTALLED) ## Create .venv and install the pinned dependencies

$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' || { \
	  echo "Python 3.10 is required (Rasa 3.6 stops at 3.10); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "With pyenv: 'pyenv install 3.10' (.python-version selects it), or run 'make PYTHON=python3.10 ...'."; \
	  exit 1; }
	@test -x $(BIN)/python || { echo "Creating $(VENV) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "Installing pinned dependencies (first time: a few minutes) ..."
	$(BIN)/python -m pip install --quiet --upgrade pip==24.0
	$(BIN)/python -m pip install --quiet --progress-bar off -r requirements-dev.txt
	@touch $@

spacy: install ## Build the project's spaCy pipeline (once per pipeline version)
	$(BIN)/python -m tools.dev.build_spacy_pipeline

train: spacy ## Train a model if the data, domain or config changed
	$(BIN)/python -m tools.dev.train_if_needed >/dev/null

run: train ## Set up, train if needed, start the action server and Rasa (Ctrl-C stops)
	$(BIN)/python -m tools.dev.run

shell: train ## Chat with the bot in the terminal (ACTION_PORT=5055)
	$(BIN)/python -m tools.dev.shell

telegram-webhook: install ## Register the Telegram webhook (TELEGRAM_* variables, see docs/channels.md)
	$(BIN)/python -m tools.deploy.telegram_webhook

lint: install ## Lint and check formatting (ruff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Fix lint and formatting where ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# tools/operators/pipeline.py only opens loopback URLs it builds (B310); it is left out
# until its urlopen lines carry their `# nosec B310` like tools/dev/stack.py's.
security: install ## Static security check (bandit; skips justified in bandit.yml)
	$(BIN)/bandit -c bandit.yml -r actions channels components server tools -q

soak: train ## 10-minute steady load on loopback: errors and memory (MINUTES=10 RATE=3)
	$(BIN)/python -m tools.dev.soak --minutes $${MINUTES:-10} --rate $${RATE:-3}

purge-conversations: install ## Delete conversations older than DAYS (or RETENTION_DAYS)
	$(BIN)/python -m tools.deploy.purge_conversations $${DAYS:+--days $$DAYS}

validate: install ## Check the training data and domain (rasa data validate)
	$(BIN)/rasa data validate

test-stories: train ## Dialogue tests: tests/test_stories.yml must pass 100%
	$(BIN)/rasa test core --stories tests/test_stories.yml --fail-on-prediction-errors \
	  --model "$$($(BIN)/python -m tools.dev.train_if_needed 2>/dev/null)" --out results/stories

test-safety: train ## Safety messages through the whole model (NLU + dialogue): must pass 100%
	$(BIN)/rasa test core --e2e --stories tests/test_safety_stories.yml --fail-on-prediction-errors \
	  --model "$$($(BIN)/python -m tools.dev.train_if_needed 2>/dev/null)" --out results/safety

evaluate-dev: train ## Dev evaluation against a freshly started bot (gates: 95% / 90%)
	$(BIN)/python -m tools.dev.evaluate_bot

evaluate-heldout: train ## Held-out sets written apart from the training data (report only, no gate)
	$(BIN)/python -m tools.dev.evaluate_bot --cases tests/eval/heldout_v2_cases.yml \
	  --name heldout_v2 --min-in-scope 0 --min-out-of-scope 0
	for set in heldout_conversations heldout_conversations_v2 heldout_conversations_v3 heldout_conversations_v4 heldout_conversations_v5 heldout_conversations_v6 heldout_conversations_v7 heldout_conversations_v8 heldout_conversations_v9 heldout_conversations_v10 heldout_conversations_v11 heldout_conversations_v12 heldout_conversations_v13 heldout_conversations_v14 heldout_conversations_v15 heldout_conversations_v16 heldout_conversations_v17 heldout_conversations_v18 heldout_conversations_v19; do \
	  $(BIN)/python -m tools.dev.evaluate_bot --conversations --cases tests/eval/$$set.yml \
	    --name $$set --min-in-scope 0 --min-out-of-scope 0 || exit 1; done
	$(BIN)/python -m tools.dev.evaluate_bot --cases tests/eval/heldout_cases.yml \
	  --name heldout_v1 --min-in-scope 0 --min-out-of-scope 0

evaluate-safety: train ## Held-out safety messages through the whole NLU: misses and false alarms (report only)
	$(BIN)/python -m tools.dev.evaluate_safety --messages tests/eval/safety_messages.yml
	for set in safety_messages_v2 safety_messages_v3 safety_messages_v4 safety_messages_v5 safety_messages_v6 safety_messages_v7 safety_messages_v8 safety_messages_v9 safety_messages_v10 safety_messages_v11 safety_messages_v12 safety_messages_v13 safety_messages_v14 safety_messages_v15 safety_messages_v16 safety_messages_v17 safety_messages_v18 safety_messages_v19; do \
	  $(BIN)/python -m tools.dev.evaluate_safety --messages tests/eval/$$set.yml || exit 1; done

evaluate-conversations: train ## The shared dev conversations, turn by turn, with the button crawl (report only)
	$(BIN)/python -m tools.dev.evaluate_bot --conversations --cases ../shared/eval/dev_conversations.yml \
	  --name dev_conversations --min-in-scope 0 --min-out-of-scope 0

# The widget's npm packages: esbuild (rebuilding dist/) and axe-core, which the browser test
# loads into the page from node_modules. npm ci writes node_modules/.package-lock.json.
WIDGET_MODULES := widget/node_modules/.package-lock.json
$(WIDGET_MODULES): widget/package.json widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund
	@touch $@

widget-deps: $(WIDGET_MODULES) ## Install the widget's npm packages (esbuild, axe-core)

test-unit: install $(WIDGET_MODULES) ## pytest: actions, pure modules, tools, browser
	$(BIN)/python -m pytest

test: lint security validate train test-stories test-safety evaluate-dev test-unit ## Everything CI runs

cross-validate: spacy ## 5-fold NLU cross-validation, reports under results/ (COMPARE=1: also the old DIET pipeline)
	$(BIN)/python -m tools.dev.cross_validate $${COMPARE:+--compare}

evaluate: cross-validate evaluate-dev evaluate-conversations evaluate-heldout ## Cross-validation plus every evaluation

bench: train ## Latency, throughput, start-up, memory, scale-out and training figures (results/bench.md)
	$(BIN)/python -m tools.bench.run_bench $(BENCH_ARGS)

clean: ## Remove built pipelines, models and results (keeps .venv)
	rm -rf build results models/*.tar.gz

# ---------------------------------------------------------------- operators (docs/operators.md)
.PHONY: add-topic check-data retrain rollback model-status review import-labels

add-topic: spacy ## Add a topic from FILE=<topic.yml|csv>: check, answer live, train, gate, promote
	@test -n "$(FILE)" || { echo "Usage: make add-topic FILE=examples/topics/path_overview.yml"; exit 2; }
	$(BIN)/python -m tools.operators add-topic "$(FILE)" $(if $(CONFLICTS),--conflicts $(CONFLICTS)) $(if $(FORCE),--force)

check-data: install ## Check the training data (our checks + rasa data validate)
	$(BIN)/python -m tools.operators check

retrain: spacy ## Train on the current data, evaluate against the bot in service, promote
	$(BIN)/python -m tools.operators retrain

rollback: install ## Serve the previously promoted model again
	$(BIN)/python -m tools.operators rollback

model-status: install ## Which model is promoted, and the one rollback returns to
	$(BIN)/python -m tools.operators status

review: install ## Export questions the bot handled badly to results/review.csv
	$(BIN)/python -m tools.operators review

import-labels: spacy ## Merge a labelled review CSV (FILE=...) into the data, answer it live, retrain
	@test -n "$(FILE)" || { echo "Usage: make import-labels FILE=results/review.csv"; exit 2; }
	$(BIN)/python -m tools.operators import-labels "$(FILE)"
