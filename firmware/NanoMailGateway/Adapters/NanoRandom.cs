// IRandom for the board (shared board/host source). On the ESP32 targets, nanoFramework's
// System.Random is the hardware generator: nf-interpreter's ESP32 CLR_RT_Random::Next
// returns esp_random() and ignores any seed, and ESP-IDF documents esp_random() as true
// random once Wi-Fi or Bluetooth is running (Program starts the gateway after Wi-Fi). On
// .NET, new Random() is seeded by the operating system. DNS query ids and source ports
// (RFC 5452 §9.2) need exactly this: unpredictable, not reproducible.
// Left out on purpose: a managed CSPRNG (nanoFramework 1.x has none).

using System;

namespace NanoMailGateway.Board.Adapters
{
    /// <summary>Random numbers from System.Random. Thread-safe (one lock; Random is not).</summary>
    public sealed class NanoRandom : NanoMailGateway.Core.Platform.IRandom
    {
        private readonly Random _random = new Random();
        private readonly object _lock = new object();

        public int Next(int maxExclusive)
        {
            lock (_lock) return _random.Next(maxExclusive);
        }

        /// <remarks>nanoFramework has NextBytes(byte[]) only; byte by byte fills a range without a temporary array.</remarks>
        public void NextBytes(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                for (int i = 0; i < count; i++) buffer[offset + i] = (byte)_random.Next(256);
            }
        }
    }
}
