-- A GET as a logged-in candidate (cookie from the environment), for pages behind a session;
-- with BENCH_HX_TARGET, as htmx asks for one partial of the page (quizapp.htmx.render_page).
local cookie = os.getenv("BENCH_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end
local target = os.getenv("BENCH_HX_TARGET")
if target then
  wrk.headers["HX-Request"] = "true"
  wrk.headers["HX-Target"] = target
end
dofile("bench/report.lua")
