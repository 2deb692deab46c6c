using System;
using NanoMailGateway.Emulator.Host;
using Xunit;

namespace NanoMailGateway.Tests.Emulator.Host
{
    public class HostRandomTests
    {
        [Fact]
        public void NextStaysInRangeAndCoversIt()
        {
            var r = new HostRandom();
            var seen = new bool[16];
            for (int i = 0; i < 2000; i++)
            {
                int v = r.Next(16);
                Assert.InRange(v, 0, 15);
                seen[v] = true;
            }
            Assert.All(seen, Assert.True);
            Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(0));
        }

        [Fact]
        public void NextBytesFillsOnlyTheRange()
        {
            var r = new HostRandom();
            var b = new byte[64];
            r.NextBytes(b, 8, 48);
            Assert.All(b[..8], x => Assert.Equal(0, x));
            Assert.All(b[56..], x => Assert.Equal(0, x));
            Assert.Contains(b[8..56], x => x != 0);
        }
    }
}
