# CoResponse: `make demo` runs the main job on the embedded default; `make test` runs every check.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_CALLS ?= 500000
# The demo year ends today, so "the last 12 months" and overdue follow-ups mean what they say.
DEMO_START ?= $(shell date -u -d '365 days ago' +%Y-%m-%d)
HOST ?= 127.0.0.1
PORT ?= 8000
export CORESPONSE_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo demo-data test lint typecheck contracts pytest bench serve clean remarks-model

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo-data: $(STAMP)
	mkdir -p $(CORESPONSE_DATA_DIR)/demo
	$(BIN)/coresponse synth --city seattle --calls $(DEMO_CALLS) --seed 2025 --start $(DEMO_START) --out $(CORESPONSE_DATA_DIR)/demo/seattle_calls.csv
	$(BIN)/coresponse cad import $(CORESPONSE_DATA_DIR)/demo/seattle_calls.csv --profile seattle
	$(BIN)/coresponse directory import demo/hsds_sample
	$(BIN)/coresponse casework seed-demo
	$(BIN)/coresponse casework link-calls
	$(BIN)/coresponse triage replay --protocol civilian-first --compare co-responder --html $(CORESPONSE_DATA_DIR)/reports/replay.html

demo: demo-data
	$(BIN)/coresponse serve --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/coresponse serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck contracts pytest

# Retrain the remarks reader's shipped model from the labelled set (docs/remarks.md): the patterns
# were tuned on some splits (remarks_model.PATTERNS_TUNED_SPLITS); the blind ones are never trained on.
LABELLED := src/coresponse/triage/data/remarks_labelled.csv
remarks-model: $(STAMP)
	$(BIN)/coresponse triage train-remarks $(LABELLED) --out src/coresponse/triage/data/remarks_model.json --shipped-splits

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
