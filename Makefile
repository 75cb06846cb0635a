# Shortcuts for ./plaza (which needs nothing but bash and Python 3.11).
.PHONY: run test bench
run:
	./plaza run
test:
	./plaza test
bench:
	./plaza bench gateway
