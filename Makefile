# The README's commands. Every target installs what it needs into .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# llama-cpp-python compiles llama.cpp from source. A native build may use CPU
# features the machine advertises but its hypervisor does not allow (AMX here:
# a segfault on the first token), so build a portable AVX2 wheel once and keep it
# in a cache of our own, keyed by version and flags (pip's cache ignores flags).
LLAMA_VERSION := 0.3.36
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
else
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF
endif
WHEEL_DIR ?= $(HOME)/.cache/contentgen/wheels/llama-$(LLAMA_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | md5sum | cut -c1-8)

.PHONY: demo test lint install messages makemessages bench bench-quality clean

demo: install messages
	$(PY) -m devtools.demo

# Lint first: a style slip, a cycle or an upward import fails here, not in production.
test: install messages lint
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@if ! ls $(WHEEL_DIR)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "Building llama-cpp-python $(LLAMA_VERSION) once (about 6 minutes on 2 cores)..."; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip wheel --quiet --no-cache-dir --no-deps \
			-w $(WHEEL_DIR) llama-cpp-python==$(LLAMA_VERSION); \
	fi
	$(PY) -m pip install --quiet --find-links $(WHEEL_DIR) -e '.[test,local]'
	@# The admin browser test drives Debian's chromium; Playwright's own download cannot run here.
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the admin browser test..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	touch $(STAMP)

# Throughput at the provider's limit (see bench/throughput.py for options: BENCH_ARGS=...).
bench: install messages
	$(PY) -m bench.throughput $(BENCH_ARGS)

# The quality gate on the labelled corpus: per language, bad answers caught and good passed.
bench-quality: install
	$(PY) -m bench.quality $(BENCH_ARGS)

# Catalogs are compiled with Babel's own compiler: no system gettext needed.
messages: install
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

# For contributors: extract new strings (needs GNU gettext, as Django's command does).
makemessages: install
	$(PY) manage.py makemessages --locale es --locale ru --locale en --ignore '.venv/*' --ignore 'var/*'

clean:
	rm -rf $(VENV) var
