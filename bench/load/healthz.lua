-- (c) For reference: the health check on the same server (one SELECT 1, a small JSON body).
dofile(os.getenv("BENCH_LOAD_DIR") .. "/common.lua")

function request()
  return wrk.format("GET", "/healthz")
end
