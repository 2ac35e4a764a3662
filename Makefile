# One-command set-up: `make run` (chat in the browser) and `make test` (every test).
VENV   ?= .venv
PYTHON ?= python3
TORCH  ?= torch==2.13.0
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test index eval browser clean loadtest bench

install: $(STAMP)

# CPU torch first: a bare `torch` requirement would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(PY) app.py

index: install
	$(VENV)/bin/qa build-index

eval: install
	$(VENV)/bin/qa eval --questions ../shared/eval/dev.jsonl

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

loadtest: install
	$(PY) scripts/loadtest.py --clients 16 --seconds 60

bench: install
	cd bench && ../$(PY) latency.py && ../$(PY) cold_start.py && ../$(PY) build.py && ../$(PY) scale.py && ../$(PY) report.py
