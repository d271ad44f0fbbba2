-- A GET as a logged-in candidate (cookie from the environment), for pages behind a session.
local cookie = os.getenv("BENCH_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end
dofile("bench/report.lua")
