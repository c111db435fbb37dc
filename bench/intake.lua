-- motcua bench: durable intake. Each request is a clerk receiving a
-- dossier; clerks of many agencies take turns so no agency runs out of
-- its 9,999 dossier numbers of the day.
local clerks = {}
local n = 0

local bodies = {
  commune = '{"procedure_code":"1.001193","channel":"direct","applicant":{"name":"Nguyễn Văn An",' ..
            '"id_number":"038090001234","phone":"0912345678","address":"Thanh Hóa"},' ..
            '"documents":[{"name":"Tờ khai","kind":"original","count":1}]}',
  province = '{"procedure_code":"1.013831","channel":"online","applicant":{"name":"Trần Thị Bình",' ..
             '"id_number":"038090005678","phone":"0987654321","address":"Thanh Hóa"},' ..
             '"documents":[{"name":"Đơn đăng ký","kind":"original","count":1}]}',
}

function init(args)
  for line in io.lines(os.getenv("BENCH_CLERKS")) do
    local token, level = line:match("^(%S+)%s+(%S+)$")
    if token then clerks[#clerks + 1] = { token = token, level = level } end
  end
  n = math.random(#clerks)
end

function request()
  n = n % #clerks + 1
  local c = clerks[n]
  return wrk.format("POST", "/api/v1/dossiers", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. c.token,
  }, bodies[c.level])
end

function response(status)
  if status ~= 201 then
    io.stderr:write("intake answered " .. status .. "\n")
  end
end
