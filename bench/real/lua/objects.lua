-- Lua benchmark: function calls, closures, metatables and tables (written for walic's suite).
-- Usage: lua objects.lua [rounds]   (each round repeats the same work and prints the same lines)
local scale = tonumber(arg and arg[1]) or 8

-- 1. Recursive calls.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

-- 2. A vector class with metamethods; every operation allocates a new table.
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({ x = x, y = y }, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__mul = function(a, k) return vec(a.x * k, a.y * k) end
function Vec:dot(o) return self.x * o.x + self.y * o.y end
function Vec:rotate90() return vec(-self.y, self.x) end

-- 3. Closures as counters and accumulators.
local function make_counter(step)
  local count = 0
  return function() count = count + step; return count end
end

-- 4. Integer sieve in a table used as an array.
local function sieve(n)
  local composite = {}
  local count, sum = 0, 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      sum = sum + i
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count, sum
end

-- 5. A hash table keyed by strings and integers, with deletions.
local function dictionary(n)
  local t, state = {}, 12345
  for i = 1, n do
    state = (state * 1103515245 + 12345) % 2147483648
    local key = "k" .. (state % (n // 2))
    t[key] = (t[key] or 0) + i
    t[i] = key
    if i % 3 == 0 then t[i - 1] = nil end
  end
  local total, keys = 0, 0
  for k, v in pairs(t) do
    if type(k) == "string" then total = total + v; keys = keys + 1 end
  end
  return keys, total
end

local results = {}
for round = 1, scale do
  results[#results + 1] = "fib " .. fib(25)

  local acc = vec(0, 0)
  local v = vec(1, 0.5)
  for i = 1, 80000 do
    acc = acc + v * (i % 7)
    v = v:rotate90()
    if i % 1000 == 0 then acc = vec(acc.x % 1000, acc.y % 1000) end
  end
  results[#results + 1] = string.format("vec %.3f %.3f %.3f", acc.x, acc.y, acc:dot(vec(3, 4)))

  local counters, total = {}, 0
  for i = 1, 100 do counters[i] = make_counter(i) end
  for _ = 1, 1200 do
    for i = 1, 100 do total = total + counters[i]() end
  end
  results[#results + 1] = "closures " .. total

  results[#results + 1] = string.format("sieve %d %d", sieve(400000))
  results[#results + 1] = string.format("dict %d %d", dictionary(80000))
end
for _, line in ipairs(results) do print(line) end
-- lua.c returns from main without exit(); flush explicitly so the output never depends on
-- whether the C library flushes stdio on that path.
io.stdout:flush()
