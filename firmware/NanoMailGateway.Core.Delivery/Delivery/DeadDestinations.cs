// Destinations that could not be reached recently (no MX answered, DNS temporarily
// failing), so that the next messages for them are deferred without a new connection
// attempt each (Postfix's "delivery temporarily suspended"). A bounded table: when it
// is full the entry that expires first is replaced. Times are monotonic milliseconds:
// the table lives in RAM and a reboot forgets it on purpose (a fresh start retries).

using NanoMailGateway.Core.SmtpClient;

namespace NanoMailGateway.Core.Delivery
{
    /// <summary>Bounded dead-destination table. Thread-safe.</summary>
    internal sealed class DeadDestinations
    {
        private readonly string?[] _keys;
        private readonly long[] _until;
        private readonly DeliveryStatus?[] _why;

        public DeadDestinations(int entries)
        {
            if (entries < 1) entries = 1;
            _keys = Text.StringArray.New(entries);
            _until = new long[entries];
            _why = new DeliveryStatus[entries];
        }

        /// <summary>The failure that made <paramref name="key"/> dead, or null when it is not (or no longer) dead.</summary>
        public DeliveryStatus? Get(string key, long nowMs)
        {
            lock (_keys)
            {
                for (int i = 0; i < _keys.Length; i++)
                {
                    if (_keys[i] != key) continue;
                    if (_until[i] > nowMs) return _why[i];
                    _keys[i] = null;
                    return null;
                }
                return null;
            }
        }

        /// <summary>Remembers <paramref name="key"/> as dead until <paramref name="untilMs"/>.</summary>
        public void Mark(string key, long untilMs, DeliveryStatus why)
        {
            lock (_keys)
            {
                int slot = 0;
                for (int i = 0; i < _keys.Length; i++)
                {
                    if (_keys[i] == key) { slot = i; break; }
                    if (_keys[i] == null) { slot = i; continue; }
                    if (_keys[slot] != null && _until[i] < _until[slot]) slot = i;
                }
                _keys[slot] = key;
                _until[slot] = untilMs;
                _why[slot] = why;
            }
        }

        /// <summary>Forgets <paramref name="key"/> (it answered again).</summary>
        public void Clear(string key)
        {
            lock (_keys)
            {
                for (int i = 0; i < _keys.Length; i++) if (_keys[i] == key) _keys[i] = null;
            }
        }
    }
}
