-- motcua bench: GET a dossier by code (random codes from a file).
local codes = {}
local token = os.getenv("BENCH_TOKEN")

function init(args)
  for line in io.lines(os.getenv("BENCH_CODES")) do codes[#codes + 1] = line end
end

function request()
  local code = codes[math.random(#codes)]
  return wrk.format("GET", "/api/v1/dossiers/" .. code, { ["Authorization"] = "Bearer " .. token })
end

function response(status)
  if status ~= 200 then io.stderr:write("get answered " .. status .. "\n") end
end
