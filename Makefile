.PHONY: run test bench
run:   ## set up everything and start Deskpilot with demo data on http://127.0.0.1:8000
	./scripts/run.sh
test:  ## set up everything and run the whole test suite
	./scripts/test.sh
