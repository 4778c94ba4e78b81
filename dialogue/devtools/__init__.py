"""Developer tooling: demo data, bench data and benchmarks (app label `devtools`).

Installed by the local, test and bench settings only; production settings leave it
out, so `seed_demo` (accounts with a published password), `generate_bench_data`,
`benchmark` and the benchmark URLconf do not exist in a deployment. It imports the
app freely; nothing in the app imports it.
"""
