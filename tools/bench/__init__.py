"""Benchmarks: latency, throughput, start-up, memory, scale-out and training time (`make bench`)."""
