-- (a) The holder's compare page with a different holding on every request: a principal
-- of $1,000 to $1,000,000 and a consummation date from Oct 7, 2003 to Jun 30, 2004.
dofile(os.getenv("BENCH_LOAD_DIR") .. "/common.lua")

local first_day = os.time({year = 2003, month = 10, day = 7, hour = 12})
local days = 267 -- Oct 7, 2003 .. Jun 30, 2004

function request()
  local principal = math.random(1000, 1000000)
  local consummation = os.date("!%Y-%m-%d", first_day + math.random(0, days) * 86400)
  return wrk.format("GET", "/?principal=" .. principal .. "&consummation=" .. consummation)
end
