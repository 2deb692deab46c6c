// A repeatable IRandom for tests that need a fixed sequence.

using NanoMailGateway.Core.Platform;

namespace NanoMailGateway.Tests.Support
{
    public sealed class SeededRandom : IRandom
    {
        private readonly System.Random _r;

        public SeededRandom(int seed) { _r = new System.Random(seed); }

        public int Next(int maxExclusive) { lock (_r) return _r.Next(maxExclusive); }

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            lock (_r) _r.NextBytes(new System.Span<byte>(buffer, offset, count));
        }
    }
}
