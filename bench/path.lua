-- motcua bench: GET one fixed path with a bearer token (lists, reports).
local token = os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH")

function request()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

function response(status)
  if status ~= 200 then io.stderr:write(path .. " answered " .. status .. "\n") end
end
