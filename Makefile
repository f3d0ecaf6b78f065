# The project's commands. Each installs what is missing and is fast when nothing is.
#   make serve   build Python if needed, then serve the REPL on http://127.0.0.1:8080
#   make test    every test (what CI runs)
#   make dist    the production static site in dist/
#   make bench   benchmarks, side by side, as a table of figures and ratios
#   make bench-web-example   CPython's own web example (python.html): first prompt, 100 000 lines
SHELL := /usr/bin/env
.SHELLFLAGS := bash -euo pipefail -c

CACHE_DIR := $(or $(PYREPL_CACHE_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/py-repl-web)
export PATH := $(CACHE_DIR)/tools/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export TRUNK_OFFLINE := true
TRUNK := trunk

.PHONY: serve test dist bench bench-web-example tools npm python-dist test-native test-wasm test-python test-regrtest test-e2e test-engines test-readme lint

# A development build (with trunk's live-reload client) in a directory of its own, so that
# dist/, the site a teacher publishes, never holds one.
serve: tools npm python-dist
	$(TRUNK) serve --dist target/serve

tools:
	@.ci/ensure-tools all >/dev/null

npm: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

python-dist:
	python-dist/build.sh

dist: tools npm python-dist
	$(TRUNK) build --release
	@# wasm-opt shrinks the two Rust binaries (it prints their sizes before and after); sw.js
	@# is rebuilt after it so the cache version matches the files.
	@.ci/wasm-opt dist/*.wasm
	@TRUNK_STAGING_DIR=dist bash src/service_worker/make-service-worker.sh
	@ls -l dist/*.wasm dist/python/*.wasm dist/python/*.zip | awk '{print "  " $$5 "\t" $$9}'

lint: tools
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

test-native:
	cargo test

test-wasm: tools
	cargo test --target wasm32-unknown-unknown --test web

test-python: npm python-dist
	node --test tests/python-dist/

test-regrtest: python-dist
	node tests/python-dist/regrtest.mjs

test-e2e: dist
	node --test --test-concurrency=1 tests/e2e/repl.test.mjs tests/e2e/tty.test.mjs tests/e2e/editor.test.mjs tests/e2e/workspace.test.mjs tests/e2e/pages.test.mjs tests/e2e/turtle.test.mjs
	@# The REPL's tests again with CPython's new REPL chosen (the page's "New REPL").
	REPL=pyrepl node --test --test-concurrency=1 tests/e2e/repl.test.mjs tests/e2e/tty.test.mjs

# The student's session, and the faults a student can trigger, in Chromium, Firefox and
# WebKit (ENGINES=firefox,webkit to choose), with real key events under Xvfb.
test-engines: dist
	node --test --test-concurrency=1 tests/e2e/engines.test.mjs tests/e2e/faults.test.mjs

# The README's other commands (make serve, make bench) work as it says.
test-readme: dist
	node --test --test-concurrency=1 tests/e2e/readme-commands.test.mjs

test: tools npm python-dist lint test-native test-wasm test-python test-regrtest test-e2e test-engines test-readme

bench: dist
	node tests/bench/bench.mjs

# CPython's own web example, linked from python-dist's objects (python-dist/build-web-example.sh)
# and measured alone (tests/bench/web-example.mjs, a module bench.mjs can use for side-by-side figures).
bench-web-example: npm python-dist
	node tests/bench/web-example.mjs
