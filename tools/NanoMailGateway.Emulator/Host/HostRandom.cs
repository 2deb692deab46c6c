// IRandom on the operating system's cryptographic generator: DNS query ids and source
// ports must be unpredictable to an off-path attacker (RFC 5452 §9.2), and generated
// passwords must be too.

using System;
using System.Security.Cryptography;
using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Emulator.Host
{
    /// <summary>Cryptographic randomness. Thread-safe.</summary>
    public sealed class HostRandom : IRandom
    {
        public int Next(int maxExclusive)
        {
            if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
            return RandomNumberGenerator.GetInt32(maxExclusive);
        }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            RandomNumberGenerator.Fill(new Span<byte>(buffer, offset, count));
        }
    }
}
