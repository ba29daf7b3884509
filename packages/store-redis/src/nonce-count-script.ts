/**
 * The check-and-record of one (nonce, nc), as one Lua script (atomic, one round trip).
 *
 * Same semantics as Digest's `MemoryNonceCountStore`: per key a hash of `h` (highest count seen), `s`
 * (bit i set: count h - i seen, i < 32) and `r` (retain-until, ms since the epoch); the key expires
 * at `r` (PEXPIREAT), so Redis forgets a nonce exactly when no instance can accept it any longer.
 * Lua numbers are doubles: the 32-bit window is kept with arithmetic, exact below 2^53.
 * A nonce issued before Redis started recording anew (`since`, see SINCE_PROLOGUE) is `full`: its
 * counts may have been lost with the old data, so it is retired (stale) rather than replayable.
 *
 * KEYS: the entry, the since-marker. ARGV: now, nc, retainUntil, window (0–31), issuedAt.
 */
import { LuaScript, SINCE_PROLOGUE } from './script.js';

export const RECORD_COUNT = new LuaScript(`${SINCE_PROLOGUE}
local nc = tonumber(ARGV[2])
local retain = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
if tonumber(ARGV[5]) < since then return 'full' end
local e = redis.call('HMGET', KEYS[1], 'h', 's', 'r')
local highest = tonumber(e[1])
if highest == nil then
  if retain < tonumber(ARGV[1]) then return 'replay' end
  redis.call('HSET', KEYS[1], 'h', ARGV[2], 's', '1', 'r', ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
  return 'fresh'
end
local seen = tonumber(e[2])
if nc > highest then
  local shift = nc - highest
  if shift >= 32 then seen = 1 else seen = (seen * 2 ^ shift) % 4294967296 + 1 end
  highest = nc
else
  local back = highest - nc
  if back == 0 or back > window then return 'replay' end
  local bit = 2 ^ back
  if math.floor(seen / bit) % 2 == 1 then return 'replay' end
  seen = seen + bit
end
redis.call('HSET', KEYS[1], 'h', string.format('%d', highest), 's', string.format('%d', seen))
if retain > tonumber(e[3]) then
  redis.call('HSET', KEYS[1], 'r', ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
return 'fresh'
`);
