-- motcua bench: GET one fixed path with a bearer token (lists, reports).
-- A static request: wrk sends it without calling into Lua. wrk's summary
-- counts answers that are not 2xx.
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
