"""Benchmarks for the performance requirements (REQUIREMENTS P*); figures in docs/performance.md."""
