# The two commands a newcomer needs: `make run` and `make test`. Both install what is
# missing first (Debian packages through apt-get), so they work on a fresh machine.

SWIFT ?= swift
APT_PACKAGES := libargon2-dev libsodium-dev pkg-config python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
AUTHZ := .build/debug/authz
POLICIES ?= policies
# How long `make test` lets schemathesis generate requests (scripts/fuzz; its default is 300).
FUZZ_SECONDS ?= 60

.PHONY: deps build test lint format run policy bench proto clean

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
## Sources (but the generated Sources/AuthzProto), Tests and Benchmarks as `swift format` would write it. `make format` rewrites them so.
FORMATTED := Package.swift $(filter-out Sources/AuthzProto,$(wildcard Sources/*)) Tests Benchmarks/Package.swift Benchmarks/Benchmarks
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMATTED)

format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMATTED)

## Everything: the formatting check (lint), the Swift test suites (the store suite against SQLite and against a throwaway
## PostgreSQL server that scripts/with-postgres installs, starts and removes), then the policy
## folder's own validation and test suites, then the served pages in headless Chromium
## (scripts/browser-test installs chromium, chromium-driver and Selenium in .build/), then a
## Python gRPC client generated from proto/ (scripts/grpc-client-test, grpcio-tools in .build/),
## then schemathesis with every check against the debug binary for FUZZ_SECONDS (scripts/fuzz).
test: deps lint
	scripts/with-postgres sh -c '$(SWIFT) test && \
		$(AUTHZ) migrate --database-url "$$AUTHZ_TEST_POSTGRES_URL" && \
		$(AUTHZ) migrate --database-url "$$AUTHZ_TEST_POSTGRES_URL" && \
		$(AUTHZ) migrate --database-url "sqlite://$$(mktemp -d)/authz.sqlite"'
	$(AUTHZ) policy validate $(POLICIES)
	$(AUTHZ) policy test $(POLICIES)
	scripts/browser-test
	scripts/grpc-client-test
	AUTHZ_BINARY=$(AUTHZ) scripts/fuzz $(FUZZ_SECONDS)

## Builds, checks the policy, and serves on the embedded SQLite default (Ctrl-C stops it). On
## an empty store the platform admin's API key is printed once.
run: build
	@$(AUTHZ) policy validate $(POLICIES)
	@echo
	@echo "Serving on http://127.0.0.1:3001 and gRPC on 127.0.0.1:3002 with the embedded SQLite store (.data/authz.sqlite)."
	@echo "Built: API keys and JWT sign-in, /v1/me*, organizations, teams, invitations, checks and"
	@echo "lookups, audit logs, providers, jobs, workflows, assets, usage, event streams (SSE and"
	@echo "WebSocket) and public shares (README: Try it); the API is described at"
	@echo "http://127.0.0.1:3001/docs; the gRPC API in proto/authz/v1/authz.proto; the admin"
	@echo "console at http://127.0.0.1:3001/console (sign in with the key printed below)."
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

## Regenerates Sources/AuthzProto from proto/ (committed; nothing is generated at build time).
## Builds the two protoc plugins from the package's own dependencies first: about ten minutes
## the first time (`make proto PLUGIN_BUILD=debug` reuses a debug build's modules: faster
## where `swift build` has already run; the generated code is the same).
PLUGIN_BUILD ?= release
PLUGINS := .build/$(PLUGIN_BUILD)
proto: deps
	@dpkg -s protobuf-compiler >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq protobuf-compiler; }
	$(SWIFT) build -c $(PLUGIN_BUILD) --product protoc-gen-swift
	$(SWIFT) build -c $(PLUGIN_BUILD) --product protoc-gen-grpc-swift-2
	rm -f Sources/AuthzProto/*.swift
	protoc -I proto \
		--plugin=protoc-gen-swift=$(PLUGINS)/protoc-gen-swift --plugin=protoc-gen-grpc-swift-2=$(PLUGINS)/protoc-gen-grpc-swift-2 \
		--swift_out=Sources/AuthzProto --swift_opt=Visibility=Public,FileNaming=PathToUnderscores,UseAccessLevelOnImports=true \
		--grpc-swift-2_out=Sources/AuthzProto \
		--grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores,UseAccessLevelOnImports=true \
		authz/v1/authz.proto grpc/health/v1/health.proto

clean:
	rm -rf .build Benchmarks/.build
