# The two commands a newcomer needs: `make run` and `make test`. Both install what is
# missing first (Debian packages through apt-get), so they work on a fresh machine.

SWIFT ?= swift
APT_PACKAGES := libargon2-dev libsodium-dev pkg-config python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
AUTHZ := .build/debug/authz
POLICIES ?= policies
# How long `make test` lets schemathesis generate requests (scripts/fuzz; its default is 300).
FUZZ_SECONDS ?= 60

.PHONY: deps build test lint format run policy bench clean

## Install the system libraries the package links (libargon2, libsodium) when missing.
deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

## The formatting rules of .swift-format (Hummingbird's own), checked strictly: every file of
## Sources, Tests and Benchmarks as `swift format` would write it. `make format` rewrites them so.
FORMATTED := Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/Benchmarks
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMATTED)

format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMATTED)

## Everything: the formatting check (lint), the Swift test suites (the store suite against SQLite and against a throwaway
## PostgreSQL server that scripts/with-postgres installs, starts and removes), then the policy
## folder's own validation and test suites, then the served pages in headless Chromium
## (scripts/browser-test installs chromium, chromium-driver and Selenium in .build/), then
## schemathesis with every check against the debug binary for FUZZ_SECONDS (scripts/fuzz).
test: deps lint
	scripts/with-postgres sh -c '$(SWIFT) test && \
		$(AUTHZ) migrate --database-url "$$AUTHZ_TEST_POSTGRES_URL" && \
		$(AUTHZ) migrate --database-url "$$AUTHZ_TEST_POSTGRES_URL" && \
		$(AUTHZ) migrate --database-url "sqlite://$$(mktemp -d)/authz.sqlite"'
	$(AUTHZ) policy validate $(POLICIES)
	$(AUTHZ) policy test $(POLICIES)
	scripts/browser-test
	AUTHZ_BINARY=$(AUTHZ) scripts/fuzz $(FUZZ_SECONDS)

## Builds, checks the policy, and serves on the embedded SQLite default (Ctrl-C stops it). On
## an empty store the platform admin's API key is printed once. What is not built yet, it says.
run: build
	@$(AUTHZ) policy validate $(POLICIES)
	@echo
	@echo "Serving on http://127.0.0.1:3001 with the embedded SQLite store (.data/authz.sqlite)."
	@echo "Built: API keys and JWT sign-in, /v1/me*, organizations, teams, invitations, checks and"
	@echo "lookups, audit logs, providers, jobs, workflows, assets, usage, event streams (SSE and"
	@echo "WebSocket) and public shares (README: Try it); the API is described at"
	@echo "http://127.0.0.1:3001/docs. Not built: gRPC and the web console (later milestones)."
	@echo "Ctrl-C stops the server."
	@echo
	$(AUTHZ) serve

policy: build
	$(AUTHZ) policy validate $(POLICIES)
	$(AUTHZ) policy test $(POLICIES)

## The evaluator and key-verification benchmarks (a separate package; release build, several
## minutes the first time). The HTTP load test is scripts/load.
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build Benchmarks/.build
