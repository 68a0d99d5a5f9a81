-- (b) The baseline: a trivial Django view on the same server (lexp_site/bench.py, mounted
-- only when BENCH_BASELINE=1): every middleware, no database, a 3-byte body.
dofile(os.getenv("BENCH_LOAD_DIR") .. "/common.lua")

function request()
  return wrk.format("GET", "/bench/trivial")
end
