GOTAGS := sqlite_fts5
export CGO_ENABLED := 1

.PHONY: run build test bench lint

run:
	go run -tags $(GOTAGS) ./cmd/switchboard serve

build:
	go build -tags $(GOTAGS) -o bin/switchboard ./cmd/switchboard

# Go tests, then the browser tests (Node's test runner, playwright-core and
# the system Chromium against a real serve; they fail, saying how to
# install Chromium, when it is missing).
test: build
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt would change the files above"; exit 1; }
	go vet -tags $(GOTAGS) ./...
	go test -tags $(GOTAGS) -count=1 ./...
	cd e2e && { test -d node_modules || npm ci --silent --no-audit --no-fund; } && node --test

# Go micro-benchmarks; the figures at a million contacts come from
# cmd/sbbench, with the commands listed in docs/benchmarks.md.
bench:
	go test -tags $(GOTAGS) -run '^$$' -bench . ./...

lint:
	gofmt -l . | tee /dev/stderr | (! read -r _)
	go vet -tags $(GOTAGS) ./...
