-- Lua benchmark: string building, formatting, pattern matching, sorting with a comparator and
-- protected calls (written for walic's suite). Usage: lua strings.lua [rounds]
local scale = tonumber(arg and arg[1]) or 5

local syllables = { "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "an", "el", "or", "ish",
                    "ven", "tor", "qua", "zen", "dra", "mon", "lux", "ber" }

local state = 777
local function random(n)
  state = (state * 1103515245 + 12345) % 2147483648
  return state % n
end

local function make_text(words)
  local parts = {}
  for i = 1, words do
    local w = {}
    for _ = 1, 1 + random(3) do w[#w + 1] = syllables[1 + random(#syllables)] end
    parts[#parts + 1] = table.concat(w)
    if i % 12 == 0 then parts[#parts + 1] = "\n" .. random(100000) .. ":" end
  end
  return table.concat(parts, " ")
end

local results = {}
for round = 1, scale do
  local text = make_text(120000)

  -- Word frequencies with gmatch.
  local freq, distinct = {}, 0
  for word in text:gmatch("%a+") do
    if not freq[word] then distinct = distinct + 1; freq[word] = 0 end
    freq[word] = freq[word] + 1
  end

  -- Sort distinct words by frequency, then alphabetically (a Lua comparator per comparison).
  local words = {}
  for w in pairs(freq) do words[#words + 1] = w end
  table.sort(words, function(a, b)
    if freq[a] ~= freq[b] then return freq[a] > freq[b] end
    return a < b
  end)

  -- gsub with a function replacement, find and sub.
  local replaced, count = text:gsub("(%d+):", function(d) return "<" .. (tonumber(d) % 97) .. ">" end)
  local found, position = 0, 1
  while true do
    local s, e = replaced:find("zen%a*", position)
    if not s then break end
    found = found + 1
    position = e + 1
  end

  -- string.format into a report, then reverse/upper/rep on pieces of it.
  local lines = {}
  for i = 1, math.min(#words, 2000) do
    lines[#lines + 1] = string.format("%5d %-12s %6d %8.3f", i, words[i], freq[words[i]],
                                      freq[words[i]] * 100 / distinct)
  end
  local report = table.concat(lines, "\n")
  local checksum = 0
  for i = 1, #report, 7 do checksum = (checksum * 31 + report:byte(i)) % 1000000007 end
  local shout = report:sub(1, 5000):upper():reverse():rep(3)

  -- Errors raised and caught (setjmp/longjmp inside the interpreter).
  local caught = 0
  for i = 1, 20000 do
    local ok, err = pcall(function(n)
      if n % 3 == 0 then error({ code = n }) end
      return n
    end, i)
    if not ok then caught = caught + err.code % 10 end
  end

  results[#results + 1] = string.format("text %d distinct %d top %s/%d last %s", #text, distinct,
                                        words[1], freq[words[1]], words[#words])
  results[#results + 1] = string.format("gsub %d found %d report %d checksum %d shout %d caught %d",
                                        count, found, #report, checksum, #shout, caught)
end
for _, line in ipairs(results) do print(line) end
io.stdout:flush()
