.PHONY: run test test-real-model bench
# `make run PORT=8100 HOST=0.0.0.0` chooses where the server listens. Only values given on
# the make command line count: a PORT or HOST in the environment often belongs to something else
# (DESKPILOT_PORT / DESKPILOT_HOST are the settings for that).
SERVE_ARGS = $(if $(filter command line,$(origin HOST)),--host $(HOST)) \
             $(if $(filter command line,$(origin PORT)),--port $(PORT))

run:   ## set up everything and start Deskpilot with demo data on http://127.0.0.1:8000
	./scripts/run.sh $(SERVE_ARGS)
test:  ## set up everything and run the whole test suite
	./scripts/test.sh
test-real-model:  ## a scripted conversation against a real small model (llama-cpp-python, Gemma 3 270M)
	./scripts/test-real-model.sh
