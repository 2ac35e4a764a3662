# One-command set-up: `make run` (chat in the browser) and `make test` (every test).
VENV   ?= .venv
PYTHON ?= python3
TORCH  ?= torch==2.13.0
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test index eval eval-public eval-news train browser clean loadtest bench
SETS := ../shared/eval/external/cmrc2018-trial.json ../shared/eval/external/drcd-test.json

install: $(STAMP)

# CPU torch first: a bare `torch` requirement would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[dev,train,milvus]"
	$(PY) -m qa.text.english  # the English→Chinese table, built once into the user cache
	touch $(STAMP)

run: install
	$(PY) app.py

index: install
	$(VENV)/bin/qa build-index

eval: install
	$(VENV)/bin/qa eval --questions ../shared/eval/dev.jsonl
	$(VENV)/bin/qa eval --questions tests/data/new-classes.jsonl

# Real news pages (.txt and .html, one GBK, one traditional) added as a reader adds them, each asked its own questions.
NEWS ?= ../shared/eval/news
eval-news: install
	$(VENV)/bin/qa eval --news $(NEWS)

# The public sets as a benchmark (each context an article), beside the BM25 baseline.
eval-public: install
	$(VENV)/bin/qa eval $(addprefix --squad ,$(SETS))

# Fit the passage, sentence and answerability models on the public sets (deterministic, minutes).
train: install
	$(PY) -m qa.learn.train $(addprefix --squad ,$(SETS)) --out qa/data/weights.json

# Chromium and a CJK font for the browser test (Debian; needs root, else that test skips).
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "提示:未安装 chromium,浏览器测试将跳过(sudo apt-get install chromium fonts-noto-cjk)"; fi

test: install browser
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache

# wrk (Debian) drives the JSON and OpenAI routes; installed here when running as root.
loadtest: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		echo "提示:需要 wrk(sudo apt-get install wrk)"
	$(PY) scripts/loadtest.py --clients 16,256,1024 --seconds 30

bench: install
	cd bench && ../$(PY) latency.py && ../$(PY) cold_start.py && ../$(PY) build.py && ../$(PY) scale.py && \
		../$(PY) add_article.py && ../$(PY) cli_add.py && ../$(PY) milvus_scale.py && ../$(PY) report.py
