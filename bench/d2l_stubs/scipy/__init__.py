"""Stand-in for scipy (d2l 1.0.3 imports scipy.spatial; the benchmark never uses it)."""
