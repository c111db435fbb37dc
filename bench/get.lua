-- motcua bench: GET a dossier by code. The requests are formatted once, in
-- init, from a file of codes in random order; each connection walks it from
-- its own random start. (Formatting a request per call, and a response()
-- hook, cost wrk a third of a core that the server on the same two cores
-- then lacked.) wrk's own summary counts answers that are not 2xx.
local reqs = {}
local n = 0

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
  for code in io.lines(os.getenv("BENCH_CODES")) do
    reqs[#reqs + 1] = wrk.format("GET", "/api/v1/dossiers/" .. code, headers)
  end
  n = math.random(#reqs)
end

function request()
  n = n % #reqs + 1
  return reqs[n]
end
